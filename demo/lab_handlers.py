"""The Context lab's handlers and API: the probes of `seq2seq.probes` on the shipped models, drawn.

Every text field goes through `service.prepare` (and the unit and layer lists through `parse_indices`),
each view runs one probe, which returns plain data (no tensor math here), and `lab_figures` draws it.
User text only goes into text boxes, tables and figure data, never into Markdown or HTML. The named
API endpoints (`lab_api`) share the checks and probes (`run_*`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import gradio as gr
import plotly.graph_objects as go
from gradio.components.plot import PlotData

from seq2seq import analysis, probes
from seq2seq.pipeline import Translation
from seq2seq.search import greedy_batch
from seq2seq.vocabulary import UNK_ID

from . import experiments_handlers, figures, lab_figures, service
from .handlers import language_of
from .i18n import DIRECTION_LABELS, figure_text, message

log = logging.getLogger(__name__)
PARTS = {"both": ("h", "c"), "h": ("h",), "c": ("c",)}
ALPHAS = [i / 10 for i in range(11)]  # the interpolation's sweep; the slider's α joins it
MAX_ALPHAS = 41  # an API call may ask for more points than the slider's sweep, up to this many
ALPHA_RANGE = (-1.0, 2.0)  # a little extrapolation beyond A and B is allowed, not more
MAX_NEIGHBOURS = 50
MAX_SPEC_CHARS = 300  # a unit or layer list longer than this is no list
EXPORT_DIR = Path(tempfile.gettempdir()) / "seq2seq-traces"  # Gradio serves files from the temp dir
# Plotly's toolbar is on (on hover) with its "download plot as PNG" button; the file gets a name and 2× pixels.
EXPORT_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}

STEP_HEADERS = ("col_lab_step", "col_lab_token", "col_lab_p", "col_lab_p_edited", "col_lab_edited_choice",
                "col_lab_kl", "col_lab_flipped")  # fmt: skip
ALPHA_HEADERS = ("col_lab_alpha", "col_lab_output", "col_lab_same_as")
OCCLUSION_HEADERS = ("col_lab_position", "col_lab_token", "col_lab_distance", "col_lab_kl_total", "col_lab_without")
REFERENCE_HEADERS = ("col_lab_step", "col_lab_reference_token", "col_lab_p_reference", "col_lab_rank",
                     "col_lab_model_token", "col_lab_p_model")  # fmt: skip
NEIGHBOUR_HEADERS = ("col_sentence", "col_reference", "col_lab_model_translation", "col_cosine")


# ---------------------------------------------------------------- checking what was typed


class FieldError(service.InputError):
    """Bad input in one field: a message key, the label key of the field (or ''), values for the message."""

    def __init__(self, key: str, field: str = "", **values: object):
        super().__init__(key)
        self.field, self.values = field, values


def explain(error: service.InputError, lang: str = "en") -> str:
    """The message for an InputError, prefixed by the field's label when it came from one field."""
    text = message(error.key, lang)
    try:
        text = text.format(**getattr(error, "values", {}))
    except (KeyError, IndexError, ValueError):  # a message without those placeholders is shown as it is
        pass
    field = getattr(error, "field", "")
    return f"{message(field, lang)}: {text}" if field else text


def _prepare(text: str | None, direction: str, field: str = "") -> service.Request:
    try:
        return service.prepare(text, direction)
    except service.InputError as error:
        raise FieldError(error.key, field) from error


def parse_indices(spec: str | None, size: int, first: int = 0) -> list[int] | None:
    """'all' → None (everything); '' or 'none' → [] (nothing); '0-95, 200' → [0, …, 95, 200], 0-based.

    The numbers typed run from `first` to first + size - 1 (layers are counted from 1, as the heatmaps
    label them; units from 0). Full-width digits and Chinese commas are read too; ValueError otherwise.
    """
    spec = unicodedata.normalize("NFKC", spec or "").strip().lower()
    if spec in ("all", "*"):
        return None
    if spec in ("", "none"):
        return []
    if len(spec) > MAX_SPEC_CHARS:
        raise ValueError("too long")
    spec = re.sub(r"\s*[-–—~]\s*", "-", spec)
    chosen: set[int] = set()
    for item in filter(None, re.split(r"[,、;\s]+", spec)):
        match = re.fullmatch(r"([0-9]+)(?:-([0-9]+))?", item)
        if not match:
            raise ValueError(item)
        low, high = int(match[1]), int(match[2] or match[1])
        if not first <= low <= high < first + size:
            raise ValueError(item)
        chosen.update(range(low - first, high - first + 1))
    return sorted(chosen)


