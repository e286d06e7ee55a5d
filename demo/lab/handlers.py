"""The Context lab's event handlers: a view's outputs, or a message in its summary box; never a stack
trace. Figures go out with Plotly's toolbar set to save them as PNG."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import fields
from functools import lru_cache
from typing import NamedTuple

import gradio as gr
from gradio.components.plot import PlotData

from .. import service
from ..i18n import LANGUAGES, language_of, message
from ..plotting import go
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


class Example(NamedTuple):
    """A row of the tab's examples: a sentence, a second one to blend it with, a reference translation."""

    text: str
    text_b: str
    reference: str


# The lab opens on the page's opening sentence (demo/translate), blended with a sentence whose blend shows
# something: midway the decoder says neither, but 我的车在哪里？ ("Where is my car?"). The reference is right,
# yet not the model's own wording, so the teacher-forced view has a step to show.
OPENING = Example("Where is the train station?", "Where are my keys?", "火车站在哪儿？")
OPENING_ALPHA = 0.5  # the slider's opening value


def present(name: str, outputs: type[Section], view: Callable[[str], Section], lang: str) -> list:
    """What every section's event sends: `view(lang)`, or `failed` on bad input or an unexpected error (logged,
    not shown); figures go out exportable as `seq2seq-<name>-<position>.png`."""
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


def show(name: str, outputs: type[Section], view: Callable[[str], Section], request: gr.Request | None) -> list:
    """The event handler of every section: `present` in the visitor's language."""
    return present(name, outputs, view, language_of(request))


@lru_cache(maxsize=len(LANGUAGES))
def opening_view(lang: str = "en") -> InterpolationOutputs:
    """The opening blend, decoded on first use (never at import) and kept: the tab opens on it."""
    a, b = OPENING.text, OPENING.text_b
    shown = present(
        "interpolation", InterpolationOutputs, lambda lang: interpolation_view(a, b, "auto", OPENING_ALPHA, lang), lang
    )
    return InterpolationOutputs(*shown)


def opening_page(request: gr.Request) -> list:
    """The page's load: the opening blend in the visitor's language. English is already painted into the page,
    so it writes nothing; the section's own events cancel it, so it never writes over the visitor's blend."""
    lang = language_of(request)
    if lang == "en":
        return [gr.skip()] * len(fields(InterpolationOutputs))
    return opening_view(lang).listed()


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
