"""Thin adapters between widgets and the model: widget values in, displayable values out.

Each handler checks the input with `service.prepare`, asks `service` for a
`Translation`, and hands its trace to the figure builders. User text only ever goes
into text components and figure data, never into Markdown or HTML.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass

import gradio as gr

from seq2seq.pipeline import Translation

from . import figures, service
from .i18n import DIRECTION_LABELS, message

log = logging.getLogger(__name__)
REPLAY_SECONDS_PER_TOKEN = 0.06  # pace of the token-by-token replay in the browser


@dataclass
class Session:
    """What a browser session keeps between events (held in gr.State)."""

    request: service.Request
    result: Translation


def language_of(request: gr.Request | None) -> str:
    """'zh' for browsers that prefer Chinese, else 'en' (messages follow the browser, like the labels)."""
    header = (request.headers.get("accept-language", "") if request is not None else "") or ""
    return "zh" if header.strip().lower().startswith("zh") else "en"


def summary(result: Translation, request: service.Request, lang: str) -> str:
    """Score line and notices, as plain text."""
    trace = result.trace
    steps = max(len(trace.steps), 1)
    lines = [
        f"{message('detected', lang)}: {DIRECTION_LABELS[lang][request.direction]}"
        if request.detected
        else DIRECTION_LABELS[lang][request.direction],
        f"{message('log_prob', lang)} {trace.log_prob:.3f} · {message('perplexity', lang)} "
        f"{math.exp(-trace.log_prob / steps):.2f} · {steps} steps"
        + ("" if trace.finished else f" · {message('unfinished', lang)}"),
    ]
    for key in request.notices:
        text = message(key, lang)
        if key == "notice_unknown":
            text += " ".join(result.unknown)
        elif key == "notice_converted":
            text += result.source
        lines.append("• " + text)
    return "\n".join(lines)


def token_spans(tokens: list[str], ids: list[int]) -> list[tuple[str, str | None]]:
    """(text, category) pairs for gr.HighlightedText; unknown tokens get the 'unk' category."""
    return [(f"{token} ·{i}", "<unk>" if i == 1 else None) for token, i in zip(tokens, ids)]


def nbest_rows(result: Translation, detokenize) -> list[list]:
    return [
        [rank, detokenize(h.token_ids), round(h.score, 3), round(h.normalized_score, 3), h.finished]
        for rank, h in enumerate(result.trace.n_best, 1)
    ]


def step_choices(result: Translation) -> list[tuple[str, int]]:
    return [(f"t={s.t} · {s.token}", s.t) for s in result.trace.steps]


def candidate_choices(result: Translation, t: int | None) -> list[tuple[str, int]]:
    """The other top-k tokens of step t, as (label, token id)."""
    steps = result.trace.steps
    if not steps or t is None:
        return []
    step = steps[max(1, min(int(t), len(steps))) - 1]
    return [(f"{c.token}  ({c.prob:.1%})", c.token_id) for c in step.top_k if c.token_id != step.token_id]


def views(result: Translation, vocabulary: list[str], lang: str) -> dict:
    """Every figure of one translation."""
    trace = result.trace
    return {
        "context": figures.context_heatmap(trace, lang),
        "encoder": figures.encoder_states_heatmap(trace, lang),
        "topk": figures.topk_heatmap(trace, lang),
        "distribution": figures.distribution_bar(trace, 1, vocabulary=vocabulary, lang=lang),
        "lines": figures.step_lines(trace, lang),
        "outputs": figures.decoder_outputs_heatmap(trace, lang),
        "beam": figures.beam_tree(trace, lang),
    }


def translate_view(text: str, direction: str, decoding: str, beam_size: int, top_k: int, max_length: int, lang: str):
    """All outputs of one translation (no streaming); raises service.InputError."""
    request = service.prepare(text, direction)
    beam = int(beam_size) if decoding == "beam" else 1
    result = service.run(request, beam, int(top_k), int(max_length) or None)
    model = service.translator(request.direction)
    figs = views(result, model.tgt_vocab.idx2word, lang)
    first_step = result.trace.steps[0].t if result.trace.steps else None
    return (
        result.text,
        summary(result, request, lang),
        token_spans(result.trace.src_tokens, result.trace.src_ids),
        token_spans(result.trace.read_tokens, result.trace.read_ids),
        figs["context"],
        figs["encoder"],
        figs["topk"],
        gr.update(maximum=max(len(result.trace.steps), 2), value=1),  # a slider needs max > min
        figs["distribution"],
        figs["lines"],
        figs["outputs"],
        figs["beam"],
        nbest_rows(result, model.detokenize),
        gr.update(choices=step_choices(result), value=first_step),
        gr.update(choices=candidate_choices(result, first_step), value=None),
        Session(request, result),
    )


def _error_outputs(text: str) -> tuple:
    blank = figures.empty_figure("")
    return ("", text, [], [], blank, blank, blank, gr.update(), blank, blank, blank, blank, [],
            gr.update(choices=[], value=None), gr.update(choices=[], value=None), None)  # fmt: skip


def translate_stream(
    text: str, direction: str, decoding: str, beam_size: int, top_k: int, max_length: int, request: gr.Request
) -> Iterator[tuple]:
    """Streaming handler: replays the emitted tokens one by one, then shows every view."""
    lang = language_of(request)
    try:
        outputs = translate_view(text, direction, decoding, beam_size, top_k, max_length, lang)
    except service.InputError as error:
        yield _error_outputs(message(error.key, lang))
        return
    except Exception:  # a stack trace helps no user; the log keeps it for us
        log.exception("translation failed")
        yield _error_outputs(message("error_internal", lang))
        return
    session: Session = outputs[-1]
    model = service.translator(session.request.direction)
    ids = session.result.trace.output_ids
    skip = (gr.skip(),) * (len(outputs) - 2)
    for n in range(1, len(ids)):
        yield (model.detokenize(ids[:n]) + " …", f"{message('replay', lang)} {n}/{len(ids)}", *skip)
        time.sleep(REPLAY_SECONDS_PER_TOKEN)
    yield outputs


def show_step(session: Session | None, t: int, request: gr.Request) -> object:
    """The bar chart of P_t for the step picked on the slider."""
    if session is None:
        return figures.empty_figure("")
    vocabulary = service.translator(session.request.direction).tgt_vocab.idx2word
    return figures.distribution_bar(session.result.trace, int(t), vocabulary=vocabulary, lang=language_of(request))


def pick_step(session: Session | None, t: int | None):
    """Refresh the candidate list when the what-if step changes."""
    if session is None:
        return gr.update(choices=[], value=None)
    return gr.update(choices=candidate_choices(session.result, t), value=None)


def what_if(session: Session | None, t: int | None, token_id: int | None, top_k: int, request: gr.Request):
    """Force the chosen candidate at step t and let the model continue."""
    lang = language_of(request)
    if session is None or t is None or token_id is None:
        return "", "", figures.empty_figure(message("whatif_help", lang))
    prefix = session.result.trace.output_ids[: int(t) - 1] + [int(token_id)]
    try:
        forced = service.what_if(session.request, prefix, int(top_k))
    except Exception:
        log.exception("what-if decoding failed")
        return session.result.text, message("error_internal", lang), figures.empty_figure("")
    score = f"{forced.text}\n({message('log_prob', lang)} {forced.trace.log_prob:.3f})"
    original = f"{session.result.text}\n({message('log_prob', lang)} {session.result.trace.log_prob:.3f})"
    return original, score, figures.topk_heatmap(forced.trace, lang)


def translate_api(
    text: str, direction: str = "auto", beam_size: int = 1, top_k: int = 10, max_length: int = 0
) -> tuple[str, dict]:
    """Translate `text`; returns the translation and its full trace as JSON-ready data.

    direction: "auto", "en-zh" or "zh-en". beam_size 1 is greedy decoding; max_length 0 ties the
    step cap to the source length. Bad input gives an empty translation and {"error": message}.
    """
    try:
        request = service.prepare(text, direction)
        # Top-k only: every full P_t would make the JSON megabytes long.
        result = service.run(request, int(beam_size), int(top_k), int(max_length) or None, distributions=False)
    except service.InputError as error:
        return "", {"error": message(error.key), "error_key": error.key}
    data = result.to_dict()
    data["direction"] = request.direction
    data["notices"] = [message(k) for k in request.notices]
    return result.text, data


def model_choices() -> list[tuple[str, str]]:
    """The side-by-side view's models, labelled in both languages (dropdown choices are not localised)."""
    return [
        (f"{message('model_' + key, 'en')} · {message('model_' + key, 'zh')}", key) for key in service.COMPARISON_MODELS
    ]


