"""Hands on the context vector: edit it, blend two, occlude source words, score a reference, round-trip.

The paper's model hands the decoder one thing, the context (h, c) of every encoder layer, and its
decoder starts from exactly that state. Each probe here changes or compares contexts and decodes
again with the same `decode_step` calls every search makes, so every number is one the model
computed (nothing is estimated from gradients or samples):

    surgery       zero, scale or add noise to chosen units → how each P_t and the translation move
    interpolate   decode from (1-α)·ctx_A + α·ctx_B → where the translation switches from A's to B's
    occlude       drop each source token (or make it <unk>) → how far the context moves, how P_t moves
    reference     teacher-force a reference → P_t(reference token) against the model's own choice
    round_trip    A → B → back, and how close the back-translation's context is to the original's

Comparing P_t step by step needs the same prefix on both sides: the altered decoder is
teacher-forced along the original output (<eos> included), so step t of both sees the same
y_1 … y_{t-1}, and KL(P_t || P'_t) says how much the change alone moved the distribution. The
altered context's own free-running translation is reported beside it.

Text in, plain data out (dataclasses of lists, floats and strings), for the app to draw. Only the
paper's `Seq2Seq` qualifies: an `Ensemble` or the attention model starts its decoder from more than
the context, so the probes refuse them (ValueError). The operations on the context they are built
from (encode, teacher-force, compare, edit) are in `context.py`. Nearest neighbours are
`analysis.SentenceSpace`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import torch
from torch import Tensor

from ..batched import decode_from_contexts, greedy_batch
from ..pipeline import Translation, Translator
from ..search import context_of, decode_from_context
from ..text import tokenize
from ..trace import Trace
from ..training.evaluation import bleu_tokenizer
from ..vocabulary import EOS_ID, UNK_ID, Vocabulary
from .context import OPERATIONS as OPERATIONS  # the surgery operations, offered here beside the probes
from .context import Selection, cosine, edit_context, encode, flat, forced_steps, kl_divergence, paper_model

OCCLUSIONS = ("drop", "unk")
MAX_REFERENCE_TOKENS = 200  # the longest output any search decodes (`max_output_length`'s cap)


# ---------------------------------------------------------------- plain-data results


@dataclass
class StepShift:
    """Step t of the original output, teacher-forced from an altered context: how P_t moved."""

    t: int  # 1-based
    token_id: int  # the original output's token at step t (<eos> last, when it was reached)
    prob: float  # P_t(token) from the original context
    altered_prob: float  # P'_t(token) from the altered context, on the same prefix
    altered_top_id: int  # the altered model's own choice at this step: argmax P'_t
    altered_top_prob: float
    kl: float  # KL(P_t || P'_t) in nats
    flipped: bool  # the altered model would not have chosen `token` here
    token: str = ""
    altered_top: str = ""


@dataclass
class Surgery:
    original: Translation  # greedy, from the encoder's context
    altered: Trace  # greedy from the edited context (its context_h / context_c are the edited ones)
    altered_text: str
    steps: list[StepShift]  # the original output teacher-forced from the edited context
    flipped: list[int]  # steps whose original token the edited model would not have chosen
    divergence: int | None  # first step where the two free-running outputs differ; None if identical
    selected: int  # how many numbers of the context were edited
    context_distance: float  # cosine distance between the original and edited contexts


@dataclass
class InterpolationPoint:
    alpha: float
    text: str  # the translation decoded from (1-α)·ctx_A + α·ctx_B
    trace: Trace  # greedy from that context; its encoder fields are empty (it is no sentence's reading)
    matches: str  # "a" or "b" when the output is A's or B's own translation, else ""


@dataclass
class Interpolation:
    a: Translation
    b: Translation
    cosine: float  # between ctx_A and ctx_B (h and c of every layer as one vector)
    points: list[InterpolationPoint]  # in the order of the alphas asked for
    switches: list[int]  # indices i of `points` whose output differs from point i-1's


@dataclass
class Occluded:
    positions: list[int]  # the source tokens occluded together (indices into `Occlusion.tokens`)
    source_ids: list[int]  # what the encoder was given instead
    cosine_distance: float  # 1 − cos(original context, this one)
    steps: list[StepShift]  # the original output teacher-forced from this context
    kl: float  # sum of the steps' KL
    output_ids: list[int]  # greedy from this context, without <eos>
    text: str
    tokens: list[str] = field(default_factory=list)  # the occluded tokens


@dataclass
class Occlusion:
    original: Translation
    mode: str  # "drop": the tokens are removed; "unk": each becomes <unk>
    tokens: list[str]  # the source tokens as the model reads them (a multi-task tag excluded)
    occluded: list[Occluded]  # one per group, in the order asked for (default: each token alone)


@dataclass
class ReferenceStep:
    """Step t with the decoder fed <sos> + the reference's first t-1 tokens."""

    t: int
    token_id: int  # the reference token at step t (<eos> after the last)
    prob: float  # P_t(reference token)
    log_prob: float
    rank: int  # 1 when the reference token is the model's own first choice
    model_token_id: int  # argmax P_t: what the model would say here
    model_prob: float
    token: str = ""
    model_token: str = ""


