"""The Model tab: each shipped model's card and training curves, read when a page opens."""

from __future__ import annotations

import json

import gradio as gr

from .. import service
from ..i18n import direction_label, language_of
from ..plotting import empty_figure
from ..widgets import T, plot
from .figures import training_curves


def build(demo: gr.Blocks) -> None:
    """One column per direction: training curves, then the model card; filled by `demo.load`."""
    gr.Markdown(T("model_intro"))
    views = []
    with gr.Row():
        for direction in service.DIRECTIONS:
            with gr.Column():
                gr.Markdown(f"## {direction_label(direction)}")
                views += [plot(), gr.Markdown()]
    # Model cards and curves are read when a page opens, not when the module is imported.
    demo.load(fill, None, views, api_visibility="private", show_progress="hidden")


def fill(request: gr.Request) -> list:
    """Curves and card of every shipped model (our own files: safe to show as Markdown)."""
    lang, values = language_of(request), []
    for direction in service.DIRECTIONS:
        directory = service.MODELS_DIR / direction
        try:
            history = json.loads((directory / "training.json").read_text(encoding="utf-8")).get("history", [])
            card = (directory / "README.md").read_text(encoding="utf-8")
        except (OSError, json.JSONDecodeError) as error:
            values += [empty_figure(f"{direction}: {type(error).__name__}"), ""]
            continue
        values += [training_curves(history, lang), card.split("\n", 1)[1]]  # the card's title is above
    return values