def _indices(spec: str | None, size: int, first: int, key: str) -> list[int] | None:
    try:
        return parse_indices(spec, size, first)
    except ValueError:
        raise FieldError(key, max=first + size - 1) from None


def _option(value: str | None, allowed: Sequence[str], field: str) -> str:
    if value not in allowed:
        raise FieldError("lab_error_option", field, value=str(value)[:40], allowed=", ".join(allowed))
    return value


def _finite(value: float | int | str | None, field: str) -> float:
    try:
        number = float(value if value is not None else "nan")
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise FieldError("lab_error_number", field)
    return number


def _seed(value: float | int | None) -> int:
    """Any whole number works as a seed; torch wants it in 0 … 2**63-1."""
    return int(_finite(value if value is not None else 0, "lab_seed")) % 2**63


def notice_keys(request: service.Request, translation: Translation | None = None) -> list[str]:
    """The request's notice keys, and those its translation calls for (as `service.run` adds them)."""
    keys = list(request.notices)
    if translation is None:
        return keys
    if translation.truncated and "notice_truncated" not in keys:
        keys.append("notice_truncated")
    ids = translation.trace.src_ids
    if ids and all(i == UNK_ID for i in ids):
        keys.append("notice_all_unknown")
    elif translation.unknown:
        keys.append("notice_unknown")
    if translation.converted:
        keys.append("notice_converted")
    return keys


def _notice_lines(keys: list[str], translation: Translation | None, lang: str, field: str = "") -> list[str]:
    lines = []
    for key in keys:
        text = message(key, lang)
        if key == "notice_unknown" and translation is not None:
            text += " ".join(translation.unknown)
        elif key == "notice_converted" and translation is not None:
            text += translation.source
        lines.append("• " + (f"{message(field, lang)}: " if field else "") + text)
    return lines


# ---------------------------------------------------------------- the probes on the shipped models


def run_surgery(
    text: str, direction: str, part: str, layers: str, units: str, operation: str, amount: float, seed: float
) -> tuple[service.Request, probes.Surgery]:
    """Edit the context of the sentence and decode again; raises service.InputError."""
    request = _prepare(text, direction)
    translator = service.translator(request.direction)
    config = probes.paper_model(translator).config
    selection = probes.Selection(
        parts=PARTS[_option(part, list(PARTS), "lab_part")],
        layers=_indices(layers, config.num_layers, 1, "lab_error_layers"),
        units=_indices(units, config.hidden_size, 0, "lab_error_units"),
    )
    operation = _option(operation, probes.OPERATIONS, "lab_operation")
    result = probes.surgery(translator, request.text, selection, operation, _finite(amount, "lab_amount"), _seed(seed))
    return request, result


def _other(direction: str) -> str:
    """The opposite direction: 'en-zh' → 'zh-en'."""
    source, target = direction.split("-")
    return f"{target}-{source}"


def _alphas(alphas: Sequence[float] | None) -> list[float] | None:
    if alphas is None:
        return None
    if isinstance(alphas, (str, bytes)) or not 1 <= len(alphas) <= MAX_ALPHAS:
        raise FieldError("lab_error_option", "lab_alpha", value=str(alphas)[:40], allowed=f"1 … {MAX_ALPHAS} α")
    values = [_finite(a, "lab_alpha") for a in alphas]
    low, high = ALPHA_RANGE
    if not all(low <= a <= high for a in values):
        raise FieldError("lab_error_option", "lab_alpha", value=str(alphas)[:40], allowed=f"{low:g} … {high:g}")
    return values


