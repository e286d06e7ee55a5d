"""The Model tab: each shipped model's training curves and key facts, its full card behind a fold."""

from __future__ import annotations

import json

import gradio as gr

from .. import service
from ..i18n import direction_label, language_of
from ..plotting import empty_figure
from ..widgets import T, plot
from .card import facts
from .figures import training_curves


def build(demo: gr.Blocks) -> None:
    """One column per direction: its name, training curves and key facts in the reader's language, then the
    full card (English prose) in a closed fold; filled by `demo.load`."""
    gr.Markdown(T("model_intro"))
    gr.Markdown(T("model_card_notice"))
    views = []
    with gr.Row():
        for _ in service.DIRECTIONS:
            with gr.Column():
                # The heading is filled with the page's language: built here, it was English in zh-CN.
                views += [gr.Markdown(), plot(), gr.Markdown(elem_classes="model-facts")]
                with gr.Accordion(T("model_card_full"), open=False):
                    views.append(gr.Markdown())
    # Model cards and curves are read when a page opens, not when the module is imported.
    demo.load(fill, None, views, api_visibility="private", show_progress="hidden")


def scored_sets(directory) -> dict:
    """The model's first-words and learner's-set results (`python -m seq2seq learners --json`), those it has."""
    found = {}
    for name in ("first_words", "learner_set"):
        try:
            found[name] = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
    return found


def fill(request: gr.Request) -> list:
    """Curves, facts and card of every shipped model (our own files: safe to show as Markdown)."""
    return views(language_of(request))


def views(lang: str) -> list:
    """Per direction: its name, the training curves, the facts table in `lang` and the full card without its
    title."""
    values = []
    for direction in service.DIRECTIONS:
        values.append(f"## {direction_label(direction, lang)}")
        directory = service.MODELS_DIR / direction
        try:
            training = json.loads((directory / "training.json").read_text(encoding="utf-8"))
            config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
            card = (directory / "README.md").read_text(encoding="utf-8")
        except (OSError, json.JSONDecodeError) as error:
            values += [empty_figure(f"{direction}: {type(error).__name__}"), "", ""]
            continue
        history = training.get("history", [])
        values += [
            training_curves(history, lang),
            facts(config, training, lang, scored_sets(directory)),
            card.split("\n", 1)[1],
        ]
    return values
