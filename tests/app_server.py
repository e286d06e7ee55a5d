"""Start `python app.py` on a free local port for the tests that talk to it over HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(timeout: float = 90.0, **env: str):
    """Yield the URL of a freshly started app; stop it afterwards."""
    with running_server(timeout, **env) as (url, _):
        yield url


@contextmanager
def running_server(timeout: float = 90.0, **env: str):
    """Yield (URL, process) of a freshly started app; stop it afterwards."""
    port = free_port()
    environment = {
        **os.environ,
        "GRADIO_SERVER_NAME": "127.0.0.1",
        "GRADIO_SERVER_PORT": str(port),
        "GRADIO_ANALYTICS_ENABLED": "False",
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"app did not start:\n{process.stdout.read() if process.stdout else ''}")
            time.sleep(0.5)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def call_api(url: str, name: str, data: list, timeout: float = 120) -> tuple[str, object]:
    """(event, data) of one call to a named endpoint through Gradio's REST API, as raw HTTP: json.dumps
    writes NaN and escapes lone surrogates, which gradio_client refuses to send."""
    body = json.dumps({"data": data}).encode("ascii")
    post = urllib.request.Request(f"{url}gradio_api/call/{name}", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(post, timeout=timeout) as response:
        event_id = json.loads(response.read())["event_id"]
    with urllib.request.urlopen(f"{url}gradio_api/call/{name}/{event_id}", timeout=timeout) as response:
        lines = response.read().decode("utf-8").splitlines()
    event = next(line[7:] for line in lines if line.startswith("event: ") and line[7:] != "heartbeat")
    payload = next(line[6:] for line in reversed(lines) if line.startswith("data: "))
    return event, json.loads(payload) if payload not in ("null", "") else None
