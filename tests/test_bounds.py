"""What reaches the app is bounded and every message it sends back is safe: messages echo a short excerpt
that UTF-8 can carry, page widgets' values are checked as the page sends them, the notices of the API and
the export are the page's, filled in, and the lab's answers and exports stay well under a megabyte."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from demo import validate
from demo.i18n import message
from demo.lab import api as lab_api
from demo.lab import views as lab_views
from demo.notices import notice_lines
from demo.translate import handlers
from demo.validate import EXCERPT_CHARS, InputError, Widget, excerpt, explain, safe_data, widget_value

LONG = " ".join(["I think we should leave before it starts to rain."] * 20)  # 1,000 characters


def test_a_message_echoes_a_short_excerpt_that_utf8_can_carry():
    for value in ["\ud800", "a\udfffb" * 50_000, ["\ud800"] * 10, {"\udc00": 1}]:
        shown = excerpt(value)
        assert len(shown) <= EXCERPT_CHARS and shown.encode("utf-8")
    with pytest.raises(InputError) as raised:
        validate.option("\ud800" * 100_000, ["drop", "unk"], "lab_mode")
    text = explain(raised.value)
    assert text.startswith(message("lab_mode")) and "\ufffd" in text and len(text) < 200 and text.encode("utf-8")
    assert safe_data({"k\ud800": ["x\udfff", 1, None]}) == {"k\ufffd": ["x\ufffd", 1, None]}


@pytest.mark.parametrize(
    "widget, good, bad",
    [
        (Widget("number", "beam_width", 1, 12, optional=False), [1, 12.0, "5"], [None, "abc", True, float("nan"), 13]),
        (Widget("text", high=10), [None, "", "tea"], ["x" * 11, 5, ["a"]]),
        (Widget("choice", choices=("a", "b")), [None, "a"], ["c", ["a"], True, {"a": 1}]),
        (Widget("choice"), ["anything", 3], [[1], {}]),  # a list a handler fills: only the kind is checked
        (Widget("flag"), [True, False, None], [1, "true"]),
        (Widget("index", high=3, optional=False), [0, 3], [None, 4, -1, "x"]),
    ],
)
def test_a_page_widget_value_is_checked_as_the_widget_sends_it(widget, good, bad):
    for value in good:
        widget_value(widget, value)
    for value in bad:
        with pytest.raises(InputError) as raised:
            widget_value(widget, value)
        assert explain(raised.value)


@pytest.mark.parametrize("text", ["Welcome to Beijing.", "他喜欢吃榴莲。", "The platypus ate a kumquat."])
def test_the_api_and_the_export_carry_the_pages_notices_filled_in(text):
    _, data = handlers.translate_api(text, "auto", 5)
    request = validate.prepare(text)
    page = handlers.translate_view(text, "auto", 5, 10, 0, "en")
    assert data["notices"] and ["• " + n for n in data["notices"]] == notice_lines(request, page.result, "en")
    assert not any("{" in n or n.rstrip().endswith(":") for n in data["notices"])
    exported = lab_views.export_trace(text, "auto", "beam", False)
    assert json.loads(Path(exported.file).read_text(encoding="utf-8"))["notices"] == data["notices"]
    answer = lab_api.occlude_api(text)  # the lab decodes greedily: its own notices, as its page shows them
    shown = lab_views.occlusion_view(text, "auto", "drop").summary.splitlines()
    assert answer["notices"] and ["• " + n for n in answer["notices"]] == [line for line in shown if line[0] == "•"]


def test_the_labs_answers_and_exports_stay_well_under_a_megabyte():
    alphas = [i / 40 for i in range(41)]
    answers = {
        "interpolate": lab_api.interpolate_api(LONG, "I like coffee.", "auto", alphas),
        "occlude": lab_api.occlude_api(LONG),
        "surgery": lab_api.surgery_api(LONG),
        "neighbours": lab_api.neighbours_api(LONG, "auto", validate.MAX_NEIGHBOURS),
    }
    for name, answer in answers.items():
        assert message("notice_truncated") in answer["notices"], name  # cut to MAX_LAB_CHARS
        body = json.dumps(answer, ensure_ascii=False)
        assert len(body.encode("utf-8")) < 600_000 and '"encoder_states"' not in body, name
    assert set(answers["interpolate"]["points"][0]) == {"alpha", "text", "matches"}
    for full in (False, True):
        path = Path(lab_views.export_trace(LONG, "auto", "beam", full).file)
        assert path.stat().st_size < 600_000
        raw = path.read_bytes()
        data = json.loads(gzip.decompress(raw) if path.suffix == ".gz" else raw)
        assert (data["trace"]["distributions"] is not None) == full and data["trace"]["encoder_states"]
