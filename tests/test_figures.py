"""The demo's Plotly figures, built from real traces of the real English↔Chinese models."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from demo import plotting, trace_figures
from demo.model import figures as model_figures
from demo.translate import figures as translate_figures
from seq2seq.pipeline import Translator

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = {
    "en-zh": ["assets/models/en-zh", "runs/tokenization/en-zh.char.lower"],
    "zh-en": ["assets/models/zh-en", "runs/tokenization/zh-en.char.lower"],
}
CASES = {  # name -> (direction, sentence, beam size)
    "en-zh greedy": ("en-zh", "John admires Mary.", 1),
    "en-zh beam, markup": ("en-zh", "I like <b>tea</b>", 5),
    "zh-en greedy, markup": ("zh-en", "我喜欢<b>茶</b>", 1),
    "zh-en beam, unknown": ("zh-en", "我喜欢龘。", 5),
}
RAW = ["<b>", "</b>", "<eos>", "<unk>", "<sos>", "<script>"]  # must never reach a figure unescaped


def model_dir(direction: str) -> Path:
    for candidate in CANDIDATES[direction]:
        if (ROOT / candidate / "config.json").exists():
            return ROOT / candidate
    raise FileNotFoundError(f"no {direction} model in {CANDIDATES[direction]}")


@pytest.fixture(scope="module")
def translators() -> dict[str, Translator]:
    return {direction: Translator.load(model_dir(direction)) for direction in CANDIDATES}


@pytest.fixture(scope="module")
def results(translators) -> dict:
    return {
        name: translators[direction].translate(text, beam_size=beam, top_k=10, keep_distributions=True)
        for name, (direction, text, beam) in CASES.items()
    }


def all_figures(trace, vocabulary=None) -> list:
    return [
        trace_figures.context_heatmap(trace),
        translate_figures.encoder_states_heatmap(trace),
        trace_figures.topk_heatmap(trace),
        translate_figures.decoder_outputs_heatmap(trace),
    ]


def rows(z) -> list[list[float]]:
    return [list(row) for row in z]


def test_label_escapes_markup():
    assert plotting.label("<eos>") == "&lt;eos&gt;"
    assert plotting.label("<script>") == "&lt;script&gt;"
    assert plotting.label("a&b") == "a&amp;b"
    assert plotting.label("我") == "我"
    assert "<script>" not in plotting.empty_figure("<script>alert(1)</script>").to_json()


def test_the_cases_cover_beam_greedy_unknown_and_markup(results):
    assert results["zh-en beam, unknown"].unknown
    assert "<" in results["en-zh beam, markup"].unknown
    assert results["en-zh greedy"].trace.beam_tree == []
    assert results["en-zh beam, markup"].trace.beam_tree


@pytest.mark.parametrize("name", CASES)
def test_every_figure_serialises_without_raw_markup(results, translators, name):
    trace = results[name].trace
    vocabulary = translators[CASES[name][0]].tgt_vocab.idx2word
    for fig in all_figures(trace, vocabulary):
        text = fig.to_json()
        assert "Noto Sans CJK SC" in fig.layout.template.layout.font.family
        assert fig.layout.height >= 400
        for raw in RAW:
            assert raw not in text, raw
    assert "&lt;eos&gt;" in trace_figures.topk_heatmap(trace).to_json()


def test_user_tokens_with_markup_stay_literal(results):
    trace = copy.deepcopy(results["en-zh beam, markup"].trace)
    for step in trace.steps:
        step.token = "<script>"
        step.top_k[0].token = "<b>x</b>"
    trace.read_tokens = ["<script>"] * len(trace.read_tokens)
    for fig in all_figures(trace):
        text = fig.to_json()
        assert "<script>" not in text and "<b>" not in text
    assert "&lt;script&gt;" in translate_figures.encoder_states_heatmap(trace).to_json()


def test_context_heatmap_shows_h_and_c_of_every_layer(results):
    trace = results["en-zh greedy"].trace
    h, c = trace_figures.context_heatmap(trace).data
    layers = range(1, len(trace.context_h) + 1)
    assert list(h.y) == [f"h layer {i}" for i in layers] and list(c.y) == [f"c layer {i}" for i in layers]
    assert rows(h.z) == trace.context_h
    assert rows(c.z) == trace.context_c
    assert h.zmid == 0 and c.zmid == 0  # each on its own scale, centred at 0


def test_encoder_states_rows_follow_the_reading_order(results):
    trace = results["zh-en beam, unknown"].trace
    fig = translate_figures.encoder_states_heatmap(trace)
    heat = fig.data[0]
    assert rows(heat.z) == trace.encoder_states
    assert len(heat.y) == len(trace.read_tokens)
    assert heat.y[-1].endswith("&lt;eos&gt;")
    assert any(plotting.UNK_COLOR in y for y in heat.y)  # the unknown character is marked
    assert "reversed" in fig.layout.title.text


def test_decoder_outputs_are_the_step_outputs(results):
    trace = results["zh-en greedy, markup"].trace
    heat = translate_figures.decoder_outputs_heatmap(trace).data[0]
    assert rows(heat.z) == [step.output for step in trace.steps]
    assert len(heat.y) == len(trace.steps)


@pytest.mark.parametrize("name", ["en-zh greedy", "en-zh beam, markup"])
def test_topk_heatmap_has_a_row_per_step_and_outlines_the_choice(results, name):
    trace = results[name].trace
    fig = trace_figures.topk_heatmap(trace)
    heat = fig.data[0]
    assert len(heat.z) == len(trace.steps)
    for row, step in zip(heat.z, trace.steps):
        assert list(row) == [c.prob for c in step.top_k]
    in_top = [
        (i, [c.token_id for c in s.top_k].index(s.token_id) + 1)
        for i, s in enumerate(trace.steps)
        if s.token_id in [c.token_id for c in s.top_k]
    ]
    assert [(round(s.y0 + 0.5), round(s.x0 + 0.5)) for s in fig.layout.shapes] == in_top


def training_history() -> list[dict]:
    """The history of the first model directory that has one (training.json is optional); else a stand-in."""
    for candidate in CANDIDATES["en-zh"] + CANDIDATES["zh-en"]:
        path = ROOT / candidate / "training.json"
        if path.is_file() and json.loads(path.read_text(encoding="utf-8")).get("history"):
            return json.loads(path.read_text(encoding="utf-8"))["history"]
    return [{"epoch": e, "train_loss": 5.0 / e, "valid_loss": 5.5 / e, "valid_bleu": 3.0 * e} for e in (1, 2, 3)]


def test_training_curves():
    history = training_history()
    fig = model_figures.training_curves(history)
    by_name = {d.name: d for d in fig.data}
    assert list(by_name["train loss"].y) == [row["train_loss"] for row in history]
    assert list(by_name["valid loss"].x) == [row["epoch"] for row in history]
    assert by_name["valid BLEU"].yaxis == "y2"
    fig.to_json()
    assert model_figures.training_curves([]).layout.annotations


def test_figures_speak_chinese_when_asked(results, translators):
    trace = results[next(iter(CASES))].trace
    assert trace_figures.context_heatmap(trace, "zh").layout.title.text.startswith("上下文向量")
    assert translate_figures.decoder_outputs_heatmap(trace, "zh").layout.title.text.startswith("解码器")
    assert trace_figures.context_heatmap(trace).layout.title.text.startswith("Context vector")
