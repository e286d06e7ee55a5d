"""The Tatoeba English–Chinese file: reading, normalising and splitting it.

The file (manythings.org's `cmn.txt`) has a byte-order mark, three tab-separated
columns (English, Chinese, attribution), lines sorted by English length, mixed
Traditional/Simplified Chinese, and sentences that occur in several pairs.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .text import normalize, strip_bom


@dataclass(frozen=True)
class Pair:
    en: str  # normalised English
    zh: str  # normalised, Simplified Chinese
    attribution: str  # the file's third column, kept for credit


@dataclass
class Splits:
    train: list[Pair]
    valid: list[Pair]
    test: list[Pair]


def read_tatoeba(path: str | Path) -> list[Pair]:
    """All distinct pairs of the file, normalised, in file order."""
    pairs, seen = [], set()
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                columns = strip_bom(line).rstrip("\n").split("\t")
                if len(columns) < 2:
                    raise ValueError(f"{path}:{number}: expected 'English<TAB>Chinese<TAB>attribution'")
                en, zh = normalize(columns[0], "en"), normalize(columns[1], "zh")
                if not en or not zh or (en, zh) in seen:
                    continue
                seen.add((en, zh))
                pairs.append(Pair(en, zh, columns[2] if len(columns) > 2 else ""))
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}:{_first_undecodable_line(path)}: not UTF-8 text ({error.reason})") from error
    return pairs


def _first_undecodable_line(path: str | Path) -> int:
    """The number of the file's first line that is not UTF-8 (text mode decodes in blocks, not lines)."""
    with open(path, "rb") as f:
        for number, line in enumerate(f, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 0  # not reached: some line failed to decode


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _components(pairs: list[Pair]) -> list[list[int]]:
    """Groups of pair indices linked by a shared English or Chinese sentence."""
    parent = list(range(len(pairs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_seen: dict[tuple[str, str], int] = {}
    for i, pair in enumerate(pairs):
        for key in (("en", pair.en.casefold()), ("zh", pair.zh)):
            j = first_seen.setdefault(key, i)
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(pairs)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def split_pairs(pairs: list[Pair], valid_size: int = 1000, test_size: int = 2000, seed: int = 1234) -> Splits:
    """Seeded, shuffled split in which no sentence (either side) is in two splits.

    Pairs that share a sentence form one group and go to the same split; groups
    are shuffled and dealt to test, then valid, then train. Groups larger than
    20 pairs always go to train, so the held-out splits stay diverse.
    """
    groups = _components(pairs)
    random.Random(seed).shuffle(groups)
    test, valid, train = [], [], []
    for group in groups:
        if len(group) <= 20 and len(test) < test_size:
            test.extend(group)
        elif len(group) <= 20 and len(valid) < valid_size:
            valid.extend(group)
        else:
            train.extend(group)
    pick = lambda idx: [pairs[i] for i in sorted(idx)]  # noqa: E731 - file order inside a split
    return Splits(train=pick(train), valid=pick(valid), test=pick(test))


def load_splits(path: str | Path, seed: int = 1234, valid_size: int = 1000, test_size: int = 2000) -> Splits:
    """The file's split; a ValueError naming the file when a split that should have pairs has none
    (too small a file, or not the one a model was trained on), before anything scores nothing."""
    splits = split_pairs(read_tatoeba(path), valid_size, test_size, seed)
    wanted = {"train": True, "valid": valid_size > 0, "test": test_size > 0}
    empty = [name for name, want in wanted.items() if want and not getattr(splits, name)]
    if empty:
        total = len(splits.train) + len(splits.valid) + len(splits.test)
        named = empty[0] + " split" if len(empty) == 1 else f"{', '.join(empty[:-1])} and {empty[-1]} splits"
        raise ValueError(
            f"{path}: {total} distinct sentence pairs leave the {named} empty"
            f" (test {test_size} and valid {valid_size} pairs are dealt first, in groups of up to 20)"
        )
    return splits


def sides(pairs: list[Pair], direction: str) -> tuple[list[str], list[str]]:
    """The source and the target sentences of `pairs` for a direction such as "en-zh"."""
    src_lang, tgt_lang = direction.split("-")
    return [getattr(p, src_lang) for p in pairs], [getattr(p, tgt_lang) for p in pairs]


def splits_of(path: str | Path, record: dict) -> Splits:
    """The split a model was trained with, from its training record."""
    config = record.get("train_config", {})
    seed = config.get("split_seed", record.get("seed", 1234))
    return load_splits(path, seed, config.get("valid_size", 1000), config.get("test_size", 2000))


_WORD = re.compile(r"[A-Za-z0-9']+")
_FINAL_MARKS = re.compile(r"[\s.。!！?？…]+$")  # as learner_set.match_key drops them


def english_words(sentence: str) -> int:
    """How many words an English sentence has, punctuation not counted ("Don't go!" has 2)."""
    return len(_WORD.findall(sentence))


def clause_pairs(pairs: list[Pair]) -> list[Pair]:
    """Phrase pairs mined from `pairs`: a pair with exactly one comma on each side gives its two halves
    as two pairs ("Hello, Tom." | 你好，汤姆。 → "Hello" | 你好 and "Tom." | 汤姆。). Clause order mostly
    agrees in the two languages; where it does not ("Y, if X" | 如果X，Y) the halves are wrong pairs."""
    mined = []
    for pair in pairs:
        zh = pair.zh.replace(",", "，")
        if pair.en.count(",") != 1 or zh.count("，") != 1:
            continue
        halves = [(e.strip(), z.strip()) for e, z in zip(pair.en.split(","), zh.split("，"))]
        mined += [Pair(en, zh, pair.attribution) for en, zh in halves if english_words(en) and zh]
    return mined


_HAN = re.compile(r"[\u4e00-\u9fff]+")


def _chinese_words(zh: str) -> set[str]:
    """The jieba words of a Chinese sentence that are all Han characters (punctuation and digits left out)."""
    from .text import _jieba  # jieba's dictionary loads on first use; only mining needs it here

    return {w for w in _jieba().lcut(zh) if _HAN.fullmatch(w)}


def word_pairs(pairs: list[Pair], min_dice: float = 0.4, min_count: int = 3) -> list[Pair]:
    """Single-word pairs mined from `pairs` by co-occurrence ("cat" | 猫, "tomorrow" | 明天): for each English
    word, the jieba word with the highest Dice coefficient 2·c(e,z)/(c(e)+c(z)) over the pairs, kept when
    Dice ≥ `min_dice` and the Chinese word has no English word much better (≥ 1.25×) than this one, so
    "cats" | 猫 and "cat" | 猫 both stay but "the" | 的 does not. Counts are pairs containing the word, each
    at least `min_count`. Words that make a whole English sentence of their own somewhere in `pairs`
    ("Goodbye!" | 再见！) are left to that pair: mining them gave "goodbye" | 说再见 from "say goodbye"."""
    sides = [({w.lower() for w in _WORD.findall(p.en)}, _chinese_words(p.zh)) for p in pairs]
    alone = {next(iter(e)) for e, _ in sides if len(e) == 1}
    en, zh = Counter(w for e, _ in sides for w in e), Counter(g for _, z in sides for g in z)
    both = Counter((w, g) for e, z in sides for w in e if en[w] >= min_count for g in z if zh[g] >= min_count)
    dice = {(w, g): 2 * c / (en[w] + zh[g]) for (w, g), c in both.items() if c >= min_count}
    by_en: dict[str, list[tuple[float, str]]] = {}
    best_of_zh: dict[str, float] = {}
    for (w, g), d in dice.items():
        by_en.setdefault(w, []).append((d, g))
        best_of_zh[g] = max(best_of_zh.get(g, 0.0), d)
    mined = []
    for w, candidates in sorted(by_en.items()):
        d, g = min(candidates, key=lambda c: (-c[0], len(c[1]), c[1]))
        if w not in alone and d >= min_dice and d * 1.25 >= best_of_zh[g]:
            mined.append(Pair(w, g, "mined from the training split"))
    return mined


def unpunctuated(pair: Pair) -> Pair | None:
    """The pair without final punctuation on either side, as learners type ("hello" | 你好); None if nothing is left."""
    en, zh = _FINAL_MARKS.sub("", pair.en), _FINAL_MARKS.sub("", pair.zh)
    return Pair(en, zh, pair.attribution) if english_words(en) and zh else None


def extra_training_pairs(
    train: list[Pair], weight: int = 1, max_words: int = 3, strip: bool = False, mine: bool = False, words: bool = False
) -> list[Pair]:
    """Extra pairs for each training epoch, made from the training split only (never valid or test): each
    short pair (English side of at most `max_words` words, mined clause pairs included when `mine`) comes
    back `weight - 1` more times, without final punctuation when `strip`; mined pairs (clauses when `mine`,
    single words when `words`) appear `weight` times."""
    mined = [p for p in clause_pairs(train) if english_words(p.en) <= max_words] if mine else []
    mined += word_pairs(train) if words else []
    short = [p for p in train if english_words(p.en) <= max_words]
    copies = [p for p in short for _ in range(weight - 1)] + [p for p in mined for _ in range(weight)]
    if strip:
        copies = [q for q in map(unpunctuated, copies) if q is not None]
    return copies
