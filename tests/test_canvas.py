"""The canvas component: its data is the trace's own tokens and numbers, in the shape `demo/canvas/js` draws;
its script is small files, concatenated, that fetch nothing."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess

import pytest

from demo import service
from demo.canvas import GATES, SCRIPT, STRIP_GATES, STRIP_UNITS, STYLE, Canvas, canvas_data, canvas_json
from demo.canvas.component import CSS_FILES, HERE, JS_FILES, _code, _compact_css, _compact_js
from demo.i18n import message

RAIN = "I think we should leave before it starts to rain."


@pytest.fixture(scope="module")
def drawn():
    """A beam-5 translation with its maths recorded, as the page asks for it, and what the canvas draws of it."""
    translator = service.translator("en-zh")
    result = translator.translate(RAIN, beam_size=5, top_k=10, record_maths=True)
    return result, canvas_data(result)


def test_canvas_data_is_the_traces_own(drawn):
    result, data = drawn
    trace = result.trace
    assert data["read"] == trace.read_tokens and len(data["encoder"]) == len(trace.read_tokens)
    assert data["source"] == result.written and data["reversed"] is True
    assert data["context_size"] == 2 * len(trace.context_h) * len(trace.context_h[0])
    assert data["context"]["c"][0] == [round(v, 4) for v in trace.context_c[0]]
    assert [s["t"] for s in data["steps"]] == [s.t for s in trace.steps]
    assert [s["input"] for s in data["steps"]] == ["<sos>"] + [s.token for s in trace.steps[:-1]]
    for shown, step in zip(data["steps"], trace.steps):
        assert shown["token"] == step.token and shown["prob"] == step.prob and shown["eos"] == step.eos_prob
        assert shown["top"] == [[c.token, c.prob] for c in step.top_k]
        assert 0 < sum(p for _, p in shown["top"]) <= 1 + 1e-6
        assert shown["s"] == [round(v, 2) for v in step.output[:STRIP_UNITS]]
    assert data["finished"] == trace.finished and data["labels"]["zh"]["canvas_context"] == message(
        "canvas_context", "zh"
    )
    json.dumps(data)  # what gr.HTML sends


def test_every_cell_of_every_layer_is_drawn_with_the_traces_states(drawn):
    result, data = drawn
    trace, layers = result.trace, len(result.trace.context_h)
    assert all(len(column) == layers for column in data["encoder"]) and data["layers"] == layers
    for column, state in zip(data["encoder"], trace.encoder_states):  # the top layer's h is the trace's
        assert column[-1] == [round(v, 2) for v in state[:STRIP_UNITS]]
    for shown, step in zip(data["steps"], trace.steps):
        assert len(shown["cells"]) == layers and shown["h"][-1] == shown["s"]
        for unit, *values in shown["cells"][-1]["units"]:  # the top layer's h_t is s_t, unit by unit
            assert values[GATES.index("h")] == pytest.approx(step.output[unit], abs=1e-6)
    # The maths panel draws h_t and c_t from the figure's strips: they are every cell's recorded h and c.
    maths = trace.maths
    for columns, cells in (
        (zip(data["encoder"], data["encoder_c"]), maths.encoder),
        (((s["h"], s["c"]) for s in data["steps"]), maths.decoder),
    ):
        for (hs, cs), position in zip(columns, cells, strict=True):
            assert hs == [[round(v, 2) for v in cell.h[:STRIP_UNITS]] for cell in position]
            assert cs == [[round(v, 2) for v in cell.c[:STRIP_UNITS]] for cell in position]


def test_a_cells_numbers_obey_the_lstm_equations(drawn):
    _, data = drawn
    cells = [cell for column in data["encoder_cells"] for cell in column]
    cells += [cell for step in data["steps"] for cell in step["cells"]]
    for cell in cells:
        for _, i, f, g, o, c_prev, c, h in cell["units"]:
            assert c == pytest.approx(f * c_prev + i * g, abs=1e-5)
            assert h == pytest.approx(o * math.tanh(c), abs=1e-5)
            assert 0 <= i <= 1 and 0 <= f <= 1 and 0 <= o <= 1 and -1 <= g <= 1
        assert sorted(cell["strips"]) == sorted(STRIP_GATES) and all(
            len(s) == STRIP_UNITS for s in cell["strips"].values()
        )


def test_the_softmax_panel_turns_the_logits_into_the_traces_probabilities(drawn):
    result, data = drawn
    for shown, step in zip(data["steps"], result.trace.steps):
        probabilities = [math.exp(z - shown["log_z"]) for z in shown["logits"]]
        assert probabilities == pytest.approx([c.prob for c in step.top_k], abs=2e-4)  # 4 decimals on the wire
        assert sum(probabilities) <= 1 + 1e-3


def test_the_beam_tree_marks_the_winners_path(drawn):
    result, data = drawn
    trace, beam = result.trace, data["beam"]
    assert beam["size"] == 5 and len(beam["nodes"]) == len(trace.beam_tree)
    path = [node for node in beam["nodes"] if node["path"] and node["t"] > 0]
    assert [node["token"] for node in sorted(path, key=lambda n: n["t"])] == [s.token for s in trace.steps]
    greedy = service.translator("en-zh").translate(RAIN, beam_size=1)
    assert canvas_data(greedy)["beam"] is None


def test_unknown_words_are_drawn_as_the_user_wrote_them():
    result = service.translator("en-zh").translate("John admires Mary.", record_maths=True)
    data = canvas_data(result)
    assert data["source"] == ["John", "admires", "Mary", "."]
    assert [token for token, unknown in zip(data["read"], data["unknown"]) if unknown] == ["<unk>"]
    assert data["read"].index("<unk>") == len(data["source"]) - 1 - 1  # "admires", source word 1, read reversed


def test_user_text_reaches_the_canvas_only_as_data():
    result = service.run(service.prepare("<img src=x onerror=alert(1)> tea"), 1)
    data = canvas_data(result)
    assert any("<" in token for token in data["read"])  # kept literally: the script sets it with textContent
    assert data["encoder_cells"] is None and "cells" not in data["steps"][0]  # no maths asked for: none drawn


def test_the_canvas_labels_are_exactly_the_canvas_keys_of_the_locales():
    from demo.canvas import LABEL_KEYS
    from demo.i18n import strings

    for lang in ("en", "zh"):
        assert sorted(LABEL_KEYS) == sorted(k for k in strings(lang) if k.startswith("canvas_"))


def test_the_script_is_small_and_fetches_nothing():
    assert len(SCRIPT.encode("utf-8")) + len(STYLE.encode("utf-8")) <= 60_000  # the script and styles together
    for call in (
        "fetch(",
        "XMLHttpRequest",
        "import(",
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "http://",
        "https://",
    ):
        assert call not in SCRIPT.replace("http://www.w3.org/2000/svg", "")


def test_every_canvas_label_is_used_by_the_script():
    """The canvas keys are looked up in the script (L.key or "key"), a few through a prefix and a name."""
    import re

    from demo.i18n import strings

    terms = re.search(r"const TERMS=\[([^\]]*)\]", SCRIPT).group(1)
    defined = tuple(name.strip().strip('"') for name in terms.split(","))
    dynamic = {"canvas_gate_": GATES, "canvas_": ("kept", "pruned", "finished", "winner"), "canvas_def_": defined}
    used = set(re.findall(r"\bL\.(canvas_\w+)", SCRIPT)) | set(re.findall(r"\"(canvas_\w+)\"", SCRIPT))
    used |= {prefix + name for prefix, names in dynamic.items() for name in names}
    assert sorted(k for k in strings("en") if k.startswith("canvas_") and k not in used) == []


def test_the_same_decoding_has_the_same_id_and_another_one_another():
    translator = service.translator("en-zh")
    ids = [
        canvas_data(translator.translate(text, beam_size=beam))["id"]
        for text, beam in [(RAIN, 5), (RAIN, 5), (RAIN, 3), ("Thank you.", 5)]
    ]
    assert ids[0] == ids[1] and len(set(ids)) == 3


def test_every_cell_shows_h_and_c_and_names_its_model(drawn):
    result, data = drawn
    trace, layers = result.trace, len(result.trace.context_h)
    assert len(data["encoder_c"]) == len(trace.read_tokens) and all(len(col) == layers for col in data["encoder_c"])
    # The encoder's last c of every layer is the context's c.
    assert data["encoder_c"][-1] == [[round(v, 2) for v in c[:STRIP_UNITS]] for c in trace.context_c]
    assert all(len(step["c"]) == layers for step in data["steps"])
    assert canvas_data(result, model="en-zh")["model"] == "en-zh"


def test_a_translation_cut_by_the_step_cap_is_drawn_as_cut():
    result = service.translator("en-zh").translate(RAIN, beam_size=1, max_length=3, record_maths=True)
    data = canvas_data(result)
    assert data["finished"] is False and len(data["steps"]) == data["max_length"] == 3
    assert data["steps"][-1]["token"] != "<eos>"


def test_every_browser_file_is_small_and_shipped_whole():
    """Each file under demo/canvas is short, with short lines; the page gets every one, in order, minus only
    indentation and whole-line comments: no string spans lines, so stripping them cannot change the code."""
    sources = [HERE / "js" / name for name in JS_FILES] + [HERE / "css" / name for name in CSS_FILES]
    assert sorted(p.relative_to(HERE).as_posix() for p in sources) == sorted(
        p.relative_to(HERE).as_posix() for p in HERE.rglob("*") if p.suffix in (".js", ".css")
    )
    for path in sources:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) <= 250 and max(len(line) for line in lines) <= 120, path
        assert all(line.count("`") % 2 == 0 for line in lines), path  # no template literal spans lines
        kept = [line.strip() for line in lines if line.strip() and not line.strip().startswith(("//", "/*"))]
        if path.suffix == ".js":  # trailing comments go too, where no string could hold the "//", and spaces
            kept = [_compact_js(_code(line)) for line in kept]
        if path.suffix == ".js":
            assert "\n".join(kept) in SCRIPT
        else:  # compacted: no string in the styles may hold the punctuation whose spaces go
            assert not any(ch in string for string in re.findall(r'"[^"]*"', "".join(kept)) for ch in "{};,>:")
            assert _compact_js('const s = "a \\" b" + x; t = `${a} ${b}`; u = a + +b - -c;') == (
                'const s="a \\" b"+x;t=`${a} ${b}`;u=a+ +b- -c;'
            )
    assert _compact_css("\n".join(kept)) in STYLE
    assert SCRIPT.rstrip().endswith("render();\nfollowLink(store);")  # main.js runs last, after every file it uses
    assert _code("const a = 1; // why") == "const a = 1;"
    assert _code('const ns = "http://x"; // why') == 'const ns = "http://x";'  # the string closed before it
    assert _code('const s = "a // b";') == 'const s = "a // b";'  # inside a string: kept whole
    assert _code('const s = "it\'s // here";') == 'const s = "it\'s // here";'
    assert _compact_css(".a :is(b, c) > d {\n  margin: 0 1px;\n}") == ".a :is(b,c)>d{margin:0 1px}"


def test_the_script_and_the_data_name_the_same_gates():
    import re

    declared = re.search(r"const GATES=\[([^\]]*)\]", SCRIPT).group(1)
    assert tuple(name.strip().strip('"') for name in declared.split(",")) == GATES


def test_the_component_sends_its_data_as_json_text(drawn):
    _, data = drawn
    view = Canvas(canvas_json(data))
    assert view.postprocess(data) == canvas_json(data) == view.postprocess(canvas_json(data))
    config = view.get_config()
    assert config["js_on_load"] == SCRIPT and config["css_template"] == STYLE and config["elem_id"] == "seq2seq-canvas"
    assert json.loads(config["value"])["id"] == data["id"]


@pytest.mark.skipif(not shutil.which("node"), reason="needs Node (.ci/run installs it)")
def test_the_shipped_script_parses(tmp_path):
    """The compacted script is still JavaScript: node parses it as the body of gr.HTML's js_on_load function."""
    source = tmp_path / "canvas.js"
    source.write_text(f"function onLoad(element, props, trigger, watch) {{\n{SCRIPT}\n}}\n", encoding="utf-8")
    checked = subprocess.run(["node", "--check", str(source)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
