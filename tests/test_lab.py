"""The Context lab: its handlers on the shipped models, its figures, its Blocks and its API over HTTP."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import gradio as gr
import pytest
from gradio.components.plot import PlotData

from demo import service, validate
from demo.i18n import LANGUAGES, message, strings
from demo.lab import api as lab_api
from demo.lab import figures as lab_figures
from demo.lab import handlers as lab_handlers
from demo.lab import probes as lab_probes
from demo.lab import views as lab_views
from seq2seq.model import Seq2Seq
from seq2seq.study import probes

SENTENCE = "I think we should leave before it starts to rain."  # ten words
OTHER = "My brother wants to buy a new car next year."
CHINESE = "我觉得我们应该在下雨之前离开这里。"
BAD_TEXTS = {  # what was typed → the message key it must get (None: translated on a best-effort basis)
    "": "error_empty",
    "   \n\t ": "error_empty",
    "😀🎉": "error_no_words",
    "\x00\x01\x02": "error_empty",
    "x" * 10_000: None,
    "\x07\x1b[31m hello": None,
    "<script>alert('x')</script>": None,
    "I love 北京 <b>tea</b>": None,
}
RAW = ["<b>", "</b>", "<script>", "<unk>", "<eos>"]  # never unescaped in a figure


pytestmark = pytest.mark.usefixtures("one_thread")  # the app decodes on one thread; so do these tests


def figure_of(value) -> dict:
    """A gr.Plot value (a figure, or the PlotData the events send) as Plotly's JSON."""
    return json.loads(value.plot if isinstance(value, PlotData) else value.to_json())


def column(table: dict, header_key: str) -> list:
    index = table["headers"].index(message(header_key))
    return [row[index] for row in table["data"]]


# ---------------------------------------------------------------- strings and parsing


def test_help_texts_shown_as_markdown_write_no_bare_markup():
    for lang in LANGUAGES:
        table = strings(lang)
        for key in [k for k in table if k.endswith(("_intro", "_help"))]:
            assert "<" not in re.sub(r"`[^`]*`", "", table[key]), (lang, key)  # `<unk>` is code, <unk> a tag


@pytest.mark.parametrize(
    "spec, size, first, expected",
    [
        ("all", 384, 0, None),
        (" ALL ", 384, 0, None),
        ("", 384, 0, []),
        ("none", 384, 0, []),
        ("0-3, 10", 384, 0, [0, 1, 2, 3, 10]),
        ("5 - 7 ，2、2", 384, 0, [2, 5, 6, 7]),  # spaces, a Chinese comma, repeats
        ("０-２", 384, 0, [0, 1, 2]),  # full-width digits
        ("383", 384, 0, [383]),
        ("2", 2, 1, [1]),  # layers are counted from 1
        ("1,2", 2, 1, [0, 1]),
    ],
)
def test_unit_and_layer_lists_are_parsed(spec, size, first, expected):
    assert validate.parse_indices(spec, size, first) == expected


@pytest.mark.parametrize("spec", ["384", "0-384", "5-2", "-1", "1.5", "a", "0;;x", "<b>1</b>", "😀", "1" * 400])
def test_bad_unit_lists_are_refused(spec):
    with pytest.raises(ValueError):
        validate.parse_indices(spec, 384)


def test_layer_0_does_not_exist():
    with pytest.raises(ValueError):
        validate.parse_indices("0", 2, first=1)  # layers are counted from 1


# ---------------------------------------------------------------- surgery


def test_zeroing_no_units_changes_nothing():
    original, altered, summary, kl_fig, table, before, after = lab_views.surgery_view(
        SENTENCE, "auto", "both", "all", "none", "zero", 1.0, 0
    ).listed()
    assert original == altered and re.search("[\u4e00-\u9fff]", original)
    assert set(column(table, "col_lab_kl")) == {0.0}
    assert column(table, "col_lab_p") == column(table, "col_lab_p_edited")
    assert message("lab_unchanged") in summary and message("lab_no_flips") in summary
    assert summary.startswith("0 of the context's 1536 numbers edited")
    assert figure_of(before)["data"][0]["z"] == figure_of(after)["data"][0]["z"]
    data = lab_api.surgery_api(SENTENCE, units="none")
    assert data["altered_text"] == data["original"]["text"] and data["divergence"] is None
    assert [step["kl"] for step in data["steps"]] == [0.0] * len(data["steps"])


