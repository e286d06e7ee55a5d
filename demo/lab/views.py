"""The Context lab's views: a probe's result as the tab shows it (text, tables, figures).

User text only goes into text boxes, tables and figure data, never into Markdown or HTML.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from seq2seq.study import probes

from .. import service
from ..i18n import direction_label, figure_text, message
from ..notices import notice_lines, notices
from ..validate import ALPHAS, finite, settings
from ..widgets import Outputs, table_value
from . import figures
from .api import rounded
from .probes import (
    lab_sentence,
    other,
    run_interpolation,
    run_neighbours,
    run_occlusion,
    run_reference,
    run_round_trip,
    run_surgery,
)

EXPORT_DIR = Path(tempfile.gettempdir()) / "seq2seq-traces"  # Gradio serves files from the temp dir
MAX_EXPORTS = 100  # the export directory keeps at most this many files …
EXPORT_SECONDS = 3600  # … none older than this
EXPORT_PLAIN_BYTES = 512 * 1024  # an export larger than this is written gzip-compressed (.json.gz)
STEP_HEADERS = (
    "col_lab_step",
    "col_lab_token",
    "col_lab_p",
    "col_lab_p_edited",
    "col_lab_edited_choice",
    "col_lab_kl",
    "col_lab_flipped",
)
ALPHA_HEADERS = ("col_lab_alpha", "col_lab_output", "col_lab_same_as")
OCCLUSION_HEADERS = ("col_lab_position", "col_lab_token", "col_lab_distance", "col_lab_kl_total", "col_lab_without")
REFERENCE_HEADERS = (
    "col_lab_step",
    "col_lab_reference_token",
    "col_lab_p_reference",
    "col_lab_rank",
    "col_lab_model_token",
    "col_lab_p_model",
)
NEIGHBOUR_HEADERS = ("col_sentence", "col_reference", "col_lab_model_translation", "col_cosine")
Figure = Any  # a Plotly figure, or None for a cleared plot


@dataclass
class Section(Outputs):
    """A lab section's outputs; on bad input every field keeps its default (empty), but `summary` says why and
    each table in TABLES keeps its headers."""

    TABLES: ClassVar[dict[str, tuple[str, ...]]] = {}


@dataclass
class SurgeryOutputs(Section):
    TABLES: ClassVar = {"steps": STEP_HEADERS}
    original: str = ""
    altered: str = ""  # decoded from the edited context
    summary: str = ""
    kl_plot: Figure = None
    steps: dict | None = None
    before: Figure = None  # the context, then the edited one, on the same colour scales
    after: Figure = None


@dataclass
class InterpolationOutputs(Section):
    TABLES: ClassVar = {"alphas": ALPHA_HEADERS}
    at_alpha: str = ""  # the translation decoded at the slider's α
    translation_a: str = ""
    translation_b: str = ""
    summary: str = ""
    chart: Figure = None
    alphas: dict | None = None


@dataclass
class OcclusionOutputs(Section):
    TABLES: ClassVar = {"tokens": OCCLUSION_HEADERS}
    summary: str = ""
    bars: Figure = None  # cosine distance of the context without each token
    heatmap: Figure = None  # KL per token and step
    tokens: dict | None = None


@dataclass
class ReferenceOutputs(Section):
    TABLES: ClassVar = {"steps": REFERENCE_HEADERS}
    translation: str = ""  # the model's own
    summary: str = ""
    chart: Figure = None
    steps: dict | None = None


@dataclass
class RoundTripOutputs(Section):
    there: str = ""
    back: str = ""
    summary: str = ""
    there_plot: Figure = None
    back_plot: Figure = None


@dataclass
class NeighboursOutputs(Section):
    TABLES: ClassVar = {"neighbours": NEIGHBOUR_HEADERS}
    summary: str = ""
    neighbours: dict | None = None


@dataclass
class ExportOutputs(Section):
    file: str | None = None  # the path gr.File serves
    summary: str = ""


def surgery_view(
    text: str,
    direction: str,
    part: str,
    layers: str,
    units: str,
    operation: str,
    amount: float,
    seed: float,
    lang: str = "en",
) -> SurgeryOutputs:
    """The translation before and after editing its context, and how every step moved; raises InputError."""
    request, result = run_surgery(text, direction, part, layers, units, operation, amount, seed)
    trace = result.original.trace
    total = 2 * len(trace.context_h) * len(trace.context_h[0]) if trace.context_h else 0
    flipped = [f"t={s.t} {s.token} → {s.altered_top}" for s in result.steps if s.flipped]
    lines = [
        message("lab_selected", lang, n=result.selected, total=total, distance=result.context_distance),
        message("lab_divergence", lang, t=result.divergence)
        if result.divergence is not None
        else message("lab_unchanged", lang),
        message("lab_total_kl", lang, kl=sum(s.kl for s in result.steps)),
        message("lab_flipped", lang) + ", ".join(flipped) if flipped else message("lab_no_flips", lang),
        *notice_lines(request, result.original, lang),
    ]
    rows = [
        [
            s.t,
            s.token,
            round(s.prob, 4),
            round(s.altered_prob, 4),
            s.altered_top,
            round(s.kl, 4),
            "✓" if s.flipped else "",
        ]
        for s in result.steps
    ]
    before, after = figures.context_pair(trace, result.altered, result.selected, lang)
    chart = figures.surgery_kl(result, lang)
    steps = table_value(STEP_HEADERS, rows, lang)
    return SurgeryOutputs(result.original.text, result.altered_text, "\n".join(lines), chart, steps, before, after)


def interpolation_view(
    text_a: str, text_b: str, direction: str, alpha: float, lang: str = "en"
) -> InterpolationOutputs:
    """The translations along the sweep plus the slider's α; raises InputError."""
    alpha = min(1.0, max(0.0, finite(alpha, "lab_alpha")))
    a, b, result = run_interpolation(text_a, text_b, direction, sorted({*ALPHAS, round(alpha, 4)}))
    points = result.points
    at = min(points, key=lambda p: abs(p.alpha - alpha))
    lines = [message("lab_contexts_cosine", lang, cosine=result.cosine)]
    for i in result.switches:
        switch = message("lab_switch", lang, a=points[i - 1].alpha, b=points[i].alpha)
        lines.append(switch + f"{points[i - 1].text} → {points[i].text}")
    if not result.switches:
        lines.append(message("lab_no_switch", lang))
    lines += notice_lines(a, result.a, lang)
    lines += notice_lines(b, result.b, lang, "lab_text_b")
    same = {"a": message("lab_match_a", lang), "b": message("lab_match_b", lang), "": ""}
    rows = [[p.alpha, p.text, same[p.matches]] for p in points]
    chart = figures.interpolation(result, at.alpha, lang)
    table = table_value(ALPHA_HEADERS, rows, lang)
    return InterpolationOutputs(at.text, result.a.text, result.b.text, "\n".join(lines), chart, table)


