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
import typing
from dataclasses import dataclass, fields
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from .attention import AttentionSeq2Seq
from .diagnosis import COUNTS_FILE, counting_units, read_counts
from .model import Seq2Seq, Seq2SeqConfig
from .text import TextConfig, target_tag
from .vocabulary import SPECIALS, Vocabulary

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


def build_model(config: Seq2SeqConfig) -> Seq2Seq:
    """The model a config describes: the paper's, or the attention comparison model of `attention.py`."""
    return AttentionSeq2Seq(config) if config.attention else Seq2Seq(config)


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
    """A JSON object from `path`; anything else is a CheckpointError naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise CheckpointError(f"{path} is corrupt: not UTF-8 text ({error.reason} at byte {error.start})") from error
    except json.JSONDecodeError as error:
        raise CheckpointError(f"{path} is corrupt: not valid JSON ({error})") from error
    except RecursionError as error:  # json gives up on deeply nested arrays and objects
        raise CheckpointError(f"{path} is corrupt: nested too deeply to be a model file") from error
    except ValueError as error:  # e.g. an integer of more digits than Python converts
        raise CheckpointError(f"{path} is corrupt: {_excerpt(str(error))}") from error
    except OSError as error:
        raise CheckpointError(f"{path} cannot be read: {error.strerror or error}") from error
    if not isinstance(data, dict):
        raise CheckpointError(f"{path} is corrupt: expected a JSON object, found {_json_kind(data)}")
    return data


def _json_kind(value: object) -> str:
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    return {list: "an array", str: "a string", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _fits(value: object, annotation: object) -> bool:
    """Whether a JSON value has a dataclass field's type (an int where a float goes is fine, a bool never is)."""
    if annotation is bool:
        return isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if annotation is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return not isinstance(annotation, type) or isinstance(value, annotation)


def _dataclass_from(cls, path: Path):
    data = _read_json(path)
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        names = ", ".join(_excerpt(name, 40) for name in sorted(unknown)[:4])
        raise CheckpointError(
            f"{path} has fields this version does not know ({names}); it knows {', '.join(sorted(known))}"
        )
    hints = typing.get_type_hints(cls)
    for name, value in data.items():
        if not _fits(value, hints[name]):
            expected = getattr(hints[name], "__name__", hints[name])
            raise CheckpointError(f"{path} is invalid: {name} must be {expected}, got {_excerpt(repr(value))}")
    try:
        return cls(**data)
    except (TypeError, ValueError) as error:
        raise CheckpointError(f"{path} is invalid: {error}") from error


# Bounds checked before anything is allocated: far above any model of this project (the shipped ones
# have 2 layers of 384 units, 7.2 M parameters), far below what would exhaust a machine's memory.
MAX_LAYERS = 16
MAX_WIDTH = 8192  # embedding_size and hidden_size
MAX_VOCABULARY = 1_000_000
MAX_PARAMETERS = 500_000_000  # 2 GB as float32


def parameter_count(config: Seq2SeqConfig) -> int:
    """The parameters `config` describes (an upper bound: the attention layer and untied output counted),
    computed from the numbers alone, before any tensor exists."""
    e, h, n = config.embedding_size, config.hidden_size, config.num_layers
    cell = lambda inputs: 4 * h * (inputs + h) + 8 * h  # noqa: E731  (one LSTM layer, one direction)
    if config.bidirectional:  # both directions; upper layers read both directions' outputs
        encoder = 2 * (cell(e) + (n - 1) * cell(2 * h))
    else:
        encoder = cell(e) + (n - 1) * cell(h)
    encoder += config.src_vocab_size * e
    decoder = cell(e) + (n - 1) * cell(h) + config.tgt_vocab_size * e + config.tgt_vocab_size * (h + 1) + 4 * h * h
    bridge = 2 * n * (2 * h * h + h) if config.bidirectional else 0
    return encoder + decoder + bridge


def _check_sizes(config: Seq2SeqConfig, path: Path) -> None:
    """Every size in config.json within sane bounds, before a model of that size is built."""
    bounds = {
        "src_vocab_size": MAX_VOCABULARY,
        "tgt_vocab_size": MAX_VOCABULARY,
        "embedding_size": MAX_WIDTH,
        "hidden_size": MAX_WIDTH,
        "num_layers": MAX_LAYERS,
    }
    for name, most in bounds.items():
        value = getattr(config, name)
        if not 1 <= value <= most:
            raise CheckpointError(
                f"{path} is invalid: {name} must be between 1 and {most:,}, got {_excerpt(str(value))}"
            )
    if not 0 <= config.dropout < 1:
        raise CheckpointError(f"{path} is invalid: dropout must be in [0, 1), got {config.dropout}")
    if not 0 <= config.init_range <= 1:
        raise CheckpointError(f"{path} is invalid: init_range must be in [0, 1], got {config.init_range}")
    count = parameter_count(config)
    if count > MAX_PARAMETERS:
        raise CheckpointError(
            f"{path} is invalid: its sizes describe {count:,} parameters, more than the {MAX_PARAMETERS:,} this "
            "program loads"
        )


def _excerpt(text: str, most: int = 80) -> str:
    """At most `most` characters of `text`, for a one-line message that never echoes a huge value."""
    return text if len(text) <= most else text[: most - 1] + "…"