@pytest.mark.parametrize(
    "part, layers, units, operation, amount, edited",
    [
        ("c", "all", "0-191", "zero", 1.0, 2 * 192),
        ("both", "2", "all", "scale", 0.25, 2 * 384),
        ("h", "1", "0-9, 100", "noise", 3.0, 11),
        ("both", "all", "all", "noise", 0.5, 1536),
    ],
)
def test_each_operation_moves_the_distributions(part, layers, units, operation, amount, edited):
    original, altered, summary, kl_fig, table, before, after = lab_views.surgery_view(
        SENTENCE, "auto", part, layers, units, operation, amount, 1
    ).listed()
    assert original and altered
    assert summary.startswith(f"{edited} of the context's 1536 numbers edited")
    kls = column(table, "col_lab_kl")
    assert all(kl >= 0 for kl in kls) and sum(kls) > 0
    flipped = [t for t, mark in zip(column(table, "col_lab_step"), column(table, "col_lab_flipped")) if mark]
    assert (message("lab_no_flips") in summary) == (not flipped)
    bars, p_original, p_edited = kl_fig.data
    assert len(bars.x) == len(p_original.y) == len(p_edited.y) == len(table["data"])
    assert list(bars.y) == pytest.approx(kls, abs=1e-4)
    # The edited context is drawn beside the original on the same colour scales.
    assert [t.zmax for t in before.data] == [t.zmax for t in after.data]
    touched = 1 if part == "c" else 0  # the h heatmap, unless only c was edited
    assert figure_of(before)["data"][touched]["z"] != figure_of(after)["data"][touched]["z"]


def test_surgery_event_answers_bad_settings_with_a_message():
    outputs = lab_views.SurgeryOutputs(
        *lab_handlers.show_surgery(SENTENCE, "auto", "c", "all", "0-999", "zero", 1.0, 0, None)
    )
    assert outputs.original == outputs.altered == "" and outputs.summary == message("lab_error_units").format(max=383)
    assert outputs.kl_plot is None and outputs.before is None  # the plots are cleared, not left blank under the message
    assert outputs.steps == {"headers": [message(h) for h in lab_views.STEP_HEADERS], "data": []}
    layer = lab_views.SurgeryOutputs(
        *lab_handlers.show_surgery(SENTENCE, "auto", "c", "3", "all", "zero", 1.0, 0, None)
    ).summary
    assert layer == message("lab_error_layers").format(max=2)
    assert lab_api.surgery_api(SENTENCE, part="x")["error_key"] == "lab_error_option"
    assert lab_api.surgery_api(SENTENCE, operation="melt")["error_key"] == "lab_error_option"
    assert lab_api.surgery_api(SENTENCE, amount=float("nan"))["error_key"] == "lab_error_number"
    chinese = lab_handlers.show_surgery(
        "", "auto", "c", "all", "all", "zero", 1.0, 0, gr.Request(headers={"accept-language": "zh-CN"})
    )[2]  # the summary, the third field of SurgeryOutputs
    assert chinese == message("error_empty", "zh")


# ---------------------------------------------------------------- interpolation


@pytest.mark.parametrize("alpha, side", [(0.0, 1), (1.0, 2)])
def test_alpha_0_and_1_give_a_and_b(alpha, side):
    at, a, b, summary, chart, table = lab_views.interpolation_view(SENTENCE, OTHER, "auto", alpha).listed()
    assert at == (a, b)[side - 1] and a != b
    english = service.translator("en-zh")
    assert (a, b) == (english.translate(SENTENCE).text, english.translate(OTHER).text)  # their own greedy output
    assert column(table, "col_lab_alpha") == [i / 10 for i in range(11)]
    assert column(table, "col_lab_output")[0] == a and column(table, "col_lab_output")[-1] == b
    assert column(table, "col_lab_same_as")[0] == message("lab_match_a")
    assert column(table, "col_lab_same_as")[-1] == message("lab_match_b")
    assert "Cosine similarity of the two contexts" in summary
    points, chosen = chart.data
    assert len(points.x) == 11 and list(chosen.x) == [alpha]


