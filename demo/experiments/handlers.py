"""The Experiments tab's handlers: results and claims from experiments/results.json, the paper's Figures 2 and 3.

Everything shown is either our own JSON (put in tables and plain-text boxes, never read as HTML) or a
sentence the user typed (checked by `validate.prepare`, shown only in text boxes, tables and figure data).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import gradio as gr

from seq2seq.study import analysis

from .. import service, validate
from ..i18n import language_of, message
from ..notices import notice_lines
from ..plotting import empty_figure, go
from ..widgets import Outputs, many, table_value
from . import figures
from .wording import localise, settings_lines

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS_PATH = ROOT / "experiments" / "results.json"
FIGURE3_PATH = service.ASSETS / "analysis" / "figure3.json"
NEIGHBOURS = service.NEIGHBOURS
PHRASE_SETS = len(next(iter(analysis.FIGURE2_SETS.values())))  # phrase maps per direction (the same for both)

RESULT_COLUMNS = (  # (key in a results.json row, header message key)
    ("comparison", "col_comparison"),
    ("variant", "col_variant"),
    ("direction", "col_direction"),
    ("bleu", "col_bleu"),
    ("chrf", "col_chrf"),
    ("perplexity", "col_perplexity"),
    ("parameters", "col_parameters"),
    ("epochs", "col_epochs"),
    ("train_minutes", "col_train_minutes"),
    ("note", "col_note"),
)
BEAM_COLUMNS = (
    ("direction", "col_direction"),
    ("model", "col_model"),
    ("beam", "col_beam"),
    ("bleu", "col_bleu"),
    ("chrf", "col_chrf"),
    ("ms_per_sentence", "col_ms"),
)
CLAIM_COLUMNS = (("claim", "col_claim"), ("paper", "col_paper"), ("ours", "col_ours"))
NEIGHBOUR_HEADERS = ("col_sentence", "col_reference", "col_cosine")


@dataclass
class SpaceOutputs(Outputs):
    """Figure 2's sentence space, with the user's sentence placed when there is one."""

    space: go.Figure
    neighbours: dict
    notes: str


@dataclass
class DirectionOutputs(Outputs):
    """What follows the direction: its phrase maps (PHRASE_SETS of them) and its sentence space."""

    phrase_maps: list[go.Figure] = many()
    placed: SpaceOutputs


@dataclass
class TabOutputs(Outputs):
    """Everything on the tab, filled when it is opened."""

    info: str
    results: dict
    beam_sweep: dict
    claims: dict
    direction: DirectionOutputs
    figure3: go.Figure


@lru_cache(maxsize=len(service.DIRECTIONS))
def background(direction: str) -> list[dict]:
    """The grey cloud of `direction`'s sentence space (the same on every request)."""
    return service.sentence_space(direction).background()


@lru_cache(maxsize=len(service.DIRECTIONS))
def phrase_maps(direction: str) -> dict[str, list[dict]]:
    """Figure 2's phrase sets of the direction's source language, mapped by its model (deterministic: cached)."""
    translator = service.translator(direction)
    sets = analysis.FIGURE2_SETS[translator.src_lang]
    return {name: analysis.phrase_map(translator, phrases) for name, phrases in sets.items()}


def _table(rows: list[dict], columns: tuple[tuple[str, str], ...], lang: str) -> dict:
    """A gr.Dataframe value: localised headers and phrases, one list per row ('—' where a value is missing)."""
    data = [[localise(row.get(key), lang) if row.get(key) is not None else "—" for key, _ in columns] for row in rows]
    return table_value([header for _, header in columns], data, lang)


def run_info(data: dict, lang: str = "en") -> str:
    """The results' provenance as plain text: commands, commits, settings (the run log, kept behind a fold)."""
    lines = [f"{message('exp_command', lang)}: {data.get('command', '')}"]
    lines.append(f"{message('exp_commit', lang)}: {data.get('git_commit', '')}")
    lines += settings_lines(data.get("settings") or {}, lang)
    if data.get("beam_sweep_command"):
        lines.append(f"{message('exp_sweep_command', lang)}: {data['beam_sweep_command']}")
        lines.append(f"{message('exp_sweep_commit', lang)}: {data.get('beam_sweep_git_commit', '')}")
    return "\n".join(lines)


def results_view(lang: str, path: Path = RESULTS_PATH) -> tuple[str, dict, dict, dict]:
    """Provenance text and the results, beam-sweep and claims tables; a message when the file is absent or broken."""
    empty = (_table([], RESULT_COLUMNS, lang), _table([], BEAM_COLUMNS, lang), _table([], CLAIM_COLUMNS, lang))
    if not path.is_file():
        return (message("exp_no_results", lang), *empty)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        tables = (
            _table(data.get("rows") or [], RESULT_COLUMNS, lang),
            _table(data.get("beam_sweep") or [], BEAM_COLUMNS, lang),
            _table(data.get("claims") or [], CLAIM_COLUMNS, lang),
        )
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError, TypeError) as error:
        return (message("exp_bad_results", lang) + f"{type(error).__name__}: {error}", *empty)
    return run_info(data, lang), *tables


