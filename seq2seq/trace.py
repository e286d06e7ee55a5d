"""Plain-data records of one decoding: what the encoder read and what the decoder did.

Everything here is lists, numbers and strings, so the demo can draw it and the API
can send it as JSON without touching a tensor.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .vocabulary import Vocabulary


@dataclass
class CellMaths:
    """One LSTM cell (one layer at one step): its activated gates, the state it read and the state it wrote."""

    i: list[float]  # input gate σ(·), (hidden,)
    f: list[float]  # forget gate σ(·)
    g: list[float]  # candidate values tanh(·)
    o: list[float]  # output gate σ(·)
    c_prev: list[float]  # c_{t-1}
    h_prev: list[float]  # h_{t-1}
    c: list[float]  # c_t = f ⊙ c_prev + i ⊙ g
    h: list[float]  # h_t = o ⊙ tanh(c_t)


@dataclass
class SoftmaxMaths:
    """One decoder step's output layer, for its top-k candidates."""

    token_ids: list[int]  # the step's top-k ids, in `Step.top_k` order
    logits: list[float]  # their logits z = W s_t + b
    log_normalizer: float  # log Σ_v exp z_v over the whole target vocabulary
    probs: list[float]  # exp(z − log_normalizer): the trace's P_t of those ids


@dataclass
class Maths:
    """Every cell and every softmax of one decoding.

    The encoder starts from zeros and reads `trace.read_ids`; the decoder starts from
    the trace's context. For `decode_from_context` that context is the given one, not
    the encoder's final state, so the last encoder cells and the first decoder cells
    then do not join up.
    """

    encoder: list[list[CellMaths]]  # [read position][layer], in `trace.read_ids` order (ending in <eos>)
    decoder: list[list[CellMaths]]  # [step][layer]; index 0 is t=1, fed <sos>
    softmax: list[SoftmaxMaths]  # one per step


@dataclass
class Candidate:
    token_id: int
    prob: float
    token: str = ""


@dataclass
class Step:
    """Decoder step t: P_t and the token taken from it."""

    t: int  # 1-based step number
    token_id: int  # the token emitted (or forced) at this step
    prob: float  # P_t(token)
    log_prob: float  # log P_t(token)
    cumulative_log_prob: float  # sum of log_prob over steps 1..t
    eos_prob: float  # P_t(<eos>)
    entropy: float  # entropy of P_t in nats
    top_k: list[Candidate]  # the k most likely tokens of P_t, most likely first
    output: list[float]  # s_t, the decoder's top-layer output (hidden,)
    forced: bool = False  # True when the token came from a user-chosen prefix
    token: str = ""


@dataclass
class BeamNode:
    """One expanded hypothesis of beam search: a parent extended by one token."""

    id: int
    parent: int | None  # id of the hypothesis it extends; None for the root (<sos>)
    t: int  # step that produced the token (0 for the root)
    token_id: int
    log_prob: float  # log P_t(token | parent)
    score: float  # cumulative log-probability of the hypothesis
    normalized_score: float  # score / length ** alpha, what the final ranking uses
    status: str  # "root", "kept", "pruned" or "finished"
    token: str = ""


@dataclass
class Hypothesis:
    token_ids: list[int]  # without <eos>
    score: float  # cumulative log-probability, <eos> included when finished
    normalized_score: float
    finished: bool  # ended with <eos> (rather than at the length cap)
    node_id: int | None = None  # its last node in the beam tree
    tokens: list[str] = field(default_factory=list)


@dataclass
class Trace:
    src_ids: list[int]  # natural order, no <eos>
    read_ids: list[int]  # the order the encoder read them, ending in <eos>
    encoder_states: list[list[float]]  # top-layer h after each read token (read_len, hidden)
    context_h: list[list[float]]  # final h of every encoder layer (layers, hidden)
    context_c: list[list[float]]  # final c of every encoder layer (layers, hidden)
    steps: list[Step]  # the chosen output, <eos> step included when reached
    output_ids: list[int]  # the chosen output without <eos>
    log_prob: float  # its cumulative log-probability
    finished: bool  # False when the length cap stopped it
    max_length: int  # the step cap used
    beam_size: int = 1
    length_penalty: float = 1.0
    beam_tree: list[BeamNode] = field(default_factory=list)  # empty for greedy
    n_best: list[Hypothesis] = field(default_factory=list)  # best first; empty for greedy
    distributions: list[list[float]] | None = None  # full P_t per step, when asked for
    src_tokens: list[str] = field(default_factory=list)
    read_tokens: list[str] = field(default_factory=list)
    output_tokens: list[str] = field(default_factory=list)
    maths: Maths | None = None  # every cell's gates and every softmax, when asked for (`maths.record_maths`)

    def to_dict(self) -> dict:
        return asdict(self)

    def label(self, src_vocab: Vocabulary, tgt_vocab: Vocabulary) -> Trace:
        """Fill in the token strings for every id (in place); returns self."""
        self.src_tokens = src_vocab.decode(self.src_ids)
        self.read_tokens = src_vocab.decode(self.read_ids)
        self.output_tokens = tgt_vocab.decode(self.output_ids)
        for step in self.steps:
            step.token = tgt_vocab.idx2word[step.token_id]
            for candidate in step.top_k:
                candidate.token = tgt_vocab.idx2word[candidate.token_id]
        for node in self.beam_tree:
            node.token = tgt_vocab.idx2word[node.token_id]
        for hypothesis in self.n_best:
            hypothesis.tokens = tgt_vocab.decode(hypothesis.token_ids)
        return self
