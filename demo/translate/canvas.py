"""The seq2seq canvas: the tutorial's figure of the model, unrolled on the user's sentence.

`canvas_data` turns a trace into the plain data the browser draws (`canvas.js`, no build step, no
external requests): the tokens in the order the encoder read them, each with a strip of its state, the
context vector, and per decoder step the token fed in, the output strip, the top candidates of P_t, the
chosen token and P_t(<eos>). Every number is the trace's own. Tokens travel as data and are drawn with
`textContent`, never as HTML.
"""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from seq2seq.pipeline import Translation

from ..i18n import message

STRIP_UNITS = 32  # units shown per state strip (the first ones; the heatmaps below show all)
TOP_CANDIDATES = 5
SCRIPT = (Path(__file__).with_name("canvas.js")).read_text(encoding="utf-8")
STYLE = (Path(__file__).with_name("canvas.css")).read_text(encoding="utf-8")
LABEL_KEYS = (
    "canvas_encoder",
    "canvas_decoder",
    "canvas_context",
    "canvas_context_note",
    "canvas_softmax",
    "canvas_play",
    "canvas_pause",
    "canvas_back",
    "canvas_forward",
    "canvas_speed",
    "canvas_cap",
    "canvas_units",
    "canvas_step",
    "canvas_empty",
)


def _strip(values: list[float]) -> list[float]:
    return [round(v, 4) for v in values[:STRIP_UNITS]]


def canvas_data(result: Translation, lang: str) -> dict:
    """What the canvas draws for one translation, as JSON-ready data."""
    trace = result.trace
    layers = len(trace.context_h)
    hidden = len(trace.context_h[0]) if layers else 0
    inputs = ["<sos>"] + [s.token for s in trace.steps[:-1]]
    steps = [
        {
            "t": step.t,
            "input": fed,
            "token": step.token,
            "prob": step.prob,
            "eos": step.eos_prob,
            "top": [[c.token, c.prob] for c in step.top_k[:TOP_CANDIDATES]],
            "s": _strip(step.output),
        }
        for step, fed in zip(trace.steps, inputs)
    ]
    return {
        "read": list(trace.read_tokens),
        "encoder": [_strip(state) for state in trace.encoder_states],
        "context": {"h": [_strip(h) for h in trace.context_h], "c": [_strip(c) for c in trace.context_c]},
        "layers": layers,
        "hidden": hidden,
        "context_size": 2 * layers * hidden,
        "steps": steps,
        "finished": trace.finished,
        "max_length": trace.max_length,
        "strip_units": min(STRIP_UNITS, hidden),
        "labels": {key: message(key, lang) for key in LABEL_KEYS},
    }


def canvas(elem_id: str = "seq2seq-canvas") -> gr.HTML:
    """The canvas component: an empty root the script draws into whenever its value changes."""
    return gr.HTML(
        value=None,
        html_template='<div class="canvas-root" role="img"></div>',
        css_template=STYLE,
        js_on_load=SCRIPT,
        elem_id=elem_id,
        padding=False,
    )
