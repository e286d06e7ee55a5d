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

from . import service
from .i18n import message
from .lab import handlers as lab_handlers
from .translate import compare, handlers

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
    view = handlers.translate_view(text, "auto", "beam" if beam_size > 1 else "greedy", beam_size, 10, 0, "en")
    for value in view.outputs:
        if isinstance(value, go.Figure):
            value.to_json()
    return time.perf_counter() - start


def compare_seconds(text: str, model_a: str, model_b: str) -> float:
    """The side-by-side view: two models, beam 5, both figures of each serialised."""
    start = time.perf_counter()
    for value in compare.compare(text, "auto", "beam", 5, model_a, model_b, None):
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
    for model_a, model_b in (("reversed", "forward"), ("shipped", "ensemble")):
        compare_seconds(TEN_WORD_SENTENCES[0], model_a, model_b)  # warm-up and loading
        times = [compare_seconds(text, model_a, model_b) for text in TEN_WORD_SENTENCES for _ in range(3)]
        report[f"compare_{model_a}_{model_b}_ms_median"] = round(statistics.median(times) * 1e3, 1)
    report.update(lab_report())
    report["sentences"] = len(TEN_WORD_SENTENCES)
    report["startup_seconds"] = round(startup_seconds(), 2)
    print(json.dumps(report, indent=1))


# ---------------------------------------------------------------- the Context lab (goal: ≤ 500 ms per event)

# TEN_WORD_SENTENCES[i] and TEN_WORD_SENTENCES[5 + i] translate each other, for i < 3: references for each other.
ENGLISH, CHINESE = TEN_WORD_SENTENCES[:3], TEN_WORD_SENTENCES[5:8]
LAB_REFERENCES = dict(zip(ENGLISH + CHINESE, CHINESE + ENGLISH))


def lab_partner(text: str) -> str:
    """The next sentence of the same language in TEN_WORD_SENTENCES: sentence B of the interpolation."""
    same = [s for s in TEN_WORD_SENTENCES if s.isascii() == text.isascii()]
    return same[(same.index(text) + 1) % len(same)]


LAB_EVENTS = {  # each Context lab event as the browser sends it, with the tab's default settings
    "surgery": lambda t: lab_handlers.show_surgery(t, "auto", "c", "all", "0-191", "zero", 0.5, 0, None),
    "interpolation": lambda t: lab_handlers.show_interpolation(t, lab_partner(t), "auto", 0.5, None),
    "occlusion": lambda t: lab_handlers.show_occlusion(t, "auto", "drop", None),
    "reference": lambda t: lab_handlers.show_reference(t, LAB_REFERENCES[t], "auto", None),
    "round_trip": lambda t: lab_handlers.show_round_trip(t, "auto", None),
    "neighbours": lambda t: lab_handlers.show_neighbours(t, "auto", None),
    "export": lambda t: lab_handlers.make_export(t, "auto", "beam", False, None),
}


def lab_seconds(name: str, text: str) -> float:
    """One lab event, its figures serialised (the events return them as the JSON gr.Plot sends)."""
    start = time.perf_counter()
    outputs = LAB_EVENTS[name](text)
    seconds = time.perf_counter() - start
    if message("error_internal") in outputs:
        raise RuntimeError(f"the lab's {name} failed on {text!r}: see the log")
    return seconds


def lab_report(repeats: int = 3) -> dict:
    """Median and slowest milliseconds of every Context lab event on the 10-word sentences."""
    report = {}
    for name in LAB_EVENTS:
        texts = list(LAB_REFERENCES) if name == "reference" else TEN_WORD_SENTENCES
        lab_seconds(name, texts[0])  # warm-up (the sentence spaces load on first use)
        times = [lab_seconds(name, text) for text in texts for _ in range(repeats)]
        report[f"lab_{name}_ms_median"] = round(statistics.median(times) * 1e3, 1)
        report[f"lab_{name}_ms_max"] = round(max(times) * 1e3, 1)
    return report


def lab_main() -> None:
    """`python -m demo.bench --lab`: the Context lab's events only."""
    for direction in service.DIRECTIONS:
        service.translator(direction)
    print(json.dumps({**lab_report(), "sentences": len(TEN_WORD_SENTENCES)}, indent=1))


if __name__ == "__main__":
    if "--lab" in sys.argv[1:]:
        lab_main()
    else:
        main()
