"""Plotly figures of one translation: context vector, encoder/decoder states, P_t, beam tree, training curves.

Pure functions of plain data (a `seq2seq.trace.Trace` or a training history); no Gradio, no torch.
Every token goes through `label`, so "<eos>" or a user's "<b>" is shown literally, never read as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .i18n import figure_text as _

if TYPE_CHECKING:
    from seq2seq.trace import Trace

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


def _layout(fig: go.Figure, title: str, xtitle: str = "", ytitle: str = "", height: int = 400, **extra) -> go.Figure:
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


def _line(x: list, y: list, name: str, axis: str, colour: str, **extra) -> go.Scatter:
    """A lines+markers series; dotted when it belongs to the right-hand axis ("y2")."""
    line = dict(color=colour, dash="dot" if axis == "y2" else "solid")
    return go.Scatter(x=x, y=y, name=name, yaxis=axis, mode="lines+markers", line=line, **extra)


def _right_axis(title: str) -> dict:
    """A second y axis on the right, sharing the x axis, for a series of another unit."""
    return dict(title_text=title, overlaying="y", side="right", rangemode="tozero", showgrid=False, tickmode="auto")


def _rows_height(rows: int, base: int = 400, per_row: int = 18) -> int:
    """400 px, growing for long sequences so every row keeps a readable tick label."""
    return min(max(base, 110 + per_row * rows), 1400)


def _heat(z: list[list[float]], rows: list[str], hover: str, **colorbar) -> go.Heatmap:
    """One rows x units heatmap trace on the diverging scale centred at 0; `rows` are unique, escaped labels."""
    return go.Heatmap(
        z=np.asarray(z, dtype=np.float32),  # Plotly validates a nested list element by element; an array at once
        x=list(range(len(z[0]) if z else 0)),
        y=rows,
        colorscale=DIVERGING,
        zmid=0,
        colorbar=dict(thickness=12, title=dict(text="value"), **colorbar),
        hovertemplate=hover + "<extra></extra>",
    )


def _heatmap(z: list[list[float]], rows: list[str], title: str, ytitle: str, hover: str, lang: str) -> go.Figure:
    """A figure of one `_heat` trace, rows top to bottom."""
    fig = go.Figure(_heat(z, rows, hover))
    fig.update_yaxes(type="category", autorange="reversed", tickfont=dict(size=11))
    return _layout(fig, title, _("unit", lang), ytitle, _rows_height(len(rows)))


def empty_figure(message: str) -> go.Figure:
    """A blank figure with `message` centred (shown before a translation and on errors)."""
    fig = go.Figure()
    fig.add_annotation(
        text=label(message), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font=dict(size=15, color="#888")
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, "")


def context_heatmap(trace: Trace, lang: str = "en") -> go.Figure:
    """The context vector: final h (top) and c (bottom) of every encoder layer, unit by unit.

    h and c get a colour scale each: c often reaches ±5 or more while h stays inside ±1,
    and on one shared scale the h rows would look blank.
    """
    layers = range(1, len(trace.context_h) + 1)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    hover = "%{y}<br>unit %{x}<br>value %{z:.4f}"
    fig.add_trace(_heat(trace.context_h, [f"h layer {i}" for i in layers], hover, y=0.78, len=0.45), row=1, col=1)
    fig.add_trace(_heat(trace.context_c, [f"c layer {i}" for i in layers], hover, y=0.22, len=0.45), row=2, col=1)
    fig.update_yaxes(type="category", autorange="reversed", tickfont=dict(size=11))
    _layout(fig, _("context", lang), "", "", _rows_height(2 * len(layers)))
    return fig.update_xaxes(title_text=_("unit", lang), row=2, col=1)


def encoder_states_heatmap(trace: Trace, lang: str = "en") -> go.Figure:
    """Top-layer encoder h after each token, in the order the encoder read them."""
    source = trace.read_tokens[:-1]
    order = _("order_reversed" if len(source) > 1 and source == trace.src_tokens[::-1] else "order_forward", lang)
    rows = [f"{i} · {tick(token)}" for i, token in enumerate(trace.read_tokens, start=1)]
    title = _("encoder", lang, order=order)
    return _heatmap(trace.encoder_states, rows, title, _("token_read", lang), "%{y}<br>unit %{x}<br>h %{z:.4f}", lang)


def decoder_outputs_heatmap(trace: Trace, lang: str = "en") -> go.Figure:
    """Decoder outputs s_1..s_T (top-layer h), one row per step labelled with the emitted token."""
    if not trace.steps:
        return empty_figure(_("no_steps", lang))
    rows = [f"t={step.t} · {tick(step.token)}" for step in trace.steps]
    z = [step.output for step in trace.steps]
    title = _("decoder_outputs", lang)
    return _heatmap(z, rows, title, _("step_emitted", lang), "%{y}<br>unit %{x}<br>s %{z:.4f}", lang)


def topk_heatmap(trace: Trace, lang: str = "en") -> go.Figure:
    """Steps x top-k candidates coloured by probability; the chosen token's cell is outlined."""
    if not trace.steps:
        return empty_figure(_("no_steps", lang))
    k = max(len(step.top_k) for step in trace.steps)
    rows, z, text, names, shapes = [], [], [], [], []
    for row, step in enumerate(trace.steps):
        ids = [c.token_id for c in step.top_k]
        rank = ids.index(step.token_id) + 1 if step.token_id in ids else None
        forced = f" ({_('forced', lang)})" if step.forced else ""
        rows.append(f"t={step.t} · {tick(step.token)}{forced}" + ("" if rank else f" (rank &gt; {k})"))
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
        hovertemplate="%{y}<br>rank %{x}: %{customdata}<br>P = %{z:.4f}<extra></extra>",
    )
    fig = go.Figure(heat)
    fig.update_yaxes(type="category", autorange="reversed")
    fig.update_xaxes(tickmode="linear", dtick=1)
    height = _rows_height(len(rows), per_row=30)
    return _layout(fig, _("topk", lang, k=k), _("rank", lang), _("step_chosen", lang), height, shapes=shapes)


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
        "distribution", lang, t=step.t, source=source, token=label(step.token), p=step.prob, eos=label(EOS),
        eos_p=step.eos_prob,
    )  # fmt: skip
    return _layout(fig, title, _("token", lang), _("probability", lang), bargap=0.15)


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
            _line(t, y, name, axis, colour, hovertemplate=f"{name}: %{{y:.4f}}<extra></extra>")
            for name, y, axis, colour in series
        ]
    )
    fig.update_xaxes(tickmode="array", tickvals=t, ticktext=[f"{s.t} · {tick(s.token)}" for s in trace.steps])
    return _layout(
        fig,
        _("lines", lang),
        _("step_token", lang),
        _("probability", lang),
        hovermode="x unified",
        yaxis=dict(range=[0, 1.05]),
        yaxis2=_right_axis(_("entropy", lang)),
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
                customdata=[[label(n.token), n.status, n.log_prob, n.score, n.normalized_score] for n in group],
                hovertemplate="t=%{x} · %{customdata[0]}<br>status: %{customdata[1]}<br>log P: %{customdata[2]:.3f}"
                "<br>score: %{customdata[3]:.3f}<br>normalized: %{customdata[4]:.3f}<extra></extra>",
            )
        )
    widest = max(sum(1 for n in trace.beam_tree if n.t == t) for t in {n.t for n in trace.beam_tree})
    fig.update_xaxes(tickmode="linear", dtick=1)
    fig.update_yaxes(visible=False, autorange="reversed")
    title = _("beam", lang, beam=trace.beam_size, alpha=trace.length_penalty)
    return _layout(fig, title, _("step_t", lang), "", _rows_height(widest, per_row=24))


