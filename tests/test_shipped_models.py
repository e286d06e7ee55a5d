"""The models shipped in assets/ load, fit the size limit and translate simple sentences sensibly."""

from __future__ import annotations

from pathlib import Path

import pytest

from seq2seq.checkpoint import load_model
from seq2seq.pipeline import Translator

MODELS = Path(__file__).resolve().parent.parent / "assets" / "models"


@pytest.fixture(scope="module", params=["en-zh", "zh-en"])
def translator(request) -> Translator:
    return Translator.load(MODELS / request.param)


def test_directory_is_complete_and_small(translator):
    directory = translator.loaded.directory
    assert sum(f.stat().st_size for f in directory.iterdir()) <= 20 * 1024 * 1024
    assert (directory / "README.md").read_text().count("CC-BY 2.0") >= 1
    record = load_model(directory).record
    assert record["metrics"]["test_beam5"]["bleu"] > 0 and len(record["data_sha256"]) == 64


@pytest.mark.parametrize(
    "source, expected",
    [
        ("I love you.", ["爱"]),
        ("Thank you.", ["谢"]),
        ("Where is the station?", ["哪"]),
        ("I don't know.", ["知"]),  # 我不知道 or the training split's own pair for it, 我一无所知 ("I know nothing")
    ],
)
def test_english_to_chinese(source, expected):
    translator = Translator.load(MODELS / "en-zh")
    for beam in (1, 5):
        output = translator.translate_text(source, beam_size=beam)
        assert all(word in output for word in expected), output
        assert " " not in output


@pytest.mark.parametrize(
    "source, expected",
    [
        ("我爱你。", ["love"]),
        ("谢谢。", ["Thank"]),
        ("我不知道。", ["know"]),
        ("他是我的朋友。", ["friend"]),
    ],
)
def test_chinese_to_english(source, expected):
    translator = Translator.load(MODELS / "zh-en")
    for beam in (1, 5):
        output = translator.translate_text(source, beam_size=beam)
        assert all(word in output for word in expected), output
        assert output[:1].isupper()


def test_traditional_input_is_converted():
    translator = Translator.load(MODELS / "zh-en")
    result = translator.translate("我愛你。")
    assert result.converted and result.source == "我爱你。"
    assert result.text == translator.translate("我爱你。").text


def test_unknown_words_stay_visible(translator):
    word = "Zxqwv" if translator.src_lang == "en" else "龘"
    result = translator.translate(f"{word} 好" if translator.src_lang == "zh" else f"I like {word}.")
    assert word in result.unknown
    assert "<unk>" in result.trace.src_tokens
