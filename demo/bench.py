"""`python -m demo.bench`: server-side latency of one app request and the app's start-up time, as JSON.

A request is what the Translate button costs the server, without the browser replay:
check the input, decode, build every figure and serialise it to JSON as Gradio does.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

import plotly.graph_objects as go

from . import handlers, service

TEN_WORD_SENTENCES = [
    "I think we should leave before it starts to rain.",
    "My brother wants to buy a new car next year.",
    "She told me that she would come back tomorrow.",
    "We have to finish this work before the weekend.",
    "Tom asked Mary if she wanted to go shopping.",
    "我觉得我们应该在下雨之前离开这里。",
    "我哥哥明年想买一辆新车。",
    "她告诉我她明天会回来的。",
]


def request_seconds(text: str, beam_size: int) -> float:
    start = time.perf_counter()
    outputs = handlers.translate_view(text, "auto", "beam" if beam_size > 1 else "greedy", beam_size, 10, 0, "en")
    for value in outputs:
        if isinstance(value, go.Figure):
            value.to_json()
    return time.perf_counter() - start


def startup_seconds() -> float:
    """Seconds from `python app.py` to the first HTTP 200."""
    sys.path.insert(0, "tests")
    from app_server import running_app

    start = time.perf_counter()
    with running_app():
        return time.perf_counter() - start


def main() -> None:
    for direction in service.DIRECTIONS:
        service.translator(direction)  # loading is start-up work, not request work
    report = {}
    for beam in (1, 5):
        for text in TEN_WORD_SENTENCES[:2]:
            request_seconds(text, beam)  # warm-up
        times = [request_seconds(text, beam) for text in TEN_WORD_SENTENCES for _ in range(3)]
        report[f"beam{beam}_request_ms_median"] = round(statistics.median(times) * 1e3, 1)
        report[f"beam{beam}_request_ms_max"] = round(max(times) * 1e3, 1)
    report["sentences"] = len(TEN_WORD_SENTENCES)
    report["startup_seconds"] = round(startup_seconds(), 2)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
