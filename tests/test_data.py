"""Reading the Tatoeba file and splitting it without leaks."""

from __future__ import annotations

from seq2seq.data import read_tatoeba, split_pairs

from helpers import ATTRIBUTION, write_tatoeba


def test_reader_strips_bom_normalises_and_drops_duplicates(tmp_path):
    path = write_tatoeba(tmp_path / "cmn.txt", [("Hi.", "嗨。"), ("I'm OK.", "我沒事。"), ("I'm OK.", "我没事。")])
    pairs = read_tatoeba(path)
    assert [(p.en, p.zh) for p in pairs] == [("Hi.", "嗨。"), ("I'm OK.", "我没事。")]
    assert pairs[0].attribution == ATTRIBUTION


def test_split_is_seeded_and_never_shares_a_sentence(tmp_path):
    rows = [(f"Sentence {i}.", f"句子{i}。") for i in range(300)]
    rows += [(f"Sentence {i}.", f"另一个句子{i}。") for i in range(0, 300, 3)]  # same English, other Chinese
    rows += [(f"Other {i}.", f"句子{i}。") for i in range(0, 300, 5)]  # same Chinese, other English
    pairs = read_tatoeba(write_tatoeba(tmp_path / "cmn.txt", rows))
    splits = split_pairs(pairs, valid_size=40, test_size=60, seed=7)
    assert len(splits.train) + len(splits.valid) + len(splits.test) == len(pairs)
    assert len(splits.test) >= 60 and len(splits.valid) >= 40
    for side in ("en", "zh"):
        seen = [{getattr(p, side) for p in split} for split in (splits.train, splits.valid, splits.test)]
        assert not (seen[0] & seen[1]) and not (seen[0] & seen[2]) and not (seen[1] & seen[2])
    assert split_pairs(pairs, 40, 60, seed=7) == splits
    assert split_pairs(pairs, 40, 60, seed=8).test != splits.test
