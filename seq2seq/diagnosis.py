"""Why a translation may be wrong, as plain data: source words the model rarely saw in training, input
longer than the model handles well, and steps where it hesitated between close candidates.

- Counts: how many training pairs contain each source word, written next to the weights as
  `source_counts.json` by training or by `python -m seq2seq counts`. Words, not the model's tokens: a
  character model reads 北 and 京, but a learner asks how often it saw 北京 (English is counted
  lowercased, as the tokeniser splits it).
- Length: the paper's point is that one fixed-size vector holds a short sentence better than a long
  one. The limit is the first source-length bucket whose test BLEU (beam 5, in training.json) falls
  below half of the best bucket's.
- Uncertain steps: the runner-up has at least CLOSE_RATIO of the chosen token's probability.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .text import TextConfig, tokenize, tokenize_normalized
from .trace import Trace

COUNTS_FILE = "source_counts.json"
RARE_BELOW = 5  # a token in fewer training pairs than this is marked as rare
CLOSE_RATIO = 0.5  # a step is uncertain when its runner-up reaches this share of the top candidate's P
CLOSE_SHOWN = 4  # candidates listed for an uncertain step


WORDS = TextConfig("en", "zh", zh_units="word", en_lowercase=True)  # what the counts count


def words(text: str, lang: str, normalized: bool = False) -> list[str]:
    """The counted words of a sentence: jieba words for Chinese, lowercased tokens for English."""
    return (tokenize_normalized if normalized else tokenize)(text, lang, WORDS)


def count_pairs_containing(sentences: Iterable[list[str]]) -> dict[str, int]:
    """For each token, the number of sentences (training pairs) that contain it at least once."""
    counts = Counter(token for tokens in sentences for token in set(tokens))
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def write_counts(directory: str | Path, counts: dict[str, int], pairs: int) -> Path:
    path = Path(directory) / COUNTS_FILE
    data = {"what": "training pairs whose source contains each token", "pairs": pairs, "counts": counts}
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return path


def read_counts(directory: str | Path) -> dict[str, int] | None:
    """The model's source-token counts, or None when the directory has none (older models)."""
    path = Path(directory) / COUNTS_FILE
    if not path.is_file():
        return None
    return {str(k): int(v) for k, v in json.loads(path.read_text(encoding="utf-8"))["counts"].items()}


@dataclass
class LengthLimit:
    """From which source length test BLEU falls below half its peak, and the numbers that say so."""

    tokens: int  # the first length (in source tokens) of the first bucket below half the peak
    peak: float  # the best bucket's BLEU
    by_length: dict[str, float]  # bucket ("1-4", "5-7", …, "16+") → test BLEU, beam 5


def length_limit(record: dict) -> LengthLimit | None:
    """The limit from a model's training record (test split, beam 5), or None when it has no such numbers."""
    metrics = record.get("metrics", {})
    buckets = (metrics.get("test_beam5") or metrics.get("test_greedy") or {}).get("by_length") or {}
    by_length = {name: float(value["bleu"]) for name, value in buckets.items() if value.get("sentences")}
    if not by_length:
        return None
    peak = max(by_length.values())
    names = list(by_length)
    for i, name in enumerate(names):
        # From here on every longer bucket stays below half the peak (a dip that recovers is no limit).
        if all(by_length[later] < peak / 2 for later in names[i:]):
            return LengthLimit(int(name.split("-")[0].rstrip("+")), round(peak, 2), by_length)
    return None


@dataclass
class UncertainStep:
    t: int
    chosen: str  # the token the search emitted (beam search may take another than P_t's most likely)
    candidates: list[tuple[str, float]]  # P_t's most likely tokens with their probabilities


@dataclass
class Diagnosis:
    tokens: list[str]  # the source's words as written (Chinese: jieba words, English: the model's tokens)
    token_counts: list[int | None]  # per word: training pairs containing it; None when the model has no counts
    unknown: list[bool]  # per word: the model read (part of) it as <unk>
    rare: list[str]  # words in fewer than RARE_BELOW training pairs
    length: LengthLimit | None  # set when the source is at least as long as the model's limit
    uncertain: list[UncertainStep] = field(default_factory=list)


def uncertain_steps(trace: Trace, ratio: float = CLOSE_RATIO) -> list[UncertainStep]:
    """Steps whose runner-up candidate has at least `ratio` of the top candidate's probability."""
    steps = []
    for step in trace.steps:
        top = step.top_k
        if len(top) >= 2 and top[1].prob >= ratio * top[0].prob:
            candidates = [(c.token, c.prob) for c in top[:CLOSE_SHOWN]]
            steps.append(UncertainStep(step.t, step.token, candidates))
    return steps


def diagnose(
    words_as_written: list[str],
    unknown: list[bool],
    trace: Trace,
    counts: dict[str, int] | None,
    limit: LengthLimit | None,
    source_length: int,
) -> Diagnosis:
    """`limit` is the model's `length_limit`; `source_length` counts the model's tokens, as the limit does."""
    keys = [w.lower() for w in words_as_written]
    token_counts = [counts.get(key, 0) for key in keys] if counts is not None else [None] * len(keys)
    rare = [w for w, n in zip(words_as_written, token_counts) if n is not None and n < RARE_BELOW]
    long = limit if limit is not None and source_length >= limit.tokens else None
    return Diagnosis(list(words_as_written), token_counts, list(unknown), rare, long, uncertain_steps(trace))
