"""The Context lab's event handlers: a view's outputs, or a message in its summary box; never a stack
trace. Figures go out with Plotly's toolbar set to save them as PNG."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import gradio as gr
import plotly.graph_objects as go
from gradio.components.plot import PlotData

from .. import service
from ..i18n import language_of, message
from ..validate import explain
from ..widgets import table_value
from .views import (
    ALPHA_HEADERS,
    NEIGHBOUR_HEADERS,
    OCCLUSION_HEADERS,
    REFERENCE_HEADERS,
    STEP_HEADERS,
    export_trace,
    interpolation_view,
    neighbours_view,
    occlusion_view,
    reference_view,
    round_trip_view,
    surgery_view,
)

log = logging.getLogger(__name__)
# Plotly's toolbar is on (on hover) with its "download plot as PNG" button; the file gets a name and 2× pixels.
EXPORT_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def exportable(fig: go.Figure, name: str) -> PlotData:
    """The figure as gr.Plot sends it, with Plotly's toolbar set to save it as `name`.png."""
    config = {**EXPORT_CONFIG, "toImageButtonOptions": {**EXPORT_CONFIG["toImageButtonOptions"], "filename": name}}
    plot = fig.to_json()  # always one JSON object: add the config as its last member
    return PlotData(type="plotly", plot=plot[:-1] + ',"config":' + json.dumps(config) + "}")


def _shown(outputs: tuple, name: str) -> tuple:
    return tuple(exportable(v, f"seq2seq-{name}-{i}") if isinstance(v, go.Figure) else v for i, v in enumerate(outputs))


def _guard(name: str, view: Callable[[], tuple], failure: Callable[[str], tuple], lang: str) -> tuple:
    """`view()`, or `failure(message)` on bad input or an unexpected error (logged, not shown)."""
    try:
        return _shown(view(), name)
    except service.InputError as error:
        text = explain(error, lang)
    except Exception:  # a stack trace helps no user; the log keeps it for us
        log.exception("context lab: %s failed", name)
        text = message("error_internal", lang)
    return _shown(failure(text), name)


def _blank() -> None:
    """A failed view's plots: cleared (a blank figure was 400 px of nothing under the message, on a phone a
    whole screen)."""
    return None


def show_surgery(text, direction, part, layers, units, operation, amount, seed, request: gr.Request) -> tuple:
    """Event handler of the surgery section."""
    lang = language_of(request)
    return _guard(
        "surgery",
        lambda: surgery_view(text, direction, part, layers, units, operation, amount, seed, lang),
        lambda note: ("", "", note, _blank(), table_value(STEP_HEADERS, [], lang), _blank(), _blank()),
        lang,
    )


def show_interpolation(text_a, text_b, direction, alpha, request: gr.Request) -> tuple:
    """Event handler of the interpolation section (button and slider)."""
    lang = language_of(request)
    return _guard(
        "interpolation",
        lambda: interpolation_view(text_a, text_b, direction, alpha, lang),
        lambda note: ("", "", "", note, _blank(), table_value(ALPHA_HEADERS, [], lang)),
        lang,
    )


def show_occlusion(text, direction, mode, request: gr.Request) -> tuple:
    """Event handler of the occlusion section."""
    lang = language_of(request)
    return _guard(
        "occlusion",
        lambda: occlusion_view(text, direction, mode, lang),
        lambda note: (note, _blank(), _blank(), table_value(OCCLUSION_HEADERS, [], lang)),
        lang,
    )


def show_reference(text, reference_text, direction, request: gr.Request) -> tuple:
    """Event handler of the reference section."""
    lang = language_of(request)
    return _guard(
        "reference",
        lambda: reference_view(text, reference_text, direction, lang),
        lambda note: ("", note, _blank(), table_value(REFERENCE_HEADERS, [], lang)),
        lang,
    )


def show_round_trip(text, direction, request: gr.Request) -> tuple:
    """Event handler of the round-trip section."""
    lang = language_of(request)
    return _guard(
        "round-trip",
        lambda: round_trip_view(text, direction, lang),
        lambda note: ("", "", note, _blank(), _blank()),
        lang,
    )


def show_neighbours(text, direction, request: gr.Request) -> tuple:
    """Event handler of the nearest-neighbours section."""
    lang = language_of(request)
    return _guard(
        "neighbours",
        lambda: neighbours_view(text, direction, lang),
        lambda note: (note, table_value(NEIGHBOUR_HEADERS, [], lang)),
        lang,
    )


def make_export(text, direction, decoding, full, request: gr.Request) -> tuple:
    """Event handler of the export section: (file for gr.File or None, status line)."""
    lang = language_of(request)
    return _guard(
        "export", lambda: export_trace(text, direction, decoding, full, lang), lambda note: (None, note), lang
    )
