"""Figures of the Translate tab behind "all units": every unit of the encoder states and decoder outputs.

Pure functions of a `seq2seq.trace.Trace`; no Gradio, no torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import figure_text as _
from ..plotting import (
    empty_figure,
    go,
    heatmap,
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
