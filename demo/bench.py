"""`python -m demo.bench`: server-side latency of one app request and the app's start-up time, as JSON;
`--lab`: the Context lab's events only; `--sessions [N]`: the server's memory before and after N visitors;
`--load [N]`: N clients sending 10 mixed requests each at once (latency and errors); `--page [N]`: how
soon a fresh visit of the page shows its opening example drawn, in a browser; `--class [N]` and
`--flood [N]`: a class, and one visitor flooding the lab while others translate (demo/load.py).

A request is what the Translate button costs the server: check the input, decode (recording the LSTM
gates), build the canvas's data and every other output, and serialise them to JSON as Gradio does.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from . import service
from .i18n import message
from .lab import handlers as lab_handlers
from .plotting import go
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
    """One Translate request as the server serves it: decode with the maths recorded, build the canvas's
    data and every other output, and serialise them (figures as Plotly JSON, the canvas as JSON)."""
    start = time.perf_counter()
    view = handlers.translate_view(text, "auto", beam_size, 10, 0, "en")
    for value in view.outputs:
        if isinstance(value, go.Figure):
            value.to_json()
        elif isinstance(value, (dict, list)):
            json.dumps(value)
    return time.perf_counter() - start


def compare_seconds(text: str, model_a: str, model_b: str) -> float:
    """The side-by-side view: two models, beam 5, both figures of each serialised."""
    start = time.perf_counter()
    for value in compare.compare(text, "auto", 5, model_a, model_b, None):
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


# ---------------------------------------------------------------- memory: many visitors, one server


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def visit(url: str, fn_index: int, data: list) -> None:
    """One new browser session running one page event, as the page does (queue/join, then its stream)."""
    session = uuid.uuid4().hex
    body = json.dumps({"data": data, "fn_index": fn_index, "session_hash": session}).encode("utf-8")
    request = urllib.request.Request(f"{url}gradio_api/queue/join", body, {"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=60).read()
    with urllib.request.urlopen(f"{url}gradio_api/queue/data?session_hash={session}", timeout=120) as stream:
        for line in stream:
            if b'"process_completed"' in line:
                break


def sessions_main(count: int = 300) -> None:
    """`python -m demo.bench --sessions [N]`: the server's memory before and after N new sessions, each
    translating a sentence with beam 5 on the Translate tab (which keeps that session's state)."""
    sys.path.insert(0, "tests")
    from app_server import running_server

    with running_server() as (url, process):
        config = json.loads(urllib.request.urlopen(f"{url}config", timeout=30).read())
        fn_index = next(i for i, d in enumerate(config["dependencies"]) if d.get("api_name") == "translate_page")
        for i in range(3):  # warm-up: first requests load caches that are not per-session
            visit(url, fn_index, [TEN_WORD_SENTENCES[i], "auto", 5, 10, 0])
        before = rss_mb(process.pid)
        started = time.perf_counter()
        for i in range(count):
            visit(url, fn_index, [TEN_WORD_SENTENCES[i % len(TEN_WORD_SENTENCES)], "auto", 5, 10, 0])
        after = rss_mb(process.pid)
        report = {
            "sessions": count,
            "rss_mb_before": round(before, 1),
            "rss_mb_after": round(after, 1),
            "rss_mb_growth": round(after - before, 1),
            "seconds": round(time.perf_counter() - started, 1),
        }
    print(json.dumps(report, indent=1))


# ---------------------------------------------------------------- many clients at once


LOAD_MIX = [  # the mixed requests of the load test: a translation, a context surgery, an interpolation
    ("translate", lambda text: [text, "auto", 5, 10, 0]),
    ("surgery", lambda text: [text, "auto", "c", "all", "0-191", "zero", 1.0, 0]),
    ("interpolate", lambda text: [text, lab_partner(text), "auto", None]),
]


def load_main(clients: int = 32, requests: int = 10) -> None:
    """`python -m demo.bench --load [N]`: N clients at once, each sending `requests` mixed requests one
    after the other through the named API; latency as each client sees it, queue included."""
    from concurrent.futures import ThreadPoolExecutor

    sys.path.insert(0, "tests")
    from app_server import call_api, running_server

    def client(number: int) -> list[tuple[float, bool]]:
        results = []
        for i in range(requests):
            name, arguments = LOAD_MIX[(number + i) % len(LOAD_MIX)]
            text = TEN_WORD_SENTENCES[(number + i) % len(TEN_WORD_SENTENCES)]
            started = time.perf_counter()
            try:
                event, answer = call_api(url, name, arguments(text), timeout=600)
                data = answer[0][1] if name == "translate" else answer[0]
                ok = event == "complete" and "error" not in data
            except OSError:
                ok = False
            results.append((time.perf_counter() - started, ok))
        return results

    with running_server() as (url, _):
        call_api(url, "translate", [TEN_WORD_SENTENCES[0], "auto", 5, 10, 0])  # warm-up
        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            results = [r for rs in pool.map(client, range(clients)) for r in rs]
        seconds = time.perf_counter() - started
    times = sorted(t for t, _ in results)
    report = {
        "clients": clients,
        "requests": len(results),
        "errors": sum(1 for _, ok in results if not ok),
        "p50_seconds": round(statistics.median(times), 2),
        "p95_seconds": round(times[int(0.95 * (len(times) - 1))], 2),
        "max_seconds": round(times[-1], 2),
        "wall_seconds": round(seconds, 1),
    }
    print(json.dumps(report, indent=1))


# ---------------------------------------------------------------- the page in a browser (goal: ≤ 2 s)


def page_main(visits: int = 5) -> None:
    """`python -m demo.bench --page [N]`: N fresh visits of the page (server-side rendering on, as on
    Spaces; headless Chromium, a returning visitor, so no tour), on a warm server. Milliseconds from the
    start of navigation to: the load event, the opening example drawn on the canvas, and the page
    interactive (the load event's answer in: the visitor's session exists, the details box is filled)."""
    sys.path.insert(0, "tests")
    from playwright.sync_api import sync_playwright

    from app_server import running_app

    drawn, loaded, interactive = [], [], []
    with running_app(GRADIO_SSR_MODE="true") as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        for visit_number in range(visits + 1):  # the first visit warms the server and the browser's cache
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.add_init_script("localStorage.setItem('seq2seq-tour-seen', '1')")
            page = context.new_page()
            page.goto(url, wait_until="commit")
            page.wait_for_function("document.querySelector('#seq2seq-canvas g.part.decoder')", polling=20)
            first_drawn = page.evaluate("performance.now()")
            page.wait_for_function(
                "[...document.querySelectorAll('textarea')].some(t => /→/.test(t.value))", polling=20
            )
            answered = page.evaluate("performance.now()")
            load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
            if visit_number:
                drawn.append(first_drawn)
                interactive.append(answered)
                loaded.append(load)
            context.close()
        browser.close()
    report = {
        "visits": visits,
        "load_event_ms_median": round(statistics.median(loaded)),
        "first_example_drawn_ms_median": round(statistics.median(drawn)),
        "interactive_ms_median": round(statistics.median(interactive)),
        "interactive_ms_max": round(max(interactive)),
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    if "--class" in sys.argv[1:] or "--flood" in sys.argv[1:]:  # a class through the browser's queue protocol
        from . import load

        flag = "--class" if "--class" in sys.argv[1:] else "--flood"
        rest = sys.argv[sys.argv.index(flag) + 1 :]
        count = int(rest[0]) if rest and rest[0].isdigit() else (40 if flag == "--class" else 10)
        load.class_main(count) if flag == "--class" else load.flood_main(count)
    elif "--page" in sys.argv[1:]:
        rest = sys.argv[sys.argv.index("--page") + 1 :]
        page_main(int(rest[0]) if rest else 5)
    elif "--lab" in sys.argv[1:]:
        lab_main()
    elif "--load" in sys.argv[1:]:
        rest = sys.argv[sys.argv.index("--load") + 1 :]
        load_main(int(rest[0]) if rest else 32)
    elif "--sessions" in sys.argv[1:]:
        rest = sys.argv[sys.argv.index("--sessions") + 1 :]
        sessions_main(int(rest[0]) if rest else 300)
    else:
        main()
