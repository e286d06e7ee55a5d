"""The running app answers a real HTTP client on its named /translate endpoint."""

from __future__ import annotations

import pytest
from gradio_client import Client

from app_server import running_app

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def client():
    with running_app() as url:
        yield Client(url, verbose=False)


def test_translate_endpoint_returns_translation_and_trace(client):
    translation, data = client.predict("Welcome to Beijing.", api_name="/translate")
    assert translation and " " not in translation
    trace = data["trace"]
    assert data["direction"] == "en-zh"
    assert trace["src_tokens"][-1] == "." and trace["read_tokens"][-1] == "<eos>"
    assert len(trace["context_h"]) == len(trace["context_c"]) >= 1
    assert all(len(step["top_k"]) == 10 for step in trace["steps"])


def test_translate_endpoint_options(client):
    translation, data = client.predict("欢迎来北京。", "zh-en", 5, 3, 0, api_name="/translate")
    assert translation[:1].isupper()
    assert data["trace"]["beam_size"] == 5 and data["trace"]["beam_tree"] and data["trace"]["n_best"]
    assert all(len(step["top_k"]) == 3 for step in data["trace"]["steps"])


@pytest.mark.parametrize(
    "text",
    ["", "   ", "x" * 10_000, "😀🎉", "\x07\x1b[31m", "<script>alert('x')</script>", "I love 北京", "12345", "Qwzx."],
)
def test_bad_input_never_breaks_the_endpoint(client, text):
    translation, data = client.predict(text, api_name="/translate")
    assert isinstance(translation, str)
    assert ("error" in data) == (translation == "")