def training_curves(history: list[dict], lang: str = "en") -> go.Figure:
    """Train and validation loss per epoch, validation BLEU on the right axis."""
    if not history:
        return empty_figure(_("no_history", lang))
    series = [
        (_("train_loss", lang), "train_loss", "y", "#1f77b4"),
        (_("valid_loss", lang), "valid_loss", "y", "#ff7f0e"),
        (_("valid_bleu", lang), "valid_bleu", "y2", "#2ca02c"),
    ]
    fig = go.Figure()
    for name, key, axis, colour in series:
        rows = [row for row in history if row.get(key) is not None]
        if rows:
            fig.add_trace(_line([row["epoch"] for row in rows], [row[key] for row in rows], name, axis, colour))
    return _layout(
        fig,
        _("training", lang),
        _("epoch", lang),
        _("cross_entropy", lang),
        hovermode="x unified",
        yaxis2=_right_axis("BLEU"),
    )


# ---------------------------------------------------------------- the Experiments tab: Figures 2 and 3 of the paper

MODEL_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2"]
BACKGROUND_COLOR, NEIGHBOUR_COLOR, YOU_COLOR = "#c7c7c7", "#ff7f0e", "#d62728"


def phrase_map_figure(points: list[dict], lang: str = "en", set_name: str = "") -> go.Figure:
    """Figure 2: phrases at the first two principal components of their context vectors, each labelled."""
    if not points:
        return empty_figure(_("no_points", lang))
    title = _("phrase_map", lang, set=_(f"set_{set_name}", lang) if set_name else "")
    fig = go.Figure(
        go.Scatter(
            x=[p["x"] for p in points],
            y=[p["y"] for p in points],
            mode="markers+text",
            text=[label(p["text"]) for p in points],
            textposition=_label_positions(points),
            textfont=dict(size=12),
            marker=dict(size=11, color="#1f77b4"),
            customdata=[[label(p["text"]), label(p.get("translation", ""))] for p in points],
            hovertemplate="%{customdata[0]}<br>→ %{customdata[1]}<extra></extra>",
            cliponaxis=False,
        )
    )
    fig.update_xaxes(zeroline=False)
    fig.update_yaxes(zeroline=False)
    return _layout(fig, title, _("pc1", lang), _("pc2", lang), 440, margin=dict(l=70, r=70, t=60, b=50))


