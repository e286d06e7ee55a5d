"""A comparison model with attention (Luong et al., 2015), kept apart from the paper's model.

The paper's decoder sees the source only through the context vector. This one
also looks back at every encoder output at every step ("general" score, no
input feeding), so the experiments can show what the fixed-size bottleneck costs:

    score_i = s_t · W_a h̄_i          a_t = softmax(score)   (over source positions)
    ctx_t   = Σ_i a_t,i h̄_i          s̃_t = tanh(W_c [ctx_t ; s_t])   →  Linear → log P_t

It starts from the same context vector and offers the same decoding protocol
(`start`, `decode_step`, `reorder_state`), so every search in `search.py` runs on it.
`checkpoint.build_model` builds it for a config with `attention=True`; `model.py` never imports it.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from .model import Decoder, Seq2Seq, Seq2SeqConfig, State
from .vocabulary import PAD_ID

# (h, c, keys, memory, mask): the LSTM state plus what attention reads at every step.
AttentionState = tuple[Tensor, Tensor, Tensor, Tensor, Tensor]


class AttentionDecoder(Decoder):
    def __init__(self, config: Seq2SeqConfig):
        super().__init__(config)
        memory_size = config.hidden_size * (2 if config.bidirectional else 1)
        self.attend = nn.Linear(memory_size, config.hidden_size, bias=False)  # W_a
        self.combine = nn.Linear(memory_size + config.hidden_size, config.hidden_size)  # W_c

    def attentional(self, s: Tensor, keys: Tensor, memory: Tensor, mask: Tensor) -> tuple[Tensor, Tensor]:
        """s̃ (batch, steps, hidden) and the attention weights (batch, steps, src_len) for s (batch, steps, hidden)."""
        scores = (s @ keys.transpose(1, 2)).masked_fill(~mask[:, None, :], float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        return torch.tanh(self.combine(torch.cat([weights @ memory, s], dim=-1))), weights

    def step(self, prev_ids: Tensor, state: AttentionState) -> tuple[Tensor, Tensor, AttentionState]:
        h, c, keys, memory, mask = state
        s, (h, c) = self.cells(prev_ids, (h, c))
        out, _ = self.attentional(s[:, None], keys, memory, mask)
        log_probs = torch.log_softmax(self.output(self.dropout(out[:, 0])), dim=-1)
        return log_probs, out[:, 0], (h, c, keys, memory, mask)

    def forward(self, input_ids: Tensor, state: AttentionState) -> tuple[Tensor, Tensor, AttentionState]:
        h, c, keys, memory, mask = state
        embedded = self.dropout(self.embedding(input_ids))
        s, (h, c) = self.lstm(embedded, (h, c))
        out, _ = self.attentional(s, keys, memory, mask)
        log_probs = torch.log_softmax(self.output(self.dropout(out)), dim=-1)
        return log_probs, out, (h, c, keys, memory, mask)


class AttentionSeq2Seq(Seq2Seq):
    attends = True

    def __init__(self, config: Seq2SeqConfig):
        super().__init__(config)
        self.decoder = AttentionDecoder(config)
        self.reset_parameters()

    def start(self, src_ids: Tensor, src_lengths: Tensor) -> tuple[Tensor, Tensor, State, AttentionState]:
        input_ids, outputs, (h, c) = self.encode(src_ids, src_lengths)
        mask = input_ids != PAD_ID
        return input_ids, outputs, (h, c), (h, c, self.decoder.attend(outputs), outputs, mask)

    @staticmethod
    def reorder_state(state: AttentionState, rows: Tensor) -> AttentionState:
        h, c, keys, memory, mask = state
        return h[:, rows], c[:, rows], keys[rows], memory[rows], mask[rows]

    def forward(self, src_ids: Tensor, src_lengths: Tensor, tgt_in_ids: Tensor) -> Tensor:
        *_, state = self.start(src_ids, src_lengths)
        log_probs, _, _ = self.decoder(tgt_in_ids, state)
        return log_probs
