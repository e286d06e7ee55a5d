"""Figures of the Experiments tab: the paper's Figure 2 (phrase maps, the sentence space) and Figure 3.

Pure functions of plain data (points, neighbours, BLEU buckets); no Gradio, no torch.
"""

from __future__ import annotations

import numpy as np

from ..i18n import figure_text as _
from ..plotting import empty_figure, go, label, layout, subplots, wrap

MODEL_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2"]
BACKGROUND_COLOR, NEIGHBOUR_COLOR, YOU_COLOR = "#c7c7c7", "#ff7f0e", "#d62728"
# A phrase's label is wrapped to this many units (a CJK character counts 2): on a 390 px phone the plot is
# about 330 px wide and one long label, centred on its point, ran past both edges.
LABEL_UNITS = 18


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
            text=[wrap(label(p["text"]), LABEL_UNITS) for p in points],
            textposition=_label_positions(points),
            textfont=dict(size=12),
            marker=dict(size=11, color="#1f77b4"),
            customdata=[[label(p["text"]), label(p.get("translation", ""))] for p in points],
            hovertemplate="%{customdata[0]}<br>→ %{customdata[1]}<extra></extra>",
            cliponaxis=False,
        )
    )
    # Room around the points for their labels, which are centred on them: on a phone they ran off the sides.
    fig.update_xaxes(zeroline=False, range=_padded([p["x"] for p in points], 0.35))
    fig.update_yaxes(zeroline=False, range=_padded([p["y"] for p in points], 0.12))
    return layout(fig, title, _("pc1", lang), _("pc2", lang), 440)


def _padded(values: list[float], share: float) -> list[float]:
    """[min, max] of `values` widened by `share` of their span on each side."""
    low, high = min(values), max(values)
    pad = share * (high - low) or 1.0
    return [low - pad, high + pad]


def _label_positions(points: list[dict]) -> list[str]:
    """Above the point, or below when its closest neighbour sits just above it: near-equal phrases stay legible.
    A point in the outer fifth of the x range has its label run inwards (its point at the label's outer end)."""
    xy = np.array([[p["x"], p["y"]] for p in points], dtype=float)
    spread = np.ptp(xy, axis=0) if len(xy) > 1 else np.ones(2)
    scaled = xy / np.where(spread > 0, spread, 1.0)
    positions = []
    for i, point in enumerate(scaled):
        distance = np.linalg.norm(scaled - point, axis=1)
        distance[i] = np.inf
        closest = int(np.argmin(distance)) if len(xy) > 1 else i
        below = distance[closest] < 0.15 and xy[closest, 1] > xy[i, 1]
        across = (point[0] - scaled[:, 0].min()) if len(xy) > 1 else 0.5
        side = "left" if across > 0.8 else "right" if across < 0.2 else "center"
        positions.append(f"{'bottom' if below else 'top'} {side}")
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
                text=[wrap(label(user_point["text"]), LABEL_UNITS)],
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
    """Figure 3: BLEU by source length (top) and by average word-frequency rank (bottom), a line per model and
    decoder; the legend names each model once, under its direction."""
    models = data.get("models") or []
    if not models:
        return empty_figure(_("no_figure3", lang))
    panels = ((1, "by_length", "length_buckets"), (2, "by_rank", "rank_buckets"))
    # The panels one above the other: side by side they were too narrow to read on a phone.
    fig = subplots.make_subplots(rows=2, cols=1, vertical_spacing=0.2)
    for number, entry in enumerate(models):
        colour = MODEL_COLOURS[number % len(MODEL_COLOURS)]
        direction, kind = model_name(entry, lang)
        for decoder, result in entry.get("decoders", {}).items():
            name = f"{direction} {kind} · {label(decoder)}"
            greedy = decoder == "greedy"
            for row, key, buckets_key in panels:
                buckets = data.get(buckets_key) or list(result.get(key, {}))
                scores = [result.get(key, {}).get(bucket) for bucket in buckets]
                fig.add_trace(
                    go.Scatter(
                        x=[label(b) for b in buckets],
                        y=[s["bleu"] if s else None for s in scores],
                        customdata=[s["sentences"] if s else 0 for s in scores],
                        mode="lines+markers",
                        # The legend: a column per direction, a short entry per model (its colour) under it;
                        # the title says which line style is which decoder. An entry per line ("en-zh en-zh ·
                        # beam 5") took twelve rows on a phone. A click on an entry hides its direction.
                        name=kind,
                        legendgroup=direction,
                        legendgrouptitle_text=direction,
                        showlegend=row == 1 and not greedy,
                        line=dict(color=colour, dash="dot" if greedy else "solid"),
                        hovertemplate=f"{name}<br>%{{x}}: BLEU %{{y:.2f}}<br>%{{customdata}} "
                        + _("sentences", lang)
                        + "<extra></extra>",
                    ),
                    row=row,
                    col=1,
                )
    layout(fig, _("figure3", lang), "", "", 760, legend_itemwidth=30)  # a shorter line sample: more per row
    # Each panel says what it is by on its x axis (titles above the panels collided with the legend).
    for row, xtitle in enumerate((_("source_tokens", lang), _("average_rank", lang)), 1):
        # Wrapped: on a phone the rank axis's one-line title ran past the figure's right edge.
        fig.update_xaxes(title_text=wrap(xtitle, 30), type="category", row=row, col=1)
        fig.update_yaxes(title_text="BLEU", rangemode="tozero", row=row, col=1)
    return fig


def model_name(entry: dict, lang: str = "en") -> tuple[str, str]:
    """The model's direction ("en→zh") and a short name of which model it is ("shipped", "small", "attention")."""
    path = entry.get("model", "").rstrip("/")
    kind = path.rsplit("/", 1)[-1]
    direction = entry.get("direction") or ""
    if path.startswith("assets/models/"):
        kind = _("model_shipped", lang)
    elif kind == "base":
        kind = _("model_small", lang)
    elif kind == "attention":
        kind = _("model_attention", lang)
    return label(direction.replace("-", "→") or "?"), label(kind or "?")
