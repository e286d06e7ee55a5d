"""A learner's evaluation set: the first sentences a newcomer types, and how many come out exactly right.

The set (`experiments/learner_set.json`) was written by hand, not drawn from the Tatoeba file:
greetings, thanks, names, "I am a student", weather, directions, family, time, prices, food, with
every translation we accept. It is never trained on. Sentences that happen to be in the Tatoeba
file stay in the count, but are reported by where they are: the training split, the validation
or test split, or nowhere in the file.

"Exactly right" means equal to one accepted translation after `match_key`: the project's own
normalisation, case ignored for English, whitespace collapsed, and the final punctuation marks
dropped, so "你好" = "你好。" = "你好！" and "hello" = "Hello." but "I am" ≠ "I'm" (both are listed
where both are right).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..data import Splits
from ..text import detect_language, normalize

SET_PATH = Path(__file__).resolve().parents[2] / "experiments" / "learner_set.json"
DIRECTIONS = ("en-zh", "zh-en")
SPLITS = ("train", "valid", "test")
ABSENT = "absent"  # not in the Tatoeba file at all

_FINAL_MARKS = re.compile(r"[\s.。!！?？…]+$")
_APOSTROPHES = str.maketrans({"\u2018": "'", "\u2019": "'"})


@dataclass(frozen=True)
class Item:
    source: str
    translations: tuple[str, ...]  # every acceptable translation
    topic: str  # "greeting", "weather", …


def match_key(text: str, lang: str) -> str:
    """The form two sentences are compared in: normalised (NFKC, Simplified Chinese, single
    spaces), curly apostrophes straightened, the final punctuation marks dropped, English
    casefolded. Nothing else is forgiven: a different word or word order is a different key."""
    text = normalize(text, lang).translate(_APOSTROPHES)
    text = _FINAL_MARKS.sub("", text)
    return text.casefold() if lang == "en" else text


def is_exact(output: str, translations: tuple[str, ...] | list[str], lang: str) -> bool:
    """Whether `output` (in `lang`) matches one of the accepted translations."""
    key = match_key(output, lang)
    return bool(key) and any(key == match_key(t, lang) for t in translations)


def load_set(path: str | Path = SET_PATH) -> dict[str, list[Item]]:
    """The set's items by direction ("en-zh", "zh-en"), checked: every item has a source in the
    source language, at least one translation, all in the target language, and no source twice."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ValueError(f"{path} is not UTF-8 text ({error.reason})") from error
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON ({error})") from error
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a JSON object of directions, found {type(raw).__name__}")
    items = {}
    for direction in DIRECTIONS:
        src_lang, tgt_lang = direction.split("-")
        seen: set[str] = set()
        items[direction] = []
        for number, entry in enumerate(raw.get(direction, []), 1):
            where = f"{path}: {direction} item {number}"
            missing = {"source", "translations", "topic"} - set(entry)
            if missing:
                raise ValueError(f"{where}: missing {sorted(missing)}")
            source, translations = entry["source"], tuple(entry["translations"])
            if not source.strip() or not translations or not all(t.strip() for t in translations):
                raise ValueError(f"{where}: empty source or translation")
            if detect_language(source) != src_lang:
                raise ValueError(f"{where}: source {source!r} is not {src_lang}")
            wrong = [t for t in translations if detect_language(t) != tgt_lang]
            if wrong:
                raise ValueError(f"{where}: translations not in {tgt_lang}: {wrong}")
            key = match_key(source, src_lang)
            if key in seen:
                raise ValueError(f"{where}: source {source!r} occurs twice")
            seen.add(key)
            items[direction].append(Item(source, translations, entry["topic"]))
        if not items[direction]:
            raise ValueError(f"{path}: no items for {direction}")
    return items


def _inside(part: str, whole: str, lang: str) -> bool:
    """Whether `part` occurs in `whole` (both `match_key`s): as whole words for English, anywhere for Chinese."""
    if lang != "en":
        return part in whole
    return re.search(rf"(?<![\w']){re.escape(part)}(?![\w'])", whole) is not None


def together(item: Item, train: list, direction: str) -> int:
    """How many training pairs hold the item's source on one side and one of its accepted translations on the
    other, anywhere in them ("hot water" | 热水 in "The bathtub was filled with hot water …" | 浴缸里满是热水…):
    the evidence a model has to learn the item from, whole-sentence pairs or not."""
    src_lang, tgt_lang = direction.split("-")
    source = match_key(item.source, src_lang)
    accepted = {match_key(t, tgt_lang) for t in item.translations} - {""}
    return sum(
        _inside(source, match_key(getattr(pair, src_lang), src_lang), src_lang)
        and any(_inside(a, match_key(getattr(pair, tgt_lang), tgt_lang), tgt_lang) for a in accepted)
        for pair in train
    )


