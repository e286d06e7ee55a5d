"""The Experiments tab: measured results beside the paper's claims, and the paper's Figures 2 and 3."""

from __future__ import annotations

import gradio as gr

from .. import service
from ..i18n import LANGUAGES, message
from ..widgets import PRIVATE, T, box, components, plot, sentence, table
from . import handlers


def direction_choices() -> list[tuple[str, str]]:
    """The two directions, labelled in both languages ("English → Chinese · 英译中"): gr.I18n does not reach a
    radio's choices, so a label must read in either locale."""
    keys = {key: "dir_short_" + key.replace("-", "_") for key in service.DIRECTIONS}
    return [(" · ".join(message(keys[key], lang) for lang in LANGUAGES), key) for key in keys]


def build(tab: gr.Tab, opening: str = "") -> tuple[gr.Textbox, gr.Radio]:
    """The tab's components (inside `tab`), filled when the tab is opened, Figure 2's sentence box opening on
    `opening`; returns that box and its direction, which the page may fill from another tab."""
    # A learner comes for the results and the figures, each with a line on what to look at; the run log
    # (commands, commits, settings) is for whoever reruns them, so it waits closed at the end.
    gr.Markdown(T("exp_intro"))
    with gr.Accordion(T("exp_results_title"), open=True):
        gr.Markdown(T("exp_notice_results"))
        results = table("exp_results", elem_id="exp-results")
        gr.Markdown(T("exp_notice_beams"))
        beams = table("exp_beam_sweep")
    with gr.Accordion(T("exp_claims_title"), open=True):
        gr.Markdown(T("exp_notice_claims"))
        # Three columns that share the width and wrap: at their natural width our column began past a
        # phone's edge.
        claims = table("exp_claims", column_widths=["30%", "30%", "40%"], elem_id="exp-claims")
    with gr.Accordion(T("fig2_title"), open=True):
        gr.Markdown(T("fig2_notice"))
        gr.Markdown(T("fig2_help"))
        direction = gr.Radio(direction_choices(), value="en-zh", label=T("direction"), elem_id="exp-direction")
        with gr.Row():
            phrase_plots = [plot() for _ in range(handlers.PHRASE_SETS)]
        with gr.Row():
            text = sentence("space_input", "space_placeholder", value=opening, scale=4)
            button = gr.Button(T("space_button"), variant="primary", scale=1)
        notes = box("space_result", lines=3)
        space_plot = plot()
        neighbours = table("space_neighbours", column_widths=["42%", "42%", "16%"])  # all three on a phone
    with gr.Accordion(T("fig3_title"), open=True):
        gr.Markdown(T("fig3_notice"))
        gr.Markdown(T("fig3_help"))
        figure3 = plot("exp-figure3")
    with gr.Accordion(T("exp_log_title"), open=False, elem_id="exp-log"):
        info = box("exp_run_info", lines=3, max_lines=12)

    space = components(handlers.SpaceOutputs, space=space_plot, neighbours=neighbours, notes=notes)
    follows = components(handlers.DirectionOutputs, phrase_maps=phrase_plots, placed=space)
    everything = components(
        handlers.TabOutputs,
        info=info,
        results=results,
        beam_sweep=beams,
        claims=claims,
        direction=follows,
        figure3=figure3,
    )
    tab.select(handlers.fill, [text, direction], everything, **PRIVATE)
    direction.change(handlers.show_direction, [text, direction], follows, **PRIVATE)
    for trigger in (button.click, text.submit):
        trigger(handlers.locate, [text, direction], space, **PRIVATE)
    return text, direction
