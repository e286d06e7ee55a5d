"""The Experiments tab: measured results beside the paper's claims, and the paper's Figures 2 and 3."""

from __future__ import annotations

import gradio as gr

from . import experiments_handlers as handlers
from .figures import empty_figure
from .i18n import DIRECTION_LABELS, i18n

T = i18n()


def _plot() -> gr.Plot:
    return gr.Plot(value=empty_figure(""), show_label=False)


def _table(label: str) -> gr.Dataframe:
    return gr.Dataframe(label=T(label), interactive=False, wrap=True)


def build(tab: gr.Tab) -> None:
    """The tab's components (inside `tab`), filled when the tab is opened."""
    gr.Markdown(T("exp_intro"))
    with gr.Accordion(T("exp_results_title"), open=True):
        info = gr.Textbox(label=T("exp_run_info"), interactive=False, lines=3, max_lines=12)
        results = _table("exp_results")
        beams = _table("exp_beam_sweep")
    with gr.Accordion(T("exp_claims_title"), open=True):
        claims = _table("exp_claims")
    with gr.Accordion(T("fig2_title"), open=True):
        gr.Markdown(T("fig2_help"))
        direction = gr.Radio([(label, key) for key, label in DIRECTION_LABELS["en"].items()], value="en-zh",
                             label=T("direction"))  # fmt: skip
        with gr.Row():
            phrase_plots = [_plot() for _ in range(handlers.PHRASE_SETS)]
        with gr.Row():
            text = gr.Textbox(label=T("space_input"), placeholder=T("space_placeholder"), lines=1, max_lines=4,
                              max_length=10_000, scale=4)  # fmt: skip
            button = gr.Button(T("space_button"), variant="primary", scale=1)
        notes = gr.Textbox(label=T("space_result"), interactive=False, lines=3)
        space_plot = _plot()
        neighbours = _table("space_neighbours")
    with gr.Accordion(T("fig3_title"), open=True):
        gr.Markdown(T("fig3_help"))
        figure3 = _plot()

    space = [space_plot, neighbours, notes]
    tab.select(handlers.fill, [text, direction], [info, results, beams, claims, *phrase_plots, *space, figure3],
               api_visibility="private", show_progress="minimal")  # fmt: skip
    direction.change(handlers.show_direction, [text, direction], [*phrase_plots, *space], api_visibility="private",
                     show_progress="minimal")  # fmt: skip
    for trigger in (button.click, text.submit):
        trigger(handlers.locate, [text, direction], space, api_visibility="private", show_progress="minimal")
