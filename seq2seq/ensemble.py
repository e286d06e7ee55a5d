"""Ensembles at decoding time: several models vote on every P_t.

The members read the same source and keep their own states; at every step the
ensemble's distribution is the normalised average of the members' log-probabilities
(a product of experts), P_t ∝ exp(mean_m log P_t^m). Identical members give back
the single model exactly. The paper ensembled 5 reversed LSTMs (34.8 BLEU vs 30.6).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from .model import Seq2Seq, State


class Ensemble(nn.Module):
    """Members sharing both vocabularies; the trace shows member 1's context vector and s_t."""

    def __init__(self, members: list[Seq2Seq]):
        super().__init__()
        if not members:
            raise ValueError("an ensemble needs at least one member")
        sizes = {(m.config.src_vocab_size, m.config.tgt_vocab_size) for m in members}
        if len(sizes) > 1:
            raise ValueError(f"ensemble members must share vocabularies, got sizes {sorted(sizes)}")
        self.members = nn.ModuleList(members)
        self.config = members[0].config

    def start(self, src_ids: Tensor, src_lengths: Tensor) -> tuple[Tensor, Tensor, State, list]:
        starts = [m.start(src_ids, src_lengths) for m in self.members]
        input_ids, outputs, context, _ = starts[0]
        return input_ids, outputs, context, [s[3] for s in starts]

    def reorder_state(self, state: list, rows: Tensor) -> list:
        return [m.reorder_state(s, rows) for m, s in zip(self.members, state)]

    def decode_step(self, prev_ids: Tensor, state: list) -> tuple[Tensor, Tensor, list]:
        steps = [m.decode_step(prev_ids, s) for m, s in zip(self.members, state)]
        log_probs = torch.log_softmax(torch.stack([lp for lp, _, _ in steps]).mean(0), dim=-1)
        return log_probs, steps[0][1], [s for _, _, s in steps]

    def forward(self, src_ids: Tensor, src_lengths: Tensor, tgt_in_ids: Tensor) -> Tensor:
        """Teacher-forced ensemble log-probabilities, for perplexity."""
        return torch.log_softmax(torch.stack([m(src_ids, src_lengths, tgt_in_ids) for m in self.members]).mean(0), -1)

    def num_parameters(self) -> int:
        return sum(m.num_parameters() for m in self.members)