def figure3_view(lang: str, path: Path = FIGURE3_PATH):
    """Figure 3 from assets/analysis/figure3.json, or a figure that says it is missing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return empty_figure(message("fig_no_figure3", lang))
    return figures.figure3_figure(data, lang)


def phrase_views(direction: str, lang: str) -> list:
    """One Figure 2 phrase map per phrase set."""
    return [figures.phrase_map_figure(points, lang, name) for name, points in phrase_maps(direction).items()]


def _neighbour_rows(neighbours: list[dict], lang: str) -> dict:
    rows = [[n["text"], n["translation"], round(n["cosine"], 3)] for n in neighbours]
    return table_value(NEIGHBOUR_HEADERS, rows, lang)


def space_view(direction: str, lang: str, notes: str = "") -> SpaceOutputs:
    """The sentence space with nothing placed yet (and `notes` saying why)."""
    return SpaceOutputs(
        figures.sentence_space_figure(background(direction), None, [], lang), _neighbour_rows([], lang), notes
    )


def locate_view(text: str, direction: str, lang: str) -> SpaceOutputs:
    """The sentence space with the user's sentence placed, its neighbours and notes; raises service.InputError."""
    request = validate.prepare(text, direction)
    space = service.sentence_space(request.direction)
    placement = analysis.locate(service.translator(request.direction), space, request.text, NEIGHBOURS)
    x, y = placement.point
    you = {"x": x, "y": y, "text": request.text}
    notes = [
        f"{message('space_translation', lang)}: {placement.translation}",
        f"{message('space_point', lang)}: ({x:.2f}, {y:.2f})",
    ]
    notes += notice_lines(request, placement, lang)
    fig = figures.sentence_space_figure(background(request.direction), you, placement.neighbours, lang)
    return SpaceOutputs(fig, _neighbour_rows(placement.neighbours, lang), "\n".join(notes))


def locate(text: str, direction: str, request: gr.Request) -> list:
    """Event handler: place the sentence; bad input or a missing index gives a message, never a stack trace."""
    return _placed(text, direction, language_of(request)).listed()


def _placed(text: str, direction: str, lang: str) -> SpaceOutputs:
    """`locate_view`, or the empty space and a message; never a stack trace."""
    try:
        return locate_view(text, direction, lang)
    except service.InputError as error:
        failure = message(error.key, lang)
    except FileNotFoundError:
        failure = message("space_missing", lang)
    except Exception:  # a stack trace helps no user; the log keeps it for us
        log.exception("placing a sentence failed")
        failure = message("error_internal", lang)
    try:
        return space_view(direction, lang, failure)
    except Exception:
        return SpaceOutputs(empty_figure(""), _neighbour_rows([], lang), failure)


def direction_view(text: str, direction: str, lang: str) -> DirectionOutputs:
    """The direction's phrase maps, and its sentence space (with the sentence, if any)."""
    if direction not in service.DIRECTIONS:  # the radio offers two; a crafted request may send anything
        note = validate.explain(service.InputError("error_direction", "direction", allowed="en-zh, zh-en"), lang)
        empty = SpaceOutputs(empty_figure(""), _neighbour_rows([], lang), note)
        return DirectionOutputs([empty_figure("")] * PHRASE_SETS, empty)
    try:
        phrases = phrase_views(direction, lang)
    except Exception:
        log.exception("phrase maps failed")
        phrases = [empty_figure(message("error_internal", lang))] * PHRASE_SETS
    if isinstance(text, str) and text.strip():
        return DirectionOutputs(phrases, _placed(text, direction, lang))
    try:
        return DirectionOutputs(phrases, space_view(direction, lang))
    except FileNotFoundError:
        missing = SpaceOutputs(empty_figure(""), _neighbour_rows([], lang), message("space_missing", lang))
        return DirectionOutputs(phrases, missing)


def show_direction(text: str, direction: str, request: gr.Request) -> list:
    """Event handler for the direction."""
    return direction_view(text, direction, language_of(request)).listed()


def fill(text: str, direction: str, request: gr.Request) -> list:
    """Everything on the tab, when it is opened: results, claims, Figure 2 for `direction`, Figure 3."""
    lang = language_of(request)
    info, results, beams, claims = results_view(lang)
    shown = direction_view(text, direction, lang)
    return TabOutputs(info, results, beams, claims, shown, figure3_view(lang)).listed()
