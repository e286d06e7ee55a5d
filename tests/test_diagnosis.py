"""Why a translation may be wrong: token training counts, the long-input limit, uncertain steps, and the
notices the app derives from them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from demo import service
from demo.notices import notice_keys
from seq2seq.data import sides, splits_of
from seq2seq.diagnosis import (
    COUNTS_FILE,
    RARE_BELOW,
    counting_units,
    length_limit,
    read_counts,
    uncertain_steps,
)
from seq2seq.pipeline import Translator
from seq2seq.text import tokenize
from seq2seq.trace import Candidate, Step, Trace

from helpers import tiny_config

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "tatoeba-cmn-eng" / "cmn.txt"


def by_hand(translator: Translator, data: Path) -> dict[str, int]:
    """Training pairs whose source contains each token the encoder reads, counted here without the
    library's counter."""
    counts: Counter = Counter()
    sources = sides(splits_of(data, translator.loaded.record).train, translator.text_config.direction)[0]
    for sentence in sources:
        for token in set(tokenize(sentence, translator.src_lang, translator.text_config)):
            counts[token] += 1
    return dict(counts)


def test_training_writes_counts_that_match_the_training_split(tmp_path):
    from seq2seq.training.loop import train

    config = tiny_config(tmp_path, "model", max_epochs=1, final_evaluation=False)
    train(config, log=lambda line: None)
    translator = Translator.load(config.out)
    assert read_counts(config.out, counting_units(translator.text_config)) == by_hand(translator, Path(config.data))
    stored = json.loads((Path(config.out) / COUNTS_FILE).read_text(encoding="utf-8"))
    assert stored["pairs"] == translator.loaded.record["split_sizes"]["train"]


@pytest.mark.skipif(not DATA.is_file(), reason="the Tatoeba file is not on this machine")
@pytest.mark.parametrize("direction", service.DIRECTIONS)
def test_shipped_counts_match_a_count_over_the_training_split(direction):
    translator = service.translator(direction)
    assert translator.loaded.source_counts == by_hand(translator, DATA)


def test_rare_and_unknown_words_are_counted_and_marked():
    result = service.run(service.prepare("John admires Mary."), beam_size=5)
    counts = service.translator("en-zh").loaded.source_counts
    assert result.diagnosis.token_counts == [counts["john"], 0, counts["mary"], counts["."]]
    assert result.diagnosis.rare == ["admires"] and "notice_rare" in notice_keys(service.prepare("x"), result)
    common = service.run(service.prepare("I like tea."), beam_size=5)
    assert all(n >= RARE_BELOW for n in common.diagnosis.token_counts) and common.diagnosis.rare == []


def test_length_limit_is_where_bleu_falls_below_half_its_peak():
    record = {
        "metrics": {
            "test_beam5": {
                "by_length": {
                    "1-4": {"bleu": 30.0, "sentences": 9},
                    "5-7": {"bleu": 20.0, "sentences": 9},
                    "8-10": {"bleu": 14.0, "sentences": 9},
                    "11-15": {"bleu": 16.0, "sentences": 9},
                    "16+": {"bleu": 5.0, "sentences": 9},
                }
            }
        }
    }  # fmt: skip  (the buckets read as a table)
    limit = length_limit(record)  # 8-10 dips below 15 but 11-15 recovers: the limit is 16
    assert limit.tokens == 16 and limit.peak == 30.0 and limit.by_length["8-10"] == 14.0
    assert length_limit({}) is None


@pytest.mark.parametrize("direction", service.DIRECTIONS)
def test_long_input_notice_appears_from_the_limit_on(direction):
    translator = service.translator(direction)
    limit = length_limit(translator.loaded.record)
    assert limit is not None
    word = "tea " if direction == "en-zh" else "茶"
    for length, expected in ((limit.tokens - 1, False), (limit.tokens, True)):
        text = (word * length).strip()
        request = service.prepare(text, direction)
        result = service.run(request, beam_size=1)
        assert len(result.trace.src_ids) == length
        assert ("notice_long" in notice_keys(request, result)) is expected
        assert (result.diagnosis.length is not None) is expected


def _trace(*tops: list[float]) -> Trace:
    """A trace whose step t has the candidate probabilities tops[t - 1] (tokens w0, w1, …), w0 chosen."""
    steps = []
    for t, top in enumerate(tops, 1):
        candidates = [Candidate(i, p, f"w{i}") for i, p in enumerate(top)]
        steps.append(Step(t, 0, top[0], 0.0, 0.0, 0.0, 0.0, candidates, [], token="w0"))
    return Trace([4], [4, 3], [], [], [], steps, [0] * len(tops), 0.0, False, len(tops))


def test_uncertain_steps_are_those_with_close_candidates():
    trace = _trace([0.23, 0.17, 0.16, 0.02], [0.9, 0.05], [0.5, 0.25], [0.5, 0.24])
    found = uncertain_steps(trace)
    assert [s.t for s in found] == [1, 3]
    assert found[0].candidates[:2] == [("w0", 0.23), ("w1", 0.17)] and found[0].chosen == "w0"
    assert uncertain_steps(_trace([1.0])) == []


def test_chinese_is_counted_in_the_characters_the_encoder_reads_with_each_ones_word():
    result = service.run(service.prepare("欢迎来北京。"), beam_size=5)
    translator = service.translator("zh-en")
    counts = translator.loaded.source_counts
    assert result.diagnosis.tokens == list("欢迎来北京。") == result.trace.src_tokens  # what the chips show
    assert result.diagnosis.token_counts == [counts[ch] for ch in "欢迎来北京。"]
    assert result.diagnosis.words == ["欢迎", "欢迎", "来", "北京", "北京", "。"]
    assert len(result.diagnosis.tokens) == len(translator.read("欢迎来北京。").ids)
    from demo.translate.handlers import counted_spans  # the word chips: one per token the encoder read

    chips = [text.split(" ×")[0] for text, _ in counted_spans(result)]
    assert chips == result.trace.src_tokens


def test_counts_of_other_units_are_not_used(tmp_path):
    """A counts file of jieba words (written before the units were recorded) is not looked up by character."""
    (tmp_path / COUNTS_FILE).write_text(json.dumps({"pairs": 1, "counts": {"北京": 3}}), encoding="utf-8")
    assert read_counts(tmp_path, "zh:char en:lower") is None
    assert read_counts(tmp_path, "zh:word en:lower") == {"北京": 3}


def test_api_trace_carries_the_diagnosis():
    from demo.translate.handlers import translate_api

    _, data = translate_api("I want to learn Chinese.", "en-zh", 5)
    diagnosis = data["diagnosis"]
    assert diagnosis["tokens"] == ["I", "want", "to", "learn", "Chinese", "."]
    assert len(diagnosis["token_counts"]) == 6 and all(isinstance(n, int) for n in diagnosis["token_counts"])
    assert {s["t"] for s in diagnosis["uncertain"]} <= {s["t"] for s in data["trace"]["steps"]}
