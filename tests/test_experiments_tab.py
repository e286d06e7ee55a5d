"""The Experiments tab: its figures, its handlers on the shipped models and sentence spaces, and the Blocks."""

from __future__ import annotations

import json
import math
import re

import gradio as gr
import pytest

from demo import service
from demo.experiments import figures as experiment_figures
from demo.experiments import handlers
from demo.i18n import message, strings

RAW = ["<b>", "<script>", "<img"]  # must never reach a figure unescaped
SAMPLE_RESULTS = {
    "command": "python -m seq2seq experiments --minutes 10",
    "git_commit": "abc123",
    "settings": {
        "minutes_per_run": 10.0,
        "hidden_size": 256,
        "embedding_size": 256,
        "threads_per_run": 1,
        "note": "<b>short runs</b>",
    },
    "rows": [
        {
            "comparison": "reversed source",
            "variant": "reversed",
            "direction": "en-zh",
            "bleu": 12.3,
            "chrf": 10.1,
            "perplexity": 9.5,
            "parameters": 4_000_000,
            "epochs": 3,
            "train_minutes": 10.0,
            "note": "",
        },
        {
            "comparison": "reversed source",
            "variant": "forward",
            "direction": "en-zh",
            "bleu": 10.9,
            "chrf": 9.2,
            "perplexity": None,
            "parameters": 4_000_000,
            "epochs": 3,
            "train_minutes": 10.0,
            "note": "<script>x</script>",
        },
    ],
    "beam_sweep": [
        {
            "direction": "en-zh",
            "model": "shipped",
            "beam": b,
            "bleu": 20.0 + b / 10,
            "chrf": 20.0,
            "ms_per_sentence": 5.0 * b,
        }
        for b in (1, 2, 5, 12)
    ],
    "claims": [{"claim": "Reversing the source helps", "paper": "25.9 → 30.6 BLEU", "ours": "10.9 → 12.3 BLEU"}],
}


pytestmark = pytest.mark.usefixtures("one_thread")  # the app decodes on one thread; so do these tests


def test_phrase_map_figure_has_a_labelled_point_per_phrase():
    points = [
        {"text": "John loves Mary.", "x": 1.0, "y": 2.0, "translation": "约翰爱玛丽。"},
        {"text": "<b>Mary</b> loves John.", "x": -1.0, "y": 0.5, "translation": "<script>"},
    ]
    fig = experiment_figures.phrase_map_figure(points, "en", "who_does_what")
    (trace,) = fig.data
    assert list(trace.x) == [1.0, -1.0] and list(trace.y) == [2.0, 0.5]
    assert trace.text[1] == "&lt;b&gt;Mary&lt;/b&gt; loves<br>John."  # escaped, then wrapped to a phone
    assert "who did what to whom" in fig.layout.title.text
    chinese = experiment_figures.phrase_map_figure(points, "zh", "who_does_what").layout.title.text
    assert "谁对谁做了什么" in chinese.replace("<br>", "")  # wrapped to a phone's width between characters
    assert not any(raw in fig.to_json() for raw in RAW)
    assert experiment_figures.phrase_map_figure([], "en").layout.annotations
    close = points + [{"text": "Mary is loved by John.", "x": -1.01, "y": 0.45, "translation": ""}]
    assert list(experiment_figures.phrase_map_figure(close).data[0].textposition) == [
        "top left",  # at the right edge: the label runs inwards
        "top right",
        "bottom right",
    ]
    middle = close + [{"text": "John is here.", "x": 0.0, "y": 0.0}]
    assert experiment_figures.phrase_map_figure(middle).data[0].textposition[-1] == "top center"


