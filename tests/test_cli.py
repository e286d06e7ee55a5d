"""Every `python -m seq2seq` command, through the same `main(argv)` a user's command line reaches (in this
process: tests/test_cli_errors.py runs the real command), on a model trained by the train command on a tiny
Tatoeba-format file (the translate command's line contract is in test_training.py)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import torch

from seq2seq.checkpoint import build_model, load_model, save_model
from seq2seq.data import file_sha256, sides, splits_of
from seq2seq.model import Seq2SeqConfig
from seq2seq.study.analysis import load_sentence_space
from seq2seq.training.evaluation import LENGTH_BUCKETS, bucket_label, group_references

from helpers import number_pairs, run_main, write_tatoeba

TRAIN_FLAGS = {"embedding-size": 24, "hidden-size": 24, "num-layers": 1, "batch-size": 16, "learning-rate": 0.01}
TRAIN_FLAGS |= {"max-epochs": 2, "valid-size": 20, "test-size": 20, "threads": 1, "dropout": 0.0}


def cli(*args: object) -> str:
    """`python -m seq2seq ARGS`, which must succeed; its stdout."""
    result = run_main(*args)
    assert result.status == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return write_tatoeba(tmp_path_factory.mktemp("cli") / "cmn.txt", number_pairs(300))


@pytest.fixture(scope="module")
def model(data) -> Path:
    out = data.parent / "en-zh"
    flags = [item for name, value in TRAIN_FLAGS.items() for item in (f"--{name}", value)]
    cli("train", "--data", data, "--out", out, "--direction", "en-zh", *flags)
    return out


@pytest.fixture(scope="module")
def test_sources(data, model) -> list[str]:
    """The distinct sources of the model's test split (what the scores average over)."""
    sources, references = sides(splits_of(data, load_model(model).record).test, "en-zh")
    return group_references(sources, references)[0]


def test_train_writes_the_model_its_flags_describe(data, model):
    record = load_model(model).record
    settings = record["train_config"]
    for name, value in TRAIN_FLAGS.items():
        assert settings[name.replace("-", "_")] == value
    assert load_model(model).model.config.hidden_size == TRAIN_FLAGS["hidden-size"]
    assert record["epochs"] == TRAIN_FLAGS["max-epochs"] == len(record["history"])
    assert record["command"].split()[:4] == ["python", "-m", "seq2seq", "train"]
    assert record["data_sha256"] == file_sha256(data)
    assert {"test_greedy", "test_beam5", "valid_greedy", "valid_beam5"} <= set(record["metrics"])


def test_evaluate_scores_the_recorded_test_split(data, model, test_sources):
    report = json.loads(cli("evaluate", "--model", model, "--data", data, "--beams", 1, 5))
    assert report["model"] == str(model) and report["split"] == "test"
    metrics = load_model(model).record["metrics"]
    for beam, name in ((1, "test_greedy"), (5, "test_beam5")):
        result = report[f"beam{beam}"]
        assert "hypotheses" not in result
        assert result["sentences"] == len(test_sources)
        # The same model, split and decoding as the evaluation at the end of training.
        assert result["bleu"] == pytest.approx(metrics[name]["bleu"], abs=1e-6)
        assert result["chrf"] == pytest.approx(metrics[name]["chrf"], abs=1e-6)
    valid = json.loads(cli("evaluate", "--model", model, "--data", data, "--split", "valid", "--beams", 1))
    assert valid["split"] == "valid" and valid["beam1"]["bleu"] == pytest.approx(metrics["valid_greedy"]["bleu"])


def test_bench_reports_latencies_for_a_trained_and_an_attention_model(data, model, tmp_path):
    report = json.loads(cli("bench", "--model", model, "--data", data, "--sentences", 3))
    assert report["model"] == str(model) and report["sentences"] == 3 and report["threads"] == 1
    for name in ("greedy", "beam5"):
        assert 0 < report[name]["ms_per_token_median"] <= report[name]["ms_per_sentence_median"] < math.inf
    assert report["train_target_tokens_per_second"] > 0
    # The comparison model, untrained, saved with the trained model's files.
    loaded = load_model(model)
    torch.manual_seed(0)
    config = Seq2SeqConfig(**{**loaded.model.config.to_dict(), "attention": True})
    attention = save_model(tmp_path / "attention", build_model(config), loaded.text, loaded.src_vocab, loaded.tgt_vocab)
    report = json.loads(cli("bench", "--model", attention, "--sentences", 2))
    assert report["sentences"] == 2 and report["decoder_weight_bytes_per_step"] > 0
    assert 0 < report["beam5"]["ms_per_sentence_median"] < math.inf


def test_card_is_written_from_the_model_directory(model, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("NOTES-MARKER\n", encoding="utf-8")
    printed = cli("card", "--model", model, "--notes", notes).strip()
    assert printed == str(model / "README.md")
    card = (model / "README.md").read_text(encoding="utf-8")
    record = load_model(model).record
    assert record["data_sha256"] in card and record["command"] in card
    assert f"{record['parameters']:,}" in card and str(record["split_sizes"]) in card
    assert f"{record['metrics']['test_beam5']['bleu']:.2f}" in card
    assert card.rstrip().endswith("NOTES-MARKER")


def test_sentence_space_indexes_training_sentences(data, model, tmp_path):
    out = tmp_path / "space"
    cli("sentence-space", "--model", model, "--data", data, "--out", out, "--size", 25, "--seed", 3)
    space = load_sentence_space(out)
    train_sources = set(sides(splits_of(data, load_model(model).record).train, "en-zh")[0])
    assert len(space) == 25 and set(space.sentences) <= train_sources
    assert space.vectors.shape == (25, 2 * TRAIN_FLAGS["num-layers"] * TRAIN_FLAGS["hidden-size"])
    assert space.info["seed"] == 3 and space.info["model_sha256"] == file_sha256(model / "model.safetensors")
    assert space.info["command"].split()[3] == "sentence-space"


def test_figure3_scores_each_model_by_length_and_rank(data, model, tmp_path, test_sources):
    out = tmp_path / "analysis" / "figure3.json"
    cli("figure3", "--data", data, "--models", model, "--out", out, "--beams", 1)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["length_buckets"] == [bucket_label(low, high) for low, high in LENGTH_BUCKETS]
    assert report["data_sha256"] == file_sha256(data)
    [entry] = report["models"]
    assert entry["model"] == str(model) and entry["direction"] == "en-zh" and list(entry["decoders"]) == ["greedy"]
    greedy = entry["decoders"]["greedy"]
    assert greedy["sentences"] == len(test_sources)
    assert greedy["bleu"] == pytest.approx(load_model(model).record["metrics"]["test_greedy"]["bleu"], abs=1e-6)
    assert sum(bucket["sentences"] for bucket in greedy["by_length"].values()) == len(test_sources)
