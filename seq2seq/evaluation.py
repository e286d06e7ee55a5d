"""BLEU and chrF with sacreBLEU, for whole test sets and by source-length bucket."""

from __future__ import annotations

from dataclasses import dataclass

import sacrebleu
import torch

from .pipeline import Translator
from .search import greedy_batch, translate

LENGTH_BUCKETS = ((1, 4), (5, 7), (8, 10), (11, 15), (16, 1000))  # source tokens, inclusive


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
    return [translator.detokenize(o) for o in outputs]


@torch.inference_mode()
def evaluate(translator: Translator, sources: list[str], references: list[str], beam_size: int = 1) -> dict:
    """Multi-reference BLEU/chrF over distinct sources, by source-length bucket too.

    Also reports single-reference scores over every (source, reference) pair.
    """
    distinct, grouped = group_references(sources, references)
    hypotheses = translate_all(translator, distinct, beam_size)
    lengths = [len(translator.source_ids(s)[0]) for s in distinct]
    buckets = {}
    for low, high in LENGTH_BUCKETS:
        idx = [i for i, n in enumerate(lengths) if low <= n <= high]
        if idx:
            label = f"{low}-{high}" if high < 1000 else f"{low}+"
            buckets[label] = score(
                [hypotheses[i] for i in idx], [grouped[i] for i in idx], translator.tgt_lang
            ).to_dict()
    by_source = dict(zip(distinct, hypotheses))
    single = score([by_source[s] for s in sources], [[r] for r in references], translator.tgt_lang)
    overall = score(hypotheses, grouped, translator.tgt_lang)
    return {
        "beam_size": beam_size,
        **overall.to_dict(),
        "single_reference": single.to_dict(),
        "by_length": buckets,
        "hypotheses": hypotheses,
    }
