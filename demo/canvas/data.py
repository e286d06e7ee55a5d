"""What the canvas draws: a translation turned into plain, JSON-ready data.

`canvas_data` gives the tokens in the order the encoder read them, one cell per token and layer with a strip of its
h, the context vector, and per decoder step the token fed in, s_t, the top candidates of P_t with their logits and
the normaliser, P_t(<eos>) and the entropy; the LSTM gates of every cell when the trace recorded them; the beam tree.
Every number is the trace's own, rounded for the wire. Tokens travel as data and the browser draws them with
`textContent`, never as HTML.
"""

from __future__ import annotations

import heapq
import json

from seq2seq.pipeline import Translation
from seq2seq.trace import BeamNode, Trace
from seq2seq.vocabulary import UNK_ID

from ..i18n import LANGUAGES, message, strings

STRIP_UNITS = 32  # units shown per state strip (the first ones; "all units" shows every one)
TOP_UNITS = 6  # units listed with their numbers in a cell's maths panel: the largest |h_t|
DIGITS = 4  # decimals sent to the browser for numbers it prints
STRIP_DIGITS = 2  # strips are only colours
LABEL_KEYS = tuple(key for key in strings("en") if key.startswith("canvas_"))
GATES = ("i", "f", "g", "o", "c_prev", "c", "h")  # js/layout.js GATES: the same names, in order
STRIP_GATES = GATES[:5]  # a cell's h and c strips are the figure's own ("encoder", "encoder_c", a step's "h", "c")


def _round(values: list[float]) -> list[float]:
    return [round(v, DIGITS) for v in values]


def _strip(values: list[float]) -> list[float]:
    return [round(v, STRIP_DIGITS) for v in values[:STRIP_UNITS]]


def _cell(cell: object) -> dict:
    """One LSTM cell's maths as drawn: a strip per gate and c_{t-1}, and the units with the largest |h_t|."""
    vectors = {name: getattr(cell, name) for name in GATES}
    h = vectors["h"]
    largest = heapq.nlargest(TOP_UNITS, range(len(h)), key=lambda unit: abs(h[unit]))
    return {
        "strips": {name: _strip(vectors[name]) for name in STRIP_GATES},
        "units": [[unit, *(round(vectors[name][unit], 6) for name in GATES)] for unit in largest],
    }


def tree_rows(nodes: list[BeamNode]) -> dict[int, float]:
    """y of each beam node: a step's nodes grouped under their parent's position, best score first, centred on 0."""
    by_step: dict[int, list[BeamNode]] = {}
    for node in nodes:
        by_step.setdefault(node.t, []).append(node)
    pos: dict[int, float] = {}
    for t in sorted(by_step):
        level = sorted(by_step[t], key=lambda n: (pos.get(n.parent, 0.0), -n.score))
        for i, node in enumerate(level):
            pos[node.id] = i - (len(level) - 1) / 2
    return pos


def _beam(trace: Trace) -> dict | None:
    """The beam tree: every expanded hypothesis at its step and row, the winner's path marked."""
    if not trace.beam_tree:
        return None
    nodes = {node.id: node for node in trace.beam_tree}
    path, node_id = set(), trace.n_best[0].node_id if trace.n_best else None
    while node_id is not None and node_id in nodes:
        path.add(node_id)
        node_id = nodes[node_id].parent
    rows = tree_rows(trace.beam_tree)
    drawn = [
        {
            "id": n.id,
            "parent": n.parent,
            "t": n.t,
            "y": rows[n.id],
            "token": n.token,
            "status": n.status,
            "log_prob": round(n.log_prob, DIGITS),
            "score": round(n.score, DIGITS),
            "normalized": round(n.normalized_score, DIGITS),
            "path": n.id in path,
        }
        for n in trace.beam_tree
    ]
    return {"size": trace.beam_size, "alpha": trace.length_penalty, "nodes": drawn}


