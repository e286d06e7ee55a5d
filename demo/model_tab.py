"""The Model tab: each shipped model's card and training curves."""

from __future__ import annotations

import json

import gradio as gr

from . import figures, service
from .handlers import language_of
from .i18n import DIRECTION_LABELS


def build() -> list:
    """One column per direction: training curves, then the model card."""
    views = []
    with gr.Row():
        for direction in service.DIRECTIONS:
            with gr.Column():
                gr.Markdown(f"## {DIRECTION_LABELS['en'][direction]}")
                views.append(gr.Plot(value=figures.empty_figure(""), show_label=False))
                views.append(gr.Markdown())
    return views


def fill(request: gr.Request) -> list:
    """Curves and card of every shipped model (our own files: safe to show as Markdown)."""
    lang, values = language_of(request), []
    for direction in service.DIRECTIONS:
        directory = service.MODELS_DIR / direction
        try:
            history = json.loads((directory / "training.json").read_text(encoding="utf-8")).get("history", [])
            card = (directory / "README.md").read_text(encoding="utf-8")
        except (OSError, json.JSONDecodeError) as error:
            values += [figures.empty_figure(f"{direction}: {type(error).__name__}"), ""]
            continue
        values += [figures.training_curves(history, lang), card.split("\n", 1)[1]]  # the card's title is above
    return values
