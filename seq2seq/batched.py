"""Decoding many sequences in one batch: the greedy outputs of many sentences (evaluation's fast path), and the
greedy traces of many contexts (the Context lab's interpolation, every α in one pass)."""

from __future__ import annotations

import torch

from .batch import source_tensors
from .model import State
from .search import Decodable, Reading, _record, max_output_length
from .trace import Trace
from .vocabulary import EOS_ID, SOS_ID


@torch.inference_mode()
def greedy_batch(model: Decodable, src: list[list[int]], max_length: int | None = None) -> list[list[int]]:
    """Greedy outputs (without <eos>) for many sentences at once; for evaluation."""
    if not src:
        return []
    ids, lengths = source_tensors(src)
    _, _, _, state = model.start(ids, lengths)
    cap = max_length or max_output_length(max(len(s) for s in src))
    caps = torch.tensor([max_length or max_output_length(len(s)) for s in src])
    prev = torch.full((len(src),), SOS_ID)
    done = torch.zeros(len(src), dtype=torch.bool)
    out = []
    for t in range(cap):
        log_probs, _, state = model.decode_step(prev, state)
        prev = log_probs.argmax(1)
        out.append(prev)
        done |= (prev == EOS_ID) | (t + 1 >= caps)
        if done.all():
            break
    rows = torch.stack(out, 1).tolist()
    results = []
    for row, limit in zip(rows, caps.tolist()):
        row = row[:limit]
        results.append(row[: row.index(EOS_ID)] if EOS_ID in row else row)
    return results


@torch.inference_mode()
def decode_from_contexts(
    model: Decodable, contexts: list[State], max_lengths: list[int], top_k: int = 10
) -> list[Trace]:
    """Greedy traces from many contexts at once, as `decode_from_context` gives one by one with no source and no
    prefix: every context's decoder runs in one batch (a 41-value interpolation in one pass instead of 41), each
    row stopping at its own <eos> or step cap. For the paper's model, whose first decoder state is the context."""
    if not contexts:
        return []
    state = tuple(torch.cat([context[i] for context in contexts], dim=1) for i in range(2))
    caps = torch.tensor(max_lengths)
    prev = torch.full((len(contexts),), SOS_ID)
    done = torch.zeros(len(contexts), dtype=torch.bool)
    stop = caps.clone()  # per row: how many steps it decoded (<eos> included)
    log_prob_steps, output_steps, id_steps = [], [], []
    for t in range(int(caps.max())):
        log_probs, output, state = model.decode_step(prev, state)
        prev = log_probs.argmax(1)
        log_prob_steps.append(log_probs)
        output_steps.append(output)
        id_steps.append(prev)
        ended = ~done & ((prev == EOS_ID) | (t + 1 >= caps))
        stop[ended] = t + 1
        done |= ended
        if done.all():
            break
    log_probs, outputs, ids = torch.stack(log_prob_steps, 1), torch.stack(output_steps, 1), torch.stack(id_steps, 1)
    nobody = Reading([], [])  # a given context is no sentence's reading
    traces = []
    for row, (context, n, cap) in enumerate(zip(contexts, stop.tolist(), max_lengths)):
        emitted = ids[row, :n].tolist()
        traces.append(
            _record([], nobody, context, emitted, [False] * n, log_probs[row, :n], outputs[row, :n], cap, top_k, False)
        )
    return traces
