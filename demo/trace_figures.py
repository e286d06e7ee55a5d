"""Figures of a decoding that more than one tab draws: the context vector and the top-k candidates per step.

Pure functions of a `seq2seq.trace.Trace`; no Gradio, no torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .i18n import figure_text as _
from .plotting import CHOSEN_COLOR, empty_figure, go, heat, label, layout, rows_height, subplots, tick

if TYPE_CHECKING:
    from seq2seq.trace import Trace


def context_heatmap(trace: Trace, lang: str = "en") -> go.Figure:
    """The context vector: final h (top) and c (bottom) of every encoder layer, unit by unit.

    h and c get a colour scale each: c often reaches ±5 or more while h stays inside ±1,
    and on one shared scale the h rows would look blank.
    """
    layers = range(1, len(trace.context_h) + 1)
    fig = subplots.make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    hover = f"%{{y}}<br>{_('unit', lang)} %{{x}}<br>{_('value', lang)} %{{z:.4f}}"
    for row, part, values, bar_y in ((1, "h", trace.context_h, 0.78), (2, "c", trace.context_c, 0.22)):
        names = [_(f"layer_{part}", lang, n=i) for i in layers]
        fig.add_trace(heat(values, names, hover, lang, y=bar_y, len=0.45), row=row, col=1)
    fig.update_yaxes(type="category", autorange="reversed", tickfont=dict(size=11))
    layout(fig, _("context", lang), "", "", rows_height(2 * len(layers)))
    return fig.update_xaxes(title_text=_("unit", lang), row=2, col=1)


def topk_heatmap(trace: Trace, lang: str = "en", forced_steps: set[int] | None = None) -> go.Figure:
    """Steps x top-k candidates coloured by probability; the chosen token's cell is outlined.

    Steps are labelled "forced" where the trace says so, or only at `forced_steps` when given (a what-if
    forces its earlier steps to the original output, which were the model's own choices)."""
    if not trace.steps:
        return empty_figure(_("no_steps", lang))
    k = max(len(step.top_k) for step in trace.steps)
    rows, z, text, names, shapes = [], [], [], [], []
    for row, step in enumerate(trace.steps):
        ids = [c.token_id for c in step.top_k]
        rank = ids.index(step.token_id) + 1 if step.token_id in ids else None
        was_forced = step.forced if forced_steps is None else step.t in forced_steps
        forced = f" ({_('forced', lang)})" if was_forced else ""
        rows.append(f"t={step.t} · {tick(step.token)}{forced}" + ("" if rank else f" ({_('rank', lang)} &gt; {k})"))
        pad = [None] * (k - len(step.top_k))
        z.append([c.prob for c in step.top_k] + pad)
        text.append([f"{tick(c.token)}<br>{c.prob:.2f}" for c in step.top_k] + [""] * len(pad))
        names.append([label(c.token) for c in step.top_k] + [""] * len(pad))
        if rank:
            shapes.append(
                dict(
                    type="rect",
                    x0=rank - 0.5,
                    x1=rank + 0.5,
                    y0=row - 0.5,
                    y1=row + 0.5,
                    line=dict(color=CHOSEN_COLOR, width=3),
                    xref="x",
                    yref="y",
                )
            )
    heat = go.Heatmap(
        z=z,
        x=list(range(1, k + 1)),
        y=rows,
        text=text,
        texttemplate="%{text}",
        textfont=dict(size=10),
        customdata=names,
        colorscale="Blues",
        zmin=0,
        zmax=1,
        colorbar=dict(thickness=12, title=dict(text="P")),
        hovertemplate=f"%{{y}}<br>{_('rank', lang)} %{{x}}: %{{customdata}}<br>P = %{{z:.4f}}<extra></extra>",
    )
    fig = go.Figure(heat)
    fig.update_yaxes(type="category", autorange="reversed")
    fig.update_xaxes(tickmode="linear", dtick=1)
    height = rows_height(len(rows), per_row=30)
    return layout(fig, _("topk", lang, k=k), _("rank", lang), _("step_chosen", lang), height, shapes=shapes)
