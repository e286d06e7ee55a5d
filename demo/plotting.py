"""What every figure of the app shares: the look, safe labels, heatmap and line helpers, the blank figure.

No Gradio, no torch. Every token goes through `label`, so "<eos>" or a user's "<b>" is shown literally,
never read as markup.
"""

from __future__ import annotations

import functools
import importlib
import re

import numpy as np

from .i18n import figure_text as _


class _OnFirstUse:
    """A module imported when first used: Plotly costs a tenth of a second that `import app` need not pay, as no
    figure is drawn before the first request."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> object:
        return getattr(importlib.import_module(self._name), attribute)


go = _OnFirstUse("plotly.graph_objects")
subplots = _OnFirstUse("plotly.subplots")

FONT = "Noto Sans CJK SC, Noto Sans SC, Noto Sans, PingFang SC, Microsoft YaHei, sans-serif"
DIVERGING = "RdBu_r"  # negative blue, positive red, white at 0
UNK = "<unk>"
UNK_COLOR, CHOSEN_COLOR, BAR_COLOR = "#d62728", "#ff7f0e", "#9ecae1"


AXIS_ROOM = dict(automargin=True, title=dict(standoff=8))
# Plotly's mode bar (shown on hover or touch) is this tall at the top right: titles start below it.
MODEBAR = 30
TITLE_LINE = 19  # px per line of a 14 px title
TITLE_ASCENT = 7  # px of a 14 px title above the point Plotly anchors it at
TITLE_UNITS = 38  # a title line holds this many Latin characters (a CJK one counts 2): under 300 px, a phone's width
CJK_UNITS = 2.0
# Where a title line may not break before: CJK punctuation that closes or follows.
NO_BREAK_BEFORE = set("，。、；：！？）》」』】·…,.;:!?)")
_ATOMS = re.compile(
    r"<[^>]*>|&#?\w+;|\s+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s<&\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|."
)


# A small template built once, on first use: Plotly deep-copies a figure's template, and the stock
# "plotly_white" one costs ~100 ms per figure; this keeps only what the figures use.
@functools.cache
def template() -> object:
    return go.layout.Template(layout=TEMPLATE_LAYOUT)


TEMPLATE_LAYOUT = dict(
    font=dict(family=FONT, size=12),
    hoverlabel=dict(font=dict(family=FONT)),
    paper_bgcolor="rgba(0,0,0,0)",
    plot_bgcolor="rgba(0,0,0,0)",
    colorway=["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"],
    # Every axis (the subplots' and a right-hand one too) makes room for its tick labels and its title,
    # which keeps clear of the labels: on a phone the fixed margins had them overlap.
    xaxis=dict(gridcolor="#ebebeb", zerolinecolor="#d0d0d0", linecolor="#d0d0d0", **AXIS_ROOM),
    yaxis=dict(gridcolor="#ebebeb", zerolinecolor="#d0d0d0", linecolor="#d0d0d0", **AXIS_ROOM),
)


def label(token: str) -> str:
    """`token` safe for Plotly text: `&`, `<`, `>` as entities, which Plotly displays literally."""
    return token.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def tick(token: str) -> str:
    """`label(token)`, coloured red when it is <unk>."""
    return f'<span style="color:{UNK_COLOR}">{label(token)}</span>' if token == UNK else label(token)


def is_cjk(char: str) -> bool:
    """Whether `char` is a wide (CJK or full-width) character, about twice a Latin letter's width."""
    return "\u2e80" <= char <= "\uffef"


def wrap(text: str, units: int = TITLE_UNITS) -> str:
    """`text` (Plotly markup) broken with <br> into lines of at most `units` (a CJK character counts 2): a
    title or message on one line is cut at a phone's width. Breaks go at spaces (which they replace) and
    between CJK characters, never inside a tag or an entity."""
    lines: list[str] = []
    line, width, pending = "", 0.0, ""  # pending: a space held until the next word shows where it goes
    for atom in _ATOMS.findall(text):
        if atom.isspace():
            pending = " " if line else ""
            continue
        cjk = len(atom) == 1 and is_cjk(atom)
        size = 0.0 if atom.startswith("<") else 1.0 if atom.startswith("&") else CJK_UNITS if cjk else len(atom)
        breakable = bool(pending) or (cjk and atom not in NO_BREAK_BEFORE)
        if line and breakable and width + len(pending) + size > units:
            lines.append(line)
            line, width, pending = "", 0.0, ""
        line += pending + atom
        width += len(pending) + size
        pending = ""
    return "<br>".join([*lines, line])


