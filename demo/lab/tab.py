"""The Context lab tab: edit the context vector, blend two, occlude source words, score a reference,
round-trip, find the nearest training sentences, and export a trace."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import gradio as gr

from .. import service
from ..fairness import LAB, group
from ..i18n import message
from ..validate import MAX_SPEC_CHARS
from ..widgets import DIRECTION_CHOICES, PRIVATE, T, box, components, paint, plot, sentence, table
from . import api, handlers, views

if TYPE_CHECKING:
    from ..page import Page

# Choice labels are not localised by gr.I18n: they carry both languages, as on the Translate tab.
PART_CHOICES = [("h and c · h 和 c", "both"), ("h", "h"), ("c", "c")]
OPERATION_CHOICES = [("zero · 置零", "zero"), ("scale · 缩放", "scale"), ("add noise · 加噪声", "noise")]
MODE_CHOICES = [("drop · 删去", "drop"), ("<unk> · 换成 <unk>", "unk")]
DECODING_CHOICES = [("Greedy · 贪心", "greedy"), ("Beam 5 · 束搜索 5", "beam")]
EXAMPLES = [  # sentence, sentence B, a reference translation of the sentence
    ["John admires Mary.", "Mary admires John.", "约翰钦佩玛丽。"],
    ["I like tea.", "I like coffee.", "我喜欢茶。"],
    list(handlers.OPENING),  # the sentence the page opens on, and the tab's opening blend
    ["我爱你。", "我恨你。", "I love you."],
    ["他每天早上喝咖啡。", "她每天晚上喝茶。", "He drinks coffee every morning."],
]
EXAMPLE_HEADERS = ["Sentence · 句子", "Sentence B · 句子 B", "Reference · 参考译文"]
# Every probe runs in the lab's concurrency group, one at a time: translations never wait behind them.
LAB_EVENT = {**PRIVATE, **group(LAB)}


# Sections whose results wait for their button: until a section first runs in this page, its results column is
# hidden (CSS below), so the tab opens on what to try and what to expect, not on empty boxes and blank charts.
WAITING = ("interpolation", "surgery", "occlusion", "reference", "round", "neighbours", "export")
CSS = "\n".join(f"body:not(.lab-ran-{name}) #lab-results-{name}.lab-waiting {{ display: none; }}" for name in WAITING)


def results(name: str, waiting: bool = True) -> gr.Column:
    """The column that holds a section's results; hidden until the section first runs, where `waiting`."""
    return gr.Column(elem_id=f"lab-results-{name}", elem_classes=["lab-waiting"] if waiting else None)


def run_section(name: str, triggers: Sequence, fn: Callable, inputs: list, outputs: list) -> None:
    """`fn` on each of `triggers`, in the lab's concurrency group; the section's results are shown as it starts
    (a class on the page's body, set in the browser: no request), under Gradio's progress."""
    for trigger in triggers:
        trigger(fn, inputs, outputs, **LAB_EVENT)
    js = f"() => {{ document.body.classList.add('lab-ran-{name}'); }}"
    gr.on(list(triggers), None, None, None, js=js, api_visibility="private")


