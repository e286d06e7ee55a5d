"""Every value that reaches the app from a page event or the API, checked at the edge: the one place
where input is checked and where its limits are stated.

A page sends what its widgets hold, but the API takes anything JSON can carry: NaN, infinities, 2**63,
"abc", null, lists, booleans. Each check returns the value in its type and range, or raises
`InputError` with a message key, the field's label key and the allowed range, which `explain` turns
into one translated line. Nothing here raises anything else.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from seq2seq.text import detect_language

from .i18n import message, strings

DIRECTIONS = ("en-zh", "zh-en")
DIRECTION_CHOICES = ("auto", *DIRECTIONS)
DECODINGS = ("greedy", "beam")
MAX_INPUT_CHARS = 1000  # longer input is cut before tokenising (the model reads ≤ 100 tokens anyway)
MAX_BEAM = 12  # the one beam limit: the page's slider, the API and every view that decodes
MAX_TOP_K = 20
MAX_STEPS = 200  # the step cap a user may set (`search.max_output_length` caps at 200 too)


class InputError(ValueError):
    """Input the app cannot use: a message key (see demo/locales), the label key of the field it came
    from (or ''), and values for the message's placeholders."""

    def __init__(self, key: str, field: str = "", **values: object):
        super().__init__(key)
        self.key, self.field, self.values = key, field, values


EXCERPT_CHARS = 60  # the most of a value a message echoes


def safe_text(text: str) -> str:
    """`text` with every lone UTF-16 surrogate (which no UTF-8 answer can carry) replaced by U+FFFD."""
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    return text


def safe_data(value: object) -> object:
    """A JSON value with `safe_text` applied to every string in it, keys included."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list):
        return [safe_data(item) for item in value]
    if isinstance(value, dict):
        return {safe_data(key): safe_data(item) for key, item in value.items()}
    return value


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """What a message may echo of a value: its text, safe to encode, cut to `limit` characters."""
    text = safe_text(value if isinstance(value, str) else repr(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def explain(error: InputError, lang: str = "en") -> str:
    """The message of an InputError, prefixed by its field's label when it came from one field: the one
    function every error message goes through, so every value it echoes is an `excerpt`."""
    text = message(error.key, lang)
    values = {key: excerpt(v) if isinstance(v, str) else v for key, v in error.values.items()}
    try:
        text = text.format(**values)
    except (KeyError, IndexError, ValueError):  # a message without those placeholders is shown as it is
        pass
    label = message(error.field, lang) if error.field in strings(lang) or error.field in strings("en") else error.field
    return f"{label}: {text}" if error.field else text


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
        raise InputError(key, field, value=excerpt(value), allowed=excerpt(", ".join(allowed), 200))
    return value


@dataclass(frozen=True)
class Settings:
    """The decoding settings of a request, checked once (`settings`) and passed down."""

    beam_size: int = 5  # the beam width, the one decoding control: 1 is greedy, more is beam search
    top_k: int = 10  # candidates kept per step
    max_length: int | None = None  # None: tied to the source length


def settings(beam_size: object = 5, top_k: object = 10, max_length: object = 0, decoding: object = None) -> Settings:
    """Check the settings as they came (the API takes any JSON). The beam width alone says how to decode;
    `decoding` ("greedy" or "beam") is for the Context lab's export radio, where "greedy" means width 1."""
    beam = integer(beam_size, "beam_width", 1, MAX_BEAM)
    if decoding is not None and choice(decoding, "decoding", DECODINGS) == "greedy":
        beam = 1
    top = integer(top_k, "top_k", 1, MAX_TOP_K)
    cap = integer(max_length, "max_length", 0, MAX_STEPS)
    return Settings(beam, top, cap or None)


@dataclass
class Request:
    text: str  # cleaned input, at most MAX_INPUT_CHARS characters
    direction: str
    detected: bool  # True when the direction came from the text, not from the user
    notices: list[str] = field(default_factory=list)  # message keys to show beside the result


