"""The canvas component: a `gr.HTML` whose value is a translation's canvas data (`data.py`) and whose browser side
is the small files under `js/` and `css/`, concatenated here in a fixed order: no build step, no external requests.

Order matters only in that a file may use what an earlier one defines and `main.js` runs last: layout (positions,
the condensed plan, read order, the chosen token, gate names, the shared colour scale), the store (named state,
subscribe/notify, the pure transitions), the numbers (temperature, a guess's "why"), the guess-first transitions,
drawing helpers, the glossary, the figure, one file per panel, the controls, the tour, the shareable link (the
URL follows the view), then the wiring.
"""

from __future__ import annotations

import re
from pathlib import Path

import gradio as gr

from .data import canvas_json

HERE = Path(__file__).parent
JS_FILES = (
    "layout.js",
    "store.js",
    "numbers.js",
    "quiz.js",
    "dom.js",
    "glossary.js",
    "figure.js",
    "panels/cell.js",
    "panels/step.js",
    "panels/lines.js",
    "panels/grid.js",
    "panels/beam.js",
    "panels/context.js",
    "panels/quiz.js",
    "controls.js",
    "tour.js",
    "link.js",
    "main.js",
)
CSS_FILES = ("controls.css", "figure.css", "panels.css", "views.css", "learner.css")


TRAILING = re.compile(r"\s+// .*$")


def _code(line: str) -> str:
    """A script line without its trailing `// comment`, unless the `//` could sit inside a string (an odd number
    of quotes before it): then it is kept whole."""
    match = TRAILING.search(line)
    if match is None or any(line[: match.start()].count(q) % 2 for q in "\"'`"):
        return line
    return line[: match.start()]


JS_TIGHT = frozenset("{}()[],;:=<>?&|!+-*/%")  # no space is needed beside these (but `a + +b`, `a - -b`)


def _compact_js(line: str) -> str:
    """A script line without the spaces that sit outside its strings beside punctuation (`const a = f(x, y);` →
    `const a=f(x,y);`). The files hold no regular-expression literal, whose spaces would count; a string or template
    literal is copied whole (none spans lines); tests/test_canvas.py has node parse the result."""
    out: list[str] = []
    quote, escaped = "", False
    for i, ch in enumerate(line):
        if quote:  # inside a string: as written
            out.append(ch)
            escaped, quote = (False, quote) if escaped else (ch == "\\", "" if ch == quote else quote)
            continue
        if ch in "'\"`":
            quote = ch
        elif ch == " ":
            before, after = out[-1] if out else "", line[i + 1 : i + 2]
            if after == " " or (before in JS_TIGHT or after in JS_TIGHT) and not (before in "+-" and after in "+-"):
                continue
        out.append(ch)
    return "".join(out)


def _shipped(text: str, comment: str) -> str:
    """A source file as sent to the page: without its indentation and comments, which are for readers of the
    source (they would double what every visitor downloads), and for scripts the spaces beside punctuation. Safe
    because no string or template literal in these files spans lines (tests/test_canvas.py checks)."""
    lines = (line.strip() for line in text.splitlines())
    kept = (line for line in lines if line and not line.startswith(comment))
    return "\n".join(_compact_js(_code(line)) if comment == "//" else line for line in kept)


def _concatenated(folder: str, names: tuple[str, ...], comment: str) -> str:
    return "\n".join(_shipped((HERE / folder / name).read_text(encoding="utf-8"), comment) for name in names)


CSS_PUNCTUATION = re.compile(r"\s*([{};,>])\s*")
CSS_COLON = re.compile(r":\s+")  # only after a colon: a space before one is a descendant selector (`.a :is(…)`)


def _compact_css(style: str) -> str:
    """Styles without the spaces around their punctuation, which browsers ignore (no string in these files holds
    one of these characters; tests/test_canvas.py checks)."""
    return CSS_COLON.sub(":", CSS_PUNCTUATION.sub(r"\1", style)).replace(";}", "}")


SCRIPT = _concatenated("js", JS_FILES, "//")
STYLE = _compact_css(_concatenated("css", CSS_FILES, "/*"))


class Canvas(gr.HTML):
    """The seq2seq canvas: the model unrolled on the user's sentence, with every view of the decoder below it, all
    following one selected step. Its value is `canvas_json(canvas_data(...))` (a dict is serialised the same way);
    the browser draws it again whenever it changes, unless it is the same decoding (the data's `id`)."""

    def __init__(self, value: str | dict | None = None, *, elem_id: str = "seq2seq-canvas", **kwargs) -> None:
        super().__init__(
            value=value,
            html_template='<div class="canvas-root"></div>',
            css_template=STYLE,
            js_on_load=SCRIPT,
            elem_id=elem_id,
            padding=False,
            **kwargs,
        )

    def postprocess(self, value: str | dict | None) -> str | None:
        """The value as JSON text; it is data, never HTML (the script sets every token with textContent)."""
        return canvas_json(value) if isinstance(value, dict) else value
