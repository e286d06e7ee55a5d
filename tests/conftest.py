"""Tiny seeded models trained in seconds on synthetic tasks (copy, reverse)."""

from __future__ import annotations

import random

import pytest
import torch

from seq2seq.batch import length_batches
from seq2seq.checkpoint import build_model
from seq2seq.model import Seq2Seq, Seq2SeqConfig
from seq2seq.training.loop import loss_on
from seq2seq.vocabulary import Vocabulary

SYMBOLS = list("abcdefgh")  # ids 4..11 after the four special tokens


def synthetic_pairs(task: str, count: int, seed: int = 0) -> list[tuple[list[int], list[int]]]:
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        src = [rng.randrange(4, 4 + len(SYMBOLS)) for _ in range(rng.randint(1, 4))]
        pairs.append((src, src[::-1] if task == "reverse" else list(src)))
    return pairs


def train_tiny(
    task: str, steps: int = 700, reverse_source: bool = True, seed: int = 0, lr: float = 1e-2, **sizes
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
