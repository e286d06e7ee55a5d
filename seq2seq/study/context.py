"""The context vector as tensors: read it, flatten it, compare two, edit it, decode from it.

The paper's model hands its decoder one thing, the context `(h, c)`, each (layers, batch,
hidden): the final state of every encoder layer. The probes of `probes.py` are built from these
few operations on it, each computing exactly what decoding computes:

    encode         sentences → their contexts, as one batch (one sentence: exactly as a search reads it)
    forced_steps   a context + output ids → log P_t step by step, teacher-forced (`decode_step` calls)
    flat, cosine   a context as one vector (h of every layer, then c), and how close two are
    kl_divergence  how far one P_t moved from another
    edit_context   zero, scale or add noise to the numbers a `Selection` picks

Only the paper's `Seq2Seq` qualifies (`paper_model`): an `Ensemble` or the attention model starts
its decoder from more than the context.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import torch
from torch import Tensor

from ..batch import source_tensors
from ..model import Seq2Seq, State
from ..model import paper_model as require_paper_model
from ..pipeline import Translator
from ..vocabulary import SOS_ID

OPERATIONS = ("zero", "scale", "noise")  # what `edit_context` does to the selected numbers


@dataclass
class Selection:
    """Which numbers of the context an edit touches: every unit in `units` of every layer in `layers`,
    in each part (`h`, `c`) of `parts`; None means all. `units=[]` selects nothing."""

    parts: tuple[str, ...] = ("h", "c")
    layers: list[int] | None = None  # 0 = the bottom layer
    units: list[int] | None = None  # indices within a layer, 0 … hidden-1

    def mask(self, layers: int, hidden: int) -> Tensor:
        """(2, layers, hidden) booleans, h then c; ValueError for a part, layer or unit that does not exist."""
        if not self.parts or set(self.parts) - {"h", "c"}:
            raise ValueError(f"parts must be 'h' and/or 'c', got {self.parts!r}")
        for name, chosen, size in (("layer", self.layers, layers), ("unit", self.units, hidden)):
            bad = [i for i in chosen or [] if not 0 <= i < size]
            if bad:
                raise ValueError(f"{name} {bad[0]} does not exist: the context has {size} {name}s per part")
        mask = torch.zeros(2, layers, hidden, dtype=torch.bool)
        part_rows = [("h", "c").index(p) for p in self.parts]
        layer_rows = list(range(layers)) if self.layers is None else list(self.layers)
        unit_rows = list(range(hidden)) if self.units is None else list(self.units)
        if layer_rows and unit_rows:
            index = torch.tensor(part_rows)[:, None, None], torch.tensor(layer_rows)[:, None], torch.tensor(unit_rows)
            mask[index] = True  # parts × layers × units
        return mask


def paper_model(translator: Translator) -> Seq2Seq:
    """The translator's model when its decoder starts from the context alone; ValueError otherwise."""
    return require_paper_model(translator.model, "context probes")


@torch.inference_mode()
def encode(model: Seq2Seq, sources: list[list[int]]) -> State:
    """The contexts (h, c), each (layers, len(sources), hidden), of sentences encoded as one batch.

    One sentence is encoded at batch 1, exactly as every search encodes it.
    """
    ids, lengths = source_tensors(sources)
    return model.start(ids, lengths)[2]


@torch.inference_mode()
def forced_steps(model: Seq2Seq, context: State, ids: list[int]) -> Iterator[Tensor]:
    """log P_t (batch, vocab) for t = 1 … len(ids), the decoder started from each row of `context`
    and fed <sos> + ids[:-1] (teacher forcing).

    The `decode_step` calls of `search._run`, so at batch 1 these are exactly the rows a trace of
    `ids` records (`nn.LSTM` over the whole sequence rounds differently). One step at a time, so a
    long output from many contexts never holds all of its (batch, steps, vocab) at once.
    """
    batch, state = context[0].size(1), context
    prev = torch.full((batch,), SOS_ID)
    for token in ids:
        log_probs, _, state = model.decode_step(prev, state)
        yield log_probs
        prev = torch.full((batch,), token)


def flat(context: State, row: int = 0) -> Tensor:
    """Row `row` of a context as one float64 vector: h of every layer, then c of every layer
    (the order of `analysis.context_vector`)."""
    h, c = context
    return torch.cat([h[:, row].reshape(-1), c[:, row].reshape(-1)]).double()


def cosine(x: Tensor, y: Tensor) -> float:
    """Cosine similarity of two vectors, in [-1, 1]; 0 when either is all zeros (it has no direction)."""
    norms = float(x.norm() * y.norm())
    if norms == 0.0:
        return 0.0
    if torch.equal(x, y):  # exactly 1, where the division can land a rounding away
        return 1.0
    return max(-1.0, min(1.0, float(x @ y) / norms))


def kl_divergence(log_p: Tensor, log_q: Tensor) -> Tensor:
    """KL(P || Q) in nats along the last dimension of two log-distributions (broadcasting).

    In float64 after renormalising: float32 log_softmax sums to 1 only within ~1e-7, enough to
    push the KL of two near-equal distributions below 0. Equal rows give exactly 0; the clamp
    only removes the last float64 rounding.
    """
    log_p, log_q = log_p.double().log_softmax(-1), log_q.double().log_softmax(-1)
    terms = torch.where(log_p > -math.inf, log_p.exp() * (log_p - log_q), torch.zeros(()).double())
    return terms.sum(-1).clamp(min=0.0)


@torch.inference_mode()
def edit_context(
    context: State,
    selection: Selection | None = None,
    operation: str = "zero",
    amount: float = 1.0,
    seed: int = 0,
    relative: bool = True,
) -> tuple[State, int]:
    """The context with the selected numbers edited, and how many were selected.

    zero: x → 0.   scale: x → amount·x.   noise: x → x + σ·ε, ε ~ N(0, 1) drawn with `seed`, where
    σ = amount × the root mean square of the selected numbers (`relative`, so amount 0.5 means noise
    half as large as what is there) or σ = amount (absolute). ε is drawn for the whole context before
    the selection applies, so a unit gets the same ε whatever else is selected. Unselected numbers are
    left exactly as they were. Noise may push h outside the ±1 an LSTM's h can reach: that is the edit.
    """
    if operation not in OPERATIONS:
        raise ValueError(f"operation must be one of {OPERATIONS}, got {operation!r}")
    h, c = context
    layers, batch, hidden = h.shape
    mask = (selection or Selection()).mask(layers, hidden)[:, :, None, :]  # (2, layers, 1, hidden)
    x = torch.stack([h, c])
    if operation == "zero":
        edited = torch.zeros_like(x)
    elif operation == "scale":
        edited = x * amount
    else:
        noise = torch.randn(x.shape, generator=torch.Generator().manual_seed(seed), dtype=x.dtype)
        picked = x.masked_select(mask.expand_as(x))
        sigma = amount * float(picked.double().pow(2).mean().sqrt()) if relative and picked.numel() else amount
        edited = x + sigma * noise
    out = torch.where(mask, edited, x)
    return (out[0], out[1]), int(mask.sum()) * batch
