"""The Context lab's input checks: every field typed or sent through the API, parsed or refused with a
message key (never a stack trace)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

from .. import service, validate

PARTS = {"both": ("h", "c"), "h": ("h",), "c": ("c",)}
ALPHAS = [i / 10 for i in range(11)]  # the interpolation's sweep; the slider's α joins it
MAX_ALPHAS = 41  # an API call may ask for more points than the slider's sweep, up to this many
ALPHA_RANGE = (-1.0, 2.0)  # a little extrapolation beyond A and B is allowed, not more
MAX_NEIGHBOURS = 50
MAX_SPEC_CHARS = 300  # a unit or layer list longer than this is no list


FieldError = service.InputError  # bad input in one field: message key, field label key, values
MAX_AMOUNT = 100.0  # |amount| of a surgery: beyond it a scaled context overflows into nonsense


def prepare(text: str | None, direction: str, field: str = "") -> service.Request:
    try:
        return service.prepare(text, direction)
    except service.InputError as error:
        raise FieldError(error.key, error.field or field, **error.values) from error


def parse_indices(spec: str | None, size: int, first: int = 0) -> list[int] | None:
    """'all' → None (everything); '' or 'none' → [] (nothing); '0-95, 200' → [0, …, 95, 200], 0-based.

    The numbers typed run from `first` to first + size - 1 (layers are counted from 1, as the heatmaps
    label them; units from 0). Full-width digits and Chinese commas are read too; ValueError otherwise.
    """
    if spec is not None and not isinstance(spec, str):
        raise ValueError("not text")
    spec = unicodedata.normalize("NFKC", spec or "").strip().lower()
    if spec in ("all", "*"):
        return None
    if spec in ("", "none"):
        return []
    if len(spec) > MAX_SPEC_CHARS:
        raise ValueError("too long")
    spec = re.sub(r"\s*[-–—~]\s*", "-", spec)
    chosen: set[int] = set()
    for item in filter(None, re.split(r"[,、;\s]+", spec)):
        match = re.fullmatch(r"([0-9]+)(?:-([0-9]+))?", item)
        if not match:
            raise ValueError(item)
        low, high = int(match[1]), int(match[2] or match[1])
        if not first <= low <= high < first + size:
            raise ValueError(item)
        chosen.update(range(low - first, high - first + 1))
    return sorted(chosen)


def indices(spec: str | None, size: int, first: int, key: str) -> list[int] | None:
    try:
        return parse_indices(spec, size, first)
    except ValueError:
        raise FieldError(key, max=first + size - 1) from None


def option(value: str | None, allowed: Sequence[str], field: str) -> str:
    return validate.choice(value, field, allowed, "lab_error_option")


def finite(value: float | int | str | None, field: str) -> float:
    try:
        number = float(value if value is not None and not isinstance(value, bool) else "nan")
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if not math.isfinite(number):
        raise FieldError("lab_error_number", field)
    return number


def parse_seed(value: float | int | None) -> int:
    """Any whole number works as a seed; torch wants it in 0 … 2**63-1."""
    return int(finite(value if value is not None else 0, "lab_seed")) % 2**63


def parse_alphas(alphas: Sequence[float] | None) -> list[float] | None:
    if alphas is None:
        return None
    if not isinstance(alphas, (list, tuple)) or not 1 <= len(alphas) <= MAX_ALPHAS:
        raise FieldError("lab_error_option", "lab_alpha", value=str(alphas)[:40], allowed=f"1 … {MAX_ALPHAS} α")
    values = [finite(a, "lab_alpha") for a in alphas]
    low, high = ALPHA_RANGE
    if not all(low <= a <= high for a in values):
        raise FieldError("lab_error_option", "lab_alpha", value=str(alphas)[:40], allowed=f"{low:g} … {high:g}")
    return values
