"""Figures of the Translate tab: encoder states, decoder outputs s_t, P_t, confidence per step, beam tree.

Pure functions of a `seq2seq.trace.Trace`; no Gradio, no torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.graph_objects as go

from ..i18n import figure_text as _
from ..plotting import (
    BAR_COLOR,
    CHOSEN_COLOR,
    EOS,
    PATH_COLOR,
    STATUS_STYLE,
    UNK,
    UNK_COLOR,
    empty_figure,
    heatmap,
    label,
    layout,
    line,
    right_axis,
    rows_height,
    tick,
)

if TYPE_CHECKING:
    from seq2seq.trace import Trace


def encoder_states_heatmap(trace: Trace, lang: str = "en") -> go.Figure:
    """Top-layer encoder h after each token, in the order the encoder read them."""
    source = trace.read_tokens[:-1]
    order = _("order_reversed" if len(source) > 1 and source == trace.src_tokens[::-1] else "order_forward", lang)
    rows = [f"{i} · {tick(token)}" for i, token in enumerate(trace.read_tokens, start=1)]
    title = _("encoder", lang, order=order)
    return heatmap(
        trace.encoder_states,
        rows,
        title,
        _("token_read", lang),
        f"%{{y}}<br>{_('unit', lang)} %{{x}}<br>h %{{z:.4f}}",
        lang,
    )


def decoder_outputs_heatmap(trace: Trace, lang: str = "en") -> go.Figure:
    """Decoder outputs s_1..s_T (top-layer h), one row per step labelled with the emitted token."""
    if not trace.steps:
        return empty_figure(_("no_steps", lang))
    rows = [f"t={step.t} · {tick(step.token)}" for step in trace.steps]
    z = [step.output for step in trace.steps]
    title = _("decoder_outputs", lang)
    return heatmap(z, rows, title, _("step_emitted", lang), f"%{{y}}<br>{_('unit', lang)} %{{x}}<br>s %{{z:.4f}}", lang)


def distribution_bar(
    trace: Trace, step_index: int, n: int = 20, vocabulary: list[str] | None = None, lang: str = "en"
) -> go.Figure:
    """The n most likely tokens of P_t at step `step_index` (1-based, clamped); the chosen token highlighted."""
    if not trace.steps:
        return empty_figure(_("no_steps", lang))
    index = min(max(int(step_index), 1), len(trace.steps)) - 1
    step = trace.steps[index]
    if trace.distributions and vocabulary and index < len(trace.distributions):
        dist = trace.distributions[index]
        ids = sorted(range(len(dist)), key=lambda i: -dist[i])[:n]
        bars = [(i, vocabulary[i], dist[i]) for i in ids]
        if step.token_id not in ids:
            bars.append((step.token_id, step.token, dist[step.token_id]))
        source = _("source_full", lang)
    else:
        bars = [(c.token_id, c.token, c.prob) for c in step.top_k[:n]]
        source = _("source_topk", lang)
    colours = [CHOSEN_COLOR if i == step.token_id else UNK_COLOR if tok == UNK else BAR_COLOR for i, tok, _ in bars]
    fig = go.Figure(
        go.Bar(
            x=list(range(len(bars))),
            y=[p for _, _, p in bars],
            marker_color=colours,
            customdata=[label(tok) for _, tok, _ in bars],
            hovertemplate="%{customdata}<br>P = %{y:.4f}<extra></extra>",
        )
    )
    fig.update_xaxes(tickmode="array", tickvals=list(range(len(bars))), ticktext=[tick(tok) for _, tok, _ in bars])
    title = _(
        "distribution",
        lang,
        t=step.t,
        source=source,
        token=label(step.token),
        p=step.prob,
        eos=label(EOS),
        eos_p=step.eos_prob,
    )
    return layout(fig, title, _("token", lang), _("probability", lang), bargap=0.15)


def step_lines(trace: Trace, lang: str = "en") -> go.Figure:
    """Per step: the chosen token's probability, P_t(<eos>), and the entropy of P_t (right axis, nats)."""
    if not trace.steps:
        return empty_figure(_("no_steps", lang))
    t = [step.t for step in trace.steps]
    series = [
        (_("chosen_prob", lang), [s.prob for s in trace.steps], "y", CHOSEN_COLOR),
        (f"P({label(EOS)})", [s.eos_prob for s in trace.steps], "y", "#2ca02c"),
        (_("entropy", lang), [s.entropy for s in trace.steps], "y2", "#7f7f7f"),
    ]
    fig = go.Figure(
        [
            line(t, y, name, axis, colour, hovertemplate=f"{name}: %{{y:.4f}}<extra></extra>")
            for name, y, axis, colour in series
        ]
    )
    fig.update_xaxes(tickmode="array", tickvals=t, ticktext=[f"{s.t} · {tick(s.token)}" for s in trace.steps])
    return layout(
        fig,
        _("lines", lang),
        _("step_token", lang),
        _("probability", lang),
        hovermode="x unified",
        yaxis=dict(range=[0, 1.05]),
        yaxis2=right_axis(_("entropy", lang)),
    )


