"""The Context lab's named API endpoints: each probe's result as JSON-ready plain data.

`/surgery`, `/interpolate`, `/occlude`, `/reference`, `/round_trip` and `/neighbours` check their input
as the tab does (`probes.run_*`, sentences cut to MAX_LAB_CHARS) and return {"direction", "notices",
**dataclasses.asdict(result)} cut to what the page draws (`slim`, `rounded`), or {"error": message,
"error_key": key} for bad input, never a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, replace

import gradio as gr

from seq2seq.pipeline import Translation

from .. import service
from ..fairness import LAB, group
from ..i18n import message
from ..notices import notices
from ..validate import explain
from .probes import run_interpolation, run_neighbours, run_occlusion, run_reference, run_round_trip, run_surgery

log = logging.getLogger(__name__)


# An answer holds what the page draws of a probe: no trace's encoder states (a vector per source token and
# layer) or decoder output vectors (one per step), and of an interpolation's points only α, text and match.
# A translation's whole trace is what /translate answers and the lab's export holds.
TRACE_DROPPED = ("encoder_states", "maths", "distributions")
DIGITS = 5  # significant digits of a number in an answer or an export (a probability of 1e-9 stays 1e-9)


def slim(value: object) -> object:
    """`value` (plain data) with every trace in it cut to what the page draws (see TRACE_DROPPED)."""
    if isinstance(value, list):
        return [slim(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "encoder_states" in value and "steps" in value:  # a Trace
        trace = {key: item for key, item in value.items() if key not in TRACE_DROPPED}
        trace["steps"] = [{k: v for k, v in step.items() if k != "output"} for step in value["steps"]]
        return {key: slim(item) for key, item in trace.items()}
    return {key: slim(item) for key, item in value.items()}


def rounded(value: object) -> object:
    """Plain data with every float cut to DIGITS significant digits (a third of the JSON's size)."""
    if isinstance(value, float):
        return float(f"{value:.{DIGITS}g}")
    if isinstance(value, list):
        return [rounded(item) for item in value]
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    return value


def _answer(run: Callable[[], tuple[service.Request, Translation | None, object]]) -> dict:
    """{'direction', 'notices', **asdict(result)}, or {'error', 'error_key'} for bad input."""
    try:
        request, translation, result = run()
        result = result if isinstance(result, dict) else asdict(result)
    except service.InputError as error:
        return {"error": explain(error), "error_key": error.key}
    except Exception:
        log.exception("context lab API call failed")
        return {"error": message("error_internal"), "error_key": "error_internal"}
    return {"direction": request.direction, "notices": notices(request, translation), **rounded(slim(result))}


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

    alphas: up to 41 numbers in [-1, 2]; by default 0, 0.1, …, 1. Each point is {"alpha", "text", "matches"}.
    """

    def run():
        request, _, result = run_interpolation(text_a, text_b, direction, alphas)
        points = [{"alpha": p.alpha, "text": p.text, "matches": p.matches} for p in result.points]
        # Not asdict(result): it would deep-copy every point's trace (41 of them) only to drop them here.
        return request, result.a, {**asdict(replace(result, points=[])), "points": points}

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
        gr.api(fn, api_name=name, **group(LAB))
