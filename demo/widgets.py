"""Widget factories and choice lists that every tab uses, so that the tabs look and behave alike."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import gradio as gr
from pydantic import BaseModel

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


@dataclass
class Outputs:
    """Base of an event's outputs by name: a dataclass whose fields name the components it writes. A handler
    returns one holding the values; the tab passes `components(TheOutputs, name=component, ...)`; both are
    put in the fields' order, so components and values meet by name, never by position. A field may hold
    several components (`many()`) or another Outputs; both are spread in place."""

    def listed(self) -> list:
        """The values in the fields' order: what the event's handler returns to Gradio."""
        values = []
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, Outputs):
                values += value.listed()
            elif item.metadata.get("many"):
                values += list(value)
            else:
                values.append(value)
        return values


def many() -> Any:
    """An Outputs field that holds several components (their values), in order."""
    return field(metadata={"many": True})


def components(outputs: type[Outputs], **named: gr.components.Component | list) -> list[gr.components.Component]:
    """The components named as `outputs`' fields, in their order (a list where a field holds several); a
    missing or extra name fails at build time."""
    names = [item.name for item in fields(outputs)]
    if sorted(names) != sorted(named):
        raise TypeError(f"{outputs.__name__} names {names}, the tab gave {sorted(named)}")
    return [block for name in names for block in (named[name] if isinstance(named[name], list) else [named[name]])]


def paint(component: gr.components.Component, value: object) -> None:
    """Set a built component's value (or a gr.update's properties) as its constructor would have: for what is
    known only after import but must be in the page's config, which launch() builds again."""
    if isinstance(value, dict) and value.get("__type__") == "update":
        properties = {key: v for key, v in value.items() if key not in ("__type__", "value")}
        for key, v in properties.items():
            setattr(component, key, v)
        value = value.get("value")
    shown = component.postprocess(value)
    component.value = shown.model_dump() if isinstance(shown, BaseModel) else shown
