"""The seq2seq canvas as a component: `Canvas` (a `gr.HTML` subclass) and `canvas_data`, which turns a translation
into the data it draws."""

from .component import SCRIPT, STYLE, Canvas
from .data import GATES, LABEL_KEYS, STRIP_GATES, STRIP_UNITS, canvas_data, canvas_json

__all__ = [
    "GATES",
    "LABEL_KEYS",
    "SCRIPT",
    "STRIP_GATES",
    "STRIP_UNITS",
    "STYLE",
    "Canvas",
    "canvas_data",
    "canvas_json",
]
