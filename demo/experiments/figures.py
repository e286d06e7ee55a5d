"""Figures of the Experiments tab: the paper's Figure 2 (phrase maps, the sentence space) and Figure 3.

Pure functions of plain data (points, neighbours, BLEU buckets); no Gradio, no torch.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..i18n import figure_text as _
from ..plotting import empty_figure, label, layout

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
    return layout(fig, title, _("pc1", lang), _("pc2", lang), 440, margin=dict(l=70, r=70, t=60, b=50))


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
    return layout(fig, _("sentence_space", lang), _("pc1", lang), _("pc2", lang), 520)


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
    layout(fig, _("figure3", lang), "", "BLEU", 500, margin=dict(l=70, r=30, t=80, b=120), legend=legend)
    fig.update_xaxes(title_text=_("source_tokens", lang), type="category", row=1, col=1)
    fig.update_xaxes(title_text=_("average_rank", lang), type="category", row=1, col=2)
    fig.update_yaxes(rangemode="tozero")
    return fig
