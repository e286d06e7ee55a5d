"""The Context lab and Experiments tabs as a phone shows them, without a browser: titles wrapped to a phone's
width and clear of Plotly's mode bar, axes that make room for their labels, a title on every result box,
and the tab builders' sentence boxes. tests/test_browser_phone.py looks at the same in Chromium."""

from __future__ import annotations

import json
import re

import gradio as gr
import plotly.graph_objects as go
import pytest

from demo import plotting, service
from demo.experiments import figures as experiment_figures
from demo.experiments import handlers as experiment_handlers
from demo.experiments import tab as experiments_tab
from demo.i18n import LANGUAGES, message
from demo.lab import figures as lab_figures
from demo.lab import tab as lab_tab
from seq2seq.study import probes

SENTENCE = "I think we should leave before it starts to rain."
OTHER = "My brother wants to buy a new car next year."
CHINESE = "我觉得我们应该在下雨之前离开这里。"

pytestmark = pytest.mark.usefixtures("one_thread")


def width(line: str) -> float:
    """A title line's width in `plotting.wrap`'s units: tags take none, an entity one, a CJK character two."""
    line = re.sub(r"&#?\w+;", "&", re.sub(r"<[^>]*>", "", line))
    return sum(plotting.CJK_UNITS if plotting.is_cjk(c) else 1 for c in line)


@pytest.mark.parametrize(
    "text",
    [
        "How far each P<sub>t</sub> moved: KL(P<sub>t</sub> ‖ P′<sub>t</sub>) on the original output",
        "每个 P<sub>t</sub> 变了多少：原输出上的 KL(P<sub>t</sub> ‖ P′<sub>t</sub>)（删去）加上一些更长的中文说明文字",
        "P<sub>3</sub> (&lt;eos&gt;): chose &lt;unk&gt; with P = 0.500 · a title long enough to wrap twice over",
        "Short",
    ],
)
def test_wrap_breaks_at_spaces_and_between_cjk_characters_never_inside_markup(text):
    lines = plotting.wrap(text).split("<br>")
    assert all(width(line) <= plotting.TITLE_UNITS for line in lines), lines
    assert len(lines) == (1 if width(text) <= plotting.TITLE_UNITS else len(lines)) >= 1
    assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", text)  # only spaces replaced, nothing lost
    for line in lines:
        assert line.count("<sub>") == line.count("</sub>") and not line.startswith(tuple("，。）：;,.)"))
        assert not re.search(r"&#?\w*$", line) and line == line.strip()


def test_a_word_longer_than_a_line_stays_whole():
    assert plotting.wrap("x" * 50) == "x" * 50


@pytest.fixture(scope="module")
def figures() -> dict[str, go.Figure]:
    """Every kind of figure the two tabs draw, in English and Chinese."""
    english, chinese = service.translator("en-zh"), service.translator("zh-en")
    made = {}
    for lang in LANGUAGES:
        surgery = probes.surgery(english, SENTENCE, probes.Selection(parts=("c",), units=list(range(100))))
        occlusion = probes.occlude(chinese, CHINESE, "drop")
        made[f"surgery {lang}"] = lab_figures.surgery_kl(surgery, lang)
        made[f"edited context {lang}"] = lab_figures.context_pair(surgery.original.trace, surgery.altered, 200, lang)[1]
        made[f"interpolation {lang}"] = lab_figures.interpolation(
            probes.interpolate(english, SENTENCE, OTHER, [0, 0.5, 1]), 0.5, lang
        )
        made[f"occlusion {lang}"] = lab_figures.occlusion_bars(occlusion, lang)
        made[f"occlusion heatmap {lang}"] = lab_figures.occlusion_heatmap(occlusion, lang)
        made[f"reference {lang}"] = lab_figures.reference_chart(probes.reference_view(english, SENTENCE, CHINESE), lang)
        made[f"round trip {lang}"] = lab_figures.trip_heatmap(surgery.original.trace, "There: " + "long " * 12, lang)
        made[f"figure 3 {lang}"] = experiment_handlers.figure3_view(lang)
        points = [{"text": "John loves Mary.", "x": 1.0, "y": 2.0}, {"text": "Mary loves John.", "x": -1.0, "y": 0}]
        made[f"phrase map {lang}"] = experiment_figures.phrase_map_figure(points, lang, "who_does_what")
        made[f"empty {lang}"] = plotting.empty_figure(message("error_empty", lang) * 3)
    return made