@dataclass
class ReferenceView:
    reference: str
    reference_ids: list[int]  # the reference as target ids, without <eos>
    unknown: list[str]  # reference tokens the target vocabulary lacks (scored as <unk>)
    steps: list[ReferenceStep]
    log_prob: float  # log P(reference + <eos> | source): what teacher forcing scores
    translation: Translation  # the model's free decoding
    divergence: int | None  # first step where free decoding leaves the reference (<eos> counts); None if equal
    bleu: float  # sentence BLEU of the free decoding against the reference (sacreBLEU, exp smoothing)
    chrf: float
    truncated: bool = False  # the reference had more than MAX_REFERENCE_TOKENS tokens; the rest is left out
    reference_tokens: list[str] = field(default_factory=list)


@dataclass
class RoundTrip:
    source: str
    forward: Translation  # source → the other language
    back: Translation  # forward.text → the source language again
    cosine: float  # between the forward model's contexts of `source` and of `back.text`
    identical: bool  # the back-translation reads as exactly the source's tokens


# ---------------------------------------------------------------- comparing two decodings


@torch.inference_mode()
def _shifts(ids: list[int], steps: Iterable[tuple[Tensor, Tensor]], vocab: Vocabulary) -> list[list[StepShift]]:
    """Teacher-forced P_t along `ids`, compared step by step: `steps` yields log P_t of the original
    (1, vocab) and of n altered contexts (n, vocab); one list of `StepShift` per altered context."""
    rows: list[list[StepShift]] = []
    for t, (token, (log_p, log_q)) in enumerate(zip(ids, steps), 1):
        kl = kl_divergence(log_p, log_q).tolist()
        top_ids = log_q.argmax(1)  # what `search._run` takes: the first of equal maxima
        top_q = log_q.gather(1, top_ids[:, None])[:, 0].tolist()
        p, q = float(log_p[0, token]), log_q[:, token].tolist()
        rows = rows or [[] for _ in kl]
        for row, k, lq, top, lt in zip(rows, kl, q, top_ids.tolist(), top_q):
            row.append(
                StepShift(
                    t=t,
                    token_id=token,
                    prob=math.exp(p),
                    altered_prob=math.exp(lq),
                    altered_top_id=top,
                    altered_top_prob=math.exp(lt),
                    kl=k,
                    flipped=top != token,
                    token=vocab.idx2word[token],
                    altered_top=vocab.idx2word[top],
                )
            )
    return rows


def _emitted(trace: Trace) -> list[int]:
    """Every token the trace's decoder emitted, <eos> included when reached."""
    return [step.token_id for step in trace.steps]


def first_difference(a: Sequence[int], b: Sequence[int]) -> int | None:
    """The 1-based first step where two token sequences differ (one ending first counts); None if equal."""
    for t, (x, y) in enumerate(zip(a, b), 1):
        if x != y:
            return t
    return None if len(a) == len(b) else min(len(a), len(b)) + 1


# ---------------------------------------------------------------- 1. context surgery


def surgery(
    translator: Translator,
    text: str,
    selection: Selection | None = None,
    operation: str = "zero",
    amount: float = 1.0,
    seed: int = 0,
    relative: bool = True,
    top_k: int = 10,
) -> Surgery:
    """Edit the context of `text` (see `edit_context`), decode again, and compare step by step with the original.

    Both decodings are greedy. `steps` teacher-forces the edited context along the original output,
    so each KL compares P_t on the same prefix; `altered` is the edited context's own decoding.
    """
    model = paper_model(translator)
    original = translator.translate(text, top_k=top_k)
    src_ids = original.trace.src_ids
    context = encode(model, [src_ids])
    edited, selected = edit_context(context, selection, operation, amount, seed, relative)
    emitted = _emitted(original.trace)
    # Two batch-1 runs, so the original side is exactly the trace's P_t.
    pairs = zip(forced_steps(model, context, emitted), forced_steps(model, edited, emitted))
    steps = _shifts(emitted, pairs, translator.tgt_vocab)[0]
    altered = decode_from_context(model, src_ids, edited, top_k=top_k).label(translator.src_vocab, translator.tgt_vocab)
    return Surgery(
        original=original,
        altered=altered,
        altered_text=translator.detokenize(altered.output_ids),
        steps=steps,
        flipped=[s.t for s in steps if s.flipped],
        divergence=first_difference(emitted, _emitted(altered)),
        selected=selected,
        context_distance=1.0 - cosine(flat(context), flat(edited)),
    )