def layer_count() -> int:
    """Encoder layers of the shipped models, from their config.json (no weights loaded); 2 when unreadable."""
    counts = []
    for direction in service.DIRECTIONS:
        try:
            config = json.loads((service.MODELS_DIR / direction / "config.json").read_text(encoding="utf-8"))
            counts.append(int(config["num_layers"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return min(counts, default=2)


def layer_choices(layers: int) -> list[tuple[str, str]]:
    """'all', then each layer counted from 1 (the bottom), as the context heatmap labels them."""
    names = {1: "1 (bottom · 底层)", layers: f"{layers} (top · 顶层)"} if layers > 1 else {}
    return [("all · 全部", "all")] + [(names.get(i, str(i)), str(i)) for i in range(1, layers + 1)]


def both_languages(keys: Sequence[str]) -> list[str]:
    """Column headers until the first result, in both languages (gr.I18n does not reach a table's headers)."""
    return [" · ".join(dict.fromkeys(message(key, lang) for lang in ("en", "zh"))) for key in keys]


def build(opening: str = "", page: Page | None = None) -> gr.Textbox:
    """The tab's components and events (inside the Tab), the sentence box opening on `opening`; returns the
    sentence box (sentence A), which the page may fill from another tab. When `opening` is the sentence of
    handlers.OPENING, every section opens ready to run on its example, and on the `page` the interpolation
    opens finished: painted before launch, then put in the visitor's language by a load event."""
    worked = opening == handlers.OPENING.text  # the examples and notes below are about this sentence
    opens_finished = page is not None and worked  # the blend is painted before launch (open_on_blend)
    gr.Markdown(T("lab_intro"))
    with gr.Row():
        text = sentence("lab_sentence", "lab_placeholder", value=opening, scale=3, elem_id="lab-text")
        direction = gr.Radio(DIRECTION_CHOICES, value="auto", label=T("direction"), scale=2)
    # Sentence B and the reference sit in their own sections; created here so the examples can fill them.
    text_b = sentence(
        "lab_text_b", "lab_b_placeholder", value=handlers.OPENING.text_b if worked else "", scale=3, render=False
    )
    reference = sentence(
        "lab_reference", "lab_reference_placeholder", value=handlers.OPENING.reference if worked else "", render=False
    )
    examples = gr.Examples(EXAMPLES, inputs=[text, text_b, reference], label=T("lab_examples"), cache_examples=False)
    # The examples table would print the gr.I18n labels as raw metadata for its headers: name them here.
    examples.dataset.headers = EXAMPLE_HEADERS

    # The blend comes first and opens finished (see `open_on_blend`): the tab opens on a result. The other
    # sections wait, ready to run on their example, each with what to try and what to expect.
    with gr.Accordion(T("lab_interp_title"), open=True):
        gr.Markdown(T("lab_interp_help"))
        gr.Markdown(T("lab_interp_notice"))
        with gr.Row():
            text_b.render()
            alpha = gr.Slider(0, 1, value=handlers.OPENING_ALPHA, step=0.05, label=T("lab_alpha"), scale=2)
        interp_button = gr.Button(T("lab_interp_run"), variant="primary")
        with results("interpolation", waiting=not opens_finished):
            with gr.Row():
                at_alpha = box("lab_at_alpha")
                translation_a = box("lab_translation_a")
                translation_b = box("lab_translation_b")
            interp_summary = box("lab_interp_result", lines=3, elem_classes="lab-result")
            interp_plot = plot("lab-interpolation")
            alpha_headers = both_languages(views.ALPHA_HEADERS)
            alphas = table("lab_alpha_table", headers=alpha_headers, column_widths=["16%", "60%", "24%"])

    with gr.Accordion(T("lab_surgery_title"), open=True):
        gr.Markdown(T("lab_surgery_help"))
        gr.Markdown(T("lab_surgery_try"))
        with gr.Row():
            part = gr.Radio(PART_CHOICES, value="c", label=T("lab_part"))
            layer = gr.Radio(layer_choices(layer_count()), value="all", label=T("lab_layer"))
            units = gr.Textbox(value="0-95", label=T("lab_units"), max_lines=1, max_length=MAX_SPEC_CHARS)
        with gr.Row():
            operation = gr.Radio(OPERATION_CHOICES, value="zero", label=T("lab_operation"))
            amount = gr.Slider(-2, 5, value=0.5, step=0.05, label=T("lab_amount"))
            seed = gr.Number(value=0, precision=0, label=T("lab_seed"))
        surgery_button = gr.Button(T("lab_surgery_run"), variant="primary", elem_id="lab-surgery-run")
        with results("surgery"):
            with gr.Row():
                original = box("lab_original")
                altered = box("lab_altered", elem_id="lab-altered")
            surgery_summary = box("lab_surgery_result", lines=4, elem_classes="lab-result")
            kl_plot = plot("lab-kl")
            steps = table("lab_steps", headers=both_languages(views.STEP_HEADERS))
            with gr.Row():
                before, after = plot(), plot()

    with gr.Accordion(T("lab_occlude_title"), open=True):
        gr.Markdown(T("lab_occlude_help"))
        gr.Markdown(T("lab_occlude_try"))
        with gr.Row():
            mode = gr.Radio(MODE_CHOICES, value="drop", label=T("lab_mode"), scale=3)
            occlude_button = gr.Button(T("lab_occlude_run"), variant="primary", scale=1)
        with results("occlusion"):
            occlude_summary = box("lab_occlude_result", lines=3, elem_classes="lab-result")
            with gr.Row():
                occlude_bars, occlude_heat = plot("lab-occlusion"), plot()
            occluded = table("lab_tokens_table", headers=both_languages(views.OCCLUSION_HEADERS))

    with gr.Accordion(T("lab_reference_title"), open=True):
        gr.Markdown(T("lab_reference_help"))
        gr.Markdown(T("lab_reference_try"))
        with gr.Row():
            reference.render()
        reference_button = gr.Button(T("lab_reference_run"), variant="primary")
        with results("reference"):
            with gr.Row():
                model_translation = box("space_translation")
                reference_summary = box("lab_reference_result", lines=4, elem_classes="lab-result")
            reference_plot = plot("lab-reference")
            reference_steps = table("lab_steps", headers=both_languages(views.REFERENCE_HEADERS))

    with gr.Accordion(T("lab_round_title"), open=True):
        gr.Markdown(T("lab_round_help"))
        gr.Markdown(T("lab_round_try"))
        round_button = gr.Button(T("lab_round_run"), variant="primary")
        with results("round"):
            with gr.Row():
                there, back = box("lab_there"), box("lab_back")
            round_summary = box("lab_round_result", lines=3, elem_classes="lab-result")
            with gr.Row():
                there_plot, back_plot = plot(), plot()

    with gr.Accordion(T("lab_neighbours_title"), open=True):
        gr.Markdown(T("lab_neighbours_help"))
        gr.Markdown(T("lab_neighbours_try"))
        neighbours_button = gr.Button(T("lab_neighbours_run"), variant="primary")
        with results("neighbours"):
            neighbours_summary = box("lab_neighbours_result", lines=2, elem_classes="lab-result")
            neighbours = table(  # all four columns on a phone
                "lab_neighbours",
                headers=both_languages(views.NEIGHBOUR_HEADERS),
                column_widths=["30%", "30%", "26%", "14%"],
            )

    with gr.Accordion(T("lab_export_title"), open=True):
        gr.Markdown(T("lab_export_help"))
        with gr.Row():
            decoding = gr.Radio(DECODING_CHOICES, value="beam", label=T("decoding"))
            full = gr.Checkbox(value=False, label=T("lab_full"))
            export_button = gr.Button(T("lab_export_run"), variant="primary")
        with results("export"), gr.Row():
            export_file = gr.File(label=T("lab_export_file"), interactive=False)
            export_status = box("lab_export_result", lines=1, elem_classes="lab-result")

    surgery_io = (
        [text, direction, part, layer, units, operation, amount, seed],
        components(
            views.SurgeryOutputs,
            original=original,
            altered=altered,
            summary=surgery_summary,
            kl_plot=kl_plot,
            steps=steps,
            before=before,
            after=after,
        ),
    )
    # Enter in the sentence runs the first view
    run_section("surgery", (surgery_button.click, text.submit, units.submit), handlers.show_surgery, *surgery_io)
    blend = {
        "at_alpha": at_alpha,
        "translation_a": translation_a,
        "translation_b": translation_b,
        "summary": interp_summary,
        "chart": interp_plot,
        "alphas": alphas,
    }
    interp_io = ([text, text_b, direction, alpha], components(views.InterpolationOutputs, **blend))
    blending = (interp_button.click, text_b.submit, alpha.release)
    run_section("interpolation", blending, handlers.show_interpolation, *interp_io)
    if opens_finished:
        open_on_blend(page, blend, blending)
    occluded_io = components(
        views.OcclusionOutputs, summary=occlude_summary, bars=occlude_bars, heatmap=occlude_heat, tokens=occluded
    )
    run_section("occlusion", [occlude_button.click], handlers.show_occlusion, [text, direction, mode], occluded_io)
    reference_io = (
        [text, reference, direction],
        components(
            views.ReferenceOutputs,
            translation=model_translation,
            summary=reference_summary,
            chart=reference_plot,
            steps=reference_steps,
        ),
    )
    run_section("reference", (reference_button.click, reference.submit), handlers.show_reference, *reference_io)
    round_outputs = components(
        views.RoundTripOutputs,
        there=there,
        back=back,
        summary=round_summary,
        there_plot=there_plot,
        back_plot=back_plot,
    )
    run_section("round", [round_button.click], handlers.show_round_trip, [text, direction], round_outputs)
    neighbours_outputs = components(views.NeighboursOutputs, summary=neighbours_summary, neighbours=neighbours)
    run_section(
        "neighbours", [neighbours_button.click], handlers.show_neighbours, [text, direction], neighbours_outputs
    )
    export_outputs = components(views.ExportOutputs, file=export_file, summary=export_status)
    export_inputs = [text, direction, decoding, full]
    run_section("export", [export_button.click], handlers.make_export, export_inputs, export_outputs)
    return text


def open_on_blend(page: Page, blend: dict[str, gr.components.Component], blending: Sequence) -> None:
    """The interpolation section opens finished: handlers.opening_view painted into the page before launch
    (nothing is decoded at import), then put in the visitor's language by a load that every blend of the
    visitor's own cancels, so an answer that comes late never writes over theirs."""

    def paint_opening() -> None:
        shown = handlers.opening_view()
        for name, component in blend.items():
            paint(component, getattr(shown, name))

    page.before_launch.append(paint_opening)
    private = {"api_visibility": "private"}
    outputs = components(views.InterpolationOutputs, **blend)
    load = page.load(handlers.opening_page, None, outputs, show_progress="hidden", **private)
    gr.on(list(blending), None, None, None, cancels=[load], **private)


def register_api() -> None:
    """The lab's named API endpoints: /surgery, /interpolate, /occlude, /reference, /round_trip, /neighbours."""
    api.register()
