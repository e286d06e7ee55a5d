"""The canvas's data: the trace's own tokens and numbers, in the shape `canvas.js` draws."""

from __future__ import annotations

import json

from demo import service
from demo.i18n import message
from demo.translate.canvas import STRIP_UNITS, TOP_CANDIDATES, canvas_data


def test_canvas_data_is_the_traces_own():
    result = service.run(service.prepare("I think we should leave before it starts to rain."), 5)
    trace, data = result.trace, canvas_data(result, "zh")
    assert data["read"] == trace.read_tokens and len(data["encoder"]) == len(trace.read_tokens)
    assert data["context_size"] == 2 * len(trace.context_h) * len(trace.context_h[0])
    assert data["context"]["c"][0] == [round(v, 4) for v in trace.context_c[0][:STRIP_UNITS]]
    assert [s["t"] for s in data["steps"]] == [s.t for s in trace.steps]
    assert [s["input"] for s in data["steps"]] == ["<sos>"] + [s.token for s in trace.steps[:-1]]
    for drawn, step in zip(data["steps"], trace.steps):
        assert drawn["token"] == step.token and drawn["prob"] == step.prob and drawn["eos"] == step.eos_prob
        assert drawn["top"] == [[c.token, c.prob] for c in step.top_k[:TOP_CANDIDATES]]
        assert 0 < sum(p for _, p in drawn["top"]) <= 1 + 1e-6
    assert data["finished"] == trace.finished and data["labels"]["canvas_context"] == message("canvas_context", "zh")
    json.dumps(data)  # what gr.HTML sends


def test_user_text_reaches_the_canvas_only_as_data():
    result = service.run(service.prepare("<img src=x onerror=alert(1)> tea"), 1)
    data = canvas_data(result, "en")
    assert any("<" in token for token in data["read"])  # kept literally: canvas.js sets it with textContent


def test_the_canvas_labels_are_exactly_the_canvas_keys_of_the_locales():
    from demo.i18n import strings
    from demo.translate.canvas import LABEL_KEYS

    for lang in ("en", "zh"):
        assert sorted(LABEL_KEYS) == sorted(k for k in strings(lang) if k.startswith("canvas_"))
