"""The Context lab's named API endpoints: each probe's result as JSON-ready plain data.

`/surgery`, `/interpolate`, `/occlude`, `/reference`, `/round_trip` and `/neighbours` check their input
as the tab does (`probes.run_*`) and return {"direction", "notices", **dataclasses.asdict(result)},
or {"error": message, "error_key": key} for bad input, never a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict

import gradio as gr

from seq2seq.pipeline import Translation

from .. import service
from ..i18n import message
from ..notices import notice_keys
from ..validate import explain
from .probes import run_interpolation, run_neighbours, run_occlusion, run_reference, run_round_trip, run_surgery

log = logging.getLogger(__name__)


def _answer(run: Callable[[], tuple[service.Request, Translation | None, object]]) -> dict:
    """{'direction', 'notices', **asdict(result)}, or {'error', 'error_key'} for bad input."""
    try:
        request, translation, result = run()
    except service.InputError as error:
        return {"error": explain(error), "error_key": error.key}
    except Exception:
        log.exception("context lab API call failed")
        return {"error": message("error_internal"), "error_key": "error_internal"}
    shown = [message(key) for key in notice_keys(request, translation)]
    return {"direction": request.direction, "notices": shown, **asdict(result)}


def surgery_api(
    text: str,
    direction: str = "auto",
    part: str = "both",
    layers: str = "all",
    units: str = "all",
    operation: str = "zero",
    amount: float = 1.0,
    seed: int = 0,
) -> dict:
    """Edit the context vector of `text` and decode again (probes.Surgery as JSON).

    part: "both", "h" or "c". layers: "all" or numbers from 1 (the bottom layer), e.g. "2". units: "all",
    "none" or 0-based numbers and ranges, e.g. "0-95, 200". operation: "zero", "scale" (× amount) or
    "noise" (Gaussian, amount × the selected numbers' RMS, drawn with `seed`).
    """

    def run():
        request, result = run_surgery(text, direction, part, layers, units, operation, amount, seed)
        return request, result.original, result

    return _answer(run)


def interpolate_api(text_a: str, text_b: str, direction: str = "auto", alphas: list[float] | None = None) -> dict:
    """Greedy translations decoded from (1-α)·ctx(A) + α·ctx(B), both read by A's model (probes.Interpolation).

    alphas: up to 41 numbers in [-1, 2]; by default 0, 0.1, …, 1.
    """

    def run():
        request, _, result = run_interpolation(text_a, text_b, direction, alphas)
        return request, result.a, result

    return _answer(run)


def occlude_api(text: str, direction: str = "auto", mode: str = "drop") -> dict:
    """Occlude each source token in turn, mode "drop" or "unk" (probes.Occlusion: cosine distance and KL per step)."""

    def run():
        request, result = run_occlusion(text, direction, mode)
        return request, result.original, result

    return _answer(run)


def reference_api(text: str, reference: str, direction: str = "auto") -> dict:
    """Teacher-force `reference` (a translation of `text`): P per step, first divergence, BLEU, chrF
    (probes.ReferenceView)."""

    def run():
        request, _, result = run_reference(text, reference, direction)
        return request, result.translation, result

    return _answer(run)


def round_trip_api(text: str, direction: str = "auto") -> dict:
    """`text` to the other language and back, with the cosine of the two contexts (probes.RoundTrip)."""

    def run():
        request, result = run_round_trip(text, direction)
        return request, result.forward, result

    return _answer(run)


def neighbours_api(text: str, direction: str = "auto", k: int = service.NEIGHBOURS) -> dict:
    """The k training sentences whose context vectors are closest to `text`'s (analysis.Placement; each
    neighbour with its reference translation, the model's own translation and the cosine)."""

    def run():
        request, placement = run_neighbours(text, direction, k)
        return request, None, placement

    return _answer(run)


def register() -> None:
    """The lab's named endpoints (inside the Blocks)."""
    endpoints = {
        "surgery": surgery_api,
        "interpolate": interpolate_api,
        "occlude": occlude_api,
        "reference": reference_api,
        "round_trip": round_trip_api,
        "neighbours": neighbours_api,
    }
    for name, fn in endpoints.items():
        gr.api(fn, api_name=name)
