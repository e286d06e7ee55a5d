"""What-if from the canvas: a click on a candidate of a step's softmax forces it, and the canvas draws the decoder
going on from there; "back" draws the model's own translation again.

The canvas sends one `click` event with plain data: `{"step": t}` (a step was selected: the what-if view
follows), `{"step": t, "force": k}` (force the k-th candidate of step t's top-k) or `{"back": true}`. The
session state becomes the forced decoding, so the what-if menus, the step panel and a second force all follow
what is drawn; the `own` state keeps the model's own session until the visitor goes back or translates again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields

import gradio as gr

from .. import service, validate
from ..canvas import canvas_data, canvas_json
from ..i18n import language_of, message
from ..trace_figures import topk_heatmap
from ..widgets import Outputs
from .handlers import Session, candidate_choices, decode_view, scored, session_of, step_choices

log = logging.getLogger(__name__)


@dataclass
class ClickOutputs(Outputs):
    """What a click on the canvas writes, by component (see `widgets.Outputs`)."""

    whatif_step: dict
    whatif_token: dict
    whatif_original: str
    whatif_result: str
    whatif_plot: object
    canvas: str
    session: Session | None
    own: Session | None


def _skipped(**shown) -> list:
    """Only the outputs named in `shown` change."""
    return ClickOutputs(**{f.name: shown.get(f.name, gr.skip()) for f in fields(ClickOutputs)}).listed()


def _own_session(own: Session | None, session: Session) -> Session:
    """The model's own decoding this view was forced from: `own` while it is of the same request and settings
    (the visitor forced again), else the session itself (the first force of a new translation)."""
    same = own is not None and own.request == session.request and own.settings == session.settings
    return own if same else session


def clicked(state: Session | str | None, own: Session | None, top_k: int, event: gr.EventData, request: gr.Request):
    """The canvas was clicked: select a step, force a candidate, or go back to the model's own choice."""
    data = getattr(event, "_data", None)
    data = data if isinstance(data, dict) else {}
    session = session_of(state)
    if session is None:
        return _skipped()
    lang = language_of(request)
    if data.get("back") is True:
        return _back(own, lang)
    try:
        t = validate.integer(data.get("step"), "whatif_step", 1, len(session.steps))
        k = None if data.get("force") is None else validate.integer(data["force"], "whatif_token", 0, 99)
    except service.InputError:
        return _skipped()
    candidates = session.steps[t - 1].candidates
    if k is None or k >= len(candidates) or candidates[k].token_id == session.steps[t - 1].token_id:
        # The step menu's choices go with its value: Gradio checks a value against the choices it last sent.
        menus = {"choices": step_choices(session), "value": t}
        return _skipped(
            whatif_step=gr.update(**menus), whatif_token=gr.update(choices=candidate_choices(session, t), value=None)
        )
    return _force(session, _own_session(own, session), t, candidates[k].token_id, top_k, lang)


def _force(session: Session, own: Session, t: int, token_id: int, top_k: int, lang: str) -> list:
    try:
        top_k = validate.integer(top_k, "top_k", 1, validate.MAX_TOP_K)
        forced = service.what_if(session.request, session.forced_prefix(t, token_id), top_k, maths=True)
    except service.InputError as error:
        return _skipped(whatif_result=validate.explain(error, lang))
    except Exception:
        log.exception("what-if decoding failed")
        return _skipped(whatif_result=message("error_internal", lang))
    translator = service.translator(session.request.direction)
    data = canvas_data(forced, translator.model.config.reverse_source, session.request.direction)
    data["own"] = own.text  # the model's own translation, which "back" draws again
    data["forced_at"] = t  # the steps before t were forced too (the model's own choices), but t is the visitor's
    for step in data["steps"]:
        step["forced"] = step["t"] == t
    data["id"] += ":" + ",".join(str(s.token_id) for s in forced.trace.steps if s.forced)
    view = Session.of(session.request, session.settings, forced)
    return ClickOutputs(
        whatif_step=gr.update(choices=step_choices(view), value=t),
        whatif_token=gr.update(choices=candidate_choices(view, t), value=None),
        whatif_original=scored(own.text, own.log_prob, lang),
        whatif_result=scored(forced.text, forced.trace.log_prob, lang),
        whatif_plot=topk_heatmap(forced.trace, lang, forced_steps={t}),
        canvas=canvas_json(data),
        session=view,
        own=own,
    ).listed()


def _back(own: Session | None, lang: str) -> list:
    """The model's own translation drawn again (decoded again: sessions keep no states)."""
    if own is None:
        return _skipped()
    try:
        shown = decode_view(own.request, own.settings, lang).shown
    except Exception:
        log.exception("decoding the model's own translation again failed")
        return _skipped()
    return _skipped(
        whatif_step=shown.whatif_step,
        whatif_token=shown.whatif_token,
        canvas=shown.canvas,
        session=shown.session,
        own=None,
    )
