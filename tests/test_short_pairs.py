"""More of what learners type (issue 16): the short pairs of the training split weighted up, their
copies without final punctuation, clause pairs mined from it; valid, test and the vocabularies untouched."""

from __future__ import annotations

from collections import Counter

from seq2seq.data import Pair, Splits, clause_pairs, extra_training_pairs, word_pairs
from seq2seq.training.loop import TrainConfig, prepare

SHORT, LONG = Pair("Hello!", "你好！", ""), Pair("I have two cats at home.", "我家里有两只猫。", "")
COMMA = Pair("Hello, Tom.", "你好，汤姆。", "")
HELD_OUT = Pair("Hi.", "嗨。", "")  # short, but in valid or test: never copied


def test_only_the_short_training_pairs_are_repeated():
    extra = extra_training_pairs([SHORT, LONG, COMMA], weight=3, max_words=2)
    assert Counter(extra) == {SHORT: 2, COMMA: 2}  # "Hello, Tom." has 2 words; the 6-word pair stays once
    assert extra_training_pairs([SHORT, LONG], weight=1, max_words=3) == []


def test_copies_lose_their_final_punctuation_and_mined_halves_come_weight_times():
    extra = extra_training_pairs([SHORT, LONG, COMMA], weight=2, max_words=1, strip=True, mine=True)
    assert Counter((p.en, p.zh) for p in extra) == {("Hello", "你好"): 2 + 1, ("Tom", "汤姆"): 2}
    assert clause_pairs([Pair("Yes, but no, never.", "是，但不，从不。", ""), LONG]) == []  # two commas: not split


def test_prepare_weights_only_the_training_split_and_keeps_the_vocabularies(tmp_path):
    splits = Splits(train=[SHORT, LONG, COMMA] * 2, valid=[HELD_OUT], test=[HELD_OUT])
    plain = prepare(TrainConfig(str(tmp_path / "cmn.txt"), str(tmp_path / "m"), min_freq=1), splits)
    config = TrainConfig(str(tmp_path / "cmn.txt"), str(tmp_path / "m"), min_freq=1, short_weight=4, short_words=2)
    weighted = prepare(config, splits)
    assert weighted.src_vocab.idx2word == plain.src_vocab.idx2word
    assert weighted.tgt_vocab.idx2word == plain.tgt_vocab.idx2word
    assert weighted.valid == plain.valid and weighted.test == plain.test
    counts, before = Counter(map(str, weighted.train)), Counter(map(str, plain.train))
    ids = lambda pair: str(plain.train[[SHORT, LONG, COMMA].index(pair)])  # noqa: E731
    assert (counts[ids(SHORT)], counts[ids(COMMA)], counts[ids(LONG)]) == (8, 8, 2)
    assert sum(counts.values()) == sum(before.values()) + 12
    assert weighted.sizes == {"train": 6, "valid": 1, "test": 1, "train_extra": 12}


def test_word_pairs_are_mined_by_co_occurrence():
    rows = [
        ("The cat sleeps.", "猫在睡觉。"),
        ("Tom has a cat.", "汤姆有一只猫。"),
        ("The cat is white.", "猫是白的。"),
        ("Tom is tall.", "汤姆很高。"),
        ("Tom sleeps.", "汤姆在睡觉。"),
        ("The dog is white.", "狗是白的。"),
    ]
    mined = {(p.en, p.zh) for p in word_pairs([Pair(en, zh, "") for en, zh in rows])}
    assert {("cat", "猫"), ("tom", "汤姆")} <= mined  # the whole name, not 汤 or 姆 alone
    assert not any(en in ("the", "dog") for en, _ in mined)  # no Chinese n-gram goes with "the"; "dog" is once
    extra = extra_training_pairs([Pair(en, zh, "") for en, zh in rows], weight=2, max_words=1, words=True)
    assert Counter((p.en, p.zh) for p in extra)[("cat", "猫")] == 2


def test_a_word_that_is_a_whole_sentence_is_left_to_that_pair():
    rows = [
        ("Tom said goodbye.", "汤姆说再见。"),
        ("Say goodbye to Mary.", "跟玛丽说再见。"),
        ("I said goodbye.", "我说再见了。"),
        ("Goodbye!", "再见！"),
    ]
    mined = {p.en for p in word_pairs([Pair(en, zh, "") for en, zh in rows])}
    assert "goodbye" not in mined  # it came out as "goodbye" | 说再见 before
    assert "goodbye" in {p.en for p in word_pairs([Pair(en, zh, "") for en, zh in rows[:3]])}