def occurrences(items: list[Item], splits: Splits, direction: str) -> list[dict]:
    """Where each item's source occurs in the Tatoeba file, compared by `match_key` on the
    source side: {"where": "train" | "valid" | "test" | "absent", "pair_in_train": the
    source paired with one of its accepted translations in the training split, "together":
    how many training pairs hold both anywhere in them (`together`)}.

    A source found in several splits (possible only through `match_key`'s forgiving of final
    punctuation and case) counts as "train" when it is in training at all.
    """
    src_lang, tgt_lang = direction.split("-")
    where_of: dict[str, str] = {}
    train_targets: dict[str, set[str]] = {}
    for name in reversed(SPLITS):  # train last, so it wins
        for pair in getattr(splits, name):
            key = match_key(getattr(pair, src_lang), src_lang)
            where_of[key] = name
            if name == "train":
                train_targets.setdefault(key, set()).add(match_key(getattr(pair, tgt_lang), tgt_lang))
    found = []
    for item in items:
        key = match_key(item.source, src_lang)
        accepted = {match_key(t, tgt_lang) for t in item.translations}
        found.append(
            {
                "where": where_of.get(key, ABSENT),
                "pair_in_train": bool(accepted & train_targets.get(key, set())),
                "together": together(item, splits.train, direction),
            }
        )
    return found


def _count(rows: list[dict]) -> dict:
    exact = sum(row["exact"] for row in rows)
    return {"exact": exact, "total": len(rows), "percent": round(100 * exact / len(rows), 1) if rows else None}


def score(translator, items: list[Item], beam_size: int = 5, splits: Splits | None = None) -> dict:
    """Translate every item and count the exact ones.

    Args:
        translator: a `seq2seq.pipeline.Translator` of the items' direction.
        items: the set's items for that direction (`load_set()[direction]`).
        beam_size: 1 is greedy.
        splits: the model's own split of the Tatoeba file (`data.splits_of`); None leaves
            "where" unknown.

    Returns:
        {"direction", "beam_size", "items": [{"source", "output", "exact", "topic", "where",
        "pair_in_train", "together"}], "counts": {"all", and with `splits`: "train", "valid", "test",
        "absent", "unseen" (not in the training split) → {"exact", "total", "percent"}}}
    """
    direction = translator.text_config.direction
    tgt_lang = translator.text_config.tgt_lang
    found = occurrences(items, splits, direction) if splits is not None else [{}] * len(items)
    rows = []
    for item, place in zip(items, found):
        output = translator.translate_text(item.source, beam_size=beam_size)
        rows.append(
            {
                "source": item.source,
                "output": output,
                "exact": is_exact(output, item.translations, tgt_lang),
                "topic": item.topic,
                "where": place.get("where"),
                "pair_in_train": place.get("pair_in_train"),
                "together": place.get("together"),
            }
        )
    counts = {"all": _count(rows)}
    if splits is not None:
        for name in (*SPLITS, ABSENT):
            counts[name] = _count([row for row in rows if row["where"] == name])
        counts["unseen"] = _count([row for row in rows if row["where"] != "train"])
    return {"direction": direction, "beam_size": beam_size, "items": rows, "counts": counts}


_WHERE_LABELS = {"train": "in training", "valid": "in valid", "test": "in test", ABSENT: "not in file", None: "?"}


def report_lines(result: dict) -> list[str]:
    """One line per sentence (✓/✗, where its source occurs, in how many training pairs it occurs with an
    accepted translation, source → output), then the counts."""
    lines = []
    for row in result["items"]:
        label = _WHERE_LABELS[row["where"]] + (" (pair)" if row["pair_in_train"] else "")
        evidence = "" if row.get("together") is None else f"×{row['together']:<4} "
        lines.append(f"{'✓' if row['exact'] else '✗'}  {label:<18} {evidence}{row['source']}  →  {row['output']}")
    counts = result["counts"]
    line = f"exact: {_fraction(counts['all'])}"
    if "unseen" in counts:
        held_out = {key: counts["valid"][key] + counts["test"][key] for key in ("exact", "total")}
        line += (
            f" · not in the training split: {_of(counts['unseen'])}"
            f" (in the training split: {_of(counts['train'])}, in valid/test: {_of(held_out)},"
            f" not in the file: {_of(counts[ABSENT])})"
        )
    else:
        line += " · where the sentences occur: unknown (no --data)"
    lines.append(f"{result['direction']}, beam {result['beam_size']}: {line}")
    return lines


def _of(count: dict) -> str:
    return f"{count['exact']}/{count['total']}"


def _fraction(count: dict) -> str:
    return _of(count) + (f" ({count['percent']:.1f}%)" if count["total"] else "")