def _vocabulary(path: Path) -> Vocabulary:
    tokens = _read_json(path).get("tokens")
    if not isinstance(tokens, list) or not all(isinstance(token, str) for token in tokens):
        raise CheckpointError(f"{path} is corrupt: 'tokens' must be a list of strings")
    if tokens[:4] != list(SPECIALS):
        raise CheckpointError(f"{path} is corrupt: the first four tokens must be {' '.join(SPECIALS)}")
    try:
        return Vocabulary(tokens)
    except ValueError as error:
        raise CheckpointError(f"{path} is corrupt: {error}") from error


def _listed(names: list[str], shown: int = 4) -> str:
    """A short list for a one-line message: the first few names and how many more."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return (", ".join(names[:shown]) or "none") + more


def _weights(path: Path, expected: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The float32 weights in `path`, checked against the model's state dict: the same names and
    shapes, floating point and finite (a NaN or an infinity would make every translation garbage)."""
    try:
        weights = load_file(path)
    except (SafetensorError, OSError, ValueError) as error:
        raise CheckpointError(f"{path} is corrupt: {error}") from error
    missing_keys = sorted(set(expected) - set(weights))
    extra_keys = sorted(set(weights) - set(expected))
    if missing_keys or extra_keys:
        raise CheckpointError(
            f"{path} does not match config.json: missing {_listed(missing_keys)}; unexpected {_listed(extra_keys)}"
        )
    checked = {}
    for key, tensor in weights.items():
        if tensor.shape != expected[key].shape:
            raise CheckpointError(
                f"{path}: {key} has shape {tuple(tensor.shape)}, config.json needs {tuple(expected[key].shape)}"
            )
        if not tensor.is_floating_point():
            raise CheckpointError(f"{path}: {key} is {tensor.dtype}, not floating point")
        value = tensor.float()
        # A finite sum means every element is finite (NaN and infinities propagate); only a sum that
        # overflowed needs the element-wise check. The sums take ~1 ms on a shipped model, where
        # isfinite(...).all() on every tensor would take ~20 ms.
        if not torch.isfinite(value.sum()) and not torch.isfinite(value).all():
            bad = int((~torch.isfinite(value)).sum())
            raise CheckpointError(
                f"{path}: {key} has {bad} non-finite value{'s' * (bad > 1)} (NaN or infinity); refusing to load it"
            )
        checked[key] = value
    return checked


def load_model(directory: str | Path) -> LoadedModel:
    """Rebuild a model directory, checking that every part is there and fits."""
    directory = Path(directory)
    if not directory.exists():
        raise CheckpointError(f"model directory {directory} does not exist")
    if not directory.is_dir():
        raise CheckpointError(f"model directory {directory} is not a directory")
    missing = [name for name in REQUIRED if not (directory / name).is_file()]
    if missing:
        raise CheckpointError(f"model directory {directory} is missing {', '.join(missing)}")

    config = _dataclass_from(Seq2SeqConfig, directory / "config.json")
    _check_sizes(config, directory / "config.json")
    text = _dataclass_from(TextConfig, directory / "text.json")
    src_vocab = _vocabulary(directory / "src_vocab.json")
    tgt_vocab = _vocabulary(directory / "tgt_vocab.json")
    for name, vocab, size in (("src", src_vocab, config.src_vocab_size), ("tgt", tgt_vocab, config.tgt_vocab_size)):
        if len(vocab) != size:
            raise CheckpointError(
                f"{directory / f'{name}_vocab.json'} has {len(vocab)} tokens but config.json says {size}"
            )
    if text.target_token:
        absent = [tag for tag in map(target_tag, ("en", "zh")) if tag not in src_vocab.word2idx]
        if absent:
            raise CheckpointError(f"{directory / 'src_vocab.json'} lacks {', '.join(absent)}, which text.json needs")

    model = build_model(config)
    model.load_state_dict(_weights(directory / WEIGHTS, _state_dict(model, torch.float32)), strict=False)
    model.eval()

    truecase_path = directory / "truecase.json"
    truecase = _read_json(truecase_path) if truecase_path.is_file() else None
    if truecase is not None and not all(isinstance(value, str) for value in truecase.values()):
        raise CheckpointError(f"{truecase_path} is corrupt: its values must be strings")
    record_path = directory / "training.json"
    record = _read_json(record_path) if record_path.is_file() else {}
    try:
        counts = read_counts(directory, counting_units(text))
    except KeyError as error:
        raise CheckpointError(f"{directory / COUNTS_FILE} is corrupt: it has no {error} entry") from error
    except UnicodeDecodeError as error:
        raise CheckpointError(f"{directory / COUNTS_FILE} is corrupt: not UTF-8 text ({error.reason})") from error
    except (TypeError, ValueError, AttributeError, RecursionError) as error:
        raise CheckpointError(
            f"{directory / COUNTS_FILE} is corrupt: {_excerpt(str(error) or type(error).__name__)}"
        ) from error
    except OSError as error:
        raise CheckpointError(f"{directory / COUNTS_FILE} cannot be read: {error.strerror or error}") from error
    return LoadedModel(model, text, src_vocab, tgt_vocab, truecase, record, directory, counts)
