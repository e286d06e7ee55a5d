"""Widget factories and choice lists that every tab uses, so that the tabs look and behave alike."""

from __future__ import annotations

from collections.abc import Sequence

import gradio as gr

from .i18n import i18n, message

T = i18n()

# Choice labels are not localised by gr.I18n: they carry both languages.
DIRECTION_CHOICES = [("Auto · 自动", "auto"), ("English → 中文", "en-zh"), ("中文 → English", "zh-en")]
PRIVATE = {"api_visibility": "private", "show_progress": "minimal"}  # UI events; the named API is separate
MAX_TYPED_CHARS = 10_000  # what a text box accepts; the service cuts what the model reads further


def plot(elem_id: str | None = None) -> gr.Plot:
    """An empty plot, filled by an event. No initial figure: Gradio copies every component's value into
    each visitor's session, and 27 blank figures were a quarter of that copy."""
    return gr.Plot(value=None, show_label=False, elem_id=elem_id)


def table(label: str, **options) -> gr.Dataframe:
    """A read-only table under a localised label."""
    return gr.Dataframe(label=T(label), interactive=False, wrap=True, **options)


def box(label: str, lines: int = 2, **options) -> gr.Textbox:
    """A read-only text box for results and notices (user text is only ever shown as text)."""
    return gr.Textbox(label=T(label), interactive=False, lines=lines, **options)


def sentence(label: str, placeholder: str, **options) -> gr.Textbox:
    """A one-line sentence input."""
    options = {"lines": 1, "max_lines": 4, **options}
    return gr.Textbox(label=T(label), placeholder=T(placeholder), max_length=MAX_TYPED_CHARS, **options)


def table_value(headers: Sequence[str], rows: list[list], lang: str) -> dict:
    """A gr.Dataframe value with the headers (message keys) in `lang`."""
    return {"headers": [message(h, lang) for h in headers], "data": rows}
