"""The Translate tab: type a sentence, watch the model translate it, look inside every step."""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr

from ..widgets import DIRECTION_CHOICES, MAX_TYPED_CHARS, T, plot
from . import compare, handlers
from .canvas import canvas

EXAMPLES = json.loads((Path(__file__).with_name("examples.json")).read_text(encoding="utf-8"))
DECODING_CHOICES = [("Greedy · 贪心", "greedy"), ("Beam · 束搜索", "beam")]
NBEST_HEADERS = ["#", "translation · 译文", "log P", "log P / length", "<eos>"]  # until the first result


def build() -> None:
    """The tab's components and events (inside the Tab)."""
    session = gr.State(None, time_to_live=handlers.STATE_SECONDS)
    with gr.Row():
        with gr.Column(scale=3):
            text = gr.Textbox(
                label=T("input_label"),
                placeholder=T("input_placeholder"),
                lines=2,
                max_lines=6,
                max_length=MAX_TYPED_CHARS,
                autofocus=True,
            )
            with gr.Row():
                direction = gr.Radio(DIRECTION_CHOICES, value="auto", label=T("direction"))
                decoding = gr.Radio(DECODING_CHOICES, value="beam", label=T("decoding"))
            button = gr.Button(T("translate"), variant="primary")
        with gr.Column(scale=2):
            beam_size = gr.Slider(1, 12, value=5, step=1, label=T("beam_size"))
            top_k = gr.Slider(1, 20, value=10, step=1, label=T("top_k"))
            max_length = gr.Slider(0, 200, value=0, step=1, label=T("max_length"))
    with gr.Row():
        showcase = [[example["text"]] for example in EXAMPLES["showcase"]]
        gr.Examples(showcase, inputs=[text], label=T("examples"), cache_examples=False, examples_per_page=12)
        lessons = [[lesson["text"]] for lesson in EXAMPLES["lessons"]]
        # Example labels are plain strings, not gr.I18n: both languages, as on the choice lists.
        labels = [
            f"{lesson['text']} — {lesson['label']['en']} · {lesson['label']['zh']}" for lesson in EXAMPLES["lessons"]
        ]
        gr.Examples(lessons, inputs=[text], label=T("lessons"), cache_examples=False, example_labels=labels)
    model_view = canvas()
    with gr.Row():
        translation = gr.Textbox(
            label=T("translation"), interactive=False, lines=2, elem_classes="translation", buttons=["copy"]
        )
        details = gr.Textbox(label=T("details"), interactive=False, lines=4)
    spans = {"color_map": {"<unk>": "red", "rare": "orange"}, "show_inline_category": False}
    source_tokens = gr.HighlightedText(label=T("source_tokens"), **spans)
    read_tokens = gr.HighlightedText(label=T("read_tokens"), **spans)

    with gr.Accordion(T("context_title"), open=True):
        with gr.Row():
            context_plot, encoder_plot = plot(), plot()
    with gr.Accordion(T("decoder_title"), open=True):
        topk_plot = plot()
        step = gr.Slider(1, 2, value=1, step=1, label=T("step"))
        with gr.Row():
            distribution_plot, lines_plot = plot(), plot()
        outputs_plot = plot()
    with gr.Accordion(T("beam_title"), open=True):
        beam_plot = plot()
        nbest = gr.Dataframe(headers=NBEST_HEADERS, label=T("n_best"), interactive=False, wrap=True)
    with gr.Accordion(T("whatif_title"), open=True):
        gr.Markdown(T("whatif_help"))
        with gr.Row():
            whatif_step = gr.Dropdown([], label=T("whatif_step"), interactive=True)
            whatif_token = gr.Dropdown([], label=T("whatif_token"), interactive=True)
            whatif_button = gr.Button(T("whatif_run"))
        with gr.Row():
            whatif_original = gr.Textbox(label=T("whatif_original"), interactive=False, lines=2)
            whatif_result = gr.Textbox(label=T("whatif_result"), interactive=False, lines=2)
        whatif_plot = plot()
    with gr.Accordion(T("compare_title"), open=False) as compare_view:
        gr.Markdown(T("compare_help"))
        with gr.Row():
            choices = compare.model_choices()
            compare_a = gr.Dropdown(choices, value=compare.OPENING_MODELS[0], label=T("compare_a"))
            compare_b = gr.Dropdown(choices, value=compare.OPENING_MODELS[1], label=T("compare_b"))
            compare_button = gr.Button(T("compare_run"))
        compare_outputs = []
        with gr.Row():
            for _ in range(2):
                with gr.Column():
                    compare_outputs += [
                        gr.Textbox(label=T("translation"), interactive=False, lines=2),
                        gr.Textbox(label=T("details"), interactive=False, lines=4),
                        plot(),
                        plot(),
                    ]

    inputs = [text, direction, decoding, beam_size, top_k, max_length]
    outputs = [
        translation,
        details,
        model_view,
        source_tokens,
        read_tokens,
        context_plot,
        encoder_plot,
        topk_plot,
        step,
        distribution_plot,
        lines_plot,
        outputs_plot,
        beam_plot,
        nbest,
        whatif_step,
        whatif_token,
        session,
    ]
    private = {"api_visibility": "private"}
    for trigger in (button.click, text.submit):
        trigger(handlers.translate_stream, inputs, outputs, show_progress="minimal", **private)
    step.change(handlers.show_step, [session, step], distribution_plot, show_progress="hidden", **private)
    whatif_step.change(handlers.pick_step, [session, whatif_step], whatif_token, **private)
    whatif_inputs = [session, whatif_step, whatif_token, top_k]
    whatif_button.click(handlers.what_if, whatif_inputs, [whatif_original, whatif_result, whatif_plot], **private)
    compare_inputs = [text, direction, decoding, beam_size, compare_a, compare_b]
    compare_button.click(compare.compare, compare_inputs, compare_outputs, **private)
    compare_view.expand(compare.open_view, compare_inputs, compare_outputs, **private)


def register_api() -> None:
    """The tab's named endpoint: /translate."""
    gr.api(handlers.translate_api, api_name="translate")
