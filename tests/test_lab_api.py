"""The Context lab's place in the Blocks and its six named endpoints, over HTTP with a real client."""

from __future__ import annotations

import re

import pytest
from gradio_client import Client

from demo import service
from demo.i18n import message

from app_server import running_app

pytestmark = pytest.mark.server

SENTENCE = "I think we should leave before it starts to rain."  # ten words


def test_the_tab_sits_between_translate_and_experiments_and_names_six_endpoints():
    from app import demo

    config = demo.get_config_file()
    public = {d["api_name"] for d in config["dependencies"] if d.get("api_visibility") != "private"}
    assert {"surgery", "interpolate", "occlude", "reference", "round_trip", "neighbours", "translate"} <= public
    tabs = [str(c["props"].get("label")) for c in config["components"] if c.get("type") == "tabitem"]
    labels = [re.search(r'"key": "(\w+)"', label)[1] for label in tabs]  # labels are gr.I18n keys
    assert labels.index("lab_tab") == labels.index("tab_translate") + 1 == labels.index("tab_experiments") - 1


@pytest.fixture(scope="module")
def client():
    with running_app() as url:
        yield Client(url, verbose=False)


def test_surgery_endpoint(client):
    data = client.predict(SENTENCE, "auto", "c", "all", "0-191", "zero", 1.0, 0, api_name="/surgery")
    assert data["direction"] == "en-zh" and data["selected"] == 384
    assert len(data["steps"]) == len(data["original"]["trace"]["steps"])
    same = client.predict(SENTENCE, units="none", api_name="/surgery")
    assert same["altered_text"] == same["original"]["text"] and all(s["kl"] == 0.0 for s in same["steps"])


def test_interpolate_endpoint(client):
    data = client.predict("I like tea.", "I like coffee.", "auto", [0, 0.5, 1], api_name="/interpolate")
    assert [p["alpha"] for p in data["points"]] == [0, 0.5, 1]
    assert data["points"][0]["text"] == data["a"]["text"] and data["points"][-1]["text"] == data["b"]["text"]


def test_occlude_reference_round_trip_and_neighbours_endpoints(client):
    occluded = client.predict("我爱你。", "auto", "unk", api_name="/occlude")
    assert occluded["direction"] == "zh-en" and len(occluded["occluded"]) == len(occluded["tokens"]) == 4
    scored = client.predict("我爱你。", "I love you.", api_name="/reference")
    assert scored["reference_tokens"] == ["i", "love", "you", "."]
    assert scored["bleu"] == pytest.approx(100) and scored["divergence"] is None  # the model's own translation
    trip = client.predict("Welcome to Beijing.", api_name="/round_trip")
    assert trip["forward"]["text"] and trip["back"]["text"] and -1 <= trip["cosine"] <= 1
    near = client.predict("Welcome to Beijing.", "auto", 3, api_name="/neighbours")
    assert len(near["neighbours"]) == 3 and near["translation"]


@pytest.mark.parametrize(
    "text, key",
    [
        ("", "error_empty"),
        ("   ", "error_empty"),
        ("😀🎉", "error_no_words"),
        ("\x07\x1b[31m", None),
        ("x" * 10_000, None),
        ("<script>alert('x')</script>", None),
    ],
)
def test_endpoints_answer_bad_input_with_data(client, text, key):
    """Input nothing can be read from gets its message; anything else a best-effort answer with notices."""
    for name, args, result_field in (
        ("/surgery", (text,), "steps"),
        ("/interpolate", (text, text), "points"),
        ("/occlude", (text,), "occluded"),
        ("/reference", (text, text), "steps"),
        ("/round_trip", (text,), "forward"),
        ("/neighbours", (text,), "neighbours"),
    ):
        data = client.predict(*args, api_name=name)
        if key is not None:
            assert data == {"error": message(key), "error_key": key}, name
        else:
            assert "error" not in data and data["direction"] in service.DIRECTIONS, name
            assert isinstance(data["notices"], list) and result_field in data, name
            if len(text) > service.MAX_INPUT_CHARS and name != "/reference":
                assert message("notice_truncated") in data["notices"], name
