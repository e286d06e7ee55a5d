"""Every string the app shows, from demo/locales/<lang>.json, and the one `gr.I18n` built from them.

Labels follow the browser's locale through `I18N`; text that a handler writes into a box or a figure
uses `message(key, lang)`. Figure titles, axes and legends are the keys that start with "fig_"
(Plotly text: `<sub>` is markup we write, never user text).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("en", "zh")


@cache
def strings(lang: str) -> dict[str, str]:
    """The locale file of `lang` (English for any language we do not have)."""
    lang = lang if lang in LANGUAGES else "en"
    return json.loads((LOCALES_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def message(key: str, lang: str = "en", **values: object) -> str:
    """The text of `key` in `lang`, with `values` filled in when given."""
    text = strings(lang).get(key) or strings("en")[key]
    return text.format(**values) if values else text


def figure_text(key: str, lang: str = "en", **values: object) -> str:
    """A figure's title, axis or legend text (the locale key "fig_" + key)."""
    return strings(lang if lang in LANGUAGES else "en")["fig_" + key].format(**values)


def direction_label(direction: str, lang: str = "en") -> str:
    """'English → 中文' / '英文 → 中文' for "en-zh"."""
    return message("dir_" + direction.replace("-", "_"), lang)


@cache
def i18n():
    """The app's one `gr.I18n`, holding every string of every locale."""
    import gradio as gr

    return gr.I18n(**{lang: strings(lang) for lang in LANGUAGES})


def language_of(request: object | None) -> str:
    """'zh' for browsers that prefer Chinese, else 'en' (a `gr.Request`; messages follow the labels' locale)."""
    headers = getattr(request, "headers", None) or {}
    header = headers.get("accept-language", "") or ""
    return "zh" if header.strip().lower().startswith("zh") else "en"