def test_every_title_wraps_to_a_phone_and_starts_under_the_mode_bar(figures):
    for name, fig in figures.items():
        title, height = fig.layout.title, fig.layout.height
        lines = plotting.title_lines(fig)
        assert all(width(line) <= plotting.TITLE_UNITS for line in (title.text or "").split("<br>")), name
        assert title.yref == "container" and title.yanchor == "top", name
        # Where Plotly draws the title's top edge (see `plotting.retitle`): at the bottom of the bar.
        top = (1 - title.y) * height - plotting.TITLE_ASCENT - plotting.TITLE_LINE * max(lines - 1, 0) / 2
        assert top == pytest.approx(plotting.MODEBAR) or not lines, name
        assert fig.layout.margin.t >= plotting.MODEBAR + plotting.TITLE_LINE * lines, name
        if fig.layout.legend.yref == "container":  # a legend on top starts under the title
            assert (1 - fig.layout.legend.y) * height >= plotting.MODEBAR + plotting.TITLE_LINE * lines, name


def test_every_axis_makes_room_for_its_labels_and_keeps_its_title_clear(figures):
    for name, fig in figures.items():
        template = fig.layout.template.layout
        assert template.xaxis.automargin and template.yaxis.automargin, name  # every axis, subplots' too
        assert template.xaxis.title.standoff > 0 and template.yaxis.title.standoff > 0, name
        right = fig.layout.to_plotly_json().get("yaxis2", {})
        assert not right.get("overlaying") or right.get("automargin"), name  # a right-hand axis sets its own
    reference = figures["reference en"]
    assert [t.name for t in reference.data][-1] == "leaves the reference" and not reference.layout.annotations


def test_interpolation_writes_each_output_over_its_row_cut_to_a_phone(figures):
    fig = figures["interpolation en"]
    rows = list(fig.layout.yaxis.categoryarray)
    assert rows == [str(i) for i in range(1, len(rows) + 1)]  # numbers on the axis, not whole sentences
    notes = [a.text for a in fig.layout.annotations]
    assert len(notes) == len(rows) and all(width(n) <= plotting.TITLE_UNITS + 4 for n in notes)


def test_figure3_stacks_its_panels_and_tells_the_two_base_models_apart(figures):
    data = json.loads(experiment_handlers.FIGURE3_PATH.read_text(encoding="utf-8"))
    fig = figures["figure 3 en"]
    assert fig.layout.xaxis.domain == fig.layout.xaxis2.domain  # one above the other
    shown = [t for t in fig.data if t.showlegend]  # one entry per model, under its direction; the line style
    assert len(shown) == len({(t.legendgroup, t.name) for t in shown}) == len(data["models"])  # tells decoders apart


def built() -> tuple[gr.Blocks, gr.Textbox, gr.Textbox]:
    with gr.Blocks() as demo:
        with gr.Tab("lab"):
            lab_box = lab_tab.build()
        with gr.Tab("experiments") as tab:
            experiments_box, _ = experiments_tab.build(tab)
    return demo, lab_box, experiments_box


def test_the_tab_builders_return_their_sentence_boxes():
    _, lab_box, experiments_box = built()
    assert isinstance(lab_box, gr.Textbox) and lab_box.elem_id == "lab-text"
    assert isinstance(experiments_box, gr.Textbox) and experiments_box.label.key == "space_input"
    assert lab_box.interactive is not False and experiments_box.interactive is not False


def test_every_result_box_says_what_it_holds():
    demo, _, _ = built()
    results = [b.label.key for b in demo.blocks.values() if isinstance(b, gr.Textbox) and b.interactive is False]
    assert len(results) == len(set(results)) >= 15
    titles = [k for k in results if k.startswith("lab_") and k.endswith("_result")]
    assert len(titles) == 7  # one per lab tool: surgery … export
    for lang in LANGUAGES:
        assert len({message(k, lang) for k in results}) == len(results)