def _label_positions(points: list[dict]) -> list[str]:
    """Above the point, or below when its closest neighbour sits just above it: near-equal phrases stay legible."""
    xy = np.array([[p["x"], p["y"]] for p in points], dtype=float)
    spread = np.ptp(xy, axis=0) if len(xy) > 1 else np.ones(2)
    scaled = xy / np.where(spread > 0, spread, 1.0)
    positions = []
    for i, point in enumerate(scaled):
        distance = np.linalg.norm(scaled - point, axis=1)
        distance[i] = np.inf
        closest = int(np.argmin(distance)) if len(xy) > 1 else i
        below = distance[closest] < 0.15 and xy[closest, 1] > xy[i, 1]
        positions.append("bottom center" if below else "top center")
    return positions


def sentence_space_figure(
    background_points: list[dict], user_point: dict | None, neighbours: list[dict], lang: str = "en"
) -> go.Figure:
    """Training sentences as grey dots on the space's principal axes; the user's sentence and its neighbours on top.

    `background_points` and `neighbours` hold x, y and text (neighbours also translation and cosine);
    `user_point` holds x, y and text, or is None before anything was typed.
    """
    if not background_points:
        return empty_figure(_("no_points", lang))
    traces = [
        go.Scatter(
            x=[p["x"] for p in background_points],
            y=[p["y"] for p in background_points],
            mode="markers",
            name=_("training_sentences", lang, n=len(background_points)),
            marker=dict(size=4, color=BACKGROUND_COLOR, opacity=0.6),
            customdata=[label(p["text"]) for p in background_points],
            hovertemplate="%{customdata}<extra></extra>",
        )
    ]
    if neighbours:
        traces.append(
            go.Scatter(
                x=[n["x"] for n in neighbours],
                y=[n["y"] for n in neighbours],
                mode="markers",
                name=_("nearest", lang, k=len(neighbours)),
                marker=dict(size=10, color=NEIGHBOUR_COLOR, line=dict(color="white", width=1)),
                customdata=[[label(n["text"]), label(n["translation"]), n["cosine"]] for n in neighbours],
                hovertemplate="%{customdata[0]}<br>→ %{customdata[1]}<br>cos %{customdata[2]:.3f}<extra></extra>",
            )
        )
    if user_point is not None:
        traces.append(
            go.Scatter(
                x=[user_point["x"]],
                y=[user_point["y"]],
                mode="markers+text",
                name=_("your_sentence", lang),
                text=[label(user_point["text"])],
                textposition="top center",
                marker=dict(size=18, color=YOU_COLOR, symbol="star", line=dict(color="white", width=1)),
                hovertemplate="%{text}<extra></extra>",
                cliponaxis=False,
            )
        )
    fig = go.Figure(traces)
    fig.update_xaxes(zeroline=False)
    fig.update_yaxes(zeroline=False)
    return _layout(fig, _("sentence_space", lang), _("pc1", lang), _("pc2", lang), 520)


def figure3_figure(data: dict, lang: str = "en") -> go.Figure:
    """Figure 3: BLEU by source length (left) and by average word-frequency rank (right), a line per model and decoder."""
    models = data.get("models") or []
    if not models:
        return empty_figure(_("no_figure3", lang))
    panels = ((1, "by_length", "length_buckets"), (2, "by_rank", "rank_buckets"))
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=[_("bleu_by_length", lang), _("bleu_by_rank", lang)], horizontal_spacing=0.08
    )
    for number, entry in enumerate(models):
        colour = MODEL_COLOURS[number % len(MODEL_COLOURS)]
        model = label(entry.get("model", "").rstrip("/").rsplit("/", 1)[-1] or entry.get("direction", "?"))
        for decoder, result in entry.get("decoders", {}).items():
            name = f"{model} · {label(decoder)}"
            for col, key, buckets_key in panels:
                buckets = data.get(buckets_key) or list(result.get(key, {}))
                scores = [result.get(key, {}).get(bucket) for bucket in buckets]
                fig.add_trace(
                    go.Scatter(
                        x=[label(b) for b in buckets],
                        y=[s["bleu"] if s else None for s in scores],
                        customdata=[s["sentences"] if s else 0 for s in scores],
                        mode="lines+markers",
                        name=name,
                        legendgroup=name,
                        showlegend=col == 1,
                        line=dict(color=colour, dash="solid" if decoder != "greedy" else "dot"),
                        hovertemplate=f"{name}<br>%{{x}}: BLEU %{{y:.2f}}<br>%{{customdata}} "
                        + _("sentences", lang)
                        + "<extra></extra>",
                    ),
                    row=1,
                    col=col,
                )
    # The legend goes under the panels: above them it would cover the panel titles.
    legend = dict(orientation="h", yanchor="top", y=-0.22, xanchor="center", x=0.5)
    _layout(fig, _("figure3", lang), "", "BLEU", 500, margin=dict(l=70, r=30, t=80, b=120), legend=legend)
    fig.update_xaxes(title_text=_("source_tokens", lang), type="category", row=1, col=1)
    fig.update_xaxes(title_text=_("average_rank", lang), type="category", row=1, col=2)
    fig.update_yaxes(rangemode="tozero")
    return fig