def model_line(key: str, direction: str, lang: str) -> str:
    """What the model is, in one line: its size, reading order and options."""
    model = service.comparison_translator(key, direction).model
    config = model.config
    extra = "".join(message(f"extra_{name}", lang) for name in ("bidirectional", "attention") if getattr(config, name))
    members = len(service.COMPARISON_MODELS[key])
    if members > 1:
        extra += message("extra_ensemble", lang).format(n=members)
    order = message("order_reversed" if config.reverse_source else "order_forward", lang)
    return message("model_line", lang).format(
        layers=config.num_layers, hidden=config.hidden_size, order=order, extra=extra,
        params=model.num_parameters() / 1e6,
    )  # fmt: skip


def compare_view(text: str, direction: str, decoding: str, beam_size: int, key: str, lang: str) -> tuple:
    """Translation, summary, context heatmap and top-k heatmap of one model; raises service.InputError."""
    request = service.prepare(text, direction)
    beam = int(beam_size) if decoding == "beam" else 1
    result = service.run(request, beam, distributions=False, model_key=key)
    details = model_line(key, request.direction, lang) + "\n" + summary(result, request, lang)
    return result.text, details, figures.context_heatmap(result.trace, lang), figures.topk_heatmap(result.trace, lang)


def compare(text: str, direction: str, decoding: str, beam_size: int, model_a: str, model_b: str, request: gr.Request):
    """The same sentence through two models, for the side-by-side columns."""
    lang = language_of(request)
    outputs = []
    for key in (model_a, model_b):
        try:
            outputs += compare_view(text, direction, decoding, beam_size, key, lang)
        except service.InputError as error:
            outputs += ["", message(error.key, lang), figures.empty_figure(""), figures.empty_figure("")]
        except Exception:  # e.g. the variants were not shipped with this copy of the app
            log.exception("comparison with %s failed", key)
            outputs += ["", message("error_internal", lang), figures.empty_figure(""), figures.empty_figure("")]
    return tuple(outputs)
