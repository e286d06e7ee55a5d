"""`python -m seq2seq bench`: load time, batch-1 decoding latency against the
memory-bandwidth bound, and training speed, printed as JSON.

The bound is the decoder weights one step must read (LSTM stack, output layer, one
embedding row) divided by the read bandwidth measured in the same run with the same
threads. `decoder_step_*` times one `decode_step`; `ms_per_token` divides a whole
translation (encoder, every step and the trace) by the number of steps.

It runs on the paper's model, the attention comparison model, and an ensemble
(`run_bench` given several model directories).
"""

from __future__ import annotations

import copy
import os
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

import torch

from ..attention import AttentionDecoder
from ..checkpoint import load_model
from ..data import splits_of
from ..ensemble import Ensemble
from ..pipeline import Translator
from ..search import translate
from ..text import tokenize
from ..vocabulary import SOS_ID

EXAMPLES = {  # used when no data file is given
    "en": ["I like tea.", "Tom is my friend.", "Where is the station?", "It is going to rain tomorrow."],
    "zh": ["我喜欢茶。", "汤姆是我的朋友。", "车站在哪里？", "明天要下雨了。"],
}


def decoder_bytes_per_step(translator: Translator) -> int:
    """Bytes of weights one batch-1 decoder step reads: the LSTM stack, the output layer and one
    embedding row; W_c too for the attention model (W_a is applied once, in `start`); every
    member's for an ensemble."""
    model = translator.model
    total = 0
    for decoder in [m.decoder for m in model.members] if isinstance(model, Ensemble) else [model.decoder]:
        total += _bytes(decoder.lstm.parameters()) + _bytes(decoder.output.parameters())
        total += decoder.embedding.weight[0].numel() * decoder.embedding.weight.element_size()
        if isinstance(decoder, AttentionDecoder):
            total += _bytes(decoder.combine.parameters())
    return total


def _bytes(tensors) -> int:
    return sum(t.numel() * t.element_size() for t in tensors)