def test_the_slider_alpha_joins_the_sweep_and_switches_are_marked():
    at, a, b, summary, chart, table = lab_views.interpolation_view(SENTENCE, OTHER, "auto", 0.25).listed()
    alphas = column(table, "col_lab_alpha")
    assert 0.25 in alphas and len(alphas) == 12
    outputs = column(table, "col_lab_output")
    assert at == outputs[alphas.index(0.25)]
    switches = sum(1 for x, y in zip(outputs, outputs[1:]) if x != y)
    assert len(chart.layout.shapes) == switches >= 1
    assert summary.count("Switches between") == switches


def test_interpolation_api_reproduces_a_and_b():
    data = lab_api.interpolate_api(SENTENCE, OTHER, alphas=[0.0, 1.0])
    first, last = data["points"]
    assert first["text"] == data["a"]["text"] and first["matches"] == "a"
    assert last["text"] == data["b"]["text"] and last["matches"] == "b"
    assert lab_api.interpolate_api(SENTENCE, OTHER, alphas=[0, 5])["error_key"] == "lab_error_option"
    assert lab_api.interpolate_api(SENTENCE, "  ")["error_key"] == "error_empty"
    missing_b = lab_views.InterpolationOutputs(*lab_handlers.show_interpolation(SENTENCE, "", "auto", 0.5, None))
    assert missing_b.summary == f"{message('lab_text_b')}: {message('error_empty')}"


# ---------------------------------------------------------------- occlusion, reference, round trip, neighbours, export


@pytest.mark.parametrize("mode", probes.OCCLUSIONS)
def test_occlusion_measures_every_source_token(mode):
    summary, bars, heat, table = lab_views.occlusion_view(SENTENCE, "auto", mode).listed()
    tokens = column(table, "col_lab_token")
    assert tokens == ["i", "think", "we", "should", "leave", "before", "it", "starts", "to", "rain", "."]
    distances = column(table, "col_lab_distance")
    assert all(0 <= d <= 2 for d in distances) and max(distances) > 0
    assert all(kl >= 0 for kl in column(table, "col_lab_kl_total"))
    distance_bars, kl_markers = bars.data
    assert len(distance_bars.x) == len(kl_markers.y) == len(tokens)
    (cells,) = heat.data
    assert len(cells.z) == len(tokens) and len(cells.z[0]) == len(cells.x)
    assert "Moves the context most" in summary


def test_reference_equal_to_the_models_output_is_followed_to_the_end():
    own = service.translator("en-zh").translate(SENTENCE).text
    translation, summary, chart, table = lab_views.reference_view(SENTENCE, own, "auto").listed()
    assert translation == own and message("lab_follows") in summary
    assert set(column(table, "col_lab_rank")) == {1}
    assert not chart.layout.shapes
    assert "Sentence BLEU 100.00" in summary


def test_reference_view_marks_where_the_model_leaves_the_reference():
    translation, summary, chart, table = lab_views.reference_view(SENTENCE, CHINESE, "auto").listed()
    steps = column(table, "col_lab_step")
    assert steps == list(range(1, len(CHINESE) + 2))  # one character a token, then <eos>
    assert column(table, "col_lab_reference_token")[-1] == "<eos>"
    leaves = int(re.search(r"at step (\d+)", summary)[1])
    assert chart.layout.shapes[0].x0 == leaves
    reference, model_choice, leaving = chart.data  # the third names the dashed line in the legend
    assert len(reference.y) == len(model_choice.y) == len(steps)
    assert leaving.name == "leaves the reference" and leaving.line.dash == chart.layout.shapes[0].line.dash
    assert all(0 <= p <= 1 for p in column(table, "col_lab_p_reference"))
    assert "chrF" in summary
    wrong_language = lab_views.reference_view(SENTENCE, "We should go.", "auto").summary
    assert message("notice_language_mismatch") in wrong_language
    empty = lab_views.ReferenceOutputs(*lab_handlers.show_reference(SENTENCE, " ", "auto", None))
    assert empty.summary == f"{message('lab_reference')}: {message('error_empty')}"


def test_round_trip_goes_there_and_back():
    there, back, summary, there_fig, back_fig = lab_views.round_trip_view(SENTENCE, "auto").listed()
    assert re.search("[\u4e00-\u9fff]", there) and re.search("[A-Za-z]", back)
    cosine = float(re.search(r"contexts: (-?[0-9.]+)", summary)[1])
    assert -1 <= cosine <= 1
    assert "English → 中文" in there_fig.layout.title.text and "中文 → English" in back_fig.layout.title.text
    data = lab_api.round_trip_api(CHINESE)
    assert data["direction"] == "zh-en" and data["forward"]["text"] == data["back"]["source"]