def _tree_positions(nodes: list) -> dict[int, float]:
    """y of each node: a step's nodes grouped under their parent's position, best score first, centred on 0."""
    by_step: dict[int, list] = {}
    for node in nodes:
        by_step.setdefault(node.t, []).append(node)
    pos: dict[int, float] = {}
    for t in sorted(by_step):
        level = sorted(by_step[t], key=lambda n: (pos.get(n.parent, 0.0), -n.score))
        for i, node in enumerate(level):
            pos[node.id] = i - (len(level) - 1) / 2
    return pos


def beam_tree(trace: Trace, lang: str = "en") -> go.Figure:
    """The beam search tree: every expanded hypothesis by step, edges to parents, the winner's path highlighted."""
    if not trace.beam_tree:
        return empty_figure(_("beam_off", lang))
    nodes = {node.id: node for node in trace.beam_tree}
    pos = _tree_positions(trace.beam_tree)
    path, node_id = set(), trace.n_best[0].node_id if trace.n_best else None
    while node_id is not None and node_id in nodes:
        path.add(node_id)
        node_id = nodes[node_id].parent
    edges_x, edges_y, path_x, path_y = [], [], [], []
    for node in trace.beam_tree:
        if node.parent is not None and node.parent in nodes:
            xs, ys = [nodes[node.parent].t, node.t, None], [pos[node.parent], pos[node.id], None]
            edges_x += xs
            edges_y += ys
            if node.id in path:
                path_x += xs
                path_y += ys
    fig = go.Figure(
        [
            go.Scatter(
                x=edges_x,
                y=edges_y,
                mode="lines",
                name="edges",
                line=dict(color="#d0d0d0", width=1),
                hoverinfo="skip",
                showlegend=False,
            ),
            go.Scatter(
                x=path_x,
                y=path_y,
                mode="lines",
                name=_("winning_path", lang),
                line=dict(color=PATH_COLOR, width=3),
                hoverinfo="skip",
            ),
        ]
    )
    for status, (colour, symbol) in STATUS_STYLE.items():
        group = [node for node in trace.beam_tree if node.status == status]
        if not group:
            continue
        fig.add_trace(
            go.Scatter(
                x=[n.t for n in group],
                y=[pos[n.id] for n in group],
                mode="markers+text",
                name=_(status, lang),
                text=[tick(n.token) for n in group],
                textposition="middle right",
                textfont=dict(size=11),
                marker=dict(
                    color=colour,
                    symbol=symbol,
                    size=[12 if n.id in path else 8 for n in group],
                    line=dict(color=PATH_COLOR, width=[2.5 if n.id in path else 0 for n in group]),
                ),
                customdata=[
                    [label(n.token), _(n.status, lang), n.log_prob, n.score, n.normalized_score] for n in group
                ],
                hovertemplate=f"t=%{{x}} · %{{customdata[0]}}<br>{_('status', lang)}: %{{customdata[1]}}"
                f"<br>log P: %{{customdata[2]:.3f}}<br>{_('score', lang)}: %{{customdata[3]:.3f}}"
                f"<br>{_('normalized', lang)}: %{{customdata[4]:.3f}}<extra></extra>",
            )
        )
    widest = max(sum(1 for n in trace.beam_tree if n.t == t) for t in {n.t for n in trace.beam_tree})
    fig.update_xaxes(tickmode="linear", dtick=1)
    fig.update_yaxes(visible=False, autorange="reversed")
    title = _("beam", lang, beam=trace.beam_size, alpha=trace.length_penalty)
    return layout(fig, title, _("step_t", lang), "", rows_height(widest, per_row=24))
