"""The Context lab opens on a worked example: the blend painted before launch (nothing decoded when the page is
built), put in the visitor's language by a load that the visitor's own blends cancel, every section's notes true
of the shipped models, real table headers. Also the blend chart's row labels, and two short choice lists
elsewhere (the side-by-side dropdowns, the Experiments tab's directions)."""

from __future__ import annotations

import json
import re

import gradio as gr
import pytest

from demo import plotting, service
from demo.experiments import tab as experiments_tab
from demo.i18n import LANGUAGES, message, strings
from demo.lab import figures as lab_figures
from demo.lab import handlers as lab_handlers
from demo.lab import tab as lab_tab
from demo.lab import views as lab_views
from demo.page import Page
from demo.translate import compare
from demo.translate.handlers import OPENING_SENTENCE
from seq2seq.study import probes

OPENING = lab_handlers.OPENING
NOTES = ("lab_surgery_try", "lab_interp_notice", "lab_occlude_try", "lab_reference_try", "lab_round_try")
NOTES += ("lab_neighbours_try",)
# The side-by-side dropdown's text has 246 px on a 390 px phone (measured in Chromium; 325 px at 1400 px), about
# 34 of `plotting.wrap`'s units (a CJK character counts 2): a label of at most 32 shows whole, with a margin.
DROPDOWN_UNITS = 32

pytestmark = pytest.mark.usefixtures("one_thread")


def units(text: str) -> float:
    return sum(plotting.CJK_UNITS if plotting.is_cjk(c) else 1 for c in text)


# ---------------------------------------------------------------- the blend chart's row labels


def test_each_blend_label_sits_on_its_own_row():
    """On a category axis Plotly places an annotation's y by the row's index from 0 (its docs: "a serial number
    from zero"); the row named "1" given as y was read as the number 1, one row up."""
    point = lambda alpha, text, matches: probes.InterpolationPoint(alpha, text, None, matches)  # noqa: E731
    outputs = ["火车站在哪里？", "我的车在哪里？", "我的钥匙在哪里？"]
    points = [
        point(0, outputs[0], "a"),
        point(0.5, outputs[1], ""),
        point(0.6, outputs[1], ""),
        point(1, outputs[2], "b"),
    ]
    fig = lab_figures.interpolation(probes.Interpolation(None, None, 0.7, points, [1, 3]), 0.5)
    rows = list(fig.layout.yaxis.categoryarray)
    assert fig.layout.yaxis.type == "category" and rows == ["1", "2", "3"]
    notes = fig.layout.annotations
    assert len(notes) == len(rows)
    for note in notes:
        name, text = note.text.split(". ", 1)
        assert note.y == rows.index(name) and isinstance(note.y, int), (note.text, note.y)
        assert text == outputs[int(name) - 1]  # each row's note names the output drawn on that row
    marker_rows = [rows.index(y) for y in fig.data[0].y]
    assert marker_rows == [0, 1, 1, 2]  # and the markers of an output lie on its note's row


# ---------------------------------------------------------------- the opening blend


def built(opening: str = OPENING.text) -> Page:
    with Page() as page:
        with gr.Tab("lab"):
            lab_tab.build(opening, page)
    return page


def component_values(page: Page) -> dict[int, dict]:
    return {c["id"]: c for c in page.get_config_file()["components"]}


def test_the_lab_opens_on_the_pages_opening_sentence():
    assert OPENING.text == OPENING_SENTENCE
    assert list(OPENING) in lab_tab.EXAMPLES


def test_building_decodes_nothing_and_launch_paints_a_finished_blend(monkeypatch):
    lab_handlers.opening_view.cache_clear()

    def refused(*args, **kwargs):
        raise AssertionError("decoded while the page was built")

    with monkeypatch.context() as patched:
        patched.setattr(service, "translator", refused)
        page = built()
    assert lab_handlers.opening_view.cache_info().currsize == 0
    chart = next(b for b in page.blocks.values() if isinstance(b, gr.Plot) and b.elem_id == "lab-interpolation")
    assert chart.value is None and len(page.before_launch) == 1
    boxes = [c["props"].get("value") for c in page.get_config_file()["components"] if c["type"] == "textbox"]
    assert {OPENING.text, OPENING.text_b, OPENING.reference} <= set(boxes)  # every section ready to run

    for prepare in page.before_launch:
        prepare()
    shown = lab_handlers.opening_view()
    plotted = json.loads(component_values(page)[chart._id]["props"]["value"]["plot"])
    points, star = plotted["data"]
    assert len(points["x"]) == 11 and star["x"] == [lab_handlers.OPENING_ALPHA]
    assert plotted["config"]["toImageButtonOptions"]["filename"].startswith("seq2seq-interpolation")
    table = next(b for b in page.blocks.values() if isinstance(b, gr.Dataframe) and b.label.key == "lab_alpha_table")
    assert table.value["headers"] == [message(h) for h in lab_views.ALPHA_HEADERS] and len(table.value["data"]) == 11
    assert shown.translation_a != shown.translation_b and shown.at_alpha not in (
        shown.translation_a,
        shown.translation_b,
    )
    assert shown.at_alpha in message("lab_interp_notice") and shown.at_alpha in message("lab_interp_notice", "zh")
    assert shown.summary.startswith(message("lab_contexts_cosine", cosine=0)[:20])


def test_another_opening_sentence_gets_no_blend_of_a_sentence_it_does_not_show():
    page = built("I like tea.")
    assert page.before_launch == [] and not [f for f in page.fns.values() if f.fn is lab_handlers.opening_page]


