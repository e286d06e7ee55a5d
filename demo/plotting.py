"""What every figure of the app shares: the look, safe labels, heatmap and line helpers, the blank figure.

No Gradio, no torch. Every token goes through `label`, so "<eos>" or a user's "<b>" is shown literally,
never read as markup.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .i18n import figure_text as _

FONT = "Noto Sans CJK SC, Noto Sans SC, Noto Sans, PingFang SC, Microsoft YaHei, sans-serif"
DIVERGING = "RdBu_r"  # negative blue, positive red, white at 0
UNK, EOS = "<unk>", "<eos>"
UNK_COLOR, CHOSEN_COLOR, BAR_COLOR, PATH_COLOR = "#d62728", "#ff7f0e", "#9ecae1", "#ff7f0e"
STATUS_STYLE = {  # beam node status -> (marker colour, marker symbol)
    "root": ("#7f7f7f", "diamond"),
    "kept": ("#1f77b4", "circle"),
    "pruned": ("#bdbdbd", "x"),
    "finished": ("#2ca02c", "star"),
}


# A small template built once: Plotly deep-copies a figure's template, and the stock
# "plotly_white" one costs ~100 ms per figure; this keeps only what the figures use.
TEMPLATE = go.layout.Template(
    layout=dict(
        font=dict(family=FONT, size=12),
        hoverlabel=dict(font=dict(family=FONT)),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        colorway=["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"],
        xaxis=dict(gridcolor="#ebebeb", zerolinecolor="#d0d0d0", linecolor="#d0d0d0"),
        yaxis=dict(gridcolor="#ebebeb", zerolinecolor="#d0d0d0", linecolor="#d0d0d0"),
    )
)


def label(token: str) -> str:
    """`token` safe for Plotly text: `&`, `<`, `>` as entities, which Plotly displays literally."""
    return token.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def tick(token: str) -> str:
    """`label(token)`, coloured red when it is <unk>."""
    return f'<span style="color:{UNK_COLOR}">{label(token)}</span>' if token == UNK else label(token)


def layout(fig: go.Figure, title: str, xtitle: str = "", ytitle: str = "", height: int = 400, **extra) -> go.Figure:
    """Shared look: title, axis titles, CJK-capable font, transparent background, margins, height."""
    fig.update_layout(
        title=dict(text=title, x=0.01, xanchor="left", font=dict(size=14)),
        height=height,
        autosize=True,
        template=TEMPLATE,
        margin=dict(l=70, r=30, t=60, b=50),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
    )
    fig.update_xaxes(title_text=xtitle)
    fig.update_yaxes(title_text=ytitle)
    fig.update_layout(**extra)
    return fig


def line(x: list, y: list, name: str, axis: str, colour: str, **extra) -> go.Scatter:
    """A lines+markers series; dotted when it belongs to the right-hand axis ("y2")."""
    line = dict(color=colour, dash="dot" if axis == "y2" else "solid")
    return go.Scatter(x=x, y=y, name=name, yaxis=axis, mode="lines+markers", line=line, **extra)


def right_axis(title: str) -> dict:
    """A second y axis on the right, sharing the x axis, for a series of another unit."""
    return dict(title_text=title, overlaying="y", side="right", rangemode="tozero", showgrid=False, tickmode="auto")


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
        text=label(message), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font=dict(size=15, color="#888")
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return layout(fig, "")
