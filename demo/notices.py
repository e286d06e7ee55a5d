"""The notices shown beside a result, derived in one place for every tab and the API.

A notice is a message key (see demo/locales): what checking the input found (`Request.notices`), and
what reading it found (truncated, unknown words, normalised).
"""

from __future__ import annotations

from typing import Protocol

from seq2seq.diagnosis import RARE_BELOW
from seq2seq.vocabulary import UNK_ID

from .i18n import message
from .validate import Request


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
    if getattr(result, "other_script", None):
        keys.append("notice_other_script")
    if getattr(result, "converted", False):
        keys.append("notice_converted")
    diagnosis = getattr(result, "diagnosis", None)
    if diagnosis is not None:
        keys += [key for key, found in _DIAGNOSES.items() if getattr(diagnosis, found)]
    return keys


_DIAGNOSES = {"notice_rare": "rare", "notice_long": "length", "notice_uncertain": "uncertain"}


def notice_text(key: str, result: Read | None, lang: str) -> str:
    """One notice as text, with what it is about (the unknown words, the normalised input, the numbers)."""
    diagnosis = getattr(result, "diagnosis", None)
    if key == "notice_unknown" and result is not None:
        return message(key, lang) + " ".join(result.unknown)
    if key == "notice_other_script" and result is not None:
        return message(key, lang) + " · ".join(result.other_script)
    if key == "notice_converted" and result is not None:
        return message(key, lang) + getattr(result, "source", "")
    if key == "notice_rare" and diagnosis is not None:
        counted = zip(diagnosis.tokens, diagnosis.token_counts)
        return message(key, lang, n=RARE_BELOW) + ", ".join(f"{t} ×{n}" for t, n in counted if t in diagnosis.rare)
    if key == "notice_long" and diagnosis is not None and diagnosis.length is not None:
        limit = diagnosis.length
        by_length = " · ".join(f"{bucket}: {bleu:.1f}" for bucket, bleu in limit.by_length.items())
        return message(key, lang, tokens=len(diagnosis.tokens), by_length=by_length, limit=limit.tokens)
    if key == "notice_uncertain" and diagnosis is not None:
        steps = [
            f"t={s.t} {s.chosen} ← " + " / ".join(f"{token} {p:.2f}" for token, p in s.candidates)
            for s in diagnosis.uncertain
        ]
        return message(key, lang) + "; ".join(steps)
    return message(key, lang)


def notices(request: Request, result: Read | None, lang: str = "en") -> list[str]:
    """Every notice of the request and its result, filled in: what the page shows, the API answers and an
    export holds (never a bare message with its placeholders)."""
    return [notice_text(key, result, lang) for key in notice_keys(request, result)]


def notice_lines(request: Request, result: Read | None, lang: str, field: str = "") -> list[str]:
    """Every notice of the request and its result as a bullet line, prefixed by a field's label if given."""
    prefix = f"{message(field, lang)}: " if field else ""
    return ["• " + prefix + text for text in notices(request, result, lang)]
