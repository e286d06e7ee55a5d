"""Figures of the Model tab: training curves."""

from __future__ import annotations

from ..i18n import figure_text as _
from ..plotting import empty_figure, go, layout, line, right_axis


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
            fig.add_trace(line([row["epoch"] for row in rows], [row[key] for row in rows], name, axis, colour))
    return layout(
        fig,
        _("training", lang),
        _("epoch", lang),
        _("cross_entropy", lang),
        hovermode="x unified",
        yaxis2=right_axis("BLEU"),
    )