def test_neighbours_are_training_sentences_closest_first():
    summary, table = lab_views.neighbours_view(SENTENCE, "auto").listed()
    cosines = column(table, "col_cosine")
    assert len(cosines) == 8 and cosines == sorted(cosines, reverse=True)
    assert all(column(table, "col_reference"))
    english = service.translator("en-zh")  # each neighbour's translation is the model's greedy one
    assert column(table, "col_lab_model_translation") == [
        english.translate_text(s) for s in column(table, "col_sentence")
    ]
    data = lab_api.neighbours_api(CHINESE, k=3)
    assert data["direction"] == "zh-en" and len(data["neighbours"]) == 3
    assert all(re.search("[A-Za-z]", n["model_translation"]) for n in data["neighbours"])


@pytest.mark.parametrize("decoding, full", [("greedy", False), ("beam", True)])
def test_export_writes_the_whole_trace_as_json(decoding, full):
    path, status = lab_views.export_trace(SENTENCE, "auto", decoding, full).listed()
    data = json.loads(open(path, encoding="utf-8").read())
    trace = data["trace"]
    assert data["direction"] == "en-zh" and trace["steps"] and trace["context_h"]
    assert (trace["distributions"] is not None) == full and bool(trace["beam_tree"]) == (decoding == "beam")
    assert status.startswith(f"{len(trace['steps'])} decoder steps")
    assert lab_views.export_trace(SENTENCE, "auto", decoding, full).file == path  # the same file again
    failed = lab_views.ExportOutputs(*lab_handlers.make_export("", "auto", "beam", False, None))
    assert failed == lab_views.ExportOutputs(file=None, summary=message("error_empty"))


# ---------------------------------------------------------------- every view, every kind of bad input


EVENTS = {  # name → (event handler called with text, its outputs, whose `summary` carries the message)
    "surgery": (
        lambda t: lab_handlers.show_surgery(t, "auto", "c", "all", "0-191", "zero", 1.0, 0, None),
        lab_views.SurgeryOutputs,
    ),
    "interpolation": (
        lambda t: lab_handlers.show_interpolation(t, t, "auto", 0.5, None),
        lab_views.InterpolationOutputs,
    ),
    "occlusion": (lambda t: lab_handlers.show_occlusion(t, "auto", "drop", None), lab_views.OcclusionOutputs),
    "reference": (lambda t: lab_handlers.show_reference(t, t, "auto", None), lab_views.ReferenceOutputs),
    "round_trip": (lambda t: lab_handlers.show_round_trip(t, "auto", None), lab_views.RoundTripOutputs),
    "neighbours": (lambda t: lab_handlers.show_neighbours(t, "auto", None), lab_views.NeighboursOutputs),
}


@pytest.mark.parametrize("name", EVENTS)
@pytest.mark.parametrize("text", BAD_TEXTS, ids=lambda t: repr(t[:12]))
def test_every_view_answers_odd_input_without_a_stack_trace(name, text):
    event, named = EVENTS[name]
    outputs = event(text)
    summary = named(*outputs).summary
    key = BAD_TEXTS[text]
    if key is not None:
        assert summary == message(key)
    else:
        assert "Traceback" not in summary and message("error_internal") not in summary
    for value in outputs:
        if isinstance(value, PlotData):
            plot = value.plot
            assert not any(raw in plot for raw in RAW), plot[:200]


def test_figures_can_be_saved_as_png_from_plotlys_toolbar():
    outputs = lab_views.OcclusionOutputs(*lab_handlers.show_occlusion(SENTENCE, "auto", "drop", None))
    config = figure_of(outputs.bars)["config"]
    assert config["toImageButtonOptions"]["format"] == "png" and config["toImageButtonOptions"]["filename"]
    assert config.get("displayModeBar", True) is not False and "toImage" not in config.get("modeBarButtonsToRemove", [])


# ---------------------------------------------------------------- the figure builders on the probes' plain data


@pytest.fixture(scope="module")
def english():
    return service.translator("en-zh")


