"""The Tatoeba English–Chinese file: reading, normalising and splitting it.

The file (manythings.org's `cmn.txt`) has a byte-order mark, three tab-separated
columns (English, Chinese, attribution), lines sorted by English length, mixed
Traditional/Simplified Chinese, and sentences that occur in several pairs.
"""

from __future__ import annotations

import hashlib
import random
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
