"""The learner's evaluation set: it loads and is well formed, the match rule, and scoring the
shipped models (a benchmark: the count is printed, never asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seq2seq.__main__ import main
from seq2seq.data import Pair, Splits
from seq2seq.pipeline import Translator
from seq2seq.study.learner_set import Item, is_exact, load_set, match_key, occurrences, report_lines, score, together
from seq2seq.text import TextConfig, detect_language, to_simplified

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "assets" / "models"
DATA = ROOT.parent / "shared" / "data" / "tatoeba-cmn-eng" / "cmn.txt"  # absent in CI


@pytest.fixture(scope="module")
def learner_set() -> dict[str, list[Item]]:
    return load_set()


@pytest.mark.parametrize("direction", ["en-zh", "zh-en"])
def test_set_is_well_formed(learner_set, direction):
    items = learner_set[direction]
    src_lang, tgt_lang = direction.split("-")
    assert len(items) >= 30
    sources = [match_key(item.source, src_lang) for item in items]
    assert len(set(sources)) == len(sources)
    for item in items:
        assert detect_language(item.source) == src_lang, item.source
        assert item.translations and all(detect_language(t) == tgt_lang for t in item.translations), item
        assert len(set(item.translations)) == len(item.translations), item
        if src_lang == "zh":
            assert to_simplified(item.source) == item.source, "Chinese sources are written in Simplified"


@pytest.mark.parametrize(
    "output, accepted, lang",
    [
        ("I'm a student.", ["I'm a student."], "en"),
        ("i'm a student", ["I'm a student."], "en"),  # case and a missing final mark
        ("I'm a student!", ["I'm a student."], "en"),
        ("I’m  a student.", ["I'm a student."], "en"),  # curly apostrophe, doubled space
        ("Where is the station.", ["Where is the station?"], "en"),
        ("我是学生", ["我是学生。"], "zh"),
        ("我是學生！", ["我是学生。"], "zh"),  # Traditional characters
        ("你好吗?", ["你好吗？"], "zh"),  # ASCII question mark
        ("我很好,谢谢。", ["我很好，谢谢。"], "zh"),  # ASCII comma inside
    ],
)
def test_match_rule_forgives_case_script_and_final_punctuation(output, accepted, lang):
    assert is_exact(output, accepted, lang)


@pytest.mark.parametrize(
    "output, accepted, lang",
    [
        ("I am a student.", ["I'm a student."], "en"),  # a different form is a different answer
        ("I'm student.", ["I'm a student."], "en"),
        ("I'm a student, yes.", ["I'm a student."], "en"),
        ("", ["I'm a student."], "en"),
        (".", ["."], "en"),  # nothing left after the final marks
        ("我是一个学生。", ["我是学生。"], "zh"),
        ("我是学生吗？", ["我是学生。"], "zh"),
        ("我，是学生。", ["我是学生。"], "zh"),  # punctuation inside still counts
    ],
)
def test_match_rule_counts_everything_else(output, accepted, lang):
    assert not is_exact(output, accepted, lang)


@pytest.mark.parametrize(
    "entry, problem",
    [
        ({"source": "我是学生。", "translations": ["I'm a student."], "topic": "self"}, "is not en"),
        ({"source": "I'm a student.", "translations": ["I am a student."], "topic": "self"}, "not in zh"),
        ({"source": "I'm a student.", "translations": [], "topic": "self"}, "empty"),
        ({"source": "I'm a student.", "translations": ["我是学生。"]}, "missing"),
    ],
)
def test_load_set_says_what_is_wrong(tmp_path, entry, problem):
    path = tmp_path / "set.json"
    good = {"source": "你好。", "translations": ["Hello."], "topic": "greeting"}
    path.write_text(json.dumps({"en-zh": [entry], "zh-en": [good]}), encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        load_set(path)
    twice = {"source": "Hello.", "translations": ["你好。"], "topic": "greeting"}
    path.write_text(json.dumps({"en-zh": [twice, {**twice, "source": "hello!"}], "zh-en": [good]}), encoding="utf-8")
    with pytest.raises(ValueError, match="twice"):
        load_set(path)


class FixedTranslator:
    """Answers from a table, as `Translator.translate_text` would."""

    def __init__(self, answers: dict[str, str]):
        self.answers = answers
        self.text_config = TextConfig("en", "zh")

    def translate_text(self, text: str, beam_size: int = 1) -> str:
        return self.answers[text]


def test_score_counts_exact_outputs_and_where_sources_occur():
    items = [
        Item("Hello.", ("你好。", "您好。"), "greeting"),
        Item("I am a student.", ("我是学生。",), "self"),
        Item("Thank you.", ("谢谢。",), "thanks"),
        Item("It is cold today.", ("今天很冷。",), "weather"),
    ]
    splits = Splits(
        train=[Pair("Hello!", "您好！", ""), Pair("I am a student.", "我是个学生。", "")],
        valid=[Pair("Thank you.", "谢谢。", "")],
        test=[],
    )
    answers = {"Hello.": "您好", "I am a student.": "我是学生吗？", "Thank you.": "谢谢！", "It is cold today.": "冷。"}
    result = score(FixedTranslator(answers), items, beam_size=1, splits=splits)
    rows = result["items"]
    assert [row["exact"] for row in rows] == [True, False, True, False]
    assert [row["where"] for row in rows] == ["train", "train", "valid", "absent"]
    assert [row["pair_in_train"] for row in rows] == [True, False, False, False]
    counts = result["counts"]
    assert counts["all"] == {"exact": 2, "total": 4, "percent": 50.0}
    assert counts["unseen"]["exact"] == 1 and counts["unseen"]["total"] == 2
    assert counts["test"] == {"exact": 0, "total": 0, "percent": None}
    assert report_lines(result)[-1].startswith("en-zh, beam 1: exact: 2/4 (50.0%) · not in the training split: 1/2")
    unknown = score(FixedTranslator(answers), items, beam_size=1)
    assert unknown["items"][0]["where"] is None and set(unknown["counts"]) == {"all"}
    assert occurrences(items[:1], splits, "en-zh") == [{"where": "train", "pair_in_train": True, "together": 1}]
    assert [row["together"] for row in rows] == [1, 0, 0, 0]  # 是个学生 does not hold 是学生


def test_together_counts_training_pairs_that_hold_source_and_translation_anywhere():
    train = [
        Pair("The bathtub was filled with hot water.", "浴缸里满是热水。", ""),
        Pair("Hot water, please!", "请给我热水！", ""),
        Pair("I like hot waters.", "我喜欢热水。", ""),  # "hot water" not as whole words
        Pair("Hot water.", "开水。", ""),  # no accepted translation
    ]
    assert together(Item("hot water", ("热水",), "food"), train, "en-zh") == 2
    assert together(Item("热水", ("hot water", "Hot water."), "food"), train, "zh-en") == 2
    assert together(Item("water", ("水",), "food"), train, "en-zh") == 3


@pytest.mark.parametrize("name", ["first_words", "learner_set"])
@pytest.mark.parametrize("direction", ["en-zh", "zh-en"])
def test_the_shipped_results_are_the_shipped_models_own(name, direction, one_thread, capsys):
    """The counts the Model tab shows (`assets/models/D/{first_words,learner_set}.json`, written by
    `python -m seq2seq learners --json`) are what the shipped model translates now, sentence by sentence."""
    stored = json.loads((MODELS / direction / f"{name}.json").read_text(encoding="utf-8"))
    items = load_set(ROOT / "experiments" / f"{name}.json")[direction]
    translator = Translator.load(MODELS / direction)
    result = score(translator, items, beam_size=stored["beam_size"])
    assert stored["direction"] == direction and stored["beam_size"] == 5
    shown = lambda rows: [(row["source"], row["output"], row["exact"]) for row in rows]  # noqa: E731
    assert shown(result["items"]) == shown(stored["items"])
    for row, item in zip(result["items"], items):
        assert row["exact"] == is_exact(row["output"], item.translations, translator.tgt_lang)
    assert result["counts"]["all"] == stored["counts"]["all"]
    with capsys.disabled():
        print(f"\n{name}, {report_lines(result)[-1]}")


def test_command_line(tmp_path, one_thread, capsys):
    out = tmp_path / "learners.json"
    assert main(["learners", "--model", str(MODELS / "zh-en"), "--beam", "1", "--json", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    result = json.loads(out.read_text(encoding="utf-8"))
    assert len(lines) == len(result["items"]) + 1 and lines[0][0] in "✓✗"
    assert "exact: " in lines[-1] and "unknown (no --data)" in lines[-1]


@pytest.mark.skipif(not DATA.exists(), reason=f"no Tatoeba file at {DATA}")
def test_command_line_with_the_data_file(one_thread, capsys):
    assert main(["learners", "--model", str(MODELS / "en-zh"), "--data", str(DATA), "--beam", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "not in the training split: " in lines[-1]
    assert all(line.split()[1] in ("in", "not") for line in lines[:-1])
    with capsys.disabled():
        print(f"\nlearner's set with the data file, {lines[-1]}")
