"""Decoding strategies, kept apart from the model: greedy, beam search, forced prefix.

Each single-sentence function encodes once, runs `model.decode_step` and returns a
`Trace` of plain data. Many sequences in one batch: `batched.py`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import torch
from torch import Tensor

from .batch import source_tensors
from .maths import record_maths as replay_maths
from .model import State, paper_model
from .trace import BeamNode, Candidate, Hypothesis, Step, Trace
from .vocabulary import EOS_ID, SOS_ID


class Decodable(Protocol):
    """What a search needs of a model: `Seq2Seq`, `Ensemble` and `AttentionSeq2Seq` offer it."""

    def start(self, src_ids: Tensor, src_lengths: Tensor) -> tuple[Tensor, Tensor, State, object]: ...

    def decode_step(self, prev_ids: Tensor, state: object) -> tuple[Tensor, Tensor, object]: ...

    def reorder_state(self, state: object, rows: Tensor) -> object: ...


def max_output_length(src_length: int, a: float = 2.0, b: int = 10, cap: int = 200) -> int:
    """Step cap tied to the source length: a·|src| + b steps (<eos> included), at most `cap`."""
    return min(cap, int(a * src_length) + b)


@torch.inference_mode()
def _start_one(model: Decodable, src_ids: list[int]) -> tuple[Tensor, Tensor, State, object]:
    ids, lengths = source_tensors([src_ids])
    return model.start(ids, lengths)


@dataclass
class Reading:
    """What the encoder made of a source: the ids in the order it read them, and its top-layer h after each."""

    read_ids: list[int]
    encoder_states: list[list[float]]

    @classmethod
    def of(cls, trace: Trace) -> Reading:
        """The reading a trace recorded (exactly the encoder's numbers: float32 survives the lists)."""
        return cls(trace.read_ids, trace.encoder_states)


def context_of(trace: Trace) -> State:
    """The context (h, c), each (layers, 1, hidden), that a trace recorded: the encoder's numbers exactly
    (float32 survives the lists), without encoding the sentence again."""
    return torch.tensor(trace.context_h)[:, None, :], torch.tensor(trace.context_c)[:, None, :]


def _run(
    model: Decodable, state: object, prefix: list[int], max_length: int
) -> tuple[list[int], list[bool], Tensor, Tensor]:
    """Feed <sos>, force `prefix`, then continue greedily until <eos> or `max_length` steps.

    Returns the emitted ids, which of them were forced, log P_t (steps, vocab)
    and s_t (steps, hidden).
    """
    prev = torch.tensor([SOS_ID])
    ids, forced, log_prob_rows, output_rows = [], [], [], []
    while len(ids) < max_length:
        log_probs, output, state = model.decode_step(prev, state)
        t = len(ids)
        token = prefix[t] if t < len(prefix) else int(log_probs[0].argmax())
        ids.append(token)
        forced.append(t < len(prefix))
        log_prob_rows.append(log_probs[0])
        output_rows.append(output[0])
        if token == EOS_ID:
            break
        prev = torch.tensor([token])
    return ids, forced, torch.stack(log_prob_rows), torch.stack(output_rows)


def _steps(ids: list[int], forced: list[bool], log_probs: Tensor, outputs: Tensor, top_k: int) -> list[Step]:
    """Step records from the stacked log P_t (steps, vocab), in a few batched ops."""
    probs = log_probs.exp()
    chosen = torch.tensor(ids)[:, None]
    chosen_log_probs = log_probs.gather(1, chosen)[:, 0]
    entropy = -(probs * log_probs).sum(1)
    top_probs, top_ids = probs.topk(min(top_k, probs.size(1)), dim=1)
    cumulative = chosen_log_probs.double().cumsum(0)
    rows = zip(
        ids,
        forced,
        chosen_log_probs.tolist(),
        cumulative.tolist(),
        probs[:, EOS_ID].tolist(),
        entropy.tolist(),
        top_ids.tolist(),
        top_probs.tolist(),
        outputs.tolist(),
    )
    return [
        Step(
            t=t,
            token_id=token,
            prob=math.exp(lp),
            log_prob=lp,
            cumulative_log_prob=cum,
            eos_prob=eos,
            entropy=ent,
            top_k=[Candidate(i, p) for i, p in zip(k_ids, k_probs)],
            output=out,
            forced=f,
        )
        for t, (token, f, lp, cum, eos, ent, k_ids, k_probs, out) in enumerate(rows, 1)
    ]


def _trace(
    model: Decodable,
    src_ids: list[int],
    prefix: list[int],
    max_length: int,
    top_k: int,
    keep_distributions: bool,
    context: State | None = None,
    reading: Reading | None = None,
    record_maths: bool = False,
) -> Trace:
    if record_maths:  # before decoding: a model it cannot replay fails fast
        paper_model(model, "record_maths", unidirectional=True)
    with torch.inference_mode():
        if context is not None and reading is not None:  # nothing to encode: the caller read the source
            encoded = state = context
        else:
            read_ids, enc_outputs, encoded, state = _start_one(model, src_ids)
            reading = Reading(read_ids[0].tolist(), enc_outputs[0].tolist())
            if context is not None:  # a given context in place of the encoder's (`decode_from_context`)
                encoded = state = context
        ids, forced, log_probs, outputs = _run(model, state, prefix, max_length)
        trace = _record(
            src_ids, reading, encoded, ids, forced, log_probs, outputs, max_length, top_k, keep_distributions
        )
    return _with_maths(model, trace, record_maths)


def _with_maths(model: Decodable, trace: Trace, record_maths: bool) -> Trace:
    """The trace, with the maths of its decoding replayed into `trace.maths` when asked for."""
    if record_maths:
        trace.maths = replay_maths(model, trace)
    return trace


def _record(
    src_ids: list[int],
    reading: Reading,
    encoded: State,
    ids: list[int],
    forced: list[bool],
    log_probs: Tensor,
    outputs: Tensor,
    max_length: int,
    top_k: int,
    keep_distributions: bool,
) -> Trace:
    """The trace of one decoded sequence: the encoder's reading, the context and every step."""
    steps = _steps(ids, forced, log_probs, outputs, top_k)
    h, c = encoded
    finished = ids[-1] == EOS_ID
    return Trace(
        src_ids=list(src_ids),
        read_ids=list(reading.read_ids),
        encoder_states=reading.encoder_states,
        context_h=h[:, 0].tolist(),
        context_c=c[:, 0].tolist(),
        steps=steps,
        output_ids=ids[:-1] if finished else ids,
        log_prob=steps[-1].cumulative_log_prob if steps else 0.0,
        finished=finished,
        max_length=max_length,
        distributions=log_probs.exp().tolist() if keep_distributions else None,
    )


def greedy(
    model: Decodable,
    src_ids: list[int],
    max_length: int | None = None,
    top_k: int = 10,
    keep_distributions: bool = False,
    *,
    record_maths: bool = False,
) -> Trace:
    """Pick the most likely token at every step until <eos>.

    Args:
        src_ids: (src_len,) natural-order source ids without <eos>.
        max_length: step cap (<eos> included); default `max_output_length(len(src_ids))`.
        top_k: how many candidates of each P_t to record.
        record_maths: also replay every cell's gates and every softmax into `trace.maths` (`maths.py`).
    """
    max_length = max_length or max_output_length(len(src_ids))
    return _trace(model, src_ids, [], max_length, top_k, keep_distributions, record_maths=record_maths)


def forced(
    model: Decodable,
    src_ids: list[int],
    prefix_ids: list[int],
    max_length: int | None = None,
    top_k: int = 10,
    keep_distributions: bool = False,
    *,
    record_maths: bool = False,
) -> Trace:
    """Force the decoder through `prefix_ids`, then continue greedily (the "what if" view)."""
    max_length = max(max_length or max_output_length(len(src_ids)), len(prefix_ids) + 1)
    return _trace(model, src_ids, prefix_ids, max_length, top_k, keep_distributions, record_maths=record_maths)


def decode_from_context(
    model: Decodable,
    src_ids: list[int],
    context: State,
    prefix_ids: list[int] | None = None,
    max_length: int | None = None,
    top_k: int = 10,
    keep_distributions: bool = False,
    reading: Reading | None = None,
    *,
    record_maths: bool = False,
) -> Trace:
    """`forced` (greedy when `prefix_ids` is empty), but with the decoder started from `context`.

    For the paper's model, whose first decoder state is the context (h, c) itself; `probes.py`
    edits, blends and occludes contexts with it. The trace records `context` as its context
    and the encoder's reading of `src_ids` as usual; pass that `reading` when it is known (for
    example `Reading.of(trace)`) and the source is not encoded again. With `record_maths` the
    decoder's cells are replayed from `context`, the encoder's from zeros over the source: the
    encoder's final state is then not the context the decoder started from.
    """
    prefix_ids = list(prefix_ids or [])
    max_length = max(max_length or max_output_length(len(src_ids)), len(prefix_ids) + 1)
    return _trace(model, src_ids, prefix_ids, max_length, top_k, keep_distributions, context, reading, record_maths)


@torch.inference_mode()
def beam_search(
    model: Decodable,
    src_ids: list[int],
    beam_size: int = 5,
    max_length: int | None = None,
    length_penalty: float = 1.0,
    top_k: int = 10,
    keep_distributions: bool = False,
    *,
    record_maths: bool = False,
) -> Trace:
    """Length-normalised beam search; all live hypotheses run as one batch.

    At each step the 2·beam best extensions (by cumulative log-probability) are
    expanded: an <eos> among the best `beam_size` finishes its hypothesis, the
    first `beam_size` others stay alive, the rest are pruned. Search stops when
    `beam_size` hypotheses have finished or at the step cap. Hypotheses are
    ranked by score / length ** length_penalty (length counts <eos>). With
    beam_size=1 this is exactly greedy decoding. `record_maths` replays the winner's path.
    """
    if not 1 <= beam_size <= 64:
        raise ValueError(f"beam_size must be between 1 and 64, got {beam_size}")
    if record_maths:
        paper_model(model, "record_maths", unidirectional=True)
    max_length = max_length or max_output_length(len(src_ids))
    normalize = lambda score, length: score / length**length_penalty  # noqa: E731

    read_ids, enc_outputs, encoded, state = _start_one(model, src_ids)
    tree = [BeamNode(0, None, 0, SOS_ID, 0.0, 0.0, 0.0, "root")]
    alive: list[tuple[int, list[int], float]] = [(0, [], 0.0)]  # (node id, ids, score)
    finished: list[Hypothesis] = []
    # Every step's P_t and s_t for the live rows, and the row each node was chosen from: the
    # winner's steps are read back from them, exactly as the search computed them.
    step_log_probs: list[Tensor] = []
    step_outputs: list[Tensor] = []
    row_of: dict[int, int] = {}
    for t in range(1, max_length + 1):
        prev = torch.tensor([ids[-1] if ids else SOS_ID for _, ids, _ in alive])
        log_probs, outputs, state = model.decode_step(prev, state)  # (alive, vocab), (alive, hidden)
        step_log_probs.append(log_probs)
        step_outputs.append(outputs)
        scores = torch.tensor([s for _, _, s in alive], dtype=log_probs.dtype)[:, None] + log_probs
        vocab = log_probs.size(1)
        best_scores, best_flat = scores.view(-1).topk(min(2 * beam_size, scores.numel()))
        candidates = zip(best_scores.tolist(), best_flat.tolist(), log_probs.view(-1)[best_flat].tolist())
        next_alive, keep_rows = [], []
        for rank, (score, flat, token_log_prob) in enumerate(candidates):
            row, token = divmod(flat, vocab)
            parent, ids, _ = alive[row]
            node_id = len(tree)
            if token == EOS_ID:
                status = "finished" if rank < beam_size else "pruned"
            else:
                status = "kept" if len(next_alive) < beam_size else "pruned"
            length = len(ids) + 1
            tree.append(BeamNode(node_id, parent, t, token, token_log_prob, score, normalize(score, length), status))
            row_of[node_id] = row
            if status == "finished":
                finished.append(Hypothesis(ids, score, normalize(score, length), True, node_id))
            elif status == "kept":
                next_alive.append((node_id, ids + [token], score))
                keep_rows.append(row)
        alive = next_alive if len(finished) < beam_size else []
        if not alive:
            break
        state = model.reorder_state(state, torch.tensor(keep_rows))

    # Finished hypotheses first; hypotheses cut by the step cap fill what is left.
    by_score = lambda hyps: sorted(hyps, key=lambda h: -h.normalized_score)  # noqa: E731
    unfinished = [Hypothesis(ids, s, normalize(s, len(ids)), False, n) for n, ids, s in alive]
    n_best = (by_score(finished) + by_score(unfinished))[:beam_size]
    best = n_best[0]

    # The winner's steps: its path from the root, each node's P_t and s_t from the row it was chosen from.
    path, node_id = [], best.node_id
    while node_id:
        path.append(node_id)
        node_id = tree[node_id].parent
    path.reverse()
    ids = [tree[n].token_id for n in path]
    log_probs = torch.stack([step_log_probs[tree[n].t - 1][row_of[n]] for n in path])
    outputs = torch.stack([step_outputs[tree[n].t - 1][row_of[n]] for n in path])
    reading = Reading(read_ids[0].tolist(), enc_outputs[0].tolist())
    forced = [False] * len(ids)
    trace = _record(src_ids, reading, encoded, ids, forced, log_probs, outputs, len(ids), top_k, keep_distributions)
    trace.beam_size, trace.length_penalty = beam_size, length_penalty
    trace.beam_tree, trace.n_best, trace.max_length = tree, n_best, max_length
    return _with_maths(model, trace, record_maths)


def translate(
    model: Decodable,
    src_ids: list[int],
    beam_size: int = 1,
    max_length: int | None = None,
    top_k: int = 10,
    length_penalty: float = 1.0,
    keep_distributions: bool = False,
    *,
    record_maths: bool = False,
) -> Trace:
    """The one entry point: greedy for beam_size 1, beam search otherwise."""
    if beam_size == 1:
        return greedy(model, src_ids, max_length, top_k, keep_distributions, record_maths=record_maths)
    return beam_search(
        model, src_ids, beam_size, max_length, length_penalty, top_k, keep_distributions, record_maths=record_maths
    )