def occlusion_view(text: str, direction: str, mode: str, lang: str = "en") -> OcclusionOutputs:
    """What occluding each token does: cosine-distance bars, KL heatmap, table; raises InputError."""
    request, result = run_occlusion(text, direction, mode)
    lines = [f"{message('translation', lang)}: {result.original.text}"]
    if result.occluded:
        far = max(result.occluded, key=lambda o: o.cosine_distance)
        moved = max(result.occluded, key=lambda o: o.kl)
        most = {"token": " ".join(far.tokens), "distance": far.cosine_distance}
        lines.append(message("lab_occlude_most", lang, **most, kl_token=" ".join(moved.tokens), kl=moved.kl))
    lines += notice_lines(request, result.original, lang)
    rows = [
        [
            o.positions[0] + 1 if o.positions else "",
            " ".join(o.tokens),
            round(o.cosine_distance, 4),
            round(o.kl, 3),
            o.text,
        ]
        for o in result.occluded
    ]
    bars, heat = figures.occlusion_bars(result, lang), figures.occlusion_heatmap(result, lang)
    return OcclusionOutputs("\n".join(lines), bars, heat, table_value(OCCLUSION_HEADERS, rows, lang))


def reference_view(text: str, reference: str, direction: str, lang: str = "en") -> ReferenceOutputs:
    """The model's translation against the reference, step by step; raises InputError."""
    request, checked, result = run_reference(text, reference, direction)
    lines = [
        message("lab_scores", lang, bleu=result.bleu, chrf=result.chrf, log_prob=result.log_prob),
        message("lab_leaves", lang, t=result.divergence)
        if result.divergence is not None
        else message("lab_follows", lang),
    ]
    if result.unknown:
        lines.append("• " + message("lab_reference_unknown", lang) + " ".join(result.unknown))
    if result.truncated:
        lines.append("• " + message("lab_reference_truncated", lang, n=probes.MAX_REFERENCE_TOKENS))
    lines += notice_lines(request, result.translation, lang)
    lines += notice_lines(checked, None, lang, "lab_reference")
    rows = [[s.t, s.token, round(s.prob, 4), s.rank, s.model_token, round(s.model_prob, 4)] for s in result.steps]
    chart = figures.reference_chart(result, lang)
    steps = table_value(REFERENCE_HEADERS, rows, lang)
    return ReferenceOutputs(result.translation.text, "\n".join(lines), chart, steps)


