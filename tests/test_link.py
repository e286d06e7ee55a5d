"""A shareable link: the query the page's URL carries (?q=…&dir=…&beam=…&step=…) is read by the page's load,
checked like any other input, and restores that view; a bad one leaves the opening view with a clear line."""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import gradio as gr
import pytest
from starlette.datastructures import QueryParams

from demo import service, validate
from demo.i18n import message
from demo.translate import handlers, link

RAIN = "I think we should leave before it starts to rain."


def load(query: dict, lang: str = "en") -> link.LoadOutputs:
    """The page's load for a URL with `query`, as Gradio hands it to a queued event."""
    headers = {"accept-language": "zh-CN" if lang == "zh" else "en-US"}
    text, direction, beam, *shown = link.open_page(gr.Request(headers=headers, query_params=query))
    return link.LoadOutputs(text, direction, beam, handlers.TranslateOutputs(*shown))


def test_a_query_without_a_link_is_the_opening_view():
    for query in ({}, {"view": "api"}, {"__theme": "dark", "lang": "zh"}):
        assert link.parse(query) is None
    assert link.parse({"q": "Thank you."}) == link.Link("Thank you.", "auto", 5, None)  # the page's defaults
    assert link.parse({"step": "2"}) == link.Link(handlers.OPENING_SENTENCE, "auto", 5, 2)
    checked = link.parse({"q": "谢谢。", "dir": "zh-en", "beam": "1", "step": "3"})
    assert checked == link.Link("谢谢。", "zh-en", 1, 3)
    assert link.parse({"beam": "5.0", "step": " 4 "}) == link.Link(handlers.OPENING_SENTENCE, "auto", 5, 4)


@pytest.mark.parametrize(
    "query, field",
    [
        ({"beam": "nan"}, "beam_width"),
        ({"beam": "inf"}, "beam_width"),
        ({"beam": "-1"}, "beam_width"),
        ({"beam": "0"}, "beam_width"),
        ({"beam": str(validate.MAX_BEAM + 1)}, "beam_width"),
        ({"beam": "1e309"}, "beam_width"),
        ({"beam": "2.5"}, "beam_width"),
        ({"beam": ""}, "beam_width"),
        ({"beam": "9" * 5000}, "beam_width"),
        ({"beam": "\ud800"}, "beam_width"),
        ({"dir": "fr-de"}, "direction"),
        ({"dir": "<b>en-zh</b>"}, "direction"),
        ({"dir": ""}, "direction"),
        ({"step": "0"}, "whatif_step"),
        ({"step": "-3"}, "whatif_step"),
        ({"step": "NaN"}, "whatif_step"),
        ({"step": str(validate.MAX_STEPS + 1)}, "whatif_step"),
        ({"q": "hi", "step": "1.5"}, "whatif_step"),
    ],
)
def test_a_value_the_page_could_not_have_written_is_refused_by_its_field(query, field):
    with pytest.raises(validate.InputError) as refused:
        link.parse(query)
    assert refused.value.field == field
    note = load(query).shown.details  # the page opens as without a link, with one line saying why
    label = message(field)
    assert note.startswith(f"{message('link_error')} {label}: ") and handlers.opening_view().shown.details in note
    assert len(note.split("\n")[0]) < 300  # an excerpt of what was sent, never all of it


def test_a_link_restores_the_sentence_the_settings_and_the_step():
    outputs = load({"q": f"  {RAIN}\n", "dir": "en-zh", "beam": "3", "step": "2"})
    shown = outputs.shown
    assert (outputs.text, outputs.direction, outputs.beam) == (RAIN, "en-zh", 3)  # what the boxes show
    assert shown.translation == service.run(service.prepare(RAIN, "en-zh"), 3).text
    assert shown.session.request.text == RAIN and shown.session.settings.beam_size == 3
    data = json.loads(shown.canvas)
    assert data["link"] == {"q": RAIN, "dir": "en-zh", "beam": 3, "step": 2}
    # The canvas draws it again even when the page already shows that decoding, to select the step.
    plain = json.loads(handlers.translate_view(RAIN, "en-zh", 3, 10, 0, "en").shown.canvas)
    assert plain["link"] == {"q": RAIN, "dir": "en-zh", "beam": 3} and plain["id"] != data["id"]
    # In Chinese too; a detected direction stays "auto" in the link, as the visitor chose it.
    chinese = load({"q": "我爱你。"}, "zh")
    assert chinese.direction == "auto" and message("log_prob", "zh") in chinese.shown.details
    assert json.loads(chinese.shown.canvas)["link"] == {"q": "我爱你。", "dir": "auto", "beam": 5}


def test_a_step_past_the_end_selects_the_last_and_a_greedy_link_has_no_beam():
    outputs = load({"q": "Thank you.", "beam": "1", "step": str(validate.MAX_STEPS)})
    data = json.loads(outputs.shown.canvas)
    assert data["link"]["step"] == len(data["steps"]) and data["beam"] is None and outputs.beam == 1


def test_hostile_sentences_are_text_or_a_clear_line():
    long = load({"q": "tea " * 100_000})  # cut as any typed sentence is, and said so
    assert len(long.text) == validate.MAX_INPUT_CHARS and message("notice_truncated") in long.shown.details
    for query, key in [
        ({"q": "\ud800"}, "error_no_words"),  # a lone surrogate is U+FFFD, no word
        ({"q": ""}, "error_empty"),
        ({"q": "\x00\x01"}, "error_empty"),
    ]:
        details = load(query).shown.details
        assert details.startswith(f"{message('link_error')} {message(key)}"), details
    marked = load({"q": "<img src=x onerror=alert(1)> tea"})
    assert marked.text == "<img src=x onerror=alert(1)> tea"  # a text box's value, and data on the canvas
    assert "<img" in json.loads(marked.shown.canvas)["link"]["q"]
    odd = load({"q": "Thank you.\ud800", "dir": "en-zh"})
    assert "\ud800" not in odd.text and json.dumps(odd.shown.canvas, ensure_ascii=False).encode("utf-8")


def test_parameters_named_like_methods_cannot_break_the_load():
    """Gradio gives a queued event's query as an object whose `get` and `keys` a parameter of that name hides."""
    outputs = load({"get": "1", "keys": "x", "items": "y", "q": "Thank you."})
    assert outputs.text == "Thank you." and outputs.shown.translation
    assert link.query_of(None) == {} and link.query_of(gr.Request()) == {}
    starlette = SimpleNamespace(query_params=QueryParams("q=a&keys=1&q=b&beam=3"))  # a request not queued
    assert link.query_of(starlette) == {"q": "b", "keys": "1", "beam": "3"}
    assert load({"get": "1"}).text == gr.skip()  # no link named: the opening view


def test_settings_take_the_beam_width_alone_and_the_labs_radio_still_works():
    assert validate.settings(1).beam_size == 1 and validate.settings(7).beam_size == 7
    assert validate.settings(decoding="greedy").beam_size == 1 and validate.settings(decoding="beam").beam_size == 5
    for value in (math.nan, 0, 13, "x", None):
        with pytest.raises(validate.InputError):
            validate.settings(value)
