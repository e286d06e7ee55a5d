"""Why a translation may be wrong, as plain data: source words the model rarely saw in training, input
longer than the model handles well, and steps where it hesitated between close candidates.

- Counts: how many training pairs contain each source token, written next to the weights as
  `source_counts.json` by training or by `python -m seq2seq counts`. Tokens as the encoder reads them
  (a character model's 北 and 京, English lowercased when the model reads it so), so that a count is
  about what the model actually saw; the jieba word a Chinese character belongs to is kept beside
  it, for a learner who asks about 北京.
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


def counted_tokens(text: str, config: TextConfig, normalized: bool = False) -> list[str]:
    """The tokens of a source sentence as the encoder reads them, which is what the counts count."""
    return (tokenize_normalized if normalized else tokenize)(text, config.src_lang, config)


def counting_units(config: TextConfig) -> str:
    """What a counts file's keys are, e.g. "zh:char en:lower": a file counted otherwise is not used."""
    return f"zh:{config.zh_units} en:{'lower' if config.en_lowercase else 'cased'}"


LEGACY_UNITS = "zh:word en:lower"  # files written before the units were recorded counted jieba words


def words_of(text: str, tokens: list[str]) -> list[str]:
    """For each token of a normalised Chinese sentence, the jieba word it is part of."""
    spans, at = [], 0
    for word in tokenize_normalized(text, "zh", TextConfig("zh", "en", zh_units="word")):
        start = text.find(word, at)
        start = at if start < 0 else start
        spans.append((start, start + len(word), word))
        at = start + len(word)
    out, at = [], 0
    for token in tokens:
        start = text.find(token, at)
        start = at if start < 0 else start
        at = start + len(token)
        out.append(next((word for begin, end, word in spans if begin <= start < end), token))
    return out


def count_pairs_containing(sentences: Iterable[list[str]]) -> dict[str, int]:
    """For each token, the number of sentences (training pairs) that contain it at least once."""
    counts = Counter(token for tokens in sentences for token in set(tokens))
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def write_counts(directory: str | Path, counts: dict[str, int], pairs: int, units: str) -> Path:
    path = Path(directory) / COUNTS_FILE
    data = {"what": "training pairs whose source contains each token", "units": units, "pairs": pairs}
    data["counts"] = counts
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return path


def read_counts(directory: str | Path, units: str) -> dict[str, int] | None:
    """The model's source-token counts, or None when the directory has none, or has counts of other
    units than `units` (older models counted jieba words: `python -m seq2seq counts` rewrites them)."""
    path = Path(directory) / COUNTS_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {
        str(k): int(v) for k, v in data["counts"].items()
    }  # a file without counts is an error, whatever its units
    return counts if data.get("units", LEGACY_UNITS) == units else None


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
    tokens: list[str]  # the source's tokens as written, one per token the encoder read (Chinese: characters)
    token_counts: list[int | None]  # per token: training pairs containing it; None when the model has no counts
    unknown: list[bool]  # per token: the model read it as <unk>
    rare: list[str]  # tokens in fewer than RARE_BELOW training pairs
    length: LengthLimit | None  # set when the source is at least as long as the model's limit
    uncertain: list[UncertainStep] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # per token: the jieba word it is part of (Chinese only)


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
    tokens_as_written: list[str],
    keys: list[str],
    unknown: list[bool],
    trace: Trace,
    counts: dict[str, int] | None,
    limit: LengthLimit | None,
    words: list[str] | None = None,
) -> Diagnosis:
    """`keys` are the tokens as the encoder read them (the counts' keys); `limit` is the model's
    `length_limit`, which counts the model's tokens too."""
    token_counts = [counts.get(key, 0) for key in keys] if counts is not None else [None] * len(keys)
    rare = [w for w, n in zip(tokens_as_written, token_counts) if n is not None and n < RARE_BELOW]
    long = limit if limit is not None and len(keys) >= limit.tokens else None
    uncertain = uncertain_steps(trace)
    return Diagnosis(list(tokens_as_written), token_counts, list(unknown), rare, long, uncertain, list(words or []))
