"""Unknown words and mixed scripts, handled honestly: an <unk> the model writes is never printed as the
literal <unk> in a translation (the source word it most likely stands for is copied back, marked), the
raw token stays in the trace, and a part in the other language's script is named."""

from __future__ import annotations

import pytest

from demo import service
from demo.i18n import message
from demo.notices import notices
from seq2seq.pipeline import UNK_MARK, copies_of, unknown_phrases
from seq2seq.vocabulary import UNK, UNK_ID

pytestmark = pytest.mark.usefixtures("one_thread")


def test_each_run_of_unk_is_matched_in_order_to_the_unknown_source_phrases():
    ids = [7, UNK_ID, UNK_ID, 8, UNK_ID, 9, UNK_ID]
    copies = copies_of(ids, ["Zürich", "Ōsaka"])
    assert [c.steps for c in copies] == [[2, 3], [5], [7]]
    assert [c.source for c in copies] == ["Zürich", "Ōsaka", ""]
    assert [c.shown for c in copies] == ["⟨Zürich⟩", "⟨Ōsaka⟩", UNK_MARK.format("?")]
    assert copies_of([7, 8], ["x"]) == []


def test_adjacent_unknown_source_tokens_are_one_phrase():
    assert unknown_phrases(["I", "love", "New", "York", "and", "Ōsaka"], [0, 0, 1, 1, 0, 1]) == ["New York", "Ōsaka"]
    assert unknown_phrases(["北", "京"], [1, 1]) == ["北京"]
    assert unknown_phrases(["a"], [0]) == []


@pytest.mark.parametrize("text", ["1234567890", "我爱 New York", "我喜欢Python。", "Tom lives in Zürich now."])
def test_no_translation_prints_a_literal_unk_and_the_trace_keeps_it(text):
    result = service.run(service.prepare(text), beam_size=5)
    assert UNK not in result.text
    unk_steps = [s.t for s in result.trace.steps if s.token_id == UNK_ID]
    assert [t for c in result.copies for t in c.steps] == unk_steps  # every raw <unk> accounted for
    for copy in result.copies:
        assert copy.shown in result.text and all(result.trace.steps[t - 1].token == UNK for t in copy.steps)


def test_a_number_the_model_cannot_write_is_copied_from_the_source():
    result = service.run(service.prepare("Call 911."), beam_size=5)
    assert result.copies and result.copies[0].source == "911"
    assert "⟨911⟩" in result.text


def test_a_mixed_sentence_goes_to_the_language_it_starts_in_and_names_the_other_part():
    english = service.prepare("I love 北京")
    assert english.direction == "en-zh"
    result = service.run(english, beam_size=5)
    assert result.other_script == ["北京"] and "北京" in result.unknown
    chinese = service.prepare("我爱 New York")
    assert chinese.direction == "zh-en"
    assert service.run(chinese, beam_size=5).other_script == ["New York"]


def test_the_part_in_the_other_language_is_named_on_the_page_and_in_the_api():
    request = service.prepare("I love 北京")
    result = service.run(request, beam_size=5)
    for lang in ("en", "zh"):
        shown = notices(request, result, lang)
        assert message("notice_other_script", lang) + "北京" in shown
