"""What several test files share and that is not a fixture: tiny synthetic tasks and a trainer for them,
a Tatoeba-format file writer, the command line run in-process, and the browser's settings.
Fixtures live in conftest.py; starting the app lives in app_server.py."""

from __future__ import annotations

import io
import os
import random
import signal
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import torch

from seq2seq.batch import length_batches
from seq2seq.checkpoint import build_model
from seq2seq.model import Seq2Seq, Seq2SeqConfig
from seq2seq.training.loop import TrainConfig, loss_on

ROOT = Path(__file__).resolve().parent.parent

# --- tiny synthetic tasks (copy, reverse) and a seeded model that learns them --------------------------------

SYMBOLS = list("abcdefgh")  # ids 4..11 after the four special tokens


def synthetic_pairs(task: str, count: int, seed: int = 0) -> list[tuple[list[int], list[int]]]:
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        src = [rng.randrange(4, 4 + len(SYMBOLS)) for _ in range(rng.randint(1, 4))]
        pairs.append((src, src[::-1] if task == "reverse" else list(src)))
    return pairs


def train_tiny(
    task: str, steps: int = 400, reverse_source: bool = True, seed: int = 0, lr: float = 1e-2, **sizes
) -> Seq2Seq:
    """A seeded LSTM seq2seq that has learnt `task` ("copy" or "reverse").

    `sizes` may also set `bidirectional` or `attention` (the comparison model).
    """
    torch.manual_seed(seed)
    config = Seq2SeqConfig(
        src_vocab_size=4 + len(SYMBOLS),
        tgt_vocab_size=4 + len(SYMBOLS),
        embedding_size=sizes.get("embedding_size", 64),
        hidden_size=sizes.get("hidden_size", 64),
        num_layers=sizes.get("num_layers", 1),
        dropout=0.0,
        reverse_source=reverse_source,
        tie_embeddings=False,
        bidirectional=sizes.get("bidirectional", False),
        attention=sizes.get("attention", False),
    )
    model = build_model(config)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    # Linear decay to zero: a constant rate keeps bouncing around a few errors.
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1 - step / steps)
    generator = torch.Generator().manual_seed(seed)
    data = synthetic_pairs(task, 2000, seed)
    done = 0
    while done < steps:
        for batch in length_batches(data, 64, generator):
            loss = loss_on(model, batch)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            schedule.step()
            done += 1
            if done == steps:
                break
    return model.eval()


# --- a tiny Tatoeba-format file of number sentences, and a training run on it ---------------------------------

ATTRIBUTION = "CC-BY 2.0 (France) Attribution: tatoeba.org #1 (a) & #2 (b)"
NUMBERS = {"one": "一", "two": "二", "three": "三", "four": "四", "five": "五", "six": "六"}


def write_tatoeba(path: Path, rows: list[tuple[str, str]]) -> Path:
    text = "".join(f"{en}\t{zh}\t{ATTRIBUTION}\n" for en, zh in rows)
    path.write_text("\ufeff" + text, encoding="utf-8")
    return path


def number_pairs(count: int = 1200, seed: int = 0) -> list[tuple[str, str]]:
    """Distinct pairs like ("Two six one.", "二六一。"): a task a tiny model learns in a few epochs."""
    rng, rows = random.Random(seed), {}
    while len(rows) < count:
        words = [rng.choice(list(NUMBERS)) for _ in range(rng.randint(1, 4))]
        rows[" ".join(words).capitalize() + "."] = "".join(NUMBERS[w] for w in words) + "。"
    return list(rows.items())


def tiny_config(tmp_path: Path, out: str, pairs: int = 1200, **overrides) -> TrainConfig:
    """A training run of a tiny model on `pairs` number sentences written to tmp_path/cmn.txt."""
    data = tmp_path / "cmn.txt"
    if not data.exists():
        write_tatoeba(data, number_pairs(pairs))
    options = dict(
        data=str(data),
        out=str(tmp_path / out),
        embedding_size=48,
        hidden_size=48,
        num_layers=1,
        dropout=0.0,
        batch_size=16,
        learning_rate=1e-2,
        max_epochs=4,
        valid_size=30,
        test_size=30,
        threads=1,
    )
    return TrainConfig(**{**options, **overrides})


# --- `python -m seq2seq` in this process ----------------------------------------------------------------------


@dataclass
class Outcome:
    """What one `python -m seq2seq ARGS` did: exit status, stdout and stderr."""

    status: int
    stdout: str
    stderr: str


def run_main(*args: object, stdin: bytes = b"") -> Outcome:
    """`python -m seq2seq ARGS` through `seq2seq.__main__.main`, in this process, with stdin, stdout and
    stderr as byte pipes would be: what a subprocess gives, without starting Python and importing torch
    again. Gives back torch's thread count and the SIGINT handler (the translate command replaces it)."""
    from seq2seq import __main__

    argv = [str(arg) for arg in args]
    threads, handler = torch.get_num_threads(), signal.getsignal(signal.SIGINT)
    streams, argv_before = (sys.stdin, sys.stdout, sys.stderr), sys.argv
    sys.argv = [__main__.__file__, *argv]  # what `python -m seq2seq ARGS` sees (the train record keeps it)
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout, sys.stderr = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True) for _ in "12")
    out, err = sys.stdout, sys.stderr
    try:
        status = __main__.main(argv)
    except SystemExit as exit:  # argparse's usage errors
        status = exit.code if isinstance(exit.code, int) else 1
    finally:
        (sys.stdin, sys.stdout, sys.stderr), sys.argv = streams, argv_before
        signal.signal(signal.SIGINT, handler)
        torch.set_num_threads(threads)
    return Outcome(status, out.buffer.getvalue().decode("utf-8"), err.buffer.getvalue().decode("utf-8"))


# --- the browser tests: Debian's Chromium, and whether the page was rendered on the server --------------------

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def server_rendered(url: str) -> bool:
    """Whether the page came from Gradio's Node server (SvelteKit markup in the HTML) rather than the
    client-rendered shell Gradio falls back to, silently, when it cannot run Node."""
    with urllib.request.urlopen(url, timeout=30) as response:
        html = response.read().decode("utf-8")
    return "data-sveltekit" in html and 'class="gradio-container' in html


OPENING = "Where is the train station?"  # demo/translate/handlers.py's opening sentence
SIZES = {"laptop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}


def trace_of(url: str, sentence: str) -> dict:
    """The API's trace of `sentence` at the page's default settings (beam 5, top 10)."""
    from app_server import call_api

    return call_api(url, "translate", [sentence, "auto", 5, 10, 0])[1][0][1]["trace"]


def new_page(browser, url: str, locale: str, size: str, tour_seen: bool = True):
    """A fresh visitor's page at `url` and the list its uncaught page errors go to; `tour_seen` makes them
    a returning visitor, for whom the tour stays closed."""
    context = browser.new_context(locale=locale, viewport=SIZES[size])
    if tour_seen:
        context.add_init_script("localStorage.setItem('seq2seq-tour-seen', '1')")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="load")
    return page, errors