def title_lines(fig: go.Figure) -> int:
    """How many lines the figure's title has (0 without one)."""
    text = fig.layout.title.text or ""
    return text.count("<br>") + 1 if text else 0


def retitle(fig: go.Figure, title: str) -> go.Figure:
    """Give the figure `title`, wrapped, below the mode bar; the figure grows by the title's extra lines and
    a legend on top moves down under it."""
    text = wrap(title) if title else ""
    lines = text.count("<br>") + 1 if text else 0
    height = (fig.layout.height or 400) + TITLE_LINE * (max(lines, 1) - max(title_lines(fig), 1))
    # Plotly lifts a title anchored at its top by its ascent and by half a line for each line after the
    # first: placed this low, its top edge is the mode bar's bottom.
    top = MODEBAR + TITLE_ASCENT + TITLE_LINE * max(lines - 1, 0) / 2
    below = MODEBAR + TITLE_LINE * lines + 10  # the plot (or a legend on top) starts here
    fig.update_layout(title_text=text, title_y=1 - top / height, height=height, margin_t=below)
    if fig.layout.legend.yref == "container" and fig.layout.legend.yanchor == "top":
        fig.update_layout(legend_y=1 - below / height)  # the legend pushes the plot down by its own height
    return fig


def layout(fig: go.Figure, title: str, xtitle: str = "", ytitle: str = "", height: int = 400, **extra) -> go.Figure:
    """Shared look: title, axis titles, CJK-capable font, transparent background, margins, height.

    The title starts under Plotly's mode bar and wraps to a phone's width (each extra line adds to the
    height); a legend sits between the title and the plot; axes make room for their labels."""
    fig.update_layout(
        title=dict(
            text="",
            x=0.01,
            xanchor="left",
            xref="container",
            y=1,
            yanchor="top",
            yref="container",
            font=dict(size=14),
        ),
        height=height,
        autosize=True,
        template=template(),
        margin=dict(l=10, r=10, t=MODEBAR + 10, b=10),
        legend=dict(orientation="h", yref="container", yanchor="top", y=1, xanchor="left", x=0.01),
    )
    fig.update_xaxes(title_text=xtitle)
    fig.update_yaxes(title_text=ytitle)
    fig.update_layout(**extra)
    return retitle(fig, title)


def line(x: list, y: list, name: str, axis: str, colour: str, **extra) -> go.Scatter:
    """A lines+markers series; dotted when it belongs to the right-hand axis ("y2")."""
    line = dict(color=colour, dash="dot" if axis == "y2" else "solid")
    return go.Scatter(x=x, y=y, name=name, yaxis=axis, mode="lines+markers", line=line, **extra)


def right_axis(title: str) -> dict:
    """A second y axis on the right, sharing the x axis, for a series of another unit."""
    return dict(
        title_text=title, overlaying="y", side="right", rangemode="tozero", showgrid=False, tickmode="auto", **AXIS_ROOM
    )


def rows_height(rows: int, base: int = 400, per_row: int = 18) -> int:
    """400 px, growing for long sequences so every row keeps a readable tick label."""
    return min(max(base, 110 + per_row * rows), 1400)


def heat(z: list[list[float]], rows: list[str], hover: str, lang: str = "en", **colorbar) -> go.Heatmap:
    """One rows x units heatmap trace on the diverging scale centred at 0; `rows` are unique, escaped labels."""
    return go.Heatmap(
        z=np.asarray(z, dtype=np.float32),  # Plotly validates a nested list element by element; an array at once
        x=list(range(len(z[0]) if z else 0)),
        y=rows,
        colorscale=DIVERGING,
        zmid=0,
        colorbar=dict(thickness=12, title=dict(text=_("value", lang)), **colorbar),
        hovertemplate=hover + "<extra></extra>",
    )


def heatmap(z: list[list[float]], rows: list[str], title: str, ytitle: str, hover: str, lang: str) -> go.Figure:
    """A figure of one `heat` trace, rows top to bottom."""
    fig = go.Figure(heat(z, rows, hover, lang))
    fig.update_yaxes(type="category", autorange="reversed", tickfont=dict(size=11))
    return layout(fig, title, _("unit", lang), ytitle, rows_height(len(rows)))


def empty_figure(message: str) -> go.Figure:
    """A blank figure with `message` centred (shown before a translation and on errors)."""
    fig = go.Figure()
    fig.add_annotation(
        text=wrap(label(message)),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font=dict(size=15, color="#888"),
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return layout(fig, "")
