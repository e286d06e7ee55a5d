"""The side-by-side view of the Translate tab: one sentence through two models (shipped, or the
experiments' small variants), each with its context vector and top-k candidates."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import gradio as gr

from .. import service, validate
from ..i18n import language_of, message
from ..plotting import empty_figure, go
from ..trace_figures import context_heatmap, topk_heatmap
from ..widgets import Outputs
from .handlers import OPENING_SENTENCE, summary

log = logging.getLogger(__name__)
# The view opens on the shipped model against the small variant with the same options (128 units,
# 8 epochs), and, when nothing is typed, on a sentence where the difference shows.
OPENING_MODELS = ("shipped", "reversed")


@dataclass
class Column(Outputs):
    """One model's column of the view."""

    translation: str
    details: str
    context: go.Figure
    top_k: go.Figure

    @classmethod
    def failed(cls, note: str) -> Column:
        return cls("", note, empty_figure(""), empty_figure(""))


def model_choices() -> list[tuple[str, str]]:
    """The side-by-side view's models, labelled in both languages (dropdown choices are not localised), short
    enough to show whole in the dropdown on a phone: the size and reading order; `model_line` says the rest."""
    label = lambda key: f"{message('model_short_' + key, 'en')} · {message('model_short_' + key, 'zh')}"  # noqa: E731
    return [(label(key), key) for key in service.COMPARISON_MODELS]


def model_line(key: str, direction: str, lang: str) -> str:
    """What the model is, in one line: its size, reading order and options."""
    model = service.comparison_translator(key, direction).model
    config = model.config
    extra = "".join(message(f"extra_{name}", lang) for name in ("bidirectional", "attention") if getattr(config, name))
    members = len(service.COMPARISON_MODELS[key])
    if members > 1:
        extra += message("extra_ensemble", lang, n=members)
    order = message("order_reversed" if config.reverse_source else "order_forward", lang)
    return message(
        "model_line",
        lang,
        layers=config.num_layers,
        hidden=config.hidden_size,
        order=order,
        extra=extra,
        params=model.num_parameters() / 1e6,
    )


def compare_view(text: str, direction: str, beam_size: int, key: str, lang: str) -> Column:
    """Translation, summary, context heatmap and top-k heatmap of one model; raises service.InputError."""
    request = validate.prepare(text, direction)
    beam = validate.settings(beam_size, 1, 0).beam_size
    key = validate.choice(key, "compare_a", list(service.COMPARISON_MODELS))
    model = service.comparison_translator(key, request.direction)
    result = service.run(request, beam, distributions=False, model=model)
    details = model_line(key, request.direction, lang) + "\n" + summary(result, request, lang)
    return Column(result.text, details, context_heatmap(result.trace, lang), topk_heatmap(result.trace, lang))


def compare(text: str, direction: str, beam_size: int, model_a: str, model_b: str, request: gr.Request):
    """The same sentence through two models, for the side-by-side columns."""
    lang = language_of(request)
    outputs = []
    for key in (model_a, model_b):
        try:
            column = compare_view(text, direction, beam_size, key, lang)
        except service.InputError as error:
            column = Column.failed(validate.explain(error, lang))
        except Exception:  # e.g. the variants were not shipped with this copy of the app
            log.exception("comparison with %s failed", key)
            column = Column.failed(message("error_internal", lang))
        outputs += column.listed()
    return outputs


def open_view(text: str, direction: str, beam_size: int, model_a: str, model_b: str, request: gr.Request) -> list:
    """When the view is opened: the typed sentence, or OPENING_SENTENCE when nothing is typed."""
    if (text or "").strip():
        return compare(text, direction, beam_size, model_a, model_b, request)
    return compare(OPENING_SENTENCE, "auto", beam_size, model_a, model_b, request)
