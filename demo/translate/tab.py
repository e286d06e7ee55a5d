"""The Translate tab: type a sentence, watch the model translate it, look inside every step."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import gradio as gr

from ..canvas import Canvas
from ..fairness import TRANSLATE, group
from ..validate import MAX_BEAM, MAX_STEPS, MAX_TOP_K
from ..widgets import DIRECTION_CHOICES, MAX_TYPED_CHARS, T, components, paint, plot
from . import compare, forcing, handlers, link

EXAMPLES = json.loads((Path(__file__).with_name("examples.json")).read_text(encoding="utf-8"))
NBEST_HEADERS = ["#", "translation · 译文", "log P", "log P / length", "<eos>"]  # until the first result
OPENING_SENTENCE = handlers.OPENING_SENTENCE


def build(demo: gr.Blocks) -> tuple[gr.Textbox, Callable[[], None]]:
    """The tab's components and events (inside the Tab); returns the sentence box, which other tabs follow,
    and what paints the opening sentence into the page before launch (`paint_opening`)."""
    # A visitor's session opens on the opening sentence's (handlers.OPENING): only a shared link's load writes it.
    session = gr.State(handlers.OPENING, time_to_live=handlers.STATE_SECONDS)
    with gr.Row(equal_height=False):
        with gr.Column(scale=4, min_width=320):
            text = gr.Textbox(
                value=OPENING_SENTENCE,
                label=T("input_label"),
                placeholder=T("input_placeholder"),
                lines=1,
                max_lines=6,
                max_length=MAX_TYPED_CHARS,
                autofocus=True,
            )
            direction = gr.Radio(DIRECTION_CHOICES, value="auto", label=T("direction"))
            # One control for how to decode, beside the sentence: width 1 is greedy, more is beam search.
            beam_size = gr.Slider(
                1, MAX_BEAM, value=link.DEFAULTS.beam_size, step=1, label=T("beam_width"), info=T("beam_width_info")
            )
            button = gr.Button(T("translate"), variant="primary")
            showcase = [[example["text"]] for example in EXAMPLES["showcase"]]
            examples = gr.Examples(
                showcase, inputs=[text], label=T("examples"), cache_examples=False, examples_per_page=12
            )
        with gr.Column(scale=3, min_width=320):
            translation = gr.Textbox(
                label=T("translation"),
                interactive=False,
                lines=1,
                elem_classes="translation",
                buttons=["copy"],
            )
            details = gr.Textbox(label=T("details"), interactive=False, lines=3)
            # Every word in a box of its own ("seen" is light grey), so a count never runs into the next.
            spans = {"color_map": {"<unk>": "red", "rare": "orange", "seen": "#e5e7eb"}, "show_inline_category": False}
            source_words = gr.HighlightedText(label=T("source_tokens"), elem_classes="word-chips", **spans)
        with gr.Column(scale=2, min_width=260):  # where the model fails, beside what it did
            lessons = [[lesson["text"]] for lesson in EXAMPLES["lessons"]]
            # Example labels are plain strings, not gr.I18n: both languages, as on the choice lists.
            labels = [
                f"{lesson['text']} — {lesson['label']['en']} · {lesson['label']['zh']}"
                for lesson in EXAMPLES["lessons"]
            ]
            lesson_examples = gr.Examples(
                lessons, inputs=[text], label=T("lessons"), cache_examples=False, example_labels=labels
            )
    with gr.Accordion(T("settings_title"), open=False):
        with gr.Row():
            top_k = gr.Slider(1, MAX_TOP_K, value=10, step=1, label=T("top_k"))
            max_length = gr.Slider(0, MAX_STEPS, value=0, step=1, label=T("max_length"))
    model_view = Canvas()
    with gr.Accordion(T("nbest_title"), open=False):
        gr.Markdown(T("nbest_note"))
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
        gr.Markdown(T("whatif_note"))
        whatif_plot = plot()
    units_open = gr.State(False, time_to_live=handlers.STATE_SECONDS)  # whether "all units" is open
    own = gr.State(None, time_to_live=handlers.STATE_SECONDS)  # the model's own session while a what-if is drawn
    with gr.Accordion(T("all_units_title"), open=False) as all_units_view:
        gr.Markdown(T("all_units_note"))
        with gr.Row():
            context_plot, encoder_plot = plot(), plot()
        outputs_plot = plot()
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
                    compare_outputs += components(
                        compare.Column,
                        translation=gr.Textbox(label=T("translation"), interactive=False, lines=2),
                        details=gr.Textbox(label=T("details"), interactive=False, lines=4),
                        context=plot(),
                        top_k=plot(),
                    )

    inputs = [text, direction, beam_size, top_k, max_length]
    named = {
        "translation": translation,
        "details": details,
        "canvas": model_view,
        "source_words": source_words,
        "nbest": nbest,
        "whatif_step": whatif_step,
        "whatif_token": whatif_token,
        "session": session,
    }
    outputs = components(handlers.TranslateOutputs, **named)
    units = [context_plot, encoder_plot, outputs_plot]
    private = {"api_visibility": "private"}
    # What decodes runs in the translations' own concurrency group: it never waits behind the Context lab.
    decoding_event = {**private, **group(TRANSLATE)}
    # The page opens on the opening sentence, painted before launch (`paint_opening`); the load only puts its
    # details and n-best in the visitor's language, unless the URL is a shared link (`link.py`): then it
    # translates that. Every event of the visitor's own cancels the load, so an answer that comes late never
    # writes over their translation.
    opening = components(link.LoadOutputs, text=text, direction=direction, beam=beam_size, shown=outputs)
    load = demo.load(link.open_page, None, opening, show_progress="hidden", **decoding_event)
    # Every way to ask for a translation draws it on the canvas; the "all units" figures follow when that
    # view is open.
    asking = [button.click, text.submit, examples.dataset.click, lesson_examples.dataset.click]
    triggers = [button.click, text.submit, examples.load_input_event.then, lesson_examples.load_input_event.then]
    for trigger in triggers:
        event = trigger(handlers.translate_page, inputs, outputs, show_progress="minimal", **decoding_event)
        event.then(handlers.all_units, [session, units_open], units, show_progress="hidden", **decoding_event)
    # `input`, not `change`: a link's load sets the direction, and that is no reason to translate again.
    settings_changed = [direction.input, beam_size.release, top_k.release, max_length.release]
    gr.on(settings_changed, handlers.rerun, inputs, outputs, show_progress="minimal", **decoding_event).then(
        handlers.all_units, [session, units_open], units, show_progress="hidden", **decoding_event
    )
    # Gradio's `cancels=` on a `.then` never fires: the visitor's own clicks cancel the load, in one listener.
    gr.on(asking + settings_changed, None, None, None, cancels=[load], **private)
    # A step selected on the canvas (the what-if menus follow), a candidate clicked (forced: the canvas draws the
    # decoder going on from it), or "back" to the model's own choice.
    clicked = components(
        forcing.ClickOutputs,
        whatif_step=whatif_step,
        whatif_token=whatif_token,
        whatif_original=whatif_original,
        whatif_result=whatif_result,
        whatif_plot=whatif_plot,
        canvas=model_view,
        session=session,
        own=own,
    )
    # "multiple": Gradio's default ("once") drops a click while the last one is pending, so a candidate forced
    # just after its step was selected would be lost on a busy server.
    model_view.click(
        forcing.clicked,
        [session, own, top_k],
        clicked,
        show_progress="hidden",
        trigger_mode="multiple",
        **decoding_event,
    )
    all_units_view.expand(lambda: True, None, units_open, **private).then(
        handlers.all_units, [session, units_open], units, **decoding_event
    )
    all_units_view.collapse(lambda: False, None, units_open, **private)
    whatif_step.change(handlers.pick_step, [session, whatif_step], whatif_token, **private)
    whatif_inputs = [session, whatif_step, whatif_token, top_k]
    whatif_outputs = [whatif_original, whatif_result, whatif_plot]
    whatif_button.click(handlers.what_if, whatif_inputs, whatif_outputs, **decoding_event)
    compare_inputs = [text, direction, beam_size, compare_a, compare_b]
    compare_button.click(compare.compare, compare_inputs, compare_outputs, **decoding_event)
    compare_view.expand(compare.open_view, compare_inputs, compare_outputs, **decoding_event)
    return text, lambda: paint_opening(named)


def paint_opening(named: dict[str, gr.components.Component]) -> None:
    """The opening sentence, translated and drawn, set as the outputs' values before launch builds the page's
    config, which the browser draws the page from (with server-side rendering too): the first paint shows it
    with no load event, yet nothing is decoded at import."""
    shown = handlers.opening_view().shown
    for name, component in named.items():
        if name != "session":  # the state's value stays handlers.OPENING
            paint(component, getattr(shown, name))


def register_api() -> None:
    """The tab's named endpoint: /translate."""
    gr.api(handlers.translate_api, api_name="translate", **group(TRANSLATE))
