"""The notices shown beside a result, derived in one place for every tab and the API.

A notice is a message key (see demo/locales): what checking the input found (`Request.notices`), and
what reading it found (truncated, unknown words, normalised).
"""

from __future__ import annotations

from typing import Protocol

from seq2seq.vocabulary import UNK_ID

from .i18n import message
from .service import Request


class Read(Protocol):
    """What a result says about how its input was read (`Translation`, `analysis.Placement`)."""

    truncated: bool
    unknown: list[str]


def notice_keys(request: Request, result: Read | None = None) -> list[str]:
    """The request's notice keys, then those its result calls for."""
    keys = list(request.notices)
    if result is None:
        return keys
    if result.truncated and "notice_truncated" not in keys:
        keys.append("notice_truncated")
    trace = getattr(result, "trace", None)
    if trace is not None and trace.src_ids and all(i == UNK_ID for i in trace.src_ids):
        keys.append("notice_all_unknown")
    elif result.unknown:
        keys.append("notice_unknown")
    if getattr(result, "converted", False):
        keys.append("notice_converted")
    return keys


def notice_text(key: str, result: Read | None, lang: str) -> str:
    """One notice as text, with what it is about (the unknown words, the normalised input)."""
    text = message(key, lang)
    if key == "notice_unknown" and result is not None:
        text += " ".join(result.unknown)
    elif key == "notice_converted" and result is not None:
        text += getattr(result, "source", "")
    return text


def notice_lines(request: Request, result: Read | None, lang: str, field: str = "") -> list[str]:
    """Every notice of the request and its result as a bullet line, prefixed by a field's label if given."""
    prefix = f"{message(field, lang)}: " if field else ""
    return ["• " + prefix + notice_text(key, result, lang) for key in notice_keys(request, result)]
