"""A class on one server, through the queue protocol the browser uses (POST /gradio_api/queue/join, then the
session's /gradio_api/queue/data stream): `python -m demo.bench --class [N]` and `--flood [N]`.

`--class N`: N visitors at once, each sending `requests` requests of what a class does (greedy, beam 5,
beam 12, occlusion, a 41-value interpolation, neighbours), one after the other; latency per endpoint as the
visitor sees it (queue included), throughput, errors, and the server's resident memory before and after.
`--flood N`: one visitor keeps the heaviest lab call (the 41-value interpolation) flooding the queue from one
session while N others translate; the others' /translate latency, and what the flooder was told.
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

SENTENCES = [
    "I think we should leave before it starts to rain.",
    "My brother wants to buy a new car next year.",
    "She told me that she would come back tomorrow.",
    "我觉得我们应该在下雨之前离开这里。",
    "我哥哥明年想买一辆新车。",
]
ALPHAS_41 = [round(i / 40, 3) for i in range(41)]
CLASS_MIX = {  # name → (endpoint, arguments for a sentence)
    "greedy": ("translate", lambda text: [text, "auto", 1, 10, 0]),
    "beam5": ("translate", lambda text: [text, "auto", 5, 10, 0]),
    "beam12": ("translate", lambda text: [text, "auto", 12, 10, 0]),
    "occlusion": ("occlude", lambda text: [text, "auto", "drop"]),
    "interpolation41": ("interpolate", lambda text: [text, "I like coffee.", "auto", ALPHAS_41]),
    "neighbours": ("neighbours", lambda text: [text, "auto", 8]),
}


@dataclass
class Answer:
    """What one event got: refused at the door (`status`, `detail`), or its completion message."""

    status: int  # of the join: 200 when the event was queued
    detail: str | None = None  # the refusal's message
    completed: bool = False  # a process_completed message came
    success: bool = False
    output: object = None  # the completion's output ({"data": …} or {"error": message})
    dropped: str | None = None  # the stream ended or broke before completion


def fn_indices(url: str) -> dict[str, int]:
    """The app's events by api_name (a private event has a name too) → fn_index."""
    config = json.loads(urllib.request.urlopen(f"{url}config", timeout=30).read())
    return {d["api_name"]: d["id"] for d in config["dependencies"] if d.get("api_name")}


def join(url: str, fn_index: int, data: list, session: str) -> tuple[int, str]:
    """POST queue/join: (200, event id) or (HTTP status, the refusal's detail). NaN and lone surrogates are
    sent as json.dumps writes them, as a browser could."""
    body = json.dumps({"data": data, "fn_index": fn_index, "session_hash": session}).encode("ascii")
    request = urllib.request.Request(f"{url}gradio_api/queue/join", body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())["event_id"]
    except urllib.error.HTTPError as error:
        text = error.read().decode("utf-8", "replace")
        try:
            return error.code, json.loads(text).get("detail")
        except ValueError:
            return error.code, text


def completions(url: str, session: str, timeout: float = 600):
    """The session's stream: each message (a dict) as it comes; raises OSError when it breaks."""
    with urllib.request.urlopen(f"{url}gradio_api/queue/data?session_hash={session}", timeout=timeout) as stream:
        for line in stream:
            if line.startswith(b"data: "):
                yield json.loads(line[6:])


def queue_call(url: str, fn_index: int, data: list, session: str | None = None, timeout: float = 600) -> Answer:
    """One event as the page sends it, on a session of its own unless given; waits for its completion."""
    session = session or uuid.uuid4().hex
    status, event = join(url, fn_index, data, session)
    if status != 200:
        return Answer(status, detail=event)
    try:
        for message in completions(url, session, timeout):
            if message.get("event_id") not in (None, event):
                continue
            if message.get("msg") == "process_completed":
                return Answer(200, completed=True, success=bool(message.get("success")), output=message.get("output"))
            if message.get("msg") in ("unexpected_error", "close_stream"):
                return Answer(200, dropped=str(message.get("message") or message.get("msg")))
    except (OSError, ValueError) as error:
        return Answer(200, dropped=repr(error))
    return Answer(200, dropped="the stream ended")


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def ok(answer: Answer) -> bool:
    """Completed with data, and the data is no error message."""
    if not (answer.completed and answer.success and isinstance(answer.output, dict)):
        return False
    data = (answer.output.get("data") or [None])[0]
    data = data[1] if isinstance(data, list) and len(data) == 2 else data  # /translate: (text, data)
    return isinstance(data, dict) and "error" not in data