# ---------------------------------------------------------------- 2. context interpolation


def interpolate(
    translator: Translator, text_a: str, text_b: str, alphas: Sequence[float] | None = None, top_k: int = 10
) -> Interpolation:
    """Greedy translations decoded from (1-α)·ctx_A + α·ctx_B, h and c alike, for each α.

    Default α: 0, 0.1, …, 1. α = 0 and α = 1 are exactly A's and B's own contexts (so their
    translations are A's and B's); α outside [0, 1] extrapolates. The step cap blends too, between
    the caps A and B are decoded with, so that both ends reproduce them to the last step.
    """
    model = paper_model(translator)
    alphas = [i / 10 for i in range(11)] if alphas is None else [float(a) for a in alphas]
    # A and B are encoded once each, by their translations; the blends need no encoder at all.
    a, b = translator.translate(text_a, top_k=top_k), translator.translate(text_b, top_k=top_k)
    ctx_a, ctx_b = context_of(a.trace), context_of(b.trace)
    # The blend is no sentence's reading: the encoder's side of its traces stays empty. All α in one batch.
    blends = [tuple((1 - alpha) * x + alpha * y for x, y in zip(ctx_a, ctx_b)) for alpha in alphas]
    caps = [max(1, round((1 - alpha) * a.trace.max_length + alpha * b.trace.max_length)) for alpha in alphas]
    points = []
    for alpha, trace in zip(alphas, decode_from_contexts(model, blends, caps, top_k)):
        trace.label(translator.src_vocab, translator.tgt_vocab)
        output = trace.output_ids
        matches = "a" if output == a.trace.output_ids else "b" if output == b.trace.output_ids else ""
        points.append(InterpolationPoint(alpha, translator.detokenize(output), trace, matches))
    switches = [i for i in range(1, len(points)) if points[i].trace.output_ids != points[i - 1].trace.output_ids]
    return Interpolation(a, b, cosine(flat(ctx_a), flat(ctx_b)), points, switches)


# ---------------------------------------------------------------- 3. source-token occlusion


def occlude(
    translator: Translator,
    text: str,
    mode: str = "drop",
    groups: Sequence[Sequence[int]] | None = None,
    top_k: int = 10,
) -> Occlusion:
    """Occlude source tokens (each alone by default, or each group of positions together) and measure.

    For each occlusion: the cosine distance of its context from the original's, the original
    (greedy) output teacher-forced from it with KL(P_t || P'_t) per step, and its own greedy
    translation. Positions index the sentence's tokens; a multi-task model's target tag is kept.
    An empty group occludes nothing (and changes nothing).
    """
    if mode not in OCCLUSIONS:
        raise ValueError(f"mode must be one of {OCCLUSIONS}, got {mode!r}")
    model = paper_model(translator)
    original = translator.translate(text, top_k=top_k)
    src_ids = original.trace.src_ids
    tagged = 1 if translator.text_config.target_token else 0
    words = src_ids[tagged:]
    groups = [[i] for i in range(len(words))] if groups is None else [sorted(set(g)) for g in groups]
    for group in groups:
        if any(not 0 <= i < len(words) for i in group):
            raise ValueError(f"positions {group} are not all among the sentence's {len(words)} tokens")

    def occluded_ids(group: list[int]) -> list[int]:
        kept = [UNK_ID if i in group else t for i, t in enumerate(words) if mode == "unk" or i not in group]
        return src_ids[:tagged] + kept

    variants = [src_ids] + [occluded_ids(group) for group in groups]
    # Every sentence in one batch, the original as row 0: each comparison is then between numbers computed
    # the same way (a batch rounds differently from the batch-1 trace, in the 6th-7th significant digit),
    # and the decoder runs once per step for all of them, so 13 occlusions cost about what one sentence does.
    contexts = encode(model, variants)
    emitted = _emitted(original.trace)
    pairs = ((log_p[:1], log_p[1:]) for log_p in forced_steps(model, contexts, emitted))
    shifts = _shifts(emitted, pairs, translator.tgt_vocab)
    outputs = greedy_batch(model, variants)[1:]  # each sentence's own step cap, as translating it would use
    base = flat(contexts, 0)
    occluded = [
        Occluded(
            positions=group,
            source_ids=variants[k],
            cosine_distance=1.0 - cosine(base, flat(contexts, k)),
            steps=steps,
            kl=sum(step.kl for step in steps),
            output_ids=output,
            text=translator.detokenize(output),
            tokens=translator.src_vocab.decode(words[i] for i in group),
        )
        for k, (group, steps, output) in enumerate(zip(groups, shifts, outputs), 1)
    ]
    return Occlusion(original, mode, translator.src_vocab.decode(words), occluded)


