"""The training command end to end on a tiny synthetic Tatoeba-format file, and the
translate command's line contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seq2seq.checkpoint import load_model
from seq2seq.data import file_sha256, load_splits, read_tatoeba, splits_of
from seq2seq.pipeline import Translator
from seq2seq.training.evaluation import translate_all
from seq2seq.training.loop import prepare, train

from helpers import run_main, tiny_config


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[Path, dict]:
    tmp_path = tmp_path_factory.mktemp("train")
    config = tiny_config(tmp_path, "model", max_epochs=6)
    return Path(config.out), train(config, log=lambda line: None)


def test_training_writes_a_complete_model_directory(trained):
    out, record = trained
    for name in ("model.safetensors", "config.json", "text.json", "src_vocab.json", "tgt_vocab.json", "training.json"):
        assert (out / name).is_file()
    assert record == json.loads((out / "training.json").read_text())
    assert len(record["data_sha256"]) == 64 and record["seed"] == 1234 and record["epochs"] == 6
    assert [row["epoch"] for row in record["history"]] == [1, 2, 3, 4, 5, 6]
    assert record["history"][-1]["train_loss"] < record["history"][0]["train_loss"]
    for key in ("valid_greedy", "test_greedy", "valid_beam5", "test_beam5"):
        assert 0 <= record["metrics"][key]["bleu"] <= 100
    assert record["metrics"]["test_greedy"]["bleu"] > 50  # the number task is easy
    # The model is the one the TrainConfig describes, field by field.
    model_config = load_model(out).model.config.to_dict()
    shared = set(model_config) & set(record["train_config"])
    assert shared >= {"embedding_size", "hidden_size", "num_layers", "dropout", "reverse_source", "attention"}
    assert {k: model_config[k] for k in shared} == {k: record["train_config"][k] for k in shared}


def test_recorded_split_is_the_one_the_data_gives(trained):
    out, record = trained
    data = out.parent / "cmn.txt"
    settings = record["train_config"]
    splits = load_splits(data, settings["split_seed"], settings["valid_size"], settings["test_size"])
    assert record["split_sizes"] == {name: len(getattr(splits, name)) for name in ("train", "valid", "test")}
    assert sum(record["split_sizes"].values()) == len(read_tatoeba(data))
    assert splits_of(data, record) == splits  # what evaluate, bench and figure3 rebuild from the record
    assert record["data_sha256"] == file_sha256(data)


def test_trained_model_translates(trained):
    translator = Translator.load(trained[0])
    assert translator.translate_text("One two three.") == "一二三。"
    assert translator.translate_text("One two three.", beam_size=4) == "一二三。"
    assert translator.translate_text("   ") == ""


def test_training_is_deterministic_and_resumable(tmp_path):
    a = train(tiny_config(tmp_path, "a", pairs=300, max_epochs=2, final_evaluation=False), log=lambda line: None)
    b = train(tiny_config(tmp_path, "b", max_epochs=2, final_evaluation=False), log=lambda line: None)
    timing = ("seconds", "train_tokens_per_second")  # the only numbers allowed to differ
    without_timing = lambda history: [{k: v for k, v in row.items() if k not in timing} for row in history]  # noqa: E731
    assert without_timing(a["history"]) == without_timing(b["history"])
    weights = lambda name: (tmp_path / name / "model.safetensors").read_bytes()  # noqa: E731
    assert weights("a") == weights("b")
    # "Interrupted" after 2 epochs; the same command with more epochs goes on from there.
    resumed = train(tiny_config(tmp_path, "a", max_epochs=3, final_evaluation=False), log=lambda line: None)
    assert [row["epoch"] for row in resumed["history"]] == [1, 2, 3]
    assert resumed["history"][:2] == a["history"]
    assert load_model(tmp_path / "a").record["epochs"] == 3


def test_translate_command_keeps_lines(trained):
    lines = ["One two.", "", "Three four five.", "   ", "Six."]
    result = run_main("translate", "--model", trained[0], "--beam", 3, stdin=("\n".join(lines) + "\n").encode())
    assert result.status == 0 and result.stderr == "", result.stderr
    out = result.stdout.split("\n")
    assert out[-1] == "" and len(out[:-1]) == len(lines)
    assert out[:-1] == ["一二。", "", "三四五。", "", "六。"]


def test_init_from_continues_a_trained_model(tmp_path, trained):
    config = tiny_config(tmp_path, "continued", max_epochs=1, init_from=str(trained[0]), final_evaluation=False)
    record = train(config, log=lambda line: None)
    assert record["init_from"]["epochs"] == 6 and record["init_from"]["history"] == trained[1]["history"]
    # It starts where the earlier model ended, not from scratch: its first epoch is already good.
    assert record["history"][0]["valid_bleu"] > trained[1]["history"][0]["valid_bleu"]
    assert (Path(config.out) / "resume" / "epoch-1.safetensors").is_file()
    with pytest.raises(ValueError, match="differs"):
        train(
            tiny_config(tmp_path, "wider", embedding_size=64, hidden_size=64, init_from=str(trained[0])),
            log=lambda line: None,
        )


def test_diversify_writes_the_models_other_translations_of_the_training_split(tmp_path, trained):
    out, record = trained
    data, synthetic = out.parent / "cmn.txt", tmp_path / "bt.txt"
    result = run_main("diversify", "--model", out, "--data", data, "--beam", 3, "--out", synthetic)
    assert result.status == 0 and f"→ {synthetic}" in result.stderr, result.stderr
    train_split = splits_of(data, record).train
    references: dict[str, set[str]] = {}
    for pair in train_split:
        references.setdefault(pair.en, set()).add(pair.zh)
    translator = Translator.load(out)
    outputs = dict(zip(references, translate_all(translator, list(references), beam_size=3)))
    pairs = read_tatoeba(synthetic)
    # Exactly the sources whose translation is not already one of their references, each with that translation.
    assert {(p.en, p.zh) for p in pairs} == {(s, o) for s, o in outputs.items() if o not in references[s]}
    assert 0 < len(pairs) < len(references) and all("(beam 3) from the training split" in p.attribution for p in pairs)
    # Training reads them once an epoch beside the split, vocabularies unchanged.
    splits = splits_of(data, record)
    plain = prepare(tiny_config(tmp_path, "m"), splits)
    with_bt = prepare(tiny_config(tmp_path, "m", synthetic=str(synthetic)), splits)
    assert with_bt.src_vocab.idx2word == plain.src_vocab.idx2word and with_bt.valid == plain.valid
    assert len(with_bt.train) == len(plain.train) + len(pairs) and with_bt.sizes["train_synthetic"] == len(pairs)