def test_phrase_labels_are_wrapped_to_fit_a_phone():
    """A phrase of 41 characters centred on its point ran past both edges of a 390 px screen."""
    points = [
        {"text": "She was given a card by me in the garden.", "x": 0.0, "y": 0.0},
        {"text": "在花园里，她给了我一张卡片。", "x": 1.0, "y": 1.0},
        {"text": "Mary is loved.", "x": 2.0, "y": 0.5},
    ]
    english, chinese, short = experiment_figures.phrase_map_figure(points, "en", "who_does_what").data[0].text
    assert english == "She was given a<br>card by me in the<br>garden." and short == "Mary is loved."
    assert all(len(line) <= experiment_figures.LABEL_UNITS // 2 for line in chinese.split("<br>"))
    assert chinese.replace("<br>", "") == points[1]["text"]


def test_sentence_space_figure_highlights_the_sentence_and_its_neighbours():
    background = [{"x": float(i), "y": float(-i), "text": f"sentence {i} <img src=x>"} for i in range(300)]
    neighbours = [dict(background[i], translation="<b>译文</b>", cosine=0.9 - i / 100) for i in range(5)]
    you = {"x": 0.5, "y": 0.5, "text": "<script>alert(1)</script>"}
    fig = experiment_figures.sentence_space_figure(background, you, neighbours, "en")
    cloud, near, user = fig.data
    assert len(cloud.x) == 300 and len(near.x) == 5 and list(user.x) == [0.5]
    assert cloud.customdata[7] == "sentence 7 &lt;img src=x&gt;"
    assert user.text[0] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert not any(raw in fig.to_json() for raw in RAW)
    assert (
        len(experiment_figures.sentence_space_figure(background, None, [], "en").data) == 1
    )  # before anything is typed


def test_figure3_figure_draws_a_line_per_model_and_decoder_in_each_panel():
    data = json.loads(handlers.FIGURE3_PATH.read_text(encoding="utf-8"))
    fig = experiment_figures.figure3_figure(data, "en")
    lines = sum(len(m["decoders"]) for m in data["models"])
    assert len(fig.data) == 2 * lines
    left = [t for t in fig.data if t.xaxis == "x"]
    right = [t for t in fig.data if t.xaxis == "x2"]
    assert len(left) == len(right) == lines
    first = data["models"][0]["decoders"]["greedy"]
    assert list(left[0].y) == [
        first["by_length"][b]["bleu"] if b in first["by_length"] else None for b in data["length_buckets"]
    ]
    assert list(right[0].x) == data["rank_buckets"]
    assert sum(t.showlegend for t in fig.data) == len(data["models"])  # a legend entry per model (its colour)
    assert experiment_figures.figure3_figure({}, "en").layout.annotations


def test_results_view_reads_the_results_json(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps(SAMPLE_RESULTS), encoding="utf-8")
    info, results, beams, claims = handlers.results_view("en", path)
    assert "python -m seq2seq experiments --minutes 10" in info and "abc123" in info
    assert results["headers"][:4] == ["comparison", "variant", "direction", "BLEU"]
    assert [row[3] for row in results["data"]] == [12.3, 10.9]
    assert results["data"][1][5] == "—" and results["data"][1][-1] == "<script>x</script>"  # a table cell: text
    assert [row[2] for row in beams["data"]] == [1, 2, 5, 12]
    assert claims["data"] == [["Reversing the source helps", "25.9 → 30.6 BLEU", "10.9 → 12.3 BLEU"]]
    assert handlers.results_view("zh", path)[1]["headers"][0] == "对比"


def test_results_view_says_when_the_results_are_missing_or_broken(tmp_path):
    info, results, beams, claims = handlers.results_view("en", tmp_path / "absent.json")
    assert info == message("exp_no_results") and results["data"] == beams["data"] == claims["data"] == []
    assert results["headers"][0] == "comparison"
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert handlers.results_view("en", broken)[0].startswith(message("exp_bad_results"))
    broken.write_text('{"rows": [1, 2]}', encoding="utf-8")
    assert handlers.results_view("en", broken)[0].startswith(message("exp_bad_results"))


@pytest.mark.parametrize("direction, text", [("en-zh", "I like tea."), ("zh-en", "我喜欢喝茶。")])
def test_locate_returns_neighbours_for_a_real_sentence(direction, text):
    fig, table, notes = handlers.locate(text, direction, None)
    assert len(table["data"]) == handlers.NEIGHBOURS and table["headers"] == [
        "sentence",
        "reference translation",
        "cosine",
    ]
    cosines = [row[2] for row in table["data"]]
    assert cosines == sorted(cosines, reverse=True) and 0 < cosines[-1] <= cosines[0] <= 1
    space = service.sentence_space(direction)
    assert all(row[0] in space.sentences for row in table["data"])
    cloud, near, user = fig.data
    assert len(cloud.x) == len(space) and len(near.x) == handlers.NEIGHBOURS and user.text[0] == text
    assert message("space_translation") in notes


def test_a_sentence_from_the_index_finds_itself():
    space = service.sentence_space("en-zh")
    _, table, _ = handlers.locate(space.sentences[42], "en-zh", None)
    assert table["data"][0][:2] == [space.sentences[42], space.translations[42]] and table["data"][0][2] > 0.999


@pytest.mark.parametrize(
    "text, key",
    [("", "error_empty"), ("   \n ", "error_empty"), ("😀😀😀", "error_no_words"), ("!!! ???", "error_no_words")],
)
def test_bad_input_gets_a_message_and_the_bare_space(text, key):
    fig, table, notes = handlers.locate(text, "en-zh", None)
    assert notes == message(key) and table["data"] == []
    assert len(fig.data) == 1 and len(fig.data[0].x) == len(service.sentence_space("en-zh"))
    zh_request = gr.Request(headers={"accept-language": "zh-CN"})
    assert handlers.locate(text, "en-zh", zh_request)[2] == message(key, "zh")


def test_odd_input_is_placed_with_notes():
    long_text = "I like tea. " * 200
    _, table, notes = handlers.locate(long_text, "en-zh", None)
    assert message("notice_truncated") in notes and len(table["data"]) == handlers.NEIGHBOURS
    fig, table, notes = handlers.locate("<b>hello</b> <script>alert(1)</script>", "en-zh", None)
    assert message("notice_unknown") in notes and table["data"]
    assert "<script>" not in fig.to_json() and "&lt;script&gt;" in fig.to_json()
    _, _, notes = handlers.locate("我喜欢喝茶。", "en-zh", None)
    assert message("notice_language_mismatch") in notes


def test_fill_gives_every_output_of_the_tab():
    outputs = handlers.fill("", "zh-en", None)
    info, results, beams, claims, *phrases, space_plot, neighbours, notes, figure3 = outputs
    assert len(phrases) == handlers.PHRASE_SETS == 2
    assert all(len(p.data[0].x) == len(points) for p, points in zip(phrases, handlers.phrase_maps("zh-en").values()))
    assert len(space_plot.data) == 1 and neighbours["data"] == [] and notes == ""
    assert len(figure3.data) >= 8  # two models, two decoders, two panels
    assert isinstance(info, str) and "headers" in results and "headers" in beams and "headers" in claims
    with_text = handlers.show_direction("Welcome to Beijing.", "en-zh", None)
    assert len(with_text) == handlers.PHRASE_SETS + 3 and len(with_text[-2]["data"]) == handlers.NEIGHBOURS


def test_the_blocks_build_with_the_experiments_tab():
    from demo.page import build_demo

    demo = build_demo()
    config = demo.get_config_file()
    tabs = [c for c in config["components"] if c.get("type") == "tabitem"]
    keys = [
        next((k for k in ("tab_translate", "tab_experiments", "tab_model") if k in str(t["props"].get("label"))), "")
        for t in tabs
    ]
    order = [key for key in keys if key]
    assert order == ["tab_translate", "tab_experiments", "tab_model"]  # after Translate, before Model
    names = {d.get("api_name") for d in config["dependencies"]}
    assert "translate" in names


def test_the_committed_results_render_in_the_tab():
    """experiments/results.json, as `python -m seq2seq experiments` wrote it, fills every table."""
    data = json.loads(handlers.RESULTS_PATH.read_text(encoding="utf-8"))
    info, results, beams, claims = handlers.results_view("en")
    assert data["command"].startswith("python -m seq2seq experiments") and data["command"] in info
    assert len(results["data"]) == len(data["rows"]) == 30  # 15 rows in each direction
    assert {row[2] for row in results["data"]} == {"en-zh", "zh-en"}
    assert all(0 <= row[3] <= 100 and 0 <= row[4] <= 100 for row in results["data"])
    assert [row[2] for row in beams["data"]] == [1, 2, 5, 12, 1, 2, 5, 12]
    assert len(claims["data"]) == 7 and all(row[2] for row in claims["data"])


@pytest.mark.parametrize("value", [None, 7, ["en-zh"], {"a": 1}, "xx-yy", math.nan, "\ud800"])
def test_tab_events_answer_hostile_values_with_a_message(value):
    for direction in ("en-zh", value):
        for text in ("I like tea.", value):
            outputs = handlers.fill(text, direction, None)
            assert len(outputs) == 4 + handlers.PHRASE_SETS + 3 + 1
            notes = outputs[4 + handlers.PHRASE_SETS + 2]
            assert isinstance(notes, str) and "Traceback" not in notes and message("error_internal") not in notes


def test_figure3_legend_fits_a_phone_in_a_few_rows():
    """Twelve entries of "en-zh en-zh · beam 5" took about twelve rows at 390 px: now a column per direction with
    one short entry per model under it (its colour), and the line style (solid beam, dotted greedy) said once in
    the title."""
    data = json.loads(handlers.FIGURE3_PATH.read_text(encoding="utf-8"))
    for lang in ("en", "zh"):
        fig = experiment_figures.figure3_figure(data, lang)
        shown = [t for t in fig.data if t.showlegend]
        assert len(shown) == len({(t.legendgroup, t.name) for t in shown}) == len(data["models"]) == 6
        groups = {t.legendgroup for t in fig.data}
        assert groups == {"en→zh", "zh→en"} and all(t.legendgrouptitle.text == t.legendgroup for t in fig.data)
        assert all(len(t.name) <= 9 for t in shown)  # "attention": each column fits a third of a phone
        assert fig.layout.legend.orientation == "h"
        title = fig.layout.title.text.replace("<br>", "").replace(" ", "")  # a wrapped line breaks at a space
        assert ("dotted:greedy" in title) if lang == "en" else ("虚线：贪心" in title)
    assert {t.line.dash for t in fig.data} == {"dot", "solid"}
    assert len({t.line.color for t in shown}) == 6  # a colour per model, the same in both panels


def _layout_order(blocks: gr.Blocks) -> list[tuple[int, list[dict]]]:
    """(component id, the Accordions around it, outermost first) for every component, in page order."""
    config = blocks.get_config_file()
    props = {c["id"]: c for c in config["components"]}
    found = []

    def walk(node: dict, folds: list[dict]) -> None:
        component = props.get(node["id"], {})
        here = folds + [component] if component.get("type") == "accordion" else folds
        found.append((node["id"], folds))
        for child in node.get("children", []):
            walk(child, here)

    walk(config["layout"], [])
    return found


def test_the_tab_opens_on_the_results_and_figures_with_the_run_log_folded():
    """It opened on the run log (`--data ../shared/…`, a `-dirty` commit): now on the results table, each table
    and figure after a line on what to notice, and the log last, in a closed fold."""
    from demo.experiments import tab

    with gr.Blocks() as blocks:
        with gr.Tab("x") as page:
            tab.build(page)
    config = blocks.get_config_file()
    props = {c["id"]: c for c in config["components"]}
    order = _layout_order(blocks)
    shown = [
        (props[i], folds) for i, folds in order if props.get(i, {}).get("type") in {"textbox", "dataframe", "plot"}
    ]
    first, first_folds = shown[0]
    assert first["type"] == "dataframe" and first["props"]["elem_id"] == "exp-results"
    assert all(fold["props"]["open"] for fold in first_folds)
    log = [(c, folds) for c, folds in shown if "exp_run_info" in str(c["props"].get("label"))]
    assert len(log) == 1 and [fold["props"]["open"] for fold in log[0][1]] == [False]
    assert log[0][0] is shown[-1][0]  # after every table and figure
    texts = [str(props[i]["props"].get("value")) for i, _ in order if props.get(i, {}).get("type") == "markdown"]
    notices = [
        key for key in ("exp_notice_results", "exp_notice_beams", "exp_notice_claims", "fig2_notice", "fig3_notice")
    ]
    assert all(any(key in text for text in texts) for key in notices)
    for lang in ("en", "zh"):
        assert all(message(key, lang).startswith(("**What to notice:**", "**看点**：")) for key in notices)


ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
NAMES = {"BLEU", "chrF", "LSTM", "LSTMs", "Luong", "Bahdanau", "CPU", "GPU"}  # names, units, paths


def _english(text: object) -> list[str]:
    return [word for word in ENGLISH_WORD.findall(str(text)) if word not in NAMES]


def test_the_results_in_chinese_keep_no_english_sentence():
    """In zh-CN the rows, the claims and the run note were results.json's English."""
    data = json.loads(handlers.RESULTS_PATH.read_text(encoding="utf-8"))
    info, results, beams, claims = handlers.results_view("zh")
    cells = [cell for table in (results, beams, claims) for row in table["data"] for cell in row]
    cells = [cell for cell in cells if not str(cell).startswith("assets/models/")]  # the beam sweep's model path
    assert [cell for cell in cells if _english(cell)] == []
    headers = [h for table in (results, beams, claims) for h in table["headers"]]
    assert [h for h in headers if _english(h)] == []
    # The run log: everything but the commands and commits themselves.
    labels = [message(key, "zh") for key in ("exp_command", "exp_commit", "exp_sweep_command", "exp_sweep_commit")]
    prose = [line for line in info.splitlines() if not line.startswith(tuple(labels))]
    assert len(prose) == len(data["settings"]) and [line for line in prose if _english(line)] == []
    assert any("只有每个效果的方向可比" in line for line in prose)
    # The same cells in English are the file's own text.
    english = handlers.results_view("en")
    assert [row[1] for row in english[1]["data"]] == [row["variant"] for row in data["rows"]]
    assert [row[2] for row in english[3]["data"]] == [row["ours"] for row in data["claims"]]
    assert data["settings"]["note"] in english[0]


def test_the_chinese_claims_keep_every_number():
    """Translating a claim changes its words, never its numbers."""
    data = json.loads(handlers.RESULTS_PATH.read_text(encoding="utf-8"))
    _, _, _, claims = handlers.results_view("zh")
    number = re.compile(r"\d+(?:\.\d+)?")
    for row, source in zip(claims["data"], data["claims"]):
        for cell, key in zip(row, ("claim", "paper", "ours")):
            assert number.findall(cell) == number.findall(source[key]), (cell, source[key])


def test_an_unknown_phrase_stays_as_written(tmp_path):
    """A label a later run adds is shown as written, not dropped or half-translated."""
    changed = json.loads(json.dumps(SAMPLE_RESULTS))
    changed["rows"][0]["variant"] = "forward, with dropout 0.5"
    path = tmp_path / "results.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    info, results, _, _ = handlers.results_view("zh", path)
    assert results["data"][0][1] == "正序, with dropout 0.5"
    assert "<b>short runs</b>" in info  # a note we have no translation of, as written
    assert set(strings("zh")) == set(strings("en"))