def percentiles(seconds: list[float]) -> dict:
    ordered = sorted(seconds) or [float("nan")]
    return {
        "n": len(seconds),
        "p50_s": round(statistics.median(ordered), 2),
        "p95_s": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        "max_s": round(ordered[-1], 2),
    }


def class_main(clients: int = 40, requests: int = 5) -> None:
    """`python -m demo.bench --class [N]`: N visitors × `requests` requests of CLASS_MIX."""
    sys.path.insert(0, "tests")
    from app_server import running_server

    names = list(CLASS_MIX)

    def visitor(number: int) -> list[tuple[str, float, bool]]:
        session, results = uuid.uuid4().hex, []
        for i in range(requests):
            name = names[(number + i) % len(names)]
            endpoint, arguments = CLASS_MIX[name]
            started = time.perf_counter()
            answer = queue_call(url, index[endpoint], arguments(SENTENCES[(number + i) % len(SENTENCES)]), session)
            results.append((name, time.perf_counter() - started, ok(answer)))
        return results

    with running_server() as (url, process):
        index = fn_indices(url)
        for endpoint, arguments in CLASS_MIX.values():  # warm-up: models, sentence spaces
            queue_call(url, index[endpoint], arguments(SENTENCES[0]))
        before = rss_mb(process.pid)
        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            results = [r for rs in pool.map(visitor, range(clients)) for r in rs]
        seconds = time.perf_counter() - started
        after = rss_mb(process.pid)
    report = {
        "clients": clients,
        "requests": len(results),
        "errors": sum(1 for _, _, good in results if not good),
        "throughput_per_s": round(len(results) / seconds, 2),
        "wall_s": round(seconds, 1),
        "rss_mb_before": round(before),
        "rss_mb_after": round(after),
        "per_request": {name: percentiles([s for n, s, _ in results if n == name]) for name in names},
        "translate_all": percentiles([s for n, s, _ in results if CLASS_MIX[n][0] == "translate"]),
    }
    print(json.dumps(report, indent=1))


def flood_main(others: int = 10, requests: int = 10) -> None:
    """`python -m demo.bench --flood [N]`: one session joins 41-value interpolations as fast as it can
    while N other visitors translate (beam 5) `requests` times each."""
    sys.path.insert(0, "tests")
    from app_server import running_server

    with running_server() as (url, _):
        index = fn_indices(url)
        queue_call(url, index["translate"], [SENTENCES[0], "auto", 5, 10, 0])  # warm-up
        stop, refusals, queued = threading.Event(), [], [0]
        flooder = uuid.uuid4().hex

        def drain() -> None:  # the flooder's page reads its stream, as a browser does
            try:
                for _ in completions(url, flooder):
                    if stop.is_set():
                        return
            except OSError:
                return

        def flood() -> None:
            reader = None
            while not stop.is_set():
                status, detail = join(
                    url, index["interpolate"], [SENTENCES[0], "I like coffee.", "auto", ALPHAS_41], flooder
                )
                if status == 200:
                    queued[0] += 1
                    if reader is None or not reader.is_alive():
                        reader = threading.Thread(target=drain, daemon=True)
                        reader.start()
                else:
                    refusals.append((status, detail))
                    time.sleep(0.05)

        def visitor(number: int) -> list[tuple[float, bool]]:
            results = []
            for i in range(requests):
                started = time.perf_counter()
                text = SENTENCES[(number + i) % len(SENTENCES)]
                answer = queue_call(url, index["translate"], [text, "auto", 5, 10, 0])
                results.append((time.perf_counter() - started, ok(answer)))
            return results

        flooding = threading.Thread(target=flood, daemon=True)
        flooding.start()
        time.sleep(2)  # the flood is on before the others start
        with ThreadPoolExecutor(others) as pool:
            results = [r for rs in pool.map(visitor, range(others)) for r in rs]
        stop.set()
        flooding.join(timeout=10)
    report = {
        "others": others,
        "translate": percentiles([s for s, _ in results]),
        "translate_errors": sum(1 for _, good in results if not good),
        "flood_queued": queued[0],
        "flood_refused": len(refusals),
        "flood_told": sorted({f"{status}: {detail}" for status, detail in refusals}),
    }
    print(json.dumps(report, indent=1, ensure_ascii=False))
