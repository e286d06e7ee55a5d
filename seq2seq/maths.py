"""The maths of one decoding, as plain data: every LSTM cell's gates and states, every step's softmax.

`record_maths(model, trace)` replays a decoding that `search.py` already made, cell by
cell, with the model's own weights, and keeps the numbers the demo shows when a cell
or an output is clicked:

    gates = x W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh  →  i, f, g, o  (chunks of `hidden`)
    i, f, o = σ(·)   g = tanh(·)   c_t = f ⊙ c_{t-1} + i ⊙ g   h_t = o ⊙ tanh(c_t)
    P_t(w) = exp(z_w − log Σ_v exp z_v),   z = W s_t + b

It decodes nothing and changes nothing: the trace says which tokens were read and
fed, the replay only recomputes what the cells did with them. Only the paper's
model (`Seq2Seq`, unidirectional, no attention) is replayed; dropout is left out,
so the model is assumed to be in eval mode, as every search runs it.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor, nn

from .model import Seq2Seq, paper_model
from .trace import CellMaths, Maths, SoftmaxMaths, Trace
from .vocabulary import SOS_ID


def lstm_gates(
    x: Tensor, h: Tensor, c: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor, b_hh: Tensor
) -> tuple[Tensor, Tensor, Tensor, Tensor, Tensor, Tensor]:
    """One LSTM cell PyTorch's way: the activated gates i, f, g, o, then the new c and h."""
    gates = x @ w_ih.T + b_ih + h @ w_hh.T + b_hh
    i, f, g, o = gates.chunk(4, dim=-1)  # nn.LSTM's order of the four blocks
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c_new = f * c + i * g
    return i, f, g, o, c_new, o * torch.tanh(c_new)


def _replay(lstm: nn.LSTM, inputs: Tensor, h0: Tensor, c0: Tensor) -> Tensor:
    """Run `lstm`'s stack over `inputs` (steps, in) from (h0, c0), each (layers, hidden), cell by cell.

    Returns (steps, layers, 8, hidden): i, f, g, o, c_prev, h_prev, c, h of every cell, kept
    as one tensor so that a single `.tolist()` turns it into lists. The sums of `lstm_gates`,
    grouped for speed: a layer's input projections x W_ihᵀ + b_ih + b_hh are
    one matrix product for all its steps, and each step adds only h W_hhᵀ to them.
    """
    steps, hidden = inputs.size(0), lstm.hidden_size
    out = torch.empty(steps, lstm.num_layers, 8, hidden)
    for layer in range(lstm.num_layers):
        w_ih, w_hh, b_ih, b_hh = (
            getattr(lstm, f"{name}_l{layer}") for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        )
        projected = torch.addmm(b_ih + b_hh, inputs, w_ih.T)  # (steps, 4 × hidden)
        cells = out[:, layer]
        h, c = h0[layer], c0[layer]
        for t in range(steps):
            pre = torch.addmv(projected[t], w_hh, h).view(4, hidden)  # i, f, g, o before activation
            gates = cells[t, :4]
            torch.sigmoid(pre, out=gates)
            torch.tanh(pre[2], out=gates[2])
            i, f, g, o = gates
            cells[t, 4], cells[t, 5] = c, h
            c = torch.addcmul(f * c, i, g, out=cells[t, 6])
            h = torch.mul(o, c.tanh(), out=cells[t, 7])
        inputs = cells[:, 7]  # layer k reads layer k-1's h at every step
    return out


def _floats(rows: list[list[float]]) -> Tensor:
    """A float32 tensor of a trace's lists; through numpy, which reads them 7× faster than `torch.tensor`."""
    return torch.from_numpy(np.array(rows, dtype=np.float32))


def _cells(replayed: Tensor) -> list[list[CellMaths]]:
    """`_replay`'s tensor as [step][layer] records, through one `.tolist()` (per-cell calls cost more than the maths)."""
    return [[CellMaths(*cell) for cell in step] for step in replayed.tolist()]


@torch.inference_mode()
def record_maths(model: Seq2Seq, trace: Trace) -> Maths:
    """Replay the decoding `trace` records with `model`'s weights: every cell's gates and every step's softmax."""
    paper_model(model, "record_maths", unidirectional=True)
    context_h, context_c = _floats(trace.context_h), _floats(trace.context_c)
    hidden, layers = model.config.hidden_size, model.config.num_layers
    if context_h.shape != (layers, hidden):
        raise ValueError(f"the trace's context is {tuple(context_h.shape)}, the model's is ({layers}, {hidden})")
    zeros = torch.zeros(layers, hidden)
    encoder = _replay(
        model.encoder.lstm, model.encoder.embedding(torch.tensor(trace.read_ids, dtype=torch.long)), zeros, zeros
    )

    fed = ([SOS_ID] + [step.token_id for step in trace.steps[:-1]])[: len(trace.steps)]  # one input per step
    embedded = model.decoder.embedding(torch.tensor(fed, dtype=torch.long))
    decoder = _replay(model.decoder.lstm, embedded, context_h, context_c)

    # The output layer reads s_t as the trace recorded it (the search's own numbers, which the
    # replay above reproduces), so the probabilities are the trace's P_t.
    softmax: list[SoftmaxMaths] = []
    if trace.steps:
        logits = model.decoder.output(_floats([step.output for step in trace.steps]))
        log_normalizers = logits.logsumexp(1)
        ids = torch.tensor([[c.token_id for c in step.top_k] for step in trace.steps], dtype=torch.long)
        top_logits = logits.gather(1, ids)
        probs = (top_logits - log_normalizers[:, None]).exp()
        rows = zip(ids.tolist(), top_logits.tolist(), log_normalizers.tolist(), probs.tolist())
        softmax = [SoftmaxMaths(*row) for row in rows]
    return Maths(_cells(encoder), _cells(decoder), softmax)