def _written(result: Translation) -> list[str]:
    """The source in the order the user wrote it, case kept, aligned with the ids the encoder read."""
    trace = result.trace
    written = result.written if len(result.written) == len(trace.src_ids) else trace.src_tokens
    return list(written)


def canvas_data(result: Translation, reversed_source: bool = True, model: str = "", link: dict | None = None) -> dict:
    """What the canvas draws for one translation, as JSON-ready data; `id` names the decoding (the same
    sentence and settings give the same id), so the script draws it once. `link`: what the page's URL carries
    of this view (js/link.js), or None where the view has no link of its own (a forced what-if)."""
    trace = result.trace
    maths = trace.maths
    layers = len(trace.context_h)
    hidden = len(trace.context_h[0]) if layers else 0
    inputs = ["<sos>"] + [s.token for s in trace.steps[:-1]]
    steps = []
    for index, (step, fed) in enumerate(zip(trace.steps, inputs)):
        drawn = {
            "t": step.t,
            "input": fed,
            "token": step.token,
            "prob": step.prob,
            "eos": step.eos_prob,
            "entropy": round(step.entropy, DIGITS),
            "forced": step.forced,
            "top": [[c.token, c.prob] for c in step.top_k],
            "s": _strip(step.output),
        }
        if maths is not None:
            softmax = maths.softmax[index]
            drawn["logits"] = _round(softmax.logits)
            drawn["log_z"] = round(softmax.log_normalizer, DIGITS)
            drawn["cells"] = [_cell(cell) for cell in maths.decoder[index]]
            drawn["h"] = [_strip(cell.h) for cell in maths.decoder[index]]
            drawn["c"] = [_strip(cell.c) for cell in maths.decoder[index]]
        else:  # only the top layer's h (s_t) is in the trace
            drawn["h"] = [[]] * (layers - 1) + [drawn["s"]]
            drawn["c"] = [[]] * layers
        steps.append(drawn)
    if maths is not None:  # every layer's h after each token read
        encoder = [[_strip(cell.h) for cell in position] for position in maths.encoder]
        encoder_c = [[_strip(cell.c) for cell in position] for position in maths.encoder]
        encoder_cells = [[_cell(cell) for cell in position] for position in maths.encoder]
    else:
        encoder = [[[]] * (layers - 1) + [_strip(state)] for state in trace.encoder_states]
        encoder_c = [[[]] * layers for _ in trace.encoder_states]
        encoder_cells = None
    return {
        "read": list(trace.read_tokens),
        "read_ids": list(trace.read_ids),
        "unknown": [i == UNK_ID for i in trace.read_ids],
        "text": result.source,  # the sentence as the model read it (normalised), for "the previous sentence"
        "source": _written(result),  # read position of source word i: n-1-i when reversed, else i
        "reversed": reversed_source,
        "model": model,  # contexts are compared only between sentences of the same model
        "encoder": encoder,  # per read token and layer, the first units of h; "encoder_c" of c
        "encoder_c": encoder_c,
        "encoder_cells": encoder_cells,
        "context": {"h": [_round(h) for h in trace.context_h], "c": [_round(c) for c in trace.context_c]},
        "layers": layers,
        "hidden": hidden,
        "context_size": 2 * layers * hidden,
        "steps": steps,
        "finished": trace.finished,
        "max_length": trace.max_length,
        "beam": _beam(trace),
        "strip_units": min(STRIP_UNITS, hidden),
        # Both languages: the browser picks its own, so a drawing made before any request (the page's
        # opening example) speaks the visitor's language too.
        "labels": {code: {key: message(key, code) for key in LABEL_KEYS} for code in LANGUAGES},
        "link": link,
        "id": f"{trace.beam_size}:{trace.max_length}:{len(trace.steps[0].top_k) if trace.steps else 0}:{result.source}",
    }


def canvas_json(data: dict) -> str:
    """The canvas's data as the component's value: JSON text. Gradio keeps each visitor's last value, and
    as text it holds about a sixth of the memory the same numbers take as Python lists."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
