"""Plotly figures of the Context lab: KL per step, edited contexts, interpolation, occlusion, reference.

Pure functions of the probes' plain-data results (`seq2seq.probes`); no Gradio, no torch. Every token
and every translation goes through `plotting.label`, so user text is shown literally, never read as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import figure_text as _
from ..plotting import (
    BAR_COLOR,
    CHOSEN_COLOR,
    CJK_UNITS,
    TITLE_UNITS,
    UNK_COLOR,
    empty_figure,
    go,
    is_cjk,
    label,
    layout,
    retitle,
    right_axis,
    rows_height,
    tick,
)
from ..trace_figures import context_heatmap, topk_heatmap

if TYPE_CHECKING:
    from seq2seq.study.probes import Interpolation, Occlusion, ReferenceView, Surgery
    from seq2seq.trace import Trace

A_COLOR, B_COLOR, NEITHER_COLOR, SWITCH_COLOR = "#1f77b4", "#2ca02c", "#7f7f7f", "#d62728"
LABEL_UNITS = TITLE_UNITS - 2  # a translation wider than a phone's line is cut (the hover text keeps it whole)


def _short(text: str) -> str:
    """`text` escaped, cut with '…' to LABEL_UNITS (a CJK character counts double, as in `plotting.wrap`)."""
    width = 0.0
    for end, char in enumerate(text):
        width += CJK_UNITS if is_cjk(char) else 1.0
        if width > LABEL_UNITS:
            return label(text[: max(end - 1, 1)] + "…")
    return label(text)


def _step_ticks(fig: go.Figure, tokens: list[str]) -> None:
    """x ticks 't · token' at t = 1 … len(tokens)."""
    fig.update_xaxes(
        tickmode="array",
        tickvals=list(range(1, len(tokens) + 1)),
        ticktext=[f"{t} · {tick(token)}" for t, token in enumerate(tokens, 1)],
    )


def surgery_kl(result: Surgery, lang: str = "en") -> go.Figure:
    """KL(P_t || P'_t) per step of the original output as bars (red where the token flipped), and
    P_t(token) from both contexts on the right axis: three traces."""
    steps = result.steps
    if not steps:
        return empty_figure(_("no_steps", lang))
    t = [s.t for s in steps]
    hover = [[label(s.token), s.prob, s.altered_prob, label(s.altered_top), s.altered_top_prob] for s in steps]
    bars = go.Bar(
        x=t,
        y=[s.kl for s in steps],
        name=_("lab_kl_axis", lang),
        marker_color=[UNK_COLOR if s.flipped else BAR_COLOR for s in steps],
        customdata=hover,
        hovertemplate="t=%{x} · %{customdata[0]}<br>KL %{y:.4f}<br>P %{customdata[1]:.4f} → %{customdata[2]:.4f}"
        f"<br>{_('edited_choice', lang)}: %{{customdata[3]}} (%{{customdata[4]:.4f}})<extra></extra>",
    )
    lines = [
        go.Scatter(
            x=t,
            y=[s.prob for s in steps],
            name=_("lab_p_original", lang),
            yaxis="y2",
            mode="lines+markers",
            line=dict(color=CHOSEN_COLOR),
            hovertemplate="P %{y:.4f}<extra></extra>",
        ),
        go.Scatter(
            x=t,
            y=[s.altered_prob for s in steps],
            name=_("lab_p_edited", lang),
            yaxis="y2",
            mode="lines+markers",
            line=dict(color="#7f7f7f", dash="dot"),
            hovertemplate="P′ %{y:.4f}<extra></extra>",
        ),
    ]
    fig = go.Figure([bars, *lines])
    _step_ticks(fig, [s.token for s in steps])
    axis = right_axis(_("probability", lang)) | dict(range=[0, 1.05], rangemode="normal")
    return layout(
        fig,
        _("lab_kl", lang),
        _("step_token", lang),
        _("lab_kl_axis", lang),
        yaxis2=axis,
        yaxis=dict(rangemode="tozero"),
        bargap=0.2,
    )


def _shared_scale(figs: tuple[go.Figure, go.Figure]) -> None:
    """One symmetric colour range per part (h, c) across both figures: an edit that scales every number
    would otherwise look like no change at all after each heatmap rescaled itself."""
    for part in range(2):
        z = [v for fig in figs for row in fig.data[part].z for v in row]
        bound = max((abs(float(v)) for v in z), default=1.0) or 1.0
        for fig in figs:
            fig.data[part].update(zmin=-bound, zmax=bound, zauto=False)


def context_pair(original: Trace, edited: Trace, changed: int, lang: str = "en") -> tuple[go.Figure, go.Figure]:
    """The original and the edited context as two heatmaps (h above c, each a trace) on shared colour scales."""
    figs = context_heatmap(original, lang), context_heatmap(edited, lang)
    _shared_scale(figs)
    retitle(figs[0], _("lab_original_context", lang))
    retitle(figs[1], _("lab_edited_context", lang, n=changed))
    return figs


def interpolation(result: Interpolation, chosen: float | None = None, lang: str = "en") -> go.Figure:
    """Which output each α decodes to: a stepped line over the distinct outputs (one point per α, coloured
    A's / B's / neither), dotted lines where it switches, and a star at the chosen α (a second trace)."""
    points = result.points
    if not points:
        return empty_figure(_("no_points", lang))
    order: list[str] = []  # distinct outputs in the order α meets them: A's at the bottom
    for p in points:
        if p.text not in order:
            order.append(p.text)
    names = {text: str(i + 1) for i, text in enumerate(order)}  # rows by number: two cut texts stay apart
    colours = {"a": A_COLOR, "b": B_COLOR, "": NEITHER_COLOR}
    kinds = {"a": _("lab_same_a", lang), "b": _("lab_same_b", lang), "": _("lab_neither", lang)}
    traces = [
        go.Scatter(
            x=[p.alpha for p in points],
            y=[names[p.text] for p in points],
            mode="lines+markers",
            line=dict(shape="hv", color="#c7c7c7"),
            showlegend=False,
            name=_("lab_output", lang),
            marker=dict(size=11, color=[colours[p.matches] for p in points], line=dict(color="white", width=1)),
            customdata=[[label(p.text), kinds[p.matches]] for p in points],
            hovertemplate="α = %{x:g}<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        )
    ]
    if chosen is not None:
        at = min(points, key=lambda p: abs(p.alpha - chosen))
        traces.append(
            go.Scatter(
                x=[at.alpha],
                y=[names[at.text]],
                mode="markers",
                name=_("lab_chosen", lang),
                marker=dict(size=20, symbol="star", color=CHOSEN_COLOR, line=dict(color="white", width=1)),
                customdata=[label(at.text)],
                hovertemplate="α = %{x:g}<br>%{customdata}<extra></extra>",
            )
        )
    shapes = [
        dict(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1, line=dict(color=SWITCH_COLOR, dash="dot"))
        for x in ((points[i - 1].alpha + points[i].alpha) / 2 for i in result.switches)
    ]
    # Each output is written over its row, from the left edge: as tick labels they left no room for the
    # chart on a phone. On a category axis an annotation's y is the row's index from 0, not its name: the
    # name "1" was read as the number 1 and put every note one row up.
    notes = [
        dict(x=0, xref="paper", y=row, yref="y", yshift=13, xanchor="left", text=f"{names[t]}. {_short(t)}")
        for row, t in enumerate(order)
    ]
    fig = go.Figure(traces)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=[names[t] for t in order])
    height = rows_height(len(order), base=360, per_row=44)
    return layout(
        fig,
        _("lab_interp", lang),
        _("lab_alpha", lang),
        _("lab_output", lang),
        height,
        shapes=shapes,
        annotations=[
            dict(showarrow=False, font=dict(size=12), bgcolor="rgba(255,255,255,0.75)", **note) for note in notes
        ],
    )


def _token_rows(result: Occlusion) -> list[str]:
    """One unique, escaped row label per occlusion: 'position · token(s)'."""
    return [f"{o.positions[0] + 1 if o.positions else '-'} · {tick(' '.join(o.tokens))}" for o in result.occluded]


def occlusion_bars(result: Occlusion, lang: str = "en") -> go.Figure:
    """Cosine distance of the context without each token (bars), and the KL summed over the steps
    (markers, right axis): two traces."""
    if not result.occluded:
        return empty_figure(_("no_points", lang))
    rows = _token_rows(result)
    x = list(range(len(rows)))
    mode = _("lab_" + result.mode, lang)
    fig = go.Figure(
        [
            go.Bar(
                x=x,
                y=[o.cosine_distance for o in result.occluded],
                name=_("lab_distance", lang),
                marker_color=BAR_COLOR,
                customdata=[label(o.text) for o in result.occluded],
                hovertemplate="%{y:.4f}<br>→ %{customdata}<extra></extra>",
            ),
            go.Scatter(
                x=x,
                y=[o.kl for o in result.occluded],
                name=_("lab_kl_total", lang),
                yaxis="y2",
                mode="markers",
                marker=dict(size=10, color=UNK_COLOR, symbol="diamond"),
                hovertemplate="KL %{y:.3f}<extra></extra>",
            ),
        ]
    )
    fig.update_xaxes(tickmode="array", tickvals=x, ticktext=rows)
    return layout(
        fig,
        _("lab_occlusion_bars", lang, mode=mode),
        _("lab_occluded", lang),
        _("lab_distance", lang),
        yaxis=dict(rangemode="tozero"),
        yaxis2=right_axis(_("lab_kl_total", lang)),
        bargap=0.2,
    )


def occlusion_heatmap(result: Occlusion, lang: str = "en") -> go.Figure:
    """Occluded token × step of the original output, coloured by KL(P_t || P'_t): one trace."""
    if not result.occluded or not result.occluded[0].steps:
        return empty_figure(_("no_steps", lang))
    steps = result.occluded[0].steps
    columns = [f"{s.t} · {tick(s.token)}" for s in steps]
    heat = go.Heatmap(
        z=[[s.kl for s in o.steps] for o in result.occluded],
        x=columns,
        y=_token_rows(result),
        colorscale="Reds",
        zmin=0,
        colorbar=dict(thickness=12, title=dict(text="KL")),
        customdata=[[label(s.altered_top) for s in o.steps] for o in result.occluded],
        hovertemplate=f"%{{y}}<br>%{{x}}<br>KL %{{z:.4f}}<br>{_('would_choose', lang)}: %{{customdata}}<extra></extra>",
    )
    fig = go.Figure(heat)
    fig.update_yaxes(type="category", autorange="reversed")
    fig.update_xaxes(type="category")
    title = _("lab_occlusion_heat", lang, mode=_("lab_" + result.mode, lang))
    return layout(
        fig,
        title,
        _("step_token", lang),
        _("lab_occluded", lang),
        rows_height(len(result.occluded)),
    )


def reference_chart(result: ReferenceView, lang: str = "en") -> go.Figure:
    """Per step, P(reference token) and P(the model's own choice) on the reference prefix (two traces),
    with a dashed line at the first step where free decoding leaves the reference."""
    steps = result.steps
    if not steps:
        return empty_figure(_("no_steps", lang))
    t = [s.t for s in steps]
    fig = go.Figure(
        [
            go.Scatter(
                x=t,
                y=[s.prob for s in steps],
                name=_("lab_p_reference", lang),
                mode="lines+markers",
                line=dict(color=A_COLOR),
                customdata=[[label(s.token), s.rank] for s in steps],
                hovertemplate="%{customdata[0]}: P %{y:.4f} (rank %{customdata[1]})<extra></extra>",
            ),
            go.Scatter(
                x=t,
                y=[s.model_prob for s in steps],
                name=_("lab_p_model", lang),
                mode="lines+markers",
                line=dict(color=CHOSEN_COLOR, dash="dot"),
                customdata=[label(s.model_token) for s in steps],
                hovertemplate="%{customdata}: P %{y:.4f}<extra></extra>",
            ),
        ]
    )
    _step_ticks(fig, [s.token for s in steps])
    shapes = []
    if result.divergence is not None:
        x = result.divergence
        shapes.append(
            dict(
                type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1, line=dict(color=SWITCH_COLOR, dash="dash")
            )
        )
        # Named in the legend (a written note above the plot ran into the legend on a phone).
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name=_("lab_leaves", lang),
                line=dict(color=SWITCH_COLOR, dash="dash"),
                hoverinfo="skip",
            )
        )
    return layout(
        fig,
        _("lab_reference", lang),
        _("lab_step_reference", lang),
        _("probability", lang),
        hovermode="x unified",
        yaxis=dict(range=[0, 1.05]),
        shapes=shapes,
    )


def trip_heatmap(trace: Trace, title: str, lang: str = "en") -> go.Figure:
    """`figures.topk_heatmap` of one leg of the round trip, under a title that says which way it went."""
    fig = topk_heatmap(trace, lang)
    if trace.steps:  # the empty figure keeps its message
        retitle(fig, title)
    return fig
