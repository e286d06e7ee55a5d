"""The locale files: the same keys in every language, and every key the code asks for exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from demo.i18n import LANGUAGES, direction_label, figure_text, message, strings

DEMO = Path(__file__).resolve().parent.parent / "demo"
# Calls whose first string argument is a locale key (figure modules import figure_text as `_`).
KEY_CALLS = {"T", "message", "box", "table", "sentence", "InputError", "FieldError", "notice_text"}
TWO_KEY_CALLS = {"sentence", "FieldError"}  # (label, placeholder) and (message, field)
FIGURE_CALLS = {"figure_text", "_"}
# Strings that are keys wherever they appear (notices, errors, table headers).
KEY_PREFIXES = ("notice_", "error_", "col_", "lab_error_")
NOT_KEYS = {"error_key"}  # the API's JSON field that carries a message key
# Keys made at run time from a prefix and a value the code holds.
DYNAMIC = ("model_", "extra_", "dir_", "fig_set_", "fig_layer_", "fig_lab_drop", "fig_lab_unk", "canvas_")


def _strings(node: ast.AST | None) -> list[str]:
    """The literal strings an argument can be: "key", or each branch of `"a" if x else "b"`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def _calls() -> list[tuple[str, str, bool]]:
    """(file, key, is a figure key) for every literal key the demo code passes to a key-taking call."""
    found = []
    for path in DEMO.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                arguments = node.args[:2] if func in TWO_KEY_CALLS else node.args[:1]
                keys = [key for argument in arguments for key in _strings(argument)]
                if func in KEY_CALLS:
                    found += [(path.name, key, False) for key in keys if re.fullmatch(r"[a-z][a-z0-9_]*", key)]
                elif func in FIGURE_CALLS:
                    found += [(path.name, key, True) for key in keys]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(KEY_PREFIXES):
                if re.fullmatch(r"[a-z0-9_]+", node.value) and node.value not in NOT_KEYS:
                    found.append((path.name, node.value, False))
    return found


def test_every_locale_has_the_same_keys_and_no_empty_string():
    english = strings("en")
    for lang in LANGUAGES:
        assert strings(lang).keys() == english.keys(), lang
        assert all(value.strip() for value in strings(lang).values()), lang


def test_every_key_the_code_uses_exists():
    missing = [(f, k) for f, k, fig in _calls() if ("fig_" + k if fig else k) not in strings("en")]
    assert missing == []


def test_every_key_in_the_locales_is_used():
    used = {("fig_" + k if fig else k) for _, k, fig in _calls()}
    unused = [k for k in strings("en") if k not in used and not k.startswith(DYNAMIC)]
    assert unused == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_agree_across_languages(lang):
    fields = lambda text: sorted(re.findall(r"\{(\w+)", text))  # noqa: E731
    assert [k for k, v in strings(lang).items() if fields(v) != fields(strings("en")[k])] == []


def test_chinese_locale_is_chinese():
    """What a Chinese-locale user reads: figure text and messages are not the English strings."""
    same = [k for k, v in strings("zh").items() if v == strings("en")[k] and re.search(r"[a-z]{3,}", v)]
    # Model names and technical symbols may stay as they are; sentences may not.
    assert all(len(strings("en")[k].split()) <= 2 for k in same), same
    assert figure_text("unit", "zh") != figure_text("unit", "en")
    assert direction_label("en-zh", "zh") == "英文 → 中文" and message("steps", "zh") == "步"
