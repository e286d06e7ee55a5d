"""A shareable link, as TensorFlow Playground has: the page's URL carries the sentence, the direction, the beam
width and the selected step (`?q=Thank+you.&dir=en-zh&beam=5&step=3`), and opening it restores that view.

The browser keeps the URL in step with what the canvas draws (demo/canvas/js/link.js, from the canvas data's
`link`); here the query is read once, by the page's load, and every value is checked by `validate` as any other
input is. A link that cannot be used leaves the opening view as it is, with a line in the details box saying
why. What a link holds only ever reaches text boxes and canvas data, never HTML.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields

import gradio as gr

from .. import service, validate
from ..i18n import language_of, message
from ..widgets import Outputs
from .handlers import OPENING_SENTENCE, TranslateOutputs, opening_view, translate_view

log = logging.getLogger(__name__)
PARAMS = ("q", "dir", "beam", "step")  # what a link may name; any other parameter (Gradio's `view`) is left alone
DEFAULTS = validate.Settings()  # what a link does not name is the page's default (top-k, step cap: always)


@dataclass(frozen=True)
class Link:
    """The view a URL's query asks for, checked; the sentence is checked when it is translated."""

    text: object
    direction: str
    beam: int
    step: int | None  # 1-based t of the step to select, or None: the canvas plays as for any translation


def parse(params: Mapping[str, object]) -> Link | None:
    """The view `params` (a URL's query) name: None when they name none (the opening view); raises InputError
    on a value the page could not have written."""
    if not any(key in params for key in PARAMS):
        return None
    direction = validate.choice(params.get("dir", "auto"), "direction", validate.DIRECTION_CHOICES)
    beam = validate.integer(params.get("beam", DEFAULTS.beam_size), "beam_width", 1, validate.MAX_BEAM)
    step = params.get("step")
    # A step past the translation's end selects its last step (the link's sentence may have been cut short).
    t = None if step is None else validate.integer(step, "whatif_step", 1, validate.MAX_STEPS)
    return Link(params.get("q", OPENING_SENTENCE), direction, beam, t)


def query_of(request: object) -> dict[str, object]:
    """The page URL's query as a plain dict: Gradio gives a queued event's as an object of (name, value) pairs
    whose methods a parameter named "get" or "keys" would hide (`?keys=1`), so that one is only iterated."""
    query = getattr(request, "query_params", None)
    try:
        return dict(query) if isinstance(query, Mapping) else dict(iter(query)) if query is not None else {}
    except (TypeError, ValueError):
        return {}


@dataclass
class LoadOutputs(Outputs):
    """What the page's load writes: the sentence and the settings a link names, and everything it translates."""

    text: str
    direction: str
    beam: int
    shown: TranslateOutputs


def _opening(details: str, nbest: dict) -> list:
    """Only the opening view's details and n-best (in the visitor's language): the rest is in the page."""
    skipped = {f.name: gr.skip() for f in fields(TranslateOutputs)}
    shown = TranslateOutputs(**{**skipped, "details": details, "nbest": nbest})
    return LoadOutputs(gr.skip(), gr.skip(), gr.skip(), shown).listed()


def open_page(request: gr.Request) -> list:
    """The page's load: the view its URL names, translated; else the opening view, painted into the page before
    launch, whose details and n-best it puts in the visitor's language. The visitor's own events cancel it."""
    lang = language_of(request)
    note = ""
    try:
        link = parse(query_of(request))
        if link is not None:
            view = translate_view(link.text, link.direction, link.beam, DEFAULTS.top_k, 0, lang, link.step)
            return LoadOutputs(view.shown.session.request.text, link.direction, link.beam, view.shown).listed()
    except service.InputError as error:
        note = f"{message('link_error', lang)} {validate.explain(error, lang)}\n\n"
    except Exception:  # a stack trace helps no visitor; the log keeps it for us
        log.exception("opening a link failed")
        note = f"{message('link_error', lang)} {message('error_internal', lang)}\n\n"
    shown = opening_view(lang).shown
    return _opening(note + shown.details, shown.nbest)