# ---------------------------------------------------------------- 4. teacher-forced view against a reference


def reference_view(
    translator: Translator, text: str, reference: str, beam_size: int = 1, top_k: int = 10
) -> ReferenceView:
    """Teacher-force `reference` (a translation of `text`) and set it beside the model's own decoding.

    Each step shows P_t of the reference token, its rank, and what the model would have said on the
    same (reference) prefix. `divergence` is the first step where free decoding (greedy, or beam
    search with `beam_size` > 1) leaves the reference. Sentence BLEU uses the target language's
    sacreBLEU tokenizer (`evaluation.bleu_tokenizer`), as the test scores do.
    """
    model = paper_model(translator)
    translation = translator.translate(text, beam_size=beam_size, top_k=top_k)
    tokens = tokenize(reference, translator.tgt_lang, translator.text_config)
    truncated, tokens = len(tokens) > MAX_REFERENCE_TOKENS, tokens[:MAX_REFERENCE_TOKENS]
    reference_ids = translator.tgt_vocab.encode(tokens)
    ids = reference_ids + [EOS_ID]
    with torch.inference_mode():
        log_p = torch.cat(list(forced_steps(model, encode(model, [translation.trace.src_ids]), ids)))
        chosen = log_p.gather(1, torch.tensor(ids)[:, None])
        ranks = (log_p > chosen).sum(1) + 1
        top_ids = log_p.argmax(1)
        top_lp = log_p.gather(1, top_ids[:, None])[:, 0]
    vocab = translator.tgt_vocab
    steps = [
        ReferenceStep(t, token, math.exp(lp), lp, rank, top, math.exp(tp), vocab.idx2word[token], vocab.idx2word[top])
        for t, (token, lp, rank, top, tp) in enumerate(
            zip(ids, chosen[:, 0].tolist(), ranks.tolist(), top_ids.tolist(), top_lp.tolist()), 1
        )
    ]
    hypothesis = translation.text
    tokenizer = bleu_tokenizer(translator.tgt_lang)
    import sacrebleu  # on first use: `import app` need not pay for it (evaluation.py does the same)

    return ReferenceView(
        reference=reference,
        reference_ids=reference_ids,
        unknown=[t for t, i in zip(tokens, reference_ids) if i == UNK_ID],
        steps=steps,
        log_prob=float(chosen.double().sum()),
        translation=translation,
        divergence=first_difference(_emitted(translation.trace), ids),
        # Clamped: sacreBLEU's floating point can report 100.00000000000004 for a perfect match.
        bleu=min(100.0, sacrebleu.sentence_bleu(hypothesis, [reference], tokenize=tokenizer).score),
        chrf=min(100.0, sacrebleu.sentence_chrf(hypothesis, [reference]).score),
        truncated=truncated,
        reference_tokens=vocab.decode(reference_ids),
    )


# ---------------------------------------------------------------- 5. round trip


def round_trip(forward: Translator, backward: Translator, text: str, beam_size: int = 1, top_k: int = 10) -> RoundTrip:
    """`text` through `forward`, its translation back through `backward`, and how close the two readings are.

    The cosine compares like with like: `forward`'s context of the source and `forward`'s context of
    the back-translation (both in the source language).
    """
    model = paper_model(forward)
    if (forward.src_lang, forward.tgt_lang) != (backward.tgt_lang, backward.src_lang):
        raise ValueError(
            f"a round trip needs opposite directions, got {forward.text_config.direction} then "
            f"{backward.text_config.direction}"
        )
    there = forward.translate(text, beam_size=beam_size, top_k=top_k)
    back = backward.translate(there.text, beam_size=beam_size, top_k=top_k)
    back_ids = forward.source_ids(back.text)[0]
    similarity = cosine(flat(encode(model, [there.trace.src_ids])), flat(encode(model, [back_ids])))
    return RoundTrip(text, there, back, similarity, back_ids == there.trace.src_ids)
