"""Save → load round trips; broken model directories give clear errors."""

from __future__ import annotations

import json

import pytest
import torch
from safetensors.torch import load_file

from seq2seq.checkpoint import CheckpointError, load_model, save_model
from seq2seq.search import beam_search, greedy
from seq2seq.text import TextConfig

TEXT = TextConfig("en", "zh")


@pytest.fixture()
def saved(tmp_path, untrained_model, symbol_vocab):
    return save_model(tmp_path / "m", untrained_model, TEXT, symbol_vocab, symbol_vocab, record={"seed": 1})


def test_save_then_load_gives_identical_outputs(saved, untrained_model):
    loaded = load_model(saved)
    assert loaded.record == {"seed": 1} and loaded.text == TEXT
    for src in ([4, 5, 6], [7, 8, 9, 10, 11]):
        a, b = greedy(untrained_model, src), greedy(loaded.model, src)
        assert a.output_ids == b.output_ids and a.log_prob == b.log_prob
        assert beam_search(untrained_model, src, 3).to_dict() == beam_search(loaded.model, src, 3).to_dict()


def test_half_precision_storage_is_half_the_size(tmp_path, untrained_model, symbol_vocab):
    full = save_model(tmp_path / "f", untrained_model, TEXT, symbol_vocab, symbol_vocab)
    half = save_model(tmp_path / "h", untrained_model, TEXT, symbol_vocab, symbol_vocab, half=True)
    full_size = (full / "model.safetensors").stat().st_size
    assert (half / "model.safetensors").stat().st_size < 0.6 * full_size
    assert {t.dtype for t in load_file(half / "model.safetensors").values()} == {torch.float16}
    assert {t.dtype for t in load_file(full / "model.safetensors").values()} == {torch.float32}
    # Loading computes in float32, on the float16-rounded weights.
    loaded = load_model(half).model
    assert {p.dtype for p in loaded.parameters()} == {torch.float32}
    original = untrained_model.encoder.embedding.weight
    assert torch.equal(loaded.encoder.embedding.weight, original.half().float())
    assert not torch.equal(loaded.encoder.embedding.weight, original)  # it really was rounded


def test_missing_directory_and_files(tmp_path, saved):
    with pytest.raises(CheckpointError, match="does not exist"):
        load_model(tmp_path / "nowhere")
    (saved / "tgt_vocab.json").unlink()
    with pytest.raises(CheckpointError, match="missing tgt_vocab.json"):
        load_model(saved)


def test_corrupt_weights(saved):
    (saved / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(CheckpointError, match="model.safetensors is corrupt"):
        load_model(saved)


def test_corrupt_json(saved):
    (saved / "config.json").write_text("{ not json")
    with pytest.raises(CheckpointError, match="config.json is corrupt"):
        load_model(saved)


def test_mismatched_vocabulary_and_weights(saved):
    config = json.loads((saved / "config.json").read_text())
    (saved / "config.json").write_text(json.dumps({**config, "tgt_vocab_size": 99}))
    with pytest.raises(CheckpointError, match="tgt_vocab.json has 12 tokens but config.json says 99"):
        load_model(saved)
    (saved / "config.json").write_text(json.dumps({**config, "hidden_size": 16, "embedding_size": 16}))
    with pytest.raises(CheckpointError, match="has shape"):
        load_model(saved)
