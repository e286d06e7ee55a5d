"""The Blocks: what is on the page and which handler each event calls."""

from __future__ import annotations

import gradio as gr

from . import experiments_tab, handlers, lab_tab, model_tab
from .figures import empty_figure
from .i18n import i18n

T = i18n()

EXAMPLES = [
    ["John admires Mary."],
    ["Mary admires John."],
    ["欢迎来北京。"],
    ["Welcome to Beijing."],
    ["I don't know what to do."],
    ["我們明天去看電影吧。"],
    ["Where is the train station?"],
    ["他每天早上喝咖啡。"],
]

CSS = """
.translation textarea { font-size: 1.5rem !important; line-height: 1.4; }
footer { display: none !important; }
"""


def _plot() -> gr.Plot:
    return gr.Plot(value=empty_figure(""), show_label=False)


def build_demo() -> gr.Blocks:
    with gr.Blocks(title="Seq2seq explained · 序列到序列图解") as demo:
        session = gr.State(None)
        gr.Markdown(T("title"), elem_classes="title")
        gr.Markdown(T("subtitle"))
        with gr.Tabs():
            with gr.Tab(T("tab_translate")):
                with gr.Row():
                    with gr.Column(scale=3):
                        text = gr.Textbox(
                            label=T("input_label"), placeholder=T("input_placeholder"), lines=2, max_lines=6,
                            max_length=10_000, autofocus=True,
                        )  # fmt: skip
                        with gr.Row():
                            direction = gr.Radio(
                                [("Auto · 自动", "auto"), ("English → 中文", "en-zh"), ("中文 → English", "zh-en")],
                                value="auto", label=T("direction"),
                            )  # fmt: skip
                            decoding = gr.Radio([("Greedy · 贪心", "greedy"), ("Beam · 束搜索", "beam")],
                                                value="beam", label=T("decoding"))  # fmt: skip
                        button = gr.Button(T("translate"), variant="primary")
                    with gr.Column(scale=2):
                        beam_size = gr.Slider(1, 12, value=5, step=1, label=T("beam_size"))
                        top_k = gr.Slider(1, 20, value=10, step=1, label=T("top_k"))
                        max_length = gr.Slider(0, 200, value=0, step=1, label=T("max_length"))
                gr.Examples(EXAMPLES, inputs=[text], label=T("examples"), cache_examples=False)
                with gr.Row():
                    translation = gr.Textbox(label=T("translation"), interactive=False, lines=2,
                                             elem_classes="translation", buttons=["copy"])  # fmt: skip
                    details = gr.Textbox(label=T("details"), interactive=False, lines=4)
                source_tokens = gr.HighlightedText(label=T("source_tokens"), color_map={"<unk>": "red"},
                                                   show_inline_category=False)  # fmt: skip
                read_tokens = gr.HighlightedText(label=T("read_tokens"), color_map={"<unk>": "red"},
                                                 show_inline_category=False)  # fmt: skip

                with gr.Accordion(T("context_title"), open=True):
                    with gr.Row():
                        context_plot = _plot()
                        encoder_plot = _plot()
                with gr.Accordion(T("decoder_title"), open=True):
                    topk_plot = _plot()
                    step = gr.Slider(1, 2, value=1, step=1, label=T("step"))
                    with gr.Row():
                        distribution_plot = _plot()
                        lines_plot = _plot()
                    outputs_plot = _plot()
                with gr.Accordion(T("beam_title"), open=True):
                    beam_plot = _plot()
                    nbest = gr.Dataframe(
                        headers=["#", "translation · 译文", "log P", "log P / length", "<eos>"],
                        label=T("n_best"), interactive=False, wrap=True,
                    )  # fmt: skip
                with gr.Accordion(T("whatif_title"), open=True):
                    gr.Markdown(T("whatif_help"))
                    with gr.Row():
                        whatif_step = gr.Dropdown([], label=T("whatif_step"), interactive=True)
                        whatif_token = gr.Dropdown([], label=T("whatif_token"), interactive=True)
                        whatif_button = gr.Button(T("whatif_run"))
                    with gr.Row():
                        whatif_original = gr.Textbox(label=T("whatif_original"), interactive=False, lines=2)
                        whatif_result = gr.Textbox(label=T("whatif_result"), interactive=False, lines=2)
                    whatif_plot = _plot()
                with gr.Accordion(T("compare_title"), open=False):
                    gr.Markdown(T("compare_help"))
                    with gr.Row():
                        choices = handlers.model_choices()
                        compare_a = gr.Dropdown(choices, value="reversed", label=T("compare_a"))
                        compare_b = gr.Dropdown(choices, value="forward", label=T("compare_b"))
                        compare_button = gr.Button(T("compare_run"))
                    compare_outputs = []
                    with gr.Row():
                        for _ in range(2):
                            with gr.Column():
                                compare_outputs += [
                                    gr.Textbox(label=T("translation"), interactive=False, lines=2),
                                    gr.Textbox(label=T("details"), interactive=False, lines=4),
                                    _plot(),
                                    _plot(),
                                ]
            with gr.Tab(T("lab_tab")):
                lab_tab.build()
            with gr.Tab(T("tab_experiments")) as experiments_page:
                experiments_tab.build(experiments_page)
            with gr.Tab(T("tab_model")):
                gr.Markdown(T("model_intro"))
                model_views = model_tab.build()

        inputs = [text, direction, decoding, beam_size, top_k, max_length]
        outputs = [
            translation, details, source_tokens, read_tokens, context_plot, encoder_plot, topk_plot, step,
            distribution_plot, lines_plot, outputs_plot, beam_plot, nbest, whatif_step, whatif_token, session,
        ]  # fmt: skip
        for trigger in (button.click, text.submit):
            trigger(handlers.translate_stream, inputs, outputs, api_visibility="private", show_progress="minimal")
        step.change(handlers.show_step, [session, step], distribution_plot, api_visibility="private",
                    show_progress="hidden")  # fmt: skip
        whatif_step.change(handlers.pick_step, [session, whatif_step], whatif_token, api_visibility="private")
        whatif_button.click(handlers.what_if, [session, whatif_step, whatif_token, top_k],
                            [whatif_original, whatif_result, whatif_plot], api_visibility="private")  # fmt: skip
        compare_button.click(handlers.compare, [text, direction, decoding, beam_size, compare_a, compare_b],
                             compare_outputs, api_visibility="private")  # fmt: skip
        gr.api(handlers.translate_api, api_name="translate")
        lab_tab.register_api()
        # Model cards and curves are read when a page opens, not when the module is imported.
        demo.load(model_tab.fill, None, model_views, api_visibility="private", show_progress="hidden")
    return demo


def launch_options() -> dict:
    """What goes to launch(): in Gradio 6 theme, css and i18n belong there, not to Blocks()."""
    return {"theme": gr.themes.Soft(primary_hue="indigo"), "css": CSS, "i18n": T}
