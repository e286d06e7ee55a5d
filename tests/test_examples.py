"""The Translate tab's examples: every showcase sentence gets its expected translation from the shipped
model, and every lesson shows the diagnosis its label promises."""

from __future__ import annotations

import re

import pytest

from demo import service
from demo.notices import notice_keys
from demo.translate.tab import EXAMPLES

BEAM = 5  # the tab's default decoding
NOTICE = {"rare": "notice_rare", "unknown": "notice_unknown", "uncertain": "notice_uncertain", "long": "notice_long"}

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.mark.parametrize("example", EXAMPLES["showcase"], ids=lambda e: e["text"])
def test_showcase_example_gives_its_expected_translation(example):
    assert service.run(service.prepare(example["text"]), BEAM).text == example["expected"]


@pytest.mark.parametrize("lesson", EXAMPLES["lessons"], ids=lambda e: e["text"])
def test_lesson_shows_the_diagnosis_its_label_names(lesson):
    request = service.prepare(lesson["text"])
    result = service.run(request, BEAM)
    assert NOTICE[lesson["diagnosis"]] in notice_keys(request, result)
    assert lesson["label"]["en"] and lesson["label"]["zh"]
    # A count the label names is the count the app shows for that word.
    for word, count in re.findall(r"(\S+) ×(\d+)", lesson["label"]["en"]):
        counts = dict(zip(result.diagnosis.tokens, result.diagnosis.token_counts))
        assert counts[word] == int(count)


def test_showcase_has_a_word_order_pair_both_directions_and_a_greeting():
    texts = [e["text"] for e in EXAMPLES["showcase"]]
    words = [sorted(t.rstrip(".").split()) for t in texts]
    assert any(words.count(w) >= 2 and len(w) > 1 for w in words)  # the same words in another order
    assert {service.prepare(t).direction for t in texts} == set(service.DIRECTIONS)
    assert {"Good morning.", "早上好。"} <= set(texts)
