"""Hostile but plausible values through the running app, as raw HTTP (gradio_client refuses to send NaN or a
lone surrogate itself): through the named endpoints, and through the queue protocol the page uses to every
event, public or private. Every answer is data or a clear one-line message, never an exception event with
a null message or a dropped connection, and the server still translates afterwards."""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.request
import uuid

import pytest

from demo.i18n import message
from demo.load import Answer, fn_indices, queue_call

from app_server import call_api as call
from app_server import running_app

pytestmark = pytest.mark.server

HOSTILE = [
    "",
    " ",
    "\ud800",
    "a\udfffb" * 3000,
    "\x00",
    "x" * 20_000,
    "<script>alert(1)</script>",
    math.nan,
    math.inf,
    -math.inf,
    -1,
    0,
    10**7,
    2**63,
    "abc",
    None,
    [1, 2],
    {"a": 1},
    True,
    1e308,
]  # fmt: skip  (one list of values, as the issue lists them)
MESSAGE_CHARS = 400  # a message echoes at most an excerpt of what was sent
ENDPOINTS = {  # name → arguments that work; each is replaced by each hostile value in turn
    "translate": ["I like tea.", "auto", 5, 10, 0],
    "surgery": ["I like tea.", "auto", "both", "all", "all", "zero", 1.0, 0],
    "interpolate": ["I like tea.", "I like coffee.", "auto", [0, 0.5, 1]],
    "occlude": ["I like tea.", "auto", "drop"],
    "reference": ["我爱你。", "I love you.", "auto"],
    "round_trip": ["I like tea.", "auto"],
    "neighbours": ["I like tea.", "auto", 8],
}


@pytest.fixture(scope="module")
def url():
    with running_app() as address:
        yield address


def well_formed(name: str, answer: object) -> bool:
    """Data of the endpoint's shape, or {"error": a short message, "error_key": key}."""
    (data,) = answer
    if name == "translate":
        text, data = data
        if not (isinstance(text, str) and isinstance(data, dict) and ("error_key" in data or "trace" in data)):
            return False
    elif not (isinstance(data, dict) and (set(data) == {"error", "error_key"} or "direction" in data)):
        return False
    error = data.get("error", "-")
    return isinstance(error, str) and 0 < len(error) <= MESSAGE_CHARS


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_parameter_survives_every_hostile_value(url, name):
    failures = []
    for position in range(len(ENDPOINTS[name])):
        for value in HOSTILE:
            arguments = list(ENDPOINTS[name])
            arguments[position] = value
            event, answer = call(url, name, arguments)
            if event != "complete" or not well_formed(name, answer):
                failures.append((position, repr(value)[:30], event, str(answer)[:120]))
    assert failures == []
    event, answer = call(url, "translate", ["I like tea.", "auto", 5, 10, 0])
    text, data = answer[0]
    assert event == "complete" and text and "error" not in data


# ---------------------------------------------------------------- the queue protocol the page uses, every event

QUEUE_HOSTILE = ["\ud800", "a\udfffb", "x" * 100_000, math.nan, "abc", None, [1, 2], {"a": 1}, True, 2**63]


def page_defaults(url: str) -> dict[int, tuple[str, list]]:
    """Every event with a Python function → (its name, its inputs' values as the page opens)."""
    config = json.loads(urllib.request.urlopen(f"{url}config", timeout=30).read())
    values = {c["id"]: c.get("props", {}).get("value") for c in config["components"]}
    kinds = {c["id"]: c.get("type") for c in config["components"]}
    events = {}
    for dependency in config["dependencies"]:
        if not dependency.get("backend_fn", True):
            continue
        inputs = [0 if kinds.get(i) == "dataset" else values.get(i) for i in dependency["inputs"]]
        events[dependency["id"]] = (dependency.get("api_name") or str(dependency["id"]), inputs)
    return events


def trouble(answer: Answer) -> str | None:
    """What is wrong with an answer: a dropped connection, a null or overlong message, an internal error."""
    if answer.status != 200:
        detail = answer.detail
        if answer.status >= 500 or not isinstance(detail, str) or not detail or len(detail) > MESSAGE_CHARS:
            return f"refused {answer.status}: {str(detail)[:80]}"
        return None
    if answer.dropped:
        return f"dropped: {answer.dropped[:80]}"
    if not answer.success:
        error = (answer.output or {}).get("error") if isinstance(answer.output, dict) else None
        if not isinstance(error, str) or not error or len(error) > MESSAGE_CHARS:
            return f"error event, message {str(error)[:60]!r}"
    return None


def test_every_event_public_or_private_survives_hostile_values_through_the_queue(url):
    """What a browser (or anyone speaking its protocol) can send to any event, by fn_index: each value is a
    result or a clear one-line refusal; never a null message, never a dropped connection."""
    failures, refused, answered = [], 0, 0
    for fn_index, (name, defaults) in page_defaults(url).items():
        session = uuid.uuid4().hex
        for position in range(len(defaults)):
            for value in QUEUE_HOSTILE:
                arguments = list(defaults)
                arguments[position] = value
                answer = queue_call(url, fn_index, arguments, session, timeout=120)
                refused, answered = refused + (answer.status != 200), answered + (answer.status == 200)
                if (problem := trouble(answer)) is not None:
                    failures.append((name, position, repr(value)[:20], problem))
    assert failures == []
    assert refused and answered  # both paths were taken
    index = fn_indices(url)
    answer = queue_call(url, index["translate_page"], ["I like tea.", "auto", 5, 10, 0])
    assert answer.success and answer.output["data"][0]


def test_page_events_are_not_the_api_and_missing_values_are_named(url):
    status, detail = post_call(url, "translate_page", ["I like tea.", "auto", 5, 10, 0])
    assert status == 404 and detail == message("error_not_api")
    for name in ENDPOINTS:
        status, detail = post_call(url, name, [])
        assert status == 400 and detail == message("error_missing", got=0, expected=1 + (name in TWO_TEXTS))
    index = fn_indices(url)
    answer = queue_call(url, index["show_occlusion"], ["I like tea.", "auto"])
    assert answer.status == 400 and answer.detail == message("error_missing", got=2, expected=3)


def test_a_lone_surrogate_in_a_choice_comes_back_as_a_clear_message(url):
    index = fn_indices(url)
    answer = queue_call(url, index["compare"], ["I like tea.", "auto", 5, "\ud800", "shipped"])
    assert answer.status == 400 and "\ufffd" in answer.detail and answer.detail.startswith(message("compare_a"))
    answer = queue_call(url, index["occlude"], ["I like tea.", "auto", "\ud800" * 500])
    error = answer.output["data"][0]["error"]
    assert answer.success and error.startswith(message("lab_mode")) and len(error) < 200 and "\ufffd" in error


TWO_TEXTS = ("interpolate", "reference")


def post_call(url: str, name: str, data: list) -> tuple[int, object]:
    """POST /gradio_api/call/NAME: (status, event id or the refusal's detail)."""
    body = json.dumps({"data": data}).encode("ascii")
    request = urllib.request.Request(f"{url}gradio_api/call/{name}", body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())["event_id"]
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()).get("detail")
