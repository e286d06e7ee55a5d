"""A model directory: safetensors weights, JSON config, vocabularies and records.

DIR/
  model.safetensors   weights (float16 or float32), never pickle
  config.json         Seq2SeqConfig
  text.json           TextConfig: direction, Chinese units, English casing
  src_vocab.json      source Vocabulary
  tgt_vocab.json      target Vocabulary
  truecase.json       lowercased → usual spelling (English targets with en_lowercase only)
  training.json       what trained it and how well it did (optional for loading)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from .diagnosis import COUNTS_FILE, read_counts
from .model import Seq2Seq, Seq2SeqConfig, build_model
from .text import TextConfig
from .vocabulary import Vocabulary

WEIGHTS = "model.safetensors"
REQUIRED = (WEIGHTS, "config.json", "text.json", "src_vocab.json", "tgt_vocab.json")


class CheckpointError(Exception):
    """A model directory is missing, incomplete, corrupt or inconsistent."""


@dataclass
class LoadedModel:
    model: Seq2Seq
    text: TextConfig
    src_vocab: Vocabulary
    tgt_vocab: Vocabulary
    truecase: dict[str, str] | None
    record: dict  # training.json, or {} when absent
    directory: Path
    source_counts: dict[str, int] | None = None  # training pairs containing each source token (diagnosis.py)


def _state_dict(model: Seq2Seq, dtype: torch.dtype) -> dict[str, torch.Tensor]:
    # Tied weights are one tensor under two names; safetensors stores each tensor once.
    state = {
        k: v for k, v in model.state_dict().items() if k != "decoder.output.weight" or not model.config.tie_embeddings
    }
    return {k: v.detach().to(dtype).contiguous() for k, v in state.items()}


def save_model(
    directory: str | Path,
    model: Seq2Seq,
    text: TextConfig,
    src_vocab: Vocabulary,
    tgt_vocab: Vocabulary,
    truecase: dict[str, str] | None = None,
    record: dict | None = None,
    half: bool = False,
) -> Path:
    """Write a model directory; `half` stores the weights as float16."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    save_file(_state_dict(model, torch.float16 if half else torch.float32), directory / WEIGHTS)
    _write_json(directory / "config.json", model.config.to_dict())
    _write_json(directory / "text.json", text.to_dict())
    src_vocab.save(directory / "src_vocab.json")
    tgt_vocab.save(directory / "tgt_vocab.json")
    if truecase is not None:
        _write_json(directory / "truecase.json", truecase)
    if record is not None:
        _write_json(directory / "training.json", record)
    return directory


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CheckpointError(f"{path} is corrupt: not valid JSON ({error})") from error


def _dataclass_from(cls, path: Path):
    data = _read_json(path)
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise CheckpointError(f"{path} has unknown fields {sorted(unknown)}: written by a newer version?")
    try:
        return cls(**data)
    except (TypeError, ValueError) as error:
        raise CheckpointError(f"{path} is invalid: {error}") from error


def load_model(directory: str | Path) -> LoadedModel:
    """Rebuild a model directory, checking that every part is there and fits."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CheckpointError(f"model directory {directory} does not exist")
    missing = [name for name in REQUIRED if not (directory / name).is_file()]
    if missing:
        raise CheckpointError(f"model directory {directory} is missing {', '.join(missing)}")

    config = _dataclass_from(Seq2SeqConfig, directory / "config.json")
    text = _dataclass_from(TextConfig, directory / "text.json")
    try:
        src_vocab = Vocabulary.load(directory / "src_vocab.json")
        tgt_vocab = Vocabulary.load(directory / "tgt_vocab.json")
    except (json.JSONDecodeError, KeyError, ValueError, UnicodeDecodeError) as error:
        raise CheckpointError(f"a vocabulary in {directory} is corrupt: {error}") from error
    for name, vocab, size in (("src", src_vocab, config.src_vocab_size), ("tgt", tgt_vocab, config.tgt_vocab_size)):
        if len(vocab) != size:
            raise CheckpointError(f"{name}_vocab.json has {len(vocab)} tokens but config.json says {size}")

    try:
        weights = load_file(directory / WEIGHTS)
    except (SafetensorError, OSError, ValueError) as error:
        raise CheckpointError(f"{directory / WEIGHTS} is corrupt: {error}") from error
    model = build_model(config)
    expected = _state_dict(model, torch.float32)
    missing_keys = sorted(set(expected) - set(weights))
    extra_keys = sorted(set(weights) - set(expected))
    if missing_keys or extra_keys:
        raise CheckpointError(f"{WEIGHTS} does not match config.json: missing {missing_keys}, unexpected {extra_keys}")
    for key, tensor in weights.items():
        if tensor.shape != expected[key].shape:
            raise CheckpointError(
                f"{WEIGHTS}: {key} has shape {tuple(tensor.shape)}, config.json needs {tuple(expected[key].shape)}"
            )
    model.load_state_dict({k: v.float() for k, v in weights.items()}, strict=False)
    model.eval()

    truecase_path = directory / "truecase.json"
    truecase = _read_json(truecase_path) if truecase_path.is_file() else None
    record_path = directory / "training.json"
    record = _read_json(record_path) if record_path.is_file() else {}
    try:
        counts = read_counts(directory)
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, ValueError, AttributeError) as error:
        raise CheckpointError(f"{directory / COUNTS_FILE} is corrupt: {error}") from error
    return LoadedModel(model, text, src_vocab, tgt_vocab, truecase, record, directory, counts)
