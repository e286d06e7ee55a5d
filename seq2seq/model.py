"""The attention-free LSTM encoder-decoder of Sutskever, Vinyals & Le (2014).

    source tokens ─► Encoder LSTM (reads them reversed) ─► context = final (h, c) of every layer
                                                                   │
    <sos> y1 y2 … ─► Decoder LSTM (starts from the context) ─► s_t ─► Linear ─► log P_t

The context vector is the only bridge between the two LSTMs: there is no
attention. The model offers the decoding protocol every search in `search.py`
(greedy, beam, forced prefix) runs on:

    start(src_ids, src_lengths)   encode; also return the decoder's first state
    decode_step(prev_ids, state)  log P_t, s_t and the next state
    reorder_state(state, rows)    keep and repeat batch rows (beam search)

`ensemble.py` and the comparison model in `attention.py` offer the same three;
`checkpoint.build_model(config)` gives whichever of the two models a config describes.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .vocabulary import EOS_ID, PAD_ID

State = tuple[Tensor, Tensor]  # (h, c), each (layers, batch, hidden)


@dataclass
class Seq2SeqConfig:
    src_vocab_size: int
    tgt_vocab_size: int
    embedding_size: int = 256  # size of the source and target word vectors
    hidden_size: int = 256  # LSTM units per layer; the context vector is 2 × layers × this
    num_layers: int = 2  # stacked LSTM layers in the encoder and in the decoder
    dropout: float = 0.3  # on embeddings, between layers and before the output layer (training only)
    reverse_source: bool = True  # the paper's trick: read the source backwards
    tie_embeddings: bool = True  # decoder input embedding = output layer weights (needs equal sizes)
    init_range: float = 0.08  # the paper's uniform(-0.08, 0.08) initialisation
    bidirectional: bool = False  # a second encoder LSTM reads the other way; see Encoder
    attention: bool = False  # comparison model only (attention.py); the paper's model has none

    def __post_init__(self) -> None:
        if self.tie_embeddings and self.embedding_size != self.hidden_size:
            raise ValueError("tie_embeddings needs embedding_size == hidden_size")

    def to_dict(self) -> dict:
        return asdict(self)


def reading_order(src_ids: Tensor, src_lengths: Tensor, reverse: bool) -> Tensor:
    """The token ids in the order the encoder reads them, each row ending in <eos>.

    Rows are right-padded. With reverse=True each sentence is flipped inside its
    own length, then <eos> closes it, so the first source word is read last,
    right before the decoder starts:

        src_ids (natural)          encoder input (reverse=True)
        [ I    like  tea  <pad> ]   [ tea  like  I    <eos> <pad> ]
        [ Hi   !     <pad> <pad>]   [ !    Hi    <eos> <pad> <pad>]

    Args:
        src_ids: (batch, src_len) right-padded with <pad>.
        src_lengths: (batch,) true lengths, without <eos>.
    Returns:
        (batch, src_len + 1) ids; true lengths are src_lengths + 1.
    """
    batch, src_len = src_ids.shape
    positions = torch.arange(src_len, device=src_ids.device).expand(batch, src_len)
    inside = positions < src_lengths[:, None]
    if reverse:
        flipped = (src_lengths[:, None] - 1 - positions).clamp(min=0)
        src_ids = torch.where(inside, src_ids.gather(1, flipped), src_ids)
    out = torch.cat([src_ids, torch.full((batch, 1), PAD_ID, dtype=src_ids.dtype, device=src_ids.device)], 1)
    out[torch.arange(batch, device=src_ids.device), src_lengths] = EOS_ID
    return out


def _stacked_lstm(config: Seq2SeqConfig, bidirectional: bool = False) -> nn.LSTM:
    """The LSTM stack both sides use; dropout between layers only."""
    between = config.dropout if config.num_layers > 1 else 0.0
    return nn.LSTM(
        config.embedding_size,
        config.hidden_size,
        config.num_layers,
        batch_first=True,
        dropout=between,
        bidirectional=bidirectional,
    )


class Encoder(nn.Module):
    """The source LSTM stack; optionally bidirectional.

    A bidirectional encoder has a forward and a backward LSTM in every layer, so
    each layer ends with two states. The decoder still starts from one (h, c) per
    layer, of the decoder's size: a learned linear bridge maps the concatenated
    pair to it, per layer, with tanh on h (an LSTM's h lies in ±1) and none on c:

        h_l = tanh(W_h [h_l→ ; h_l←] + b_h)      c_l = W_c [c_l→ ; c_l←] + b_c

    That bridged state is what the demo shows as the context vector.
    """

    def __init__(self, config: Seq2SeqConfig):
        super().__init__()
        self.embedding = nn.Embedding(config.src_vocab_size, config.embedding_size, padding_idx=PAD_ID)
        self.dropout = nn.Dropout(config.dropout)
        self.lstm = _stacked_lstm(config, config.bidirectional)
        if config.bidirectional:
            self.bridge_h = nn.Linear(2 * config.hidden_size, config.hidden_size)
            self.bridge_c = nn.Linear(2 * config.hidden_size, config.hidden_size)

    def forward(self, input_ids: Tensor, input_lengths: Tensor) -> tuple[Tensor, State]:
        """Read already-ordered ids.

        Args:
            input_ids: (batch, len) in reading order, right-padded.
            input_lengths: (batch,) including <eos>.
        Returns:
            outputs: (batch, len, hidden) top-layer h after each token (0 on padding);
                (batch, len, 2 × hidden), forward then backward, when bidirectional.
            context: (h, c), each (layers, batch, hidden): the final state of every layer.
        """
        embedded = self.dropout(self.embedding(input_ids))
        packed = pack_padded_sequence(embedded, input_lengths.cpu(), batch_first=True, enforce_sorted=False)
        outputs, (h, c) = self.lstm(packed)
        outputs, _ = pad_packed_sequence(outputs, batch_first=True, total_length=input_ids.size(1))
        if self.lstm.bidirectional:
            # nn.LSTM orders final states layer by layer, forward then backward.
            pairs = lambda x: x.view(self.lstm.num_layers, 2, *x.shape[1:]).transpose(1, 2).flatten(2)  # noqa: E731
            h, c = torch.tanh(self.bridge_h(pairs(h))), self.bridge_c(pairs(c))
        return outputs, (h, c)


class Decoder(nn.Module):
    def __init__(self, config: Seq2SeqConfig):
        super().__init__()
        self.embedding = nn.Embedding(config.tgt_vocab_size, config.embedding_size, padding_idx=PAD_ID)
        self.dropout = nn.Dropout(config.dropout)
        self.lstm = _stacked_lstm(config)
        self.output = nn.Linear(config.hidden_size, config.tgt_vocab_size)
        if config.tie_embeddings:
            self.output.weight = self.embedding.weight

    def step(self, prev_ids: Tensor, state: State) -> tuple[Tensor, Tensor, State]:
        """One step: log P_t (batch, vocab), s_t (batch, hidden) and the next (h, c)."""
        x, state = self.cells(prev_ids, state)
        return torch.log_softmax(self.output(self.dropout(x)), dim=-1), x, state

    def cells(self, prev_ids: Tensor, state: State) -> tuple[Tensor, State]:
        """One step through the stack, layer by layer, with `self.lstm`'s own weights.

        The same numbers as `forward` on one token, but 3-4× faster at batch 1 on a
        CPU: `nn.LSTM` re-lays out its weights for oneDNN on every call, which costs
        more than the step itself. `torch.lstm_cell` (what `nn.LSTMCell` runs) reads
        each weight matrix once:

            gates = W_ih x + b_ih + W_hh h + b_hh  →  i, f, g, o (4 × hidden)
            c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g);   h' = σ(o) ⊙ tanh(c')
        """
        x = self.dropout(self.embedding(prev_ids))  # (batch, embedding)
        h, c = state
        new_h, new_c = [], []
        for layer in range(self.lstm.num_layers):
            if layer > 0:  # nn.LSTM's dropout between layers
                x = F.dropout(x, self.lstm.dropout, self.training)
            weights = [
                getattr(self.lstm, f"{name}_l{layer}") for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
            ]
            x, c_layer = torch.lstm_cell(x, (h[layer], c[layer]), *weights)
            new_h.append(x)
            new_c.append(c_layer)
        return x, (torch.stack(new_h), torch.stack(new_c))

    def forward(self, input_ids: Tensor, state: State) -> tuple[Tensor, Tensor, State]:
        """Run the decoder over `input_ids` (batch, steps) from `state`.

        Returns:
            log_probs: (batch, steps, tgt_vocab) log P_t.
            outputs: (batch, steps, hidden) the top-layer outputs s_t.
            state: (h, c) after the last step.
        """
        embedded = self.dropout(self.embedding(input_ids))
        outputs, state = self.lstm(embedded, state)
        logits = self.output(self.dropout(outputs))
        return torch.log_softmax(logits, dim=-1), outputs, state


class Seq2Seq(nn.Module):
    attends = False  # whether the decoder reads more than the context (the attention comparison model)

    def __init__(self, config: Seq2SeqConfig):
        super().__init__()
        self.config = config
        self.encoder = Encoder(config)
        self.decoder = Decoder(config)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Uniform(-0.08, 0.08) for every weight, as in the paper; padding rows zero."""
        for p in self.parameters():
            nn.init.uniform_(p, -self.config.init_range, self.config.init_range)
        with torch.no_grad():
            self.encoder.embedding.weight[PAD_ID].zero_()
            self.decoder.embedding.weight[PAD_ID].zero_()

    def encode(self, src_ids: Tensor, src_lengths: Tensor) -> tuple[Tensor, Tensor, State]:
        """Encode natural-order source ids.

        Args:
            src_ids: (batch, src_len) right-padded, without <eos>.
            src_lengths: (batch,).
        Returns:
            input_ids: (batch, src_len + 1) the ids in the order the encoder read them.
            outputs: (batch, src_len + 1, hidden) encoder top-layer h per read token.
            context: (h, c), each (layers, batch, hidden).
        """
        input_ids = reading_order(src_ids, src_lengths, self.config.reverse_source)
        outputs, context = self.encoder(input_ids, src_lengths + 1)
        return input_ids, outputs, context

    def start(self, src_ids: Tensor, src_lengths: Tensor) -> tuple[Tensor, Tensor, State, State]:
        """`encode`, plus the decoder's first state: for this model, the context itself."""
        input_ids, outputs, context = self.encode(src_ids, src_lengths)
        return input_ids, outputs, context, context

    @staticmethod
    def reorder_state(state: State, rows: Tensor) -> State:
        """The state of batch rows `rows` (beam search keeps, drops and repeats hypotheses)."""
        return state[0][:, rows], state[1][:, rows]

    def decode_step(self, prev_ids: Tensor, state: State) -> tuple[Tensor, Tensor, State]:
        """One decoder step.

        Args:
            prev_ids: (batch,) the previously emitted tokens (<sos> at the start).
            state: (h, c), each (layers, batch, hidden).
        Returns:
            log_probs: (batch, tgt_vocab) log P_t.
            output: (batch, hidden) s_t.
            state: the new (h, c).
        """
        return self.decoder.step(prev_ids, state)

    def forward(self, src_ids: Tensor, src_lengths: Tensor, tgt_in_ids: Tensor) -> Tensor:
        """Teacher-forced log-probabilities (batch, tgt_len, tgt_vocab) for training and scoring."""
        _, _, context = self.encode(src_ids, src_lengths)
        log_probs, _, _ = self.decoder(tgt_in_ids, context)
        return log_probs

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())


def paper_model(model: object, needs: str, unidirectional: bool = False) -> Seq2Seq:
    """`model` itself when it is the paper's attention-free `Seq2Seq`, whose decoder starts from the context
    alone (and, with `unidirectional`, whose encoder reads one way only); a ValueError saying what `needs` it
    otherwise. The one place that tells the paper's model from the others."""
    if not isinstance(model, Seq2Seq):
        raise ValueError(f"{needs} needs the paper's attention-free Seq2Seq, not {type(model).__name__}")
    if model.attends or model.config.attention:
        raise ValueError(
            f"{needs} needs the paper's attention-free Seq2Seq; the attention model starts its decoder "
            "from more than the context"
        )
    if unidirectional and model.config.bidirectional:
        raise ValueError(f"{needs} needs a unidirectional encoder, not a bidirectional one")
    return model


def perplexity(mean_nll: float) -> float:
    return math.exp(min(mean_nll, 50.0))