def read_bandwidth(megabytes: int = 512, repeats: int = 5) -> float:
    """Bytes per second that summing a large float32 tensor achieves (best of `repeats`)."""
    x = torch.ones(megabytes * (1 << 20) // 4)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        x.sum()
        best = min(best, time.perf_counter() - start)
    return x.numel() * 4 / best


def _latencies(translator: Translator, sources: list[list[int]], beam_size: int) -> tuple[list[float], list[float]]:
    for ids in sources[:5]:  # warm-up
        translate(translator.model, ids, beam_size)
    per_sentence, per_token = [], []
    for ids in sources:
        start = time.perf_counter()
        trace = translate(translator.model, ids, beam_size)
        elapsed = time.perf_counter() - start
        per_sentence.append(elapsed)
        per_token.append(elapsed / max(len(trace.steps), 1))
    return per_sentence, per_token


def decoder_step_seconds(translator: Translator, src_ids: list[int], repeats: int = 200) -> float:
    """Median time of one batch-1 `decode_step`, the unit the bandwidth bound is about."""
    model = translator.model
    with torch.inference_mode():
        *_, state = model.start(torch.tensor([src_ids]), torch.tensor([len(src_ids)]))
        prev = torch.tensor([SOS_ID])
        times = []
        for i in range(repeats + 10):
            start = time.perf_counter()
            model.decode_step(prev, state)
            if i >= 10:
                times.append(time.perf_counter() - start)
    return statistics.median(times)


def training_tokens_per_second(
    translator: Translator, pairs: list[tuple[list[int], list[int]]], batches: int = 20
) -> float:
    """Target tokens per second of real training steps (forward, backward, Adam) on a copy of the model
    (of every member at once, for an ensemble)."""
    from ..batch import length_batches
    from ..training.loop import loss_on

    model = copy.deepcopy(translator.model).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    work = length_batches(pairs, 64, torch.Generator().manual_seed(0))[: batches + 2]
    tokens, elapsed = 0, 0.0
    for i, batch in enumerate(work):
        start = time.perf_counter()
        loss = loss_on(model, batch, 0.1)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
        if i >= 2:  # the first steps warm up the allocator
            elapsed += time.perf_counter() - start
            tokens += batch.num_target_tokens
    return tokens / elapsed


def run_bench(
    model: str | Path | Sequence[str | Path], data: str | None = None, sentences: int = 0, threads: int = 1
) -> dict:
    """Every number as a dict, for a model directory or several (an ensemble of them).

    Decoding and the bandwidth measurement use `threads` threads (1 by default, as the app
    decodes), training every core; torch's thread count is given back as it was found.
    """
    model_dirs = [model] if isinstance(model, (str, Path)) else list(model)
    found = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        report = _bench(model_dirs, data, sentences)
    finally:
        torch.set_num_threads(found)
    name = str(model_dirs[0]) if len(model_dirs) == 1 else [str(d) for d in model_dirs]
    return {"model": name, **report}


def _load(model_dirs: list[str | Path]) -> Translator:
    return Translator.load(model_dirs[0]) if len(model_dirs) == 1 else Translator.ensemble(model_dirs)


def _bench(model_dirs: list[str | Path], data: str | None, sentences: int) -> dict:
    start = time.perf_counter()
    _load(model_dirs)
    first_load = time.perf_counter() - start
    loads = []
    for _ in range(3):
        start = time.perf_counter()
        translator = _load(model_dirs)
        loads.append(time.perf_counter() - start)

    if data:
        split = splits_of(data, load_model(model_dirs[0]).record)  # an ensemble's members share one split
        texts = list(dict.fromkeys(getattr(p, translator.src_lang) for p in split.test))
        tgt_ids = lambda text: translator.tgt_vocab.encode(tokenize(text, translator.tgt_lang, translator.text_config))  # noqa: E731
        train_pairs = [
            (translator.source_ids(getattr(p, translator.src_lang))[0], tgt_ids(getattr(p, translator.tgt_lang)))
            for p in split.train[:4000]
        ]
    else:
        texts, train_pairs = EXAMPLES[translator.src_lang], []
    texts = texts[:sentences] if sentences else texts
    sources = [translator.source_ids(t)[0] for t in texts]

    bandwidth = read_bandwidth()
    step_bytes = decoder_bytes_per_step(translator)
    bound = step_bytes / bandwidth
    report = {
        "threads": torch.get_num_threads(),
        "parameters": translator.model.num_parameters(),
        "load_seconds_first": round(first_load, 4),
        "load_seconds_median": round(statistics.median(loads), 4),
        "sentences": len(sources),
        "read_bandwidth_gb_s": round(bandwidth / 1e9, 2),
        "decoder_weight_bytes_per_step": step_bytes,
        "bandwidth_bound_ms_per_token": round(bound * 1e3, 4),
    }
    step_ms = decoder_step_seconds(translator, max(sources, key=len)) * 1e3
    report["decoder_step_ms_median"] = round(step_ms, 4)
    report["decoder_step_ratio_to_bound"] = round(step_ms / (bound * 1e3), 2)
    for name, beam in (("greedy", 1), ("beam5", 5)):
        per_sentence, per_token = _latencies(translator, sources, beam)
        token_ms = statistics.median(per_token) * 1e3
        report[name] = {
            "ms_per_sentence_median": round(statistics.median(per_sentence) * 1e3, 3),
            "ms_per_token_median": round(token_ms, 4),
            "ratio_to_bound": round(token_ms / (bound * 1e3), 2),
        }
    if train_pairs:
        torch.set_num_threads(os.cpu_count() or 1)  # training uses every core
        report["train_threads"] = torch.get_num_threads()
        report["train_target_tokens_per_second"] = round(training_tokens_per_second(translator, train_pairs))
    return report
