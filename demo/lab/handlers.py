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
    ExportOutputs,
    InterpolationOutputs,
    NeighboursOutputs,
    OcclusionOutputs,
    ReferenceOutputs,
    RoundTripOutputs,
    Section,
    SurgeryOutputs,
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


def failed(outputs: type[Section], note: str, lang: str) -> Section:
    """A section's outputs when it could not run: the note in its summary, its tables empty under their
    headers, its plots cleared (a blank figure was 400 px of nothing under the message, on a phone a whole
    screen)."""
    tables = {name: table_value(headers, [], lang) for name, headers in outputs.TABLES.items()}
    return outputs(summary=note, **tables)


def show(name: str, outputs: type[Section], view: Callable[[str], Section], request: gr.Request | None) -> list:
    """The event handler of every section: `view(lang)`, or `failed` on bad input or an unexpected error (logged,
    not shown); figures go out exportable as `seq2seq-<name>-<position>.png`."""
    lang = language_of(request)
    try:
        shown = view(lang)
    except service.InputError as error:
        shown = failed(outputs, explain(error, lang), lang)
    except Exception:  # a stack trace helps no user; the log keeps it for us
        log.exception("context lab: %s failed", name)
        shown = failed(outputs, message("error_internal", lang), lang)
    return [
        exportable(v, f"seq2seq-{name}-{i}") if isinstance(v, go.Figure) else v for i, v in enumerate(shown.listed())
    ]


def show_surgery(text, direction, part, layers, units, operation, amount, seed, request: gr.Request) -> list:
    """Event handler of the surgery section."""
    return show(
        "surgery",
        SurgeryOutputs,
        lambda lang: surgery_view(text, direction, part, layers, units, operation, amount, seed, lang),
        request,
    )


def show_interpolation(text_a, text_b, direction, alpha, request: gr.Request) -> list:
    """Event handler of the interpolation section (button and slider)."""
    return show(
        "interpolation",
        InterpolationOutputs,
        lambda lang: interpolation_view(text_a, text_b, direction, alpha, lang),
        request,
    )


def show_occlusion(text, direction, mode, request: gr.Request) -> list:
    """Event handler of the occlusion section."""
    return show("occlusion", OcclusionOutputs, lambda lang: occlusion_view(text, direction, mode, lang), request)


def show_reference(text, reference_text, direction, request: gr.Request) -> list:
    """Event handler of the reference section."""
    return show(
        "reference", ReferenceOutputs, lambda lang: reference_view(text, reference_text, direction, lang), request
    )


def show_round_trip(text, direction, request: gr.Request) -> list:
    """Event handler of the round-trip section."""
    return show("round-trip", RoundTripOutputs, lambda lang: round_trip_view(text, direction, lang), request)


def show_neighbours(text, direction, request: gr.Request) -> list:
    """Event handler of the nearest-neighbours section."""
    return show("neighbours", NeighboursOutputs, lambda lang: neighbours_view(text, direction, lang), request)


def make_export(text, direction, decoding, full, request: gr.Request) -> list:
    """Event handler of the export section: (file for gr.File or None, status line)."""
    return show("export", ExportOutputs, lambda lang: export_trace(text, direction, decoding, full, lang), request)
