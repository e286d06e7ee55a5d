"""Text normalisation, tokenisation and detokenisation for English and Chinese.

Everything a sentence goes through before it becomes ids, and after ids become a
sentence again, lives here, so that training data and what a user types take the
same path.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from functools import lru_cache

LANGUAGES = ("en", "zh")

# Full-width forms of the ASCII punctuation that NFKC folds; put back on the
# Chinese side so that Chinese text keeps its usual punctuation.
_ZH_PUNCTUATION = str.maketrans({",": "，", "?": "？", "!": "！", ":": "：", ";": "；"})
_ASCII_PUNCT_NOT_IN_NUMBER = re.compile(r"(?<!\d)[,?!:;]|[,?!:;](?!\d)")
_CJK_RANGE = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"  # CJK unified ideographs, their extensions and compatibility forms
_CJK = re.compile(f"[{_CJK_RANGE}]")
# A unit is one CJK character or one run of other letters (a word).
_SCRIPT_UNITS = re.compile(f"[{_CJK_RANGE}]|[^\\W\\d_{_CJK_RANGE}]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
# What cannot be seen: whitespace, control characters and format characters (zero-width space and
# joiners, direction marks, the byte-order mark, the soft hyphen …): the Unicode categories of
# everything `_CONTROL` and `str.split` remove, and the rest of them.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
# Character units: one token per CJK character or punctuation mark, but keep
# runs of Latin letters and digits whole ("Tom", "2013").
_CHAR_UNITS = re.compile(r"[A-Za-z0-9]+(?:[.'][A-Za-z0-9]+)*|\S")


@dataclass
class TextConfig:
    """How one translation direction turns text into tokens (saved as text.json)."""

    src_lang: str  # "en" or "zh"
    tgt_lang: str
    zh_units: str = "char"  # "char": one token per character; "word": jieba words
    en_lowercase: bool = False  # lowercase English; output is truecased back
    target_token: bool = False  # multi-task model: the source starts with <2zh> or <2en>

    def __post_init__(self) -> None:
        if {self.src_lang, self.tgt_lang} != set(LANGUAGES):
            raise ValueError(f"direction must be en-zh or zh-en, got {self.src_lang}-{self.tgt_lang}")
        if self.zh_units not in ("char", "word"):
            raise ValueError(f"zh_units must be 'char' or 'word', got {self.zh_units!r}")

    @property
    def direction(self) -> str:
        return f"{self.src_lang}-{self.tgt_lang}"

    @property
    def target_tag(self) -> str:
        """The token that asks a multi-task model for this target language."""
        return target_tag(self.tgt_lang)

    def to_dict(self) -> dict:
        return asdict(self)


def target_tag(lang: str) -> str:
    return f"<2{lang}>"


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _jieba():
    """jieba, quiet: its dictionary loads on first use (about a second) and it logs that to stderr."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def _en_tokenizer():
    from nltk.tokenize import NLTKWordTokenizer

    return NLTKWordTokenizer()


@lru_cache(maxsize=1)
def _en_detokenizer():
    from nltk.tokenize.treebank import TreebankWordDetokenizer

    return TreebankWordDetokenizer()


def strip_bom(line: str) -> str:
    return line[1:] if line.startswith("\ufeff") else line


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese with OpenCC (other characters untouched)."""
    return _t2s().convert(text)


def normalize(text: str, lang: str) -> str:
    """NFKC, no control characters, single spaces; Chinese also to Simplified."""
    text = unicodedata.normalize("NFKC", strip_bom(text))
    text = _CONTROL.sub(" ", text)
    text = " ".join(text.split())
    if lang == "zh":
        text = to_simplified(text)
        text = _ASCII_PUNCT_NOT_IN_NUMBER.sub(lambda m: m.group(0).translate(_ZH_PUNCTUATION), text)
    return text


def has_visible(text: str) -> bool:
    """Whether `text` has a character that shows: False for "", whitespace, NUL and other control
    characters, and zero-width characters such as U+200B-U+200D and U+FEFF. Text that `normalize`
    empties has none; so does text left with only, say, a soft hyphen."""
    return any(unicodedata.category(ch) not in _INVISIBLE_CATEGORIES for ch in text)


def cjk_share(text: str) -> float:
    """Share of CJK characters among the units of `text`, a unit being a CJK
    character or a word of other letters (0 when there are none).

    Counting a Latin word, not each of its letters, against a Chinese character
    keeps mixed input fair: "我爱 New York" is half Chinese.
    """
    units = _SCRIPT_UNITS.findall(text)
    if not units:
        return 0.0
    return sum(1 for unit in units if _CJK.match(unit)) / len(units)


def detect_language(text: str, threshold: float = 0.5) -> str:
    """'zh' when more than `threshold` of the units are CJK characters, else 'en'; at exactly
    `threshold` the script the sentence starts in decides ("I love 北京" is English with a Chinese
    name in it, "我爱 New York" Chinese with an English one)."""
    share = cjk_share(text)
    if share != threshold:
        return "zh" if share > threshold else "en"
    first = _SCRIPT_UNITS.search(text)
    return "zh" if first is not None and _CJK.match(first.group()) else "en"


_CJK_RUN = re.compile(f"[{_CJK_RANGE}]+")
_LATIN_RUN = re.compile(r"[A-Za-z]+(?:['’\- ]+[A-Za-z]+)*")


def other_script(text: str, lang: str) -> list[str]:
    """The runs of `text` written in the other language's script: Chinese characters in an English
    sentence, Latin words in a Chinese one, in order."""
    return (_CJK_RUN if lang == "en" else _LATIN_RUN).findall(text)


def tokenize(text: str, lang: str, config: TextConfig) -> list[str]:
    """Text → normalised → tokens, as the model saw them in training."""
    return tokenize_normalized(normalize(text, lang), lang, config)


def tokenize_normalized(text: str, lang: str, config: TextConfig) -> list[str]:
    """Tokens of text that `normalize` has already been through."""
    if lang == "en":
        tokens = _en_tokenizer().tokenize(text)
        return [t.lower() for t in tokens] if config.en_lowercase else tokens
    if config.zh_units == "word":
        return [w for w in _jieba().lcut(text) if w.strip()]
    return _CHAR_UNITS.findall(text)


def detokenize(tokens: list[str], lang: str, truecase: dict[str, str] | None = None) -> str:
    """Tokens → a sentence: Chinese joined without spaces, English detokenised."""
    if lang == "zh":
        out = ""
        for token in tokens:
            # Keep a space only between two Latin words ("Tom Jackson").
            if out and out[-1].isascii() and out[-1].isalnum() and token[:1].isascii() and token[:1].isalnum():
                out += " "
            out += token
        return out
    if truecase is not None:
        tokens = apply_truecase(tokens, truecase)
    return _en_detokenizer().detokenize(tokens)


def build_truecase(sentences: list[list[str]]) -> dict[str, str]:
    """Most frequent spelling of each lowercased word, counted away from sentence starts."""
    counts: dict[str, dict[str, int]] = {}
    for tokens in sentences:
        for token in tokens[1:]:
            forms = counts.setdefault(token.lower(), {})
            forms[token] = forms.get(token, 0) + 1
    return {low: max(forms, key=forms.get) for low, forms in counts.items() if max(forms, key=forms.get) != low}


def apply_truecase(tokens: list[str], truecase: dict[str, str]) -> list[str]:
    """Restore casing of lowercased English tokens; capitalise the first word."""
    out = [truecase.get(t, t) for t in tokens]
    if out:
        out[0] = out[0][:1].upper() + out[0][1:]
    return out
