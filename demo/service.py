"""What the app asks of the models: load the shipped translators, check and route input.

No Gradio here, and no tensor math: this module turns what the user typed into a
`Translation` from the `seq2seq` package, or into a clear message.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

from seq2seq.pipeline import Translation, Translator, set_inference_threads
from seq2seq.study import analysis

# Input is checked in one place, `validate`; its names are re-exported here for the callers that
# decode what they check (`service.prepare(text)` then `service.run(request)`).
from .validate import DIRECTION_CHOICES, DIRECTIONS, MAX_INPUT_CHARS, InputError, Request, prepare

__all__ = ["DIRECTION_CHOICES", "DIRECTIONS", "MAX_INPUT_CHARS", "InputError", "Request", "prepare"]

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SPACES_DIR = ASSETS / "sentence_space"  # one directory per direction, for the shipped models
MODELS_DIR = Path(os.environ.get("SEQ2SEQ_MODELS", ASSETS / "models"))
# The small variants of experiments/results.md, shipped for the side-by-side view.
VARIANTS_DIR = Path(os.environ.get("SEQ2SEQ_VARIANTS", ASSETS / "variants"))
# Models the side-by-side view offers: "shipped", or run names under VARIANTS_DIR/<direction>
# (several names decode as one ensemble).
COMPARISON_MODELS: dict[str, tuple[str, ...]] = {
    "shipped": (),
    "reversed": ("base",),
    "forward": ("forward",),
    "ensemble": ("base", "seed2", "seed3"),
    "bidirectional": ("bidirectional",),
    "attention": ("attention",),
}
NEIGHBOURS = 8  # nearest training sentences listed for a sentence (Figure 2's space)
INFERENCE_THREADS = int(os.environ.get("SEQ2SEQ_THREADS", "1"))

_load_lock = threading.Lock()


@lru_cache(maxsize=len(DIRECTIONS))
def _load(direction: str) -> Translator:
    set_inference_threads(INFERENCE_THREADS)
    translator = Translator.load(MODELS_DIR / direction)
    translator.translate("你好。" if translator.src_lang == "zh" else "Hello.")  # loads jieba, NLTK and OpenCC now
    return translator


def translator(direction: str) -> Translator:
    """The shipped model for `direction`, loaded once (thread-safe)."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}")
    with _load_lock:
        return _load(direction)


@lru_cache(maxsize=2 * len(COMPARISON_MODELS))
def _load_comparison(key: str, direction: str) -> Translator:
    set_inference_threads(INFERENCE_THREADS)
    paths = [VARIANTS_DIR / direction / name for name in COMPARISON_MODELS[key]]
    return Translator.load(paths[0]) if len(paths) == 1 else Translator.ensemble(paths)


def comparison_translator(key: str, direction: str) -> Translator:
    """A model of the side-by-side view (see COMPARISON_MODELS), loaded once."""
    if key not in COMPARISON_MODELS or direction not in DIRECTIONS:
        raise ValueError(f"unknown model {key!r} for {direction!r}")
    if key == "shipped":
        return translator(direction)
    with _load_lock:
        return _load_comparison(key, direction)


_space_lock = threading.Lock()


@lru_cache(maxsize=len(DIRECTIONS))
def _load_space(direction: str) -> analysis.SentenceSpace:
    return analysis.load_sentence_space(SPACES_DIR / direction)


def sentence_space(direction: str) -> analysis.SentenceSpace:
    """The shipped sentence space (Figure 2) of `direction`'s model, loaded once (thread-safe)."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}")
    with _space_lock:
        return _load_space(direction)


def run(
    request: Request,
    beam_size: int = 1,
    top_k: int = 10,
    max_length: int | None = None,
    distributions: bool = True,
    model: Translator | None = None,
    maths: bool = False,
) -> Translation:
    """Translate a prepared request with `model` (by default the shipped model of its direction);
    `distributions`: keep every full P_t; `maths`: record every cell's gates and every softmax
    (`seq2seq.maths`). Notices come from `notices.notice_keys`. The settings were checked (`validate.settings`)."""
    model = model or translator(request.direction)
    return model.translate(
        request.text,
        beam_size=beam_size,
        top_k=top_k,
        max_length=max_length,
        keep_distributions=distributions,
        record_maths=maths,
    )


def what_if(
    request: Request,
    prefix_ids: list[int],
    top_k: int = 10,
    max_length: int | None = None,
    distributions: bool = False,
    maths: bool = False,
) -> Translation:
    """Force the output to start with `prefix_ids`, then let the model continue greedily; `maths` as for `run`."""
    return translator(request.direction).what_if(request.text, prefix_ids, max_length, top_k, distributions, maths)
