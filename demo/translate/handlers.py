"""The Translate tab's handlers: widget values in, displayable values out.

One pass per request: the input is checked once at the edge (`validate.prepare`, `validate.settings`),
the model looked up once and the sentence read, encoded and decoded once; the figures are drawn from that
one trace. Each event's outputs are named (`TranslateOutputs`). User text only ever goes into text
components and figure data, never into Markdown or HTML.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, fields
from functools import lru_cache

import gradio as gr

from seq2seq.pipeline import Translation, Translator
from seq2seq.trace import Candidate
from seq2seq.vocabulary import EOS_ID

from .. import service, validate
from ..canvas import canvas_data, canvas_json
from ..i18n import LANGUAGES, direction_label, language_of, message
from ..notices import notice_lines, notices
from ..plotting import empty_figure
from ..trace_figures import context_heatmap, topk_heatmap
from ..validate import Settings
from ..widgets import Outputs
from . import figures

log = logging.getLogger(__name__)
STATE_SECONDS = 3600  # a session's state is dropped an hour after it was last set
NBEST_HEADERS = ("col_rank", "col_translation", "col_score", "col_normalized", "col_finished")
OPENING_SENTENCE = "Where is the train station?"  # what the page opens on, translated and drawn
# The session state's first value: "the page's opening sentence", whose Session is built once and shared.
# Only the load of a shared link writes it (`link.py`), and the visitor's own events cancel that load.
OPENING = "opening"


@dataclass
class Choice:
    """One decoder step as the next events need it: the token taken and the candidates beside it."""

    t: int
    token_id: int
    token: str
    candidates: list[Candidate]


@dataclass
class Session:
    """What a browser session keeps between events (gr.State, expiring after STATE_SECONDS): the request,
    its settings, the output's ids and each step's top-k, a few kB; never the trace's states or full
    distributions, which `all_units` computes again when asked."""

    request: service.Request
    settings: Settings
    text: str
    log_prob: float
    steps: list[Choice]

    @classmethod
    def of(cls, request: service.Request, settings: Settings, result: Translation) -> Session:
        trace = result.trace
        steps = [Choice(s.t, s.token_id, s.token, list(s.top_k)) for s in trace.steps]
        return cls(request, settings, result.text, trace.log_prob, steps)

    def forced_prefix(self, t: int, token_id: int) -> list[int]:
        """The output's first t-1 tokens, the model's own, then `token_id` at step t: what a what-if forces."""
        return self.output_ids[: t - 1] + [token_id]

    @property
    def output_ids(self) -> list[int]:
        """The output without <eos>, as the trace had it."""
        ids = [step.token_id for step in self.steps]
        return ids[:-1] if ids and ids[-1] == EOS_ID else ids


def summary(result: Translation, request: service.Request, lang: str) -> str:
    """Direction, score line and notices, as plain text."""
    trace = result.trace
    steps = max(len(trace.steps), 1)
    direction = direction_label(request.direction, lang)
    score = (
        f"{message('log_prob', lang)} {trace.log_prob:.3f} · {message('perplexity', lang)} "
        f"{math.exp(-trace.log_prob / steps):.2f} · {steps} {message('steps', lang)}"
    )
    if not trace.finished:
        score += f" · {message('unfinished', lang)}"
    lines = [f"{message('detected', lang)}: {direction}" if request.detected else direction, score]
    return "\n".join(lines + notice_lines(request, result, lang))


def counted_spans(result: Translation) -> list[tuple[str, str | None]]:
    """The source's words as written, each with the number of training pairs that contain it ('北京 ×2'),
    in the '<unk>' category when the model never saw it, 'rare' when it saw it in few pairs, else 'seen'."""
    diagnosis = result.diagnosis
    spans = []
    for word, count, unknown in zip(diagnosis.tokens, diagnosis.token_counts, diagnosis.unknown):
        text = word if count is None else f"{word} ×{count}"
        spans.append((text, "<unk>" if unknown else "rare" if word in diagnosis.rare else "seen"))
    return spans


def nbest_rows(result: Translation, translator: Translator, lang: str) -> dict:
    rows = [
        [
            rank,
            translator.detokenize(h.token_ids, result.unknown_phrases),
            round(h.score, 3),
            round(h.normalized_score, 3),
            message("nbest_ended" if h.finished else "nbest_cut", lang),
        ]
        for rank, h in enumerate(result.trace.n_best, 1)
    ]
    return {"headers": [message(h, lang) for h in NBEST_HEADERS], "data": rows}


def scored(text: str, log_prob: float, lang: str) -> str:
    """A translation with its log-probability below it, as the what-if boxes show both."""
    return f"{text}\n({message('log_prob', lang)} {log_prob:.3f})"


def step_choices(session: Session) -> list[tuple[str, int]]:
    return [(f"t={s.t} · {s.token}", s.t) for s in session.steps]


def candidate_choices(session: Session, t: int | None) -> list[tuple[str, int]]:
    """The other top-k tokens of step t, as (label, token id)."""
    steps = session.steps
    if not steps or t is None:
        return []
    step = steps[max(1, min(int(t), len(steps))) - 1]
    return [(f"{c.token}  ({c.prob:.1%})", c.token_id) for c in step.candidates if c.token_id != step.token_id]


@dataclass
class TranslateOutputs(Outputs):
    """What a translation writes on the tab, by component (see `widgets.Outputs`)."""

    translation: str
    details: str
    canvas: str | None  # the canvas's data as JSON text (see `canvas_json`)
    source_words: list
    nbest: dict | list
    whatif_step: dict
    whatif_token: dict
    session: Session | None

    @classmethod
    def failed(cls, note: str) -> TranslateOutputs:
        """Bad input or an error: the note in the details box, everything else cleared."""
        return cls("", note, None, [], [], gr.update(choices=[], value=None), gr.update(choices=[], value=None), None)


@dataclass
class View:
    """One translation, its model, and everything the tab shows of it."""

    translator: Translator
    result: Translation
    shown: TranslateOutputs

    @property
    def outputs(self) -> list:
        return self.shown.listed()


def decode_view(request: service.Request, chosen: Settings, lang: str, step: int | None = None) -> View:
    """All outputs of one checked request. The canvas draws the decoder's views in the browser from one
    plain-data trace: no figure is built here. `step`: the step a shared link selects (see `link.py`)."""
    translator = service.translator(request.direction)
    result = service.run(
        request, chosen.beam_size, chosen.top_k, chosen.max_length, distributions=False, model=translator, maths=True
    )
    # What-if starts at the first step where the decoder hesitated (the notice points there), else at t=1.
    uncertain = [step.t for step in result.diagnosis.uncertain] if result.diagnosis else []
    trace = result.trace
    first_step = uncertain[0] if uncertain else trace.steps[0].t if trace.steps else None
    session = Session.of(request, chosen, result)
    data = canvas_data(result, translator.model.config.reverse_source, request.direction, view_link(request, chosen))
    if step is not None and trace.steps:
        data["link"]["step"] = min(step, len(trace.steps))
        data["id"] += f"@{data['link']['step']}"  # the same decoding with a step to select is drawn again
    shown = TranslateOutputs(
        translation=result.text,
        details=summary(result, request, lang),
        canvas=canvas_json(data),
        source_words=counted_spans(result),
        nbest=nbest_rows(result, translator, lang),
        whatif_step=gr.update(choices=step_choices(session), value=first_step),
        whatif_token=gr.update(choices=candidate_choices(session, first_step), value=None),
        session=session,
    )
    return View(translator, result, shown)


def view_link(request: service.Request, chosen: Settings) -> dict:
    """What the page's URL carries of a view (demo/canvas/js/link.js writes it, `link.py` reads it): the
    sentence, the direction as chosen ("auto" when it was detected) and the beam width."""
    return {"q": request.text, "dir": "auto" if request.detected else request.direction, "beam": chosen.beam_size}


def translate_view(
    text: object,
    direction: object,
    beam_size: object,
    top_k: object,
    max_length: object,
    lang: str,
    step: int | None = None,
) -> View:
    """The input as it came, checked once (raises service.InputError), then decoded and shown."""
    request = validate.prepare(text, direction)
    return decode_view(request, validate.settings(beam_size, top_k, max_length), lang, step)


@lru_cache(maxsize=len(LANGUAGES))
def opening_view(lang: str = "en") -> View:
    """The opening sentence, decoded on first use (never at import) and kept: every page opens on it."""
    return translate_view(OPENING_SENTENCE, "auto", 5, 10, 0, lang)


def session_of(state: Session | str | None) -> Session | None:
    """The visitor's session: their last translation, or the opening sentence's until they translate."""
    return opening_view().shown.session if isinstance(state, str) else state


def translate_page(text: str, direction: str, beam_size: int, top_k: int, max_length: int, request: gr.Request) -> list:
    """The Translate button, Enter, an example, a changed setting: every output of the tab."""
    lang = language_of(request)
    try:
        return translate_view(text, direction, beam_size, top_k, max_length, lang).outputs
    except service.InputError as error:
        return TranslateOutputs.failed(validate.explain(error, lang)).listed()
    except Exception:  # a stack trace helps no user; the log keeps it for us
        log.exception("translation failed")
        return TranslateOutputs.failed(message("error_internal", lang)).listed()


def rerun(text: str, direction: str, beam_size: int, top_k: int, max_length: int, request: gr.Request) -> list:
    """A decoding setting changed: translate the sentence again, unless there is none yet."""
    if not isinstance(text, str) or not text.strip():
        return [gr.skip()] * len(fields(TranslateOutputs))
    return translate_page(text, direction, beam_size, top_k, max_length, request)


def all_units(state: Session | str | None, opened: bool, request: gr.Request) -> tuple:
    """Every unit of the context, the encoder states and the decoder outputs, when "all units" is open:
    the sentence is decoded again (the session keeps no states), as it was."""
    session = session_of(state) if opened else None
    if session is None or not opened:
        return gr.skip(), gr.skip(), gr.skip()
    lang = language_of(request)
    chosen = session.settings
    result = service.run(session.request, chosen.beam_size, chosen.top_k, chosen.max_length, distributions=False)
    trace = result.trace
    return (
        context_heatmap(trace, lang),
        figures.encoder_states_heatmap(trace, lang),
        figures.decoder_outputs_heatmap(trace, lang),
    )


def pick_step(state: Session | str | None, t: int | None):
    """Refresh the candidate list when the what-if step changes."""
    session = session_of(state)
    steps = len(session.steps) if session is not None else 0
    try:
        t = validate.integer(t, "whatif_step", 1, steps)
    except service.InputError:
        return gr.update(choices=[], value=None)
    return gr.update(choices=candidate_choices(session, t), value=None)


def what_if(state: Session | str | None, t: int | None, token_id: int | None, top_k: int, request: gr.Request):
    """Force the chosen candidate at step t and let the model continue."""
    lang = language_of(request)
    session = session_of(state)
    if session is None or t is None or token_id is None:
        return "", "", empty_figure(message("whatif_help", lang))
    try:
        t = validate.integer(t, "whatif_step", 1, len(session.steps))
        vocabulary = service.translator(session.request.direction).tgt_vocab
        token_id = validate.integer(token_id, "whatif_token", 0, len(vocabulary) - 1)
        top_k = validate.integer(top_k, "top_k", 1, validate.MAX_TOP_K)
    except service.InputError as error:
        return session.text, validate.explain(error, lang), empty_figure("")
    try:
        forced = service.what_if(session.request, session.forced_prefix(t, token_id), top_k)
    except Exception:
        log.exception("what-if decoding failed")
        return session.text, message("error_internal", lang), empty_figure("")
    original, score = scored(session.text, session.log_prob, lang), scored(forced.text, forced.trace.log_prob, lang)
    # Steps before t are the model's own choices, kept as they were: only step t is the user's.
    return original, score, topk_heatmap(forced.trace, lang, forced_steps={t})


def translate_api(
    text: str, direction: str = "auto", beam_size: int = 1, top_k: int = 10, max_length: int = 0
) -> tuple[str, dict]:
    """Translate `text`; returns the translation and its full trace as JSON-ready data.

    direction: "auto", "en-zh" or "zh-en". beam_size 1 is greedy decoding; max_length 0 ties the
    step cap to the source length. Bad input gives an empty translation and {"error": message}.
    """
    try:
        request = validate.prepare(text, direction)
        chosen = validate.settings(beam_size, top_k, max_length)
        # Top-k only: every full P_t would make the JSON megabytes long.
        result = service.run(request, chosen.beam_size, chosen.top_k, chosen.max_length, distributions=False)
    except service.InputError as error:
        return "", {"error": validate.explain(error), "error_key": error.key}
    except Exception:  # a stack trace helps no client; the log keeps it for us
        log.exception("translation API failed")
        return "", {"error": message("error_internal"), "error_key": "error_internal"}
    data = result.to_dict()
    data["direction"] = request.direction
    data["notices"] = notices(request, result)
    return result.text, data