def run_interpolation(
    text_a: str, text_b: str, direction: str, alphas: Sequence[float] | None = None
) -> tuple[service.Request, service.Request, probes.Interpolation]:
    """Decode from blends of the contexts of A and B (both read by A's model); raises service.InputError."""
    a = _prepare(text_a, direction)
    b = _prepare(text_b, a.direction, "lab_text_b")
    result = probes.interpolate(service.translator(a.direction), a.text, b.text, _alphas(alphas))
    return a, b, result


def run_occlusion(text: str, direction: str, mode: str) -> tuple[service.Request, probes.Occlusion]:
    """Occlude each source token in turn; raises service.InputError."""
    request = _prepare(text, direction)
    mode = _option(mode, probes.OCCLUSIONS, "lab_mode")
    return request, probes.occlude(service.translator(request.direction), request.text, mode)


def run_reference(
    text: str, reference: str, direction: str
) -> tuple[service.Request, service.Request, probes.ReferenceView]:
    """Teacher-force the reference; it is checked as a sentence of the target language. Raises service.InputError."""
    request = _prepare(text, direction)
    checked = _prepare(reference, _other(request.direction), "lab_reference")
    return request, checked, probes.reference_view(service.translator(request.direction), request.text, checked.text)


def run_round_trip(text: str, direction: str) -> tuple[service.Request, probes.RoundTrip]:
    """There with the direction's model, back with the other one; raises service.InputError."""
    request = _prepare(text, direction)
    there, back = service.translator(request.direction), service.translator(_other(request.direction))
    return request, probes.round_trip(there, back, request.text)


def run_neighbours(
    text: str, direction: str, k: int = experiments_handlers.NEIGHBOURS
) -> tuple[service.Request, analysis.Placement]:
    """(request, analysis.Placement) with each neighbour's greedy translation by the model added as
    'model_translation'; raises service.InputError (also when the direction has no sentence space)."""
    request = _prepare(text, direction)
    k = max(1, min(MAX_NEIGHBOURS, int(_finite(k, "lab_neighbours"))))
    try:
        space = experiments_handlers.sentence_space(request.direction)
    except FileNotFoundError:
        raise service.InputError("space_missing") from None
    translator = service.translator(request.direction)
    placement = analysis.locate(translator, space, request.text, k)
    # One batch for all of them: a third of the time of one by one, and the same greedy outputs
    # (a batch rounds differently only in the 7th digit).
    sources = [translator.source_ids(neighbour["text"])[0] for neighbour in placement.neighbours]
    for neighbour, output in zip(placement.neighbours, greedy_batch(translator.model, sources)):
        neighbour["model_translation"] = translator.detokenize(output)
    return request, placement


# ---------------------------------------------------------------- views: widget values in, displayable values out


def _table(headers: Sequence[str], rows: list[list], lang: str) -> dict:
    """A gr.Dataframe value with localised headers."""
    return {"headers": [message(h, lang) for h in headers], "data": rows}


