"""A model directory's JSON is checked before anything is allocated: sizes within bounds, every failure
one line that names its file and field and never echoes a huge value."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from seq2seq.checkpoint import MAX_PARAMETERS, CheckpointError, build_model, load_model, parameter_count, save_model
from seq2seq.model import Seq2SeqConfig
from seq2seq.text import TextConfig


@pytest.fixture()
def saved(tmp_path, untrained_model, symbol_vocab):
    return save_model(tmp_path / "m", untrained_model, TextConfig("en", "zh"), symbol_vocab, symbol_vocab)


def edit(path, **changes):
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("num_layers", 1000),
        ("num_layers", 10**9),
        ("embedding_size", 10**9),
        ("src_vocab_size", 10**7),
        ("num_layers", 0),
    ],
)
def test_a_size_out_of_bounds_names_the_file_and_field(saved, field, value):
    widths = {"embedding_size": value, "hidden_size": value} if field == "embedding_size" else {}  # tied: equal
    edit(saved / "config.json", **{field: value, **widths})
    with pytest.raises(CheckpointError, match=rf"config\.json is invalid: {field} must be between 1 and"):
        load_model(saved)


def test_sizes_within_each_bound_but_too_many_parameters_together_are_refused(saved):
    edit(saved / "config.json", hidden_size=8192, embedding_size=8192, num_layers=16)
    with pytest.raises(CheckpointError, match=r"config\.json is invalid: its sizes describe [\d,]+ parameters"):
        load_model(saved)


def test_refusing_a_huge_config_allocates_nothing(saved):
    """num_layers 1000 used to allocate about 5 GB before failing; now it fails before building anything."""
    edit(saved / "config.json", num_layers=1000)
    script = (
        "import resource, sys\nfrom seq2seq.checkpoint import CheckpointError, load_model\n"
        f"try:\n    load_model({str(saved)!r})\nexcept CheckpointError as e:\n    print(e)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split("\n")
    assert "num_layers must be between 1 and 16" in out[0]
    assert int(out[1]) < 1_500_000  # peak resident KB: the interpreter and torch, no 5 GB model


def test_the_parameter_bound_is_an_upper_bound_of_every_model_kind():
    for kind in ({}, {"bidirectional": True}, {"attention": True}, {"tie_embeddings": False, "embedding_size": 24}):
        config = Seq2SeqConfig(50, 60, **{"hidden_size": 32, "num_layers": 3, "embedding_size": 32, **kind})
        assert (
            build_model(config).num_parameters()
            <= parameter_count(config)
            <= 1.3 * build_model(config).num_parameters()
        )
    assert parameter_count(Seq2SeqConfig(4000, 2400, 384, 384)) < MAX_PARAMETERS


def test_deeply_nested_json_names_its_file(saved):
    (saved / "config.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CheckpointError, match=r"config\.json is corrupt: nested too deeply"):
        load_model(saved)


def test_an_unknown_field_is_named_without_guessing_a_version(saved):
    (saved / "text.json").write_text(json.dumps({"direction": 5}))
    with pytest.raises(CheckpointError) as caught:
        load_model(saved)
    message = str(caught.value)
    assert "text.json" in message and "direction" in message and "src_lang" in message
    assert "newer version" not in message


def test_a_huge_value_is_not_echoed(saved):
    edit(saved / "config.json", dropout="x" * 100_000)
    with pytest.raises(CheckpointError) as caught:
        load_model(saved)
    assert "config.json" in str(caught.value) and "dropout" in str(caught.value)
    assert len(str(caught.value)) < 300
