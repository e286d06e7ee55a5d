"""BLEU and chrF with sacreBLEU, for whole test sets, by source-length bucket and by word-rarity bucket."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..batched import greedy_batch
from ..pipeline import Translator
from ..search import translate
from ..text import tokenize
from ..vocabulary import UNK_ID

LENGTH_BUCKETS = ((1, 4), (5, 7), (8, 10), (11, 15), (16, 1000))  # source tokens, inclusive
# Average source-token frequency rank (1 = the most frequent token), [low, high): Figure 3's right panel.
RANK_BUCKETS = ((0, 50), (50, 100), (100, 200), (200, 400), (400, 800), (800, 10**9))


@dataclass
class Scores:
    bleu: float
    chrf: float
    sentences: int

    def to_dict(self) -> dict:
        return {"bleu": round(self.bleu, 2), "chrf": round(self.chrf, 2), "sentences": self.sentences}


def bleu_tokenizer(tgt_lang: str) -> str:
    """sacreBLEU's tokenizer for the output language: 'zh' splits Chinese characters, '13a' for English."""
    return "zh" if tgt_lang == "zh" else "13a"


def score(hypotheses: list[str], references: list[list[str]], tgt_lang: str) -> Scores:
    """Corpus scores; `references[i]` holds every reference of sentence i (at least one)."""
    most = max((len(r) for r in references), default=1)
    streams = [[r[k] if k < len(r) else None for r in references] for k in range(most)]
    # force: our hypotheses are detokenised; short ones ending in '.' only look tokenised.
    import sacrebleu  # scoring only: the app imports this module for its tokenizer choice, never scores

    bleu = sacrebleu.corpus_bleu(hypotheses, streams, tokenize=bleu_tokenizer(tgt_lang), force=True)
    chrf = sacrebleu.corpus_chrf(hypotheses, streams)
    return Scores(bleu.score, chrf.score, len(hypotheses))


def group_references(sources: list[str], references: list[str]) -> tuple[list[str], list[list[str]]]:
    """Distinct sources, in first-seen order, each with all its references.

    Tatoeba often pairs one sentence with several translations; scoring each
    source once against all of them is multi-reference BLEU.
    """
    grouped: dict[str, list[str]] = {}
    for source, reference in zip(sources, references):
        grouped.setdefault(source, []).append(reference)
    return list(grouped), list(grouped.values())


def bucket_label(low: float, high: float) -> str:
    """'5-7' (lengths: inclusive; ranks: [5, 7)), or '16+' for an open-ended last bucket."""
    return f"{low}+" if high >= 1000 else f"{low}-{high}"


def average_rank(ids: list[int], vocab_size: int) -> float:
    """Mean frequency rank of a sentence's source tokens.

    The vocabulary lists tokens most frequent first after the four specials, so id − 3 is a
    token's rank (1 = most frequent). <unk> stands for words rarer than every kept token, so it
    ranks one past the rarest: vocab_size − 3.
    """
    ranks = [vocab_size - 3 if i == UNK_ID else i - 3 for i in ids]
    return sum(ranks) / len(ranks) if ranks else 0.0


def source_ranks(translator: Translator, sources: list[str]) -> list[float]:
    """`average_rank` of each source, over the tokens it is made of (no task tag, nothing truncated)."""
    size = len(translator.src_vocab)
    tokens = (tokenize(s, translator.src_lang, translator.text_config) for s in sources)
    return [average_rank(translator.src_vocab.encode(t), size) for t in tokens]


def _bucket_scores(
    values: list[float],
    buckets: tuple[tuple[int, int], ...],
    half_open: bool,
    hypotheses: list[str],
    grouped: list[list[str]],
    tgt_lang: str,
) -> dict:
    """Scores of the sentences whose value falls in each bucket, keyed by `bucket_label` (empty buckets left out)."""
    scores = {}
    for low, high in buckets:
        idx = [i for i, v in enumerate(values) if (low <= v < high if half_open else low <= v <= high)]
        if idx:
            scores[bucket_label(low, high)] = score(
                [hypotheses[i] for i in idx], [grouped[i] for i in idx], tgt_lang
            ).to_dict()
    return scores


def translate_all(translator: Translator, sources: list[str], beam_size: int = 1, batch_size: int = 128) -> list[str]:
    """Translations of many sentences: batched greedy for beam 1, one by one for beam search."""
    ids = [translator.source_ids(s)[0] for s in sources]
    if beam_size > 1:
        outputs = [translate(translator.model, i, beam_size, top_k=1).output_ids for i in ids]
    else:
        # Sort by length so each batch pads little, then restore the order.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        outputs = [None] * len(ids)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            for i, out in zip(chunk, greedy_batch(translator.model, [ids[i] for i in chunk])):
                outputs[i] = out
    return [translator.scored_text(o) for o in outputs]


@torch.inference_mode()
def evaluate(translator: Translator, sources: list[str], references: list[str], beam_size: int = 1) -> dict:
    """Multi-reference BLEU/chrF over distinct sources, by source-length and average-rank bucket too.

    Also reports single-reference scores over every (source, reference) pair.
    """
    distinct, grouped = group_references(sources, references)
    hypotheses = translate_all(translator, distinct, beam_size)
    lengths = [len(translator.source_ids(s)[0]) for s in distinct]
    buckets = _bucket_scores(lengths, LENGTH_BUCKETS, False, hypotheses, grouped, translator.tgt_lang)
    by_rank = _bucket_scores(
        source_ranks(translator, distinct), RANK_BUCKETS, True, hypotheses, grouped, translator.tgt_lang
    )
    by_source = dict(zip(distinct, hypotheses))
    single = score([by_source[s] for s in sources], [[r] for r in references], translator.tgt_lang)
    overall = score(hypotheses, grouped, translator.tgt_lang)
    return {
        "beam_size": beam_size,
        **overall.to_dict(),
        "single_reference": single.to_dict(),
        "by_length": buckets,
        "by_rank": by_rank,
        "hypotheses": hypotheses,
    }