def round_trip_view(text: str, direction: str, lang: str = "en") -> RoundTripOutputs:
    """There and back, with a top-k heatmap of each; raises InputError."""
    request, result = run_round_trip(text, direction)
    lines = [
        message("lab_contexts_cosine", lang, cosine=result.cosine),
        message("lab_identical" if result.identical else "lab_different", lang),
        *notice_lines(request, result.forward, lang),
    ]
    there = figure_text("lab_there", lang, direction=direction_label(request.direction, lang))
    back = figure_text("lab_back", lang, direction=direction_label(other(request.direction), lang))
    there_chart = figures.trip_heatmap(result.forward.trace, there, lang)
    back_chart = figures.trip_heatmap(result.back.trace, back, lang)
    return RoundTripOutputs(result.forward.text, result.back.text, "\n".join(lines), there_chart, back_chart)


def neighbours_view(text: str, direction: str, lang: str = "en") -> NeighboursOutputs:
    """The sentence's nearest training sentences; raises InputError."""
    request, placement = run_neighbours(text, direction)
    lines = [f"{message('space_translation', lang)}: {placement.translation}"]
    lines += notice_lines(request, placement, lang)
    rows = [[n["text"], n["translation"], n["model_translation"], round(n["cosine"], 4)] for n in placement.neighbours]
    return NeighboursOutputs("\n".join(lines), table_value(NEIGHBOUR_HEADERS, rows, lang))


def export_trace(text: str, direction: str, decoding: str, full: bool, lang: str = "en") -> ExportOutputs:
    """A JSON file holding the translation's whole trace (numbers to api.DIGITS significant digits;
    gzip-compressed beyond EXPORT_PLAIN_BYTES), and a line on what it holds; raises InputError.

    Files are named by their content, so exporting the same translation again reuses one file.
    """
    request = lab_sentence(text, direction)
    chosen = settings(decoding=decoding)  # the page's defaults: beam 5, or greedy
    result = service.run(request, chosen.beam_size, chosen.top_k, distributions=bool(full))
    data = {"direction": request.direction, "notices": notices(request, result), **result.to_dict()}
    body = json.dumps(rounded(data), ensure_ascii=False).encode("utf-8")
    name = f"trace-{request.direction}-{hashlib.sha256(body).hexdigest()[:16]}.json"
    if len(body) > EXPORT_PLAIN_BYTES:  # every P_t of a long sentence: compressed, well under 1 MB
        body, name = gzip.compress(body, mtime=0), name + ".gz"
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    path = EXPORT_DIR / name
    if path.exists():  # the same translation again: the file is fresh again, or the pruning below takes it
        path.touch()
    else:
        path.write_bytes(body)
    prune_exports()
    # KB of 1024 bytes, as the file box beside it counts them
    status = message("lab_exported", lang, steps=len(result.trace.steps), size=len(body) / 1024)
    return ExportOutputs(str(path), status)


def prune_exports(now: float | None = None) -> None:
    """Delete exports older than EXPORT_SECONDS, then the oldest beyond MAX_EXPORTS: the directory stays
    bounded however many people export (Gradio serves each file from its own cache once returned)."""
    now = time.time() if now is None else now
    ages = {}
    for file in EXPORT_DIR.glob("trace-*.json*"):
        try:
            ages[file] = now - file.stat().st_mtime
        except FileNotFoundError:  # another worker pruned it first
            continue
    for number, file in enumerate(sorted(ages, key=ages.get)):
        if number >= MAX_EXPORTS or ages[file] > EXPORT_SECONDS:
            file.unlink(missing_ok=True)