def test_surgery_figures_have_a_point_per_step(english):
    result = probes.surgery(english, SENTENCE, probes.Selection(parts=("c",), units=list(range(100))))
    fig = lab_figures.surgery_kl(result)
    assert [len(trace.x) for trace in fig.data] == [len(result.steps)] * 3
    assert [trace.yaxis for trace in fig.data] == [None, "y2", "y2"]
    before, after = lab_figures.context_pair(result.original.trace, result.altered, result.selected)
    assert len(before.data) == len(after.data) == 2  # h and c
    assert before.data[1].zmax == after.data[1].zmax == -after.data[1].zmin > 0
    assert "200 numbers" in after.layout.title.text  # c of both layers, 100 units each


def test_interpolation_chart_has_a_point_per_alpha_and_a_line_per_switch(english):
    result = probes.interpolate(english, SENTENCE, OTHER, [0, 0.2, 0.4, 0.6, 0.8, 1])
    fig = lab_figures.interpolation(result)
    (points,) = fig.data
    assert list(points.x) == [0, 0.2, 0.4, 0.6, 0.8, 1] and len(fig.layout.shapes) == len(result.switches)
    assert len(set(points.y)) == len({p.text for p in result.points})
    assert len(lab_figures.interpolation(result, 0.6).data) == 2


def test_occlusion_and_reference_figures(english):
    result = probes.occlude(english, "I like <b>tea</b>.", "unk")
    bars, heat = lab_figures.occlusion_bars(result), lab_figures.occlusion_heatmap(result)
    assert [len(t.x) for t in bars.data] == [len(result.tokens)] * 2
    assert len(heat.data[0].y) == len(result.tokens)
    for fig in (bars, heat):
        assert not any(raw in fig.to_json() for raw in RAW)
    view = probes.reference_view(english, SENTENCE, CHINESE)
    fig = lab_figures.reference_chart(view)
    assert [len(t.y) for t in fig.data[:2]] == [len(view.steps)] * 2
    assert len(fig.layout.shapes) == len(fig.data) - 2 == (view.divergence is not None)
    empty = probes.Occlusion(result.original, "drop", [], [])
    assert (
        lab_figures.occlusion_bars(empty).layout.annotations and lab_figures.occlusion_heatmap(empty).layout.annotations
    )


def test_an_interpolation_encodes_a_and_b_once_each(monkeypatch):
    encodes = []
    start = Seq2Seq.start
    monkeypatch.setattr(Seq2Seq, "start", lambda self, *args: encodes.append(1) or start(self, *args))
    _, _, result = lab_probes.run_interpolation(SENTENCE, OTHER, "auto", [0.0, 0.25, 0.5, 0.75, 1.0])
    assert len(result.points) == 5 and result.points[0].matches == "a" and result.points[-1].matches == "b"
    assert len(encodes) == 2


def test_the_export_directory_stays_bounded(monkeypatch, tmp_path):
    monkeypatch.setattr(lab_views, "EXPORT_DIR", tmp_path)
    monkeypatch.setattr(lab_views, "MAX_EXPORTS", 3)
    for i in range(5):
        (tmp_path / f"trace-en-zh-{i}.json").write_text("{}")
        os.utime(tmp_path / f"trace-en-zh-{i}.json", (1000 + i, 1000 + i))
    lab_views.prune_exports(now=1000 + lab_views.EXPORT_SECONDS)  # none too old: the 3 newest stay
    assert sorted(f.name for f in tmp_path.iterdir()) == [f"trace-en-zh-{i}.json" for i in (2, 3, 4)]
    lab_views.prune_exports(now=1000 + 3 + lab_views.EXPORT_SECONDS + 1)  # 2 and 3 are now over an hour old
    assert [f.name for f in tmp_path.iterdir()] == ["trace-en-zh-4.json"]
    path, _ = lab_views.export_trace("I like tea.", "auto", "greedy", False).listed()
    assert Path(path).parent == tmp_path and len(list(tmp_path.iterdir())) <= 3


def test_exporting_a_translation_again_after_an_hour_gives_a_file_that_exists(monkeypatch, tmp_path):
    """The file of an earlier export is reused; it must be kept fresh, or the pruning deletes what it returns."""
    monkeypatch.setattr(lab_views, "EXPORT_DIR", tmp_path)
    path, _ = lab_views.export_trace("I like tea.", "auto", "greedy", False).listed()
    two_hours_ago = time.time() - 2 * lab_views.EXPORT_SECONDS
    os.utime(path, (two_hours_ago, two_hours_ago))
    again, _ = lab_views.export_trace("I like tea.", "auto", "greedy", False).listed()
    assert again == path and Path(again).is_file()
