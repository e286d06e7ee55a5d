"""Every value that reaches the app from a page event or the API, checked at the edge.

A page sends what its widgets hold, but the API takes anything JSON can carry: NaN, infinities, 2**63,
"abc", null, lists, booleans. Each check returns the value in its type and range, or raises
`service.InputError` with a message key, the field's label key and the allowed range, which `explain`
turns into one translated line. Nothing here raises anything else.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .i18n import message
from .service import InputError


def explain(error: InputError, lang: str = "en") -> str:
    """The message of an InputError, prefixed by its field's label when it came from one field."""
    text = message(error.key, lang)
    try:
        text = text.format(**error.values)
    except (KeyError, IndexError, ValueError):  # a message without those placeholders is shown as it is
        pass
    return f"{message(error.field, lang)}: {text}" if error.field else text


def number(value: object, field: str, low: float, high: float) -> float:
    """A finite number in [low, high]: an int, a float or a numeric string, not a bool."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InputError("error_number", field, low=low, high=high)
    try:
        result = float(value)
    except (ValueError, OverflowError):
        raise InputError("error_number", field, low=low, high=high) from None
    if not math.isfinite(result) or not low <= result <= high:
        raise InputError("error_range", field, low=low, high=high)
    return result


def integer(value: object, field: str, low: int, high: int) -> int:
    """A whole number in [low, high] (5.0 is 5; 5.5 is refused)."""
    result = number(value, field, low, high)
    if result != int(result):
        raise InputError("error_whole", field, low=low, high=high)
    return int(result)


def choice(value: object, field: str, allowed: Sequence[str], key: str = "error_choice") -> str:
    """One of `allowed` (`key`: the message, whose placeholders are {value} and {allowed})."""
    if not isinstance(value, str) or value not in allowed:
        raise InputError(key, field, value=str(value)[:40], allowed=", ".join(allowed))
    return value