def clean_text(value: object) -> str:
    """What was typed or sent, as text: None is empty; a lone UTF-16 surrogate (which no UTF-8 answer
    can carry) becomes U+FFFD; anything that is not text is an InputError."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError("error_not_text")
    return safe_text(value)


def prepare(text: object, direction: object = "auto", field: str = "", limit: int = MAX_INPUT_CHARS) -> Request:
    """Check and route a sentence, cut to `limit` characters; `field`: the label key its errors name when
    the box is not the main one."""
    try:
        return _prepare(text, direction, limit)
    except InputError as error:
        raise InputError(error.key, error.field or field, **error.values) from None


def _prepare(text: object, direction: object, limit: int) -> Request:
    if direction not in DIRECTION_CHOICES:  # also catches a list, a number or None
        raise InputError("error_direction", "direction", allowed=", ".join(DIRECTION_CHOICES))
    text = clean_text(text)
    text = "".join(ch if unicodedata.category(ch) != "Cc" or ch in "\t\n" else " " for ch in text)
    text = " ".join(text.split())
    if not text:
        raise InputError("error_empty")
    notices = []
    if len(text) > limit:
        text = text[:limit]
        notices.append("notice_truncated")
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        raise InputError("error_no_words")
    detected = direction not in DIRECTIONS
    if detected:
        direction = "zh-en" if detect_language(text) == "zh" else "en-zh"
    elif detect_language(text) != direction[:2]:
        notices.append("notice_language_mismatch")
    return Request(text, str(direction), detected, notices)


# The Context lab's fields: unit and layer lists, amounts, seeds, blends.
PARTS = {"both": ("h", "c"), "h": ("h",), "c": ("c",)}
ALPHAS = [i / 10 for i in range(11)]  # the interpolation's sweep; the slider's α joins it
MAX_ALPHAS = 41  # an API call may ask for more points than the slider's sweep, up to this many
ALPHA_RANGE = (-1.0, 2.0)  # a little extrapolation beyond A and B is allowed, not more
MAX_NEIGHBOURS = 50
# A lab sentence longer than this is cut (with the truncation notice): the lab's examples are a line long,
# and the probes' work and answers grow with the sentence (occlusion: one decoding per source token).
MAX_LAB_CHARS = 240
MAX_SPEC_CHARS = 300  # a unit or layer list longer than this is no list
MAX_AMOUNT = 100.0  # |amount| of a surgery: beyond it a scaled context overflows into nonsense


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
        raise InputError(key, max=first + size - 1) from None


def option(value: object, allowed: Sequence[str], field: str) -> str:
    return choice(value, field, allowed, "lab_error_option")


def finite(value: object, field: str) -> float:
    """Any finite number (the lab's fields have no range of their own)."""
    try:
        result = float(value if value is not None and not isinstance(value, bool) else "nan")  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        result = math.nan
    if not math.isfinite(result):
        raise InputError("lab_error_number", field)
    return result


def amount(value: object) -> float:
    """A surgery's amount: a context scaled by 1e308 overflows, so an error, not nulls."""
    result = finite(value, "lab_amount")
    if abs(result) > MAX_AMOUNT:
        raise InputError("error_range", "lab_amount", low=-MAX_AMOUNT, high=MAX_AMOUNT)
    return result


def seed(value: object) -> int:
    """Any whole number works as a seed; torch wants it in 0 … 2**63-1."""
    return int(finite(value if value is not None else 0, "lab_seed")) % 2**63


def alphas(values: object) -> list[float] | None:
    if values is None:
        return None
    if not isinstance(values, (list, tuple)) or not 1 <= len(values) <= MAX_ALPHAS:
        raise InputError("lab_error_option", "lab_alpha", value=excerpt(values), allowed=f"1 … {MAX_ALPHAS} α")
    checked = [finite(a, "lab_alpha") for a in values]
    low, high = ALPHA_RANGE
    if not all(low <= a <= high for a in checked):
        raise InputError("lab_error_option", "lab_alpha", value=excerpt(values), allowed=f"{low:g} … {high:g}")
    return checked


# What a page widget sends with an event, checked before Gradio reads it (`fairness.admit`): Gradio's own
# reading fails on a value of the wrong kind with an error whose message is null.
WIDGET_KINDS = ("text", "number", "choice", "flag", "index")


@dataclass(frozen=True)
class Widget:
    """One input of a page event: its kind (WIDGET_KINDS), the label key its errors name, and its bounds
    (number: low … high; index: 0 … high; text: at most `high` characters; choice: one of `choices`,
    which an empty tuple leaves open, for lists a handler fills); `optional`: whether it may send None."""

    kind: str
    field: str = ""
    low: float = 0.0
    high: float = 0.0
    choices: tuple = ()
    optional: bool = True


def widget_value(widget: Widget, value: object) -> None:
    """Raise InputError unless `value` is what `widget` can send (None: an empty widget, if it can be)."""
    if value is None and widget.optional:
        return
    if value is None:
        raise InputError("error_kind", widget.field, value="null")
    if widget.kind == "number":
        number(value, widget.field, widget.low, widget.high)
    elif widget.kind == "index":
        integer(value, widget.field, 0, int(widget.high))
    elif widget.kind == "flag" and not isinstance(value, bool):
        raise InputError("error_kind", widget.field, value=excerpt(value))
    elif widget.kind == "text" and not (isinstance(value, str) and len(value) <= widget.high):
        raise InputError("error_text", widget.field, high=widget.high)
    elif widget.kind == "choice":
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise InputError("error_kind", widget.field, value=excerpt(value))
        if widget.choices and value not in widget.choices:
            allowed = ", ".join(str(c) for c in widget.choices)
            raise InputError("error_choice", widget.field, value=excerpt(value), allowed=excerpt(allowed, 200))