def test_the_load_puts_the_blend_in_the_visitors_language_and_every_blend_cancels_it():
    page = built()
    loads = [f for f in page.fns.values() if f.fn is lab_handlers.opening_page]
    assert len(loads) == 1 and [target[1] for target in loads[0].targets] == ["load"]
    blending = [f for f in page.fns.values() if f.fn is lab_handlers.show_interpolation]
    assert {b._id for b in loads[0].outputs} == {b._id for b in blending[0].outputs}
    cancelled_by = {
        tuple(target)
        for f in page.fns.values()
        if f.is_cancel_function and loads[0]._id in f.cancels
        for target in f.targets
    }
    assert len(blending) == 3 and all({tuple(t) for t in f.targets} <= cancelled_by for f in blending)

    english = lab_handlers.opening_page(gr.Request(headers={"accept-language": "en-US"}))
    assert all(isinstance(value, dict) and value.get("__type__") == "update" and len(value) == 1 for value in english)
    chinese = lab_views.InterpolationOutputs(
        *lab_handlers.opening_page(gr.Request(headers={"accept-language": "zh-CN"}))
    )
    assert chinese.alphas["headers"] == [message(h, "zh") for h in lab_views.ALPHA_HEADERS]
    assert chinese.summary.startswith(message("lab_contexts_cosine", "zh", cosine=0)[:8])
    assert message("fig_lab_interp", "zh")[:8] in json.loads(chinese.chart.plot)["layout"]["title"]["text"]


def test_no_lab_table_opens_under_numbered_headers():
    page = built()
    tables = [b for b in page.blocks.values() if isinstance(b, gr.Dataframe)]
    assert len(tables) == 5  # steps, α by α, occlusion, reference, neighbours (the examples are a gr.Dataset)
    for table in tables:
        headers = table.value["headers"]
        assert not any(re.fullmatch(r"\d+", h) for h in headers), headers
    steps = next(t for t in tables if t.label.key == "lab_steps")
    assert steps.value["headers"][0] == f"{message('col_lab_step', 'en')} · {message('col_lab_step', 'zh')}"


# ---------------------------------------------------------------- what the notes promise, on the shipped models


def test_the_notes_are_markdown_without_bare_markup_and_say_what_to_try():
    for lang in LANGUAGES:
        for key in NOTES:
            text = strings(lang)[key]
            assert "<" not in re.sub(r"`[^`]*`", "", text) and text.startswith("**"), (lang, key)
    assert "0–95" in message("lab_surgery_try") and "nats" in message("lab_surgery_try")


def test_surgery_as_set_moves_every_p_t_but_flips_no_word_and_zeroing_h_changes_the_first():
    c = lab_views.surgery_view(OPENING.text, "auto", "c", "all", "0-95", "zero", 0.5, 0)
    flipped = [row[-1] for row in c.steps["data"]]
    assert c.altered == c.original and flipped == [""] * len(flipped)
    assert sum(row[5] for row in c.steps["data"]) > 1  # KL summed, in nats
    h = lab_views.surgery_view(OPENING.text, "auto", "h", "all", "0-383", "zero", 0.5, 0)
    assert [row[-1] for row in h.steps["data"]] == ["✓"] + [""] * (len(h.steps["data"]) - 1)  # only the first word
    assert h.altered[0] != h.original[0]


def test_occlusion_reference_round_trip_and_neighbours_show_what_their_notes_promise():
    occluded = {row[1]: row for row in lab_views.occlusion_view(OPENING.text, "auto", "drop").tokens["data"]}
    farthest = max(occluded.values(), key=lambda row: row[2])
    most_kl = max(occluded.values(), key=lambda row: row[3])
    assert farthest[1] == "station" and farthest[4] in message("lab_occlude_try")
    assert most_kl[1] == "?" and not most_kl[4].endswith("？")  # a statement now
    reference = lab_views.reference_view(OPENING.text, OPENING.reference, "auto")
    step = reference.steps["data"][5]  # step 6
    assert message("lab_leaves", t=6) in reference.summary and (step[1], step[4]) == ("儿", "里")
    trip = lab_views.round_trip_view(OPENING.text, "auto")
    assert trip.back == OPENING.text and message("lab_identical") in trip.summary
    top = [row[0] for row in lab_views.neighbours_view(OPENING.text, "auto").neighbours["data"][:5]]
    assert any(t.startswith("Where is") for t in top) and any("station" in t for t in top)


# ---------------------------------------------------------------- short choice lists elsewhere


def test_the_side_by_side_dropdown_labels_fit_a_phone_and_say_both_languages():
    choices = compare.model_choices()
    assert [key for _, key in choices] == list(service.COMPARISON_MODELS)
    assert len({label for label, _ in choices}) == len(choices)
    for label, key in choices:
        assert units(label) <= DROPDOWN_UNITS, label
        assert label == f"{message('model_short_' + key)} · {message('model_short_' + key, 'zh')}"
    assert "384" in choices[0][0]  # the shipped model's size; the small ones say how they differ


def test_the_experiments_direction_choices_read_in_both_languages():
    choices = experiments_tab.direction_choices()
    assert [key for _, key in choices] == list(service.DIRECTIONS)
    for label, key in choices:
        short = "dir_short_" + key.replace("-", "_")
        assert message(short, "en") in label and message(short, "zh") in label
        assert re.search("[a-z]{3}", label) and re.search("[\u4e00-\u9fff]{3}", label)
    with gr.Blocks() as demo:
        with gr.Tab("experiments") as tab:
            experiments_tab.build(tab)
    (radio,) = [b for b in demo.blocks.values() if isinstance(b, gr.Radio) and b.elem_id == "exp-direction"]
    assert radio.choices == choices
