"""Normalisation, tokenisation and detokenisation of English and Chinese."""

from __future__ import annotations

import pytest

from seq2seq.text import (
    TextConfig,
    apply_truecase,
    build_truecase,
    cjk_share,
    detect_language,
    detokenize,
    normalize,
    other_script,
    strip_bom,
    tokenize,
)

CHAR = TextConfig("en", "zh", zh_units="char")
WORD = TextConfig("en", "zh", zh_units="word")


def test_bom_is_stripped():
    assert strip_bom("\ufeffHi.") == "Hi."
    assert normalize("\ufeffHi.", "en") == "Hi."
    assert tokenize("\ufeffHi.", "en", CHAR) == ["Hi", "."]


def test_traditional_becomes_simplified():
    assert normalize("我沒事。", "zh") == "我没事。"
    assert normalize("說話", "zh") == "说话"
    assert tokenize("我們", "zh", CHAR) == ["我", "们"]


def test_nfkc_and_chinese_punctuation():
    assert normalize("Ｔｏｍ！", "en") == "Tom!"
    # Full-width punctuation survives on the Chinese side; numbers keep their commas.
    assert normalize("你好!", "zh") == "你好！"
    assert normalize("有3,000人。", "zh") == "有3,000人。"


def test_control_characters_and_spaces_are_removed():
    assert normalize("Hi\x00 \u200b there\t\n", "en") == "Hi there"


def test_chinese_units():
    assert tokenize("Tom在2013年去了。", "zh", CHAR) == ["Tom", "在", "2013", "年", "去", "了", "。"]
    assert tokenize("我喜欢北京。", "zh", WORD) == ["我", "喜欢", "北京", "。"]


def test_english_casing_option():
    lower = TextConfig("en", "zh", en_lowercase=True)
    assert tokenize("Tom isn't here.", "en", CHAR) == ["Tom", "is", "n't", "here", "."]
    assert tokenize("Tom isn't here.", "en", lower) == ["tom", "is", "n't", "here", "."]


@pytest.mark.parametrize(
    "sentence",
    ["I don't know.", "Tom's car is red, isn't it?", "Where are you going?", "He said no.", "It costs $5."],
)
def test_english_detokenisation_round_trips(sentence):
    assert detokenize(tokenize(sentence, "en", CHAR), "en") == sentence


@pytest.mark.parametrize("sentence", ["我没事。", "汤姆在2013年去了北京。", "你好，Tom Jackson！"])
def test_chinese_detokenisation_round_trips(sentence):
    for config in (CHAR, WORD):
        assert detokenize(tokenize(sentence, "zh", config), "zh") == sentence


def test_truecase_restores_names_and_sentence_start():
    truecase = build_truecase([["Tom", "likes", "Mary", "."], ["I", "saw", "Tom", "."]])
    assert truecase == {"mary": "Mary", "tom": "Tom"}  # "I" only ever starts a sentence here
    assert apply_truecase(["i", "like", "tom", "."], truecase) == ["I", "like", "Tom", "."]
    assert detokenize(["where", "is", "tom", "?"], "en", truecase) == "Where is Tom?"


def test_language_detection_by_cjk_share():
    assert detect_language("欢迎来北京") == "zh"
    assert detect_language("Welcome to Beijing") == "en"
    assert cjk_share("我爱 New York") == 0.5  # two characters against two words
    assert detect_language("我爱 New York") == "zh"
    assert detect_language("I love 北京 very much") == "en"
    assert cjk_share("I love 北京") == 0.5 and detect_language("I love 北京") == "en"  # a tie: it starts English


def test_the_other_script_is_found_in_order():
    assert other_script("I love 北京 and 上海", "en") == ["北京", "上海"]
    assert other_script("我爱 New York 和 Paris", "zh") == ["New York", "Paris"]
    assert other_script("Hello.", "en") == [] and other_script("你好", "zh") == []
    assert cjk_share("12345 !!") == 0.0
    assert detect_language("") == "en"