def surgery_view(
    text: str, direction: str, part: str, layers: str, units: str, operation: str, amount: float, seed: float,
    lang: str = "en",
) -> tuple:  # fmt: skip
    """(original, altered, summary, KL figure, step table, original context, edited context); raises InputError."""
    request, result = run_surgery(text, direction, part, layers, units, operation, amount, seed)
    trace = result.original.trace
    total = 2 * len(trace.context_h) * len(trace.context_h[0]) if trace.context_h else 0
    flipped = [f"t={s.t} {s.token} → {s.altered_top}" for s in result.steps if s.flipped]
    lines = [
        message("lab_selected", lang).format(n=result.selected, total=total, distance=result.context_distance),
        message("lab_divergence", lang).format(t=result.divergence)
        if result.divergence is not None
        else message("lab_unchanged", lang),
        message("lab_total_kl", lang).format(kl=sum(s.kl for s in result.steps)),
        message("lab_flipped", lang) + ", ".join(flipped) if flipped else message("lab_no_flips", lang),
        *_notice_lines(notice_keys(request, result.original), result.original, lang),
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
    before, after = lab_figures.context_pair(trace, result.altered, result.selected, lang)
    return (result.original.text, result.altered_text, "\n".join(lines), lab_figures.surgery_kl(result, lang),
            _table(STEP_HEADERS, rows, lang), before, after)  # fmt: skip


def interpolation_view(text_a: str, text_b: str, direction: str, alpha: float, lang: str = "en") -> tuple:
    """(translation at α, A's, B's, summary, chart, α table) for the sweep plus the slider's α; raises InputError."""
    alpha = min(1.0, max(0.0, _finite(alpha, "lab_alpha")))
    a, b, result = run_interpolation(text_a, text_b, direction, sorted({*ALPHAS, round(alpha, 4)}))
    points = result.points
    at = min(points, key=lambda p: abs(p.alpha - alpha))
    lines = [message("lab_contexts_cosine", lang).format(cosine=result.cosine)]
    for i in result.switches:
        lines.append(message("lab_switch", lang).format(a=points[i - 1].alpha, b=points[i].alpha)
                     + f"{points[i - 1].text} → {points[i].text}")  # fmt: skip
    if not result.switches:
        lines.append(message("lab_no_switch", lang))
    lines += _notice_lines(notice_keys(a, result.a), result.a, lang)
    lines += _notice_lines(notice_keys(b, result.b), result.b, lang, "lab_text_b")
    same = {"a": message("lab_match_a", lang), "b": message("lab_match_b", lang), "": ""}
    rows = [[p.alpha, p.text, same[p.matches]] for p in points]
    chart = lab_figures.interpolation(result, at.alpha, lang)
    return at.text, result.a.text, result.b.text, "\n".join(lines), chart, _table(ALPHA_HEADERS, rows, lang)


def occlusion_view(text: str, direction: str, mode: str, lang: str = "en") -> tuple:
    """(summary, cosine-distance bars, KL heatmap, table) of occluding each token; raises InputError."""
    request, result = run_occlusion(text, direction, mode)
    lines = [f"{message('translation', lang)}: {result.original.text}"]
    if result.occluded:
        far = max(result.occluded, key=lambda o: o.cosine_distance)
        moved = max(result.occluded, key=lambda o: o.kl)
        lines.append(message("lab_occlude_most", lang).format(
            token=" ".join(far.tokens), distance=far.cosine_distance, kl_token=" ".join(moved.tokens), kl=moved.kl
        ))  # fmt: skip
    lines += _notice_lines(notice_keys(request, result.original), result.original, lang)
    rows = [[o.positions[0] + 1 if o.positions else "", " ".join(o.tokens), round(o.cosine_distance, 4),
             round(o.kl, 3), o.text] for o in result.occluded]  # fmt: skip
    return ("\n".join(lines), lab_figures.occlusion_bars(result, lang), lab_figures.occlusion_heatmap(result, lang),
            _table(OCCLUSION_HEADERS, rows, lang))  # fmt: skip


def reference_view(text: str, reference: str, direction: str, lang: str = "en") -> tuple:
    """(the model's translation, summary, chart, step table) against the reference; raises InputError."""
    request, checked, result = run_reference(text, reference, direction)
    lines = [
        message("lab_scores", lang).format(bleu=result.bleu, chrf=result.chrf, log_prob=result.log_prob),
        message("lab_leaves", lang).format(t=result.divergence)
        if result.divergence is not None
        else message("lab_follows", lang),
    ]
    if result.unknown:
        lines.append("• " + message("lab_reference_unknown", lang) + " ".join(result.unknown))
    if result.truncated:
        lines.append("• " + message("lab_reference_truncated", lang).format(n=probes.MAX_REFERENCE_TOKENS))
    lines += _notice_lines(notice_keys(request, result.translation), result.translation, lang)
    lines += _notice_lines(checked.notices, None, lang, "lab_reference")
    rows = [[s.t, s.token, round(s.prob, 4), s.rank, s.model_token, round(s.model_prob, 4)] for s in result.steps]
    return (result.translation.text, "\n".join(lines), lab_figures.reference_chart(result, lang),
            _table(REFERENCE_HEADERS, rows, lang))  # fmt: skip


def round_trip_view(text: str, direction: str, lang: str = "en") -> tuple:
    """(there, back, summary, top-k heatmap there, top-k heatmap back); raises InputError."""
    request, result = run_round_trip(text, direction)
    labels = DIRECTION_LABELS.get(lang, DIRECTION_LABELS["en"])
    lines = [
        message("lab_contexts_cosine", lang).format(cosine=result.cosine),
        message("lab_identical" if result.identical else "lab_different", lang),
        *_notice_lines(notice_keys(request, result.forward), result.forward, lang),
    ]
    there = figure_text("lab_there", lang, direction=labels[request.direction])
    back = figure_text("lab_back", lang, direction=labels[_other(request.direction)])
    return (result.forward.text, result.back.text, "\n".join(lines),
            lab_figures.trip_heatmap(result.forward.trace, there, lang),
            lab_figures.trip_heatmap(result.back.trace, back, lang))  # fmt: skip


def neighbours_view(text: str, direction: str, lang: str = "en") -> tuple:
    """(summary, neighbour table) of the sentence's nearest training sentences; raises InputError."""
    request, placement = run_neighbours(text, direction)
    lines = [f"{message('space_translation', lang)}: {placement.translation}"]
    lines += ["• " + message(key, lang) for key in request.notices]
    if placement.unknown:
        lines.append("• " + message("notice_unknown", lang) + " ".join(placement.unknown))
    rows = [[n["text"], n["translation"], n["model_translation"], round(n["cosine"], 4)] for n in placement.neighbours]
    return "\n".join(lines), _table(NEIGHBOUR_HEADERS, rows, lang)


def export_trace(text: str, direction: str, decoding: str, full: bool, lang: str = "en") -> tuple[str, str]:
    """(path of a JSON file holding the translation's whole trace, a line on what it holds); raises InputError.

    Files are named by their content, so exporting the same translation again reuses one file.
    """
    request = _prepare(text, direction)
    result = service.run(request, 5 if decoding == "beam" else 1, distributions=bool(full))
    data = {"direction": request.direction, "notices": [message(k) for k in request.notices], **result.to_dict()}
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    path = EXPORT_DIR / f"trace-{request.direction}-{hashlib.sha256(body).hexdigest()[:16]}.json"
    if not path.exists():
        path.write_bytes(body)
    status = message("lab_exported", lang).format(steps=len(result.trace.steps), size=len(body) / 1000)
    return str(path), status


# ---------------------------------------------------------------- events: never a stack trace, figures exportable


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


def _blank() -> go.Figure:
    return figures.empty_figure("")


def show_surgery(text, direction, part, layers, units, operation, amount, seed, request: gr.Request) -> tuple:
    """Event handler of the surgery section."""
    lang = language_of(request)
    return _guard(
        "surgery",
        lambda: surgery_view(text, direction, part, layers, units, operation, amount, seed, lang),
        lambda note: ("", "", note, _blank(), _table(STEP_HEADERS, [], lang), _blank(), _blank()),
        lang,
    )


def show_interpolation(text_a, text_b, direction, alpha, request: gr.Request) -> tuple:
    """Event handler of the interpolation section (button and slider)."""
    lang = language_of(request)
    return _guard(
        "interpolation",
        lambda: interpolation_view(text_a, text_b, direction, alpha, lang),
        lambda note: ("", "", "", note, _blank(), _table(ALPHA_HEADERS, [], lang)),
        lang,
    )


def show_occlusion(text, direction, mode, request: gr.Request) -> tuple:
    """Event handler of the occlusion section."""
    lang = language_of(request)
    return _guard(
        "occlusion",
        lambda: occlusion_view(text, direction, mode, lang),
        lambda note: (note, _blank(), _blank(), _table(OCCLUSION_HEADERS, [], lang)),
        lang,
    )


def show_reference(text, reference_text, direction, request: gr.Request) -> tuple:
    """Event handler of the reference section."""
    lang = language_of(request)
    return _guard(
        "reference",
        lambda: reference_view(text, reference_text, direction, lang),
        lambda note: ("", note, _blank(), _table(REFERENCE_HEADERS, [], lang)),
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
        lambda note: (note, _table(NEIGHBOUR_HEADERS, [], lang)),
        lang,
    )


def make_export(text, direction, decoding, full, request: gr.Request) -> tuple:
    """Event handler of the export section: (file for gr.File or None, status line)."""
    lang = language_of(request)
    return _guard(
        "export", lambda: export_trace(text, direction, decoding, full, lang), lambda note: (None, note), lang
    )
