"""Fixtures shared by the test files: tiny seeded models trained in seconds on synthetic tasks (copy,
reverse), one decoding thread, and the running app for the browser tests. Plain helpers: helpers.py."""

from __future__ import annotations

import shutil

import pytest
import torch

from seq2seq.model import Seq2Seq, Seq2SeqConfig
from seq2seq.vocabulary import Vocabulary

from app_server import running_app
from helpers import SYMBOLS, server_rendered, train_tiny


@pytest.fixture(scope="session", autouse=True)
def one_torch_thread():
    """Every test on one CPU thread unless it sets another count: the tiny models here train and decode
    faster so (two threads spent about twice the CPU time on them), and what a seeded model learns no longer
    depends on how many cores the machine has."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def one_thread():
    """One CPU thread for a module's tests (as the app decodes), then the count it had before."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def copy_model() -> Seq2Seq:
    return train_tiny("copy")


@pytest.fixture(scope="session")
def reverse_model() -> Seq2Seq:
    # Reading forward makes reversing a last-in-first-out task, as easy as copying
    # with a reversed source: the paper's point, in miniature.
    return train_tiny("reverse", reverse_source=False)


@pytest.fixture(scope="session")
def untrained_model() -> Seq2Seq:
    """Random weights: a flat-ish P_t makes beam search actually branch."""
    torch.manual_seed(3)
    config = Seq2SeqConfig(12, 12, embedding_size=12, hidden_size=12, num_layers=2, dropout=0.0, tie_embeddings=True)
    model = Seq2Seq(config)
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(20)  # sharper, more varied distributions than the ±0.08 init
    return model.eval()


@pytest.fixture(scope="session")
def symbol_vocab() -> Vocabulary:
    return Vocabulary(SYMBOLS)


@pytest.fixture(scope="module", params=["false", "true"], ids=["csr", "ssr"])
def app_url(request):
    """The app with server-side rendering off, then on (Hugging Face Spaces' default)."""
    if request.param == "true" and not shutil.which("node"):
        pytest.fail("server-side rendering needs Node (Debian's nodejs); .ci/run installs it")
    with running_app(GRADIO_SSR_MODE=request.param) as url:
        assert server_rendered(url) == (request.param == "true")
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, through Playwright: one per test module."""
    from playwright.sync_api import sync_playwright

    from helpers import CHROMIUM, FLAGS

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()
