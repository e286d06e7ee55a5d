"""The benchmarks on tiny models of every kind: the numbers are there, sane and counted right, and
torch's thread count is given back."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from seq2seq.checkpoint import CheckpointError, build_model, load_model, save_model
from seq2seq.data import splits_of
from seq2seq.model import Seq2SeqConfig
from seq2seq.study.bench import EXAMPLES, run_bench
from seq2seq.text import TextConfig
from seq2seq.vocabulary import Vocabulary

from helpers import number_pairs, write_tatoeba

VOCAB = Vocabulary(["one", "two", "three", ".", "I", "like", "tea"])
HIDDEN, EMBEDDING = 8, 6


def config(attention: bool = False) -> Seq2SeqConfig:
    return Seq2SeqConfig(
        len(VOCAB), len(VOCAB), EMBEDDING, HIDDEN, num_layers=2, tie_embeddings=False, attention=attention
    )


def decoder_bytes(attention: bool) -> int:
    """What one float32 decoder step reads, counted from the shapes: per layer W_ih, W_hh and two
    biases; the output layer; one embedding row; W_c and its bias for the attention model."""
    lstm = 4 * HIDDEN * EMBEDDING + 4 * HIDDEN * HIDDEN + 8 * HIDDEN  # layer 1
    lstm += 4 * HIDDEN * HIDDEN + 4 * HIDDEN * HIDDEN + 8 * HIDDEN  # layer 2 reads layer 1's h
    output = len(VOCAB) * HIDDEN + len(VOCAB)
    combine = 2 * HIDDEN * HIDDEN + HIDDEN if attention else 0
    return 4 * (lstm + output + EMBEDDING + combine)


@pytest.fixture(scope="module")
def model_dirs(tmp_path_factory) -> dict[str, Path]:
    """Untrained tiny models, saved with the split settings of a 300-pair data file."""
    root = tmp_path_factory.mktemp("bench")
    write_tatoeba(root / "cmn.txt", number_pairs(300))
    record = {"seed": 1, "train_config": {"split_seed": 1, "valid_size": 30, "test_size": 30}}
    dirs = {}
    for seed, (name, attention) in enumerate([("plain", False), ("attention", True), ("plain2", False)]):
        torch.manual_seed(seed)
        model = build_model(config(attention)).eval()
        dirs[name] = save_model(root / name, model, TextConfig("en", "zh"), VOCAB, VOCAB, record=record)
    return dirs


KINDS = {"plain": ["plain"], "attention": ["attention"], "ensemble": ["plain", "attention", "plain2"]}


@pytest.mark.parametrize("kind", KINDS)
def test_bench_runs_on_every_kind_of_model_and_gives_the_threads_back(kind, model_dirs):
    names = KINDS[kind]
    model = str(model_dirs[names[0]]) if len(names) == 1 else [model_dirs[n] for n in names]
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        report = run_bench(model, sentences=3, threads=1)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
    assert report["model"] == (model if len(names) == 1 else [str(d) for d in model])
    assert report["threads"] == 1 and report["sentences"] == 3
    assert report["decoder_weight_bytes_per_step"] == sum(decoder_bytes(n == "attention") for n in names)
    models = [build_model(config(n == "attention")) for n in names]
    assert report["parameters"] == sum(m.num_parameters() for m in models)
    timings = [report["load_seconds_first"], report["load_seconds_median"], report["decoder_step_ms_median"]]
    for name in ("greedy", "beam5"):
        timings += [report[name]["ms_per_sentence_median"], report[name]["ms_per_token_median"]]
    assert all(math.isfinite(t) and t > 0 for t in timings), timings
    assert "train_target_tokens_per_second" not in report  # no data, no training


def test_bench_with_data_times_the_test_split_and_training(model_dirs):
    data = model_dirs["plain"].parent / "cmn.txt"
    report = run_bench([model_dirs["plain"], model_dirs["attention"]], str(data))
    test = splits_of(data, load_model(model_dirs["plain"]).record).test
    assert report["sentences"] == len({pair.en for pair in test}) >= 30  # every distinct source of the test split
    assert math.isfinite(report["train_target_tokens_per_second"]) and report["train_target_tokens_per_second"] > 0
    assert report["train_threads"] >= 1
    assert run_bench(model_dirs["plain"], sentences=0)["sentences"] == len(EXAMPLES["en"])


def test_bench_gives_the_threads_back_when_it_fails(tmp_path):
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        with pytest.raises(CheckpointError):
            run_bench(tmp_path / "missing", threads=1)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_app_request_bench_times_real_translations_of_ten_word_sentences():
    from demo import bench as app_bench  # here, so the library's tests do not need the app
    from demo import service

    # What it times is a translation, not an input refused or cut short: every sentence passes the app's
    # checks and comes out translated to the end.
    for text in app_bench.TEN_WORD_SENTENCES:
        result = service.run(service.prepare(text), beam_size=5)
        assert result.text and result.trace.finished, text
    seconds = app_bench.request_seconds(app_bench.TEN_WORD_SENTENCES[0], 5)
    assert math.isfinite(seconds) and seconds > 0
