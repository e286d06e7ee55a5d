"""The model card is written from the model directory's own files: every number in it is one of theirs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import torch

from seq2seq.checkpoint import build_model, load_model, save_model
from seq2seq.model import Seq2SeqConfig
from seq2seq.study.modelcard import render_card, write_card
from seq2seq.text import TextConfig
from seq2seq.vocabulary import Vocabulary

VOCAB = Vocabulary(["a", "b", "c", "d", "e"])


def scores(bleu: float, chrf: float, sentences: int, by_length: dict | None = None) -> dict:
    return {
        "bleu": bleu,
        "chrf": chrf,
        "sentences": sentences,
        "single_reference": {"bleu": round(bleu - 1.5, 2)},
        "by_length": by_length or {},
    }


RECORD = {
    "command": "python -m seq2seq train --data cmn.txt --hidden-size 12",
    "git_commit": "0123abcd",
    "data_sha256": "f" * 64,
    "split_sizes": {"train": 101, "valid": 17, "test": 23},
    "seed": 77,
    "train_config": {"half": True, "learning_rate": 0.004, "clip_norm": 3.5, "label_smoothing": 0.15, "batch_size": 48},
    "epochs": 3,
    "best_epoch": 2,
    "train_seconds": 600.0,
    "threads": 1,
    "history": [
        {
            "epoch": epoch,
            "train_loss": 3.0 / epoch,
            "valid_loss": 3.5 / epoch,
            "valid_perplexity": 9.0 / epoch,
            "valid_bleu": 4.0 * epoch,
            "learning_rate": 0.004,
            "train_tokens_per_second": 1000 + epoch,
        }
        for epoch in (1, 2, 3)
    ],
    "metrics": {
        "test_greedy": scores(11.11, 22.22, 19),
        "test_beam5": scores(12.34, 23.45, 19, {"1-5": scores(15.5, 25.25, 12), "6-10": scores(7.75, 18.5, 7)}),
        "valid_greedy": scores(13.13, 24.24, 15),
        "valid_beam5": scores(14.14, 25.26, 15),
    },
}


def model_dir(tmp_path, name: str, record: dict | None, **options):
    torch.manual_seed(0)
    config = Seq2SeqConfig(len(VOCAB), len(VOCAB), embedding_size=12, hidden_size=12, num_layers=3, **options)
    model = build_model(config).eval()
    return save_model(tmp_path / name, model, TextConfig("en", "zh"), VOCAB, VOCAB, record=record, half=True)


def rows(card: str) -> list[list[str]]:
    """Every markdown table row as its cells."""
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in card.splitlines() if line.startswith("|")]


def test_card_carries_the_records_numbers(tmp_path):
    loaded = load_model(model_dir(tmp_path, "m", RECORD))
    card = render_card(loaded)
    cells = rows(card)
    for key, result in RECORD["metrics"].items():
        split, decoding = key.split("_")
        row = [f"{result['bleu']:.2f}", f"{result['chrf']:.2f}", str(result["single_reference"]["bleu"])]
        assert [split, *row, str(result["sentences"])] in [[r[0], *r[2:]] for r in cells], key
    for bucket, result in RECORD["metrics"]["test_beam5"]["by_length"].items():
        assert [bucket, f"{result['bleu']:.2f}", f"{result['chrf']:.2f}", str(result["sentences"])] in cells
    history = [r for r in cells if r[-1] in {str(h["train_tokens_per_second"]) for h in RECORD["history"]}]
    assert [r[0] for r in history] == ["1", "2", "3"]
    for text in (RECORD["data_sha256"], RECORD["command"], RECORD["git_commit"], str(RECORD["split_sizes"])):
        assert text in card
    settings = RECORD["train_config"]
    for value in (
        settings["learning_rate"],
        settings["clip_norm"],
        settings["label_smoothing"],
        settings["batch_size"],
    ):
        assert str(value) in card
    assert f"{loaded.model.num_parameters():,}" in card
    assert str(2 * 3 * 12) in card  # the context vector: h and c of 3 layers × 12 units
    assert f"{loaded.model.config.dropout}" in card and "float16" in card


@pytest.mark.parametrize("option", ["attention", "bidirectional", "reverse_source"])
def test_the_architecture_options_change_the_card(tmp_path, option):
    base = render_card(load_model(model_dir(tmp_path, "base", RECORD)))
    flipped = {option: not getattr(Seq2SeqConfig(1, 1), option)}
    other = render_card(load_model(model_dir(tmp_path, option, RECORD, **flipped)))
    assert other != base
    if option != "attention":  # the attention model says so in its title, the others in their rows only
        assert other.splitlines()[0] == base.splitlines()[0]


def test_card_names_the_extra_pairs_of_the_last_run(tmp_path):
    assert "extra pairs" not in render_card(load_model(model_dir(tmp_path, "plain", RECORD)))
    settings = {
        "short_words": 3,
        "short_weight": 3,
        "short_unpunctuated": True,
        "mine_words": True,
        "synthetic": "bt.txt",
    }
    record = {
        **RECORD,
        "train_config": {**RECORD["train_config"], **settings},
        "split_sizes": {**RECORD["split_sizes"], "train_extra": 1234, "train_synthetic": 200},
    }
    card = render_card(load_model(model_dir(tmp_path, "extra", record)))
    line = next(line for line in card.splitlines() if "extra pairs" in line)
    assert "(1,234 in all)" in line and "at most 3 words, 3 times, the extra copies without final punctuation" in line
    assert "200 back-translated pairs (`bt.txt`" in line and "co-occurrence" in line and "comma" not in line


def test_a_directory_without_a_record_still_gets_a_card(tmp_path):
    directory = model_dir(tmp_path, "bare", None)
    path = write_card(load_model(directory))
    assert path == directory / "README.md"
    card = path.read_text(encoding="utf-8")
    assert card.startswith("# ")
    assert not [r for r in rows(card) if r[0] in ("test", "valid")]  # no metrics, no metric rows


def test_write_card_appends_the_notes(tmp_path):
    directory = model_dir(tmp_path, "m", RECORD)
    notes = tmp_path / "notes.md"
    notes.write_text("\n\nEXTRA-NOTES\n\n", encoding="utf-8")
    card = write_card(load_model(directory), notes).read_text(encoding="utf-8")
    assert card == render_card(load_model(directory), "EXTRA-NOTES")
    assert card.endswith("EXTRA-NOTES\n")


def test_card_lists_every_run_of_a_continued_model():
    from seq2seq.study.modelcard import training_runs

    first = {"command": "python -m seq2seq train A", "train_seconds": 600.0, "history": [{"epoch": 1}]}
    second = {
        "command": "python -m seq2seq train B --init-from a",
        "train_seconds": 300.0,
        "history": [],
        "init_from": first,
    }
    third = {"command": "python -m seq2seq train C --init-from b", "train_seconds": 120.0, "init_from": second}
    assert [run["command"][-1] for run in training_runs(third)] == ["A", "a", "b"]


# The Model tab shows each shipped card's key facts in the reader's language (the card itself is English prose,
# behind a closed fold): in zh-CN both cards were English.
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
NAMES = {"LSTM", "BLEU", "CPU", "Tatoeba", "France", "eos"}  # names and the end-of-sentence token


@pytest.mark.parametrize("direction", ["en-zh", "zh-en"])
def test_the_model_tab_gives_the_card_facts_in_chinese(direction):
    from demo.model.card import facts
    from demo.model.tab import scored_sets

    directory = Path(__file__).resolve().parent.parent / "assets" / "models" / direction
    config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    training = json.loads((directory / "training.json").read_text(encoding="utf-8"))
    sets = scored_sets(directory)
    chinese, english = facts(config, training, "zh", sets), facts(config, training, "en", sets)
    assert [w for w in ENGLISH_WORD.findall(chinese) if w not in NAMES] == []
    assert "上下文向量" in chinese and "context vector" in english
    # The numbers are the files' own, and the same in both languages.
    number = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
    assert number.findall(chinese) == number.findall(english)
    card = (directory / "README.md").read_text(encoding="utf-8")
    for value in (f"{training['parameters']:,}", f"{config['src_vocab_size']:,} → {config['tgt_vocab_size']:,}"):
        assert value in english and value in card
    for split in ("test_greedy", "test_beam5"):
        assert f"{training['metrics'][split]['bleu']:.2f}" in chinese
    context = 2 * config["num_layers"] * config["hidden_size"]
    assert f"{context:,}" in chinese and f"{context} numbers" in card
    for name in ("first_words", "learner_set"):  # exactly right: the stored results test_learner_set checks
        counts = sets[name]["counts"]["all"]
        assert f"{counts['exact']}/{counts['total']}" in chinese


def test_the_model_tab_puts_the_english_card_behind_a_closed_fold():
    import gradio as gr

    from demo.model import tab

    with gr.Blocks() as blocks:
        tab.build(blocks)
    config = blocks.get_config_file()
    folds = [c for c in config["components"] if c.get("type") == "accordion"]
    assert len(folds) == 2 and not any(fold["props"]["open"] for fold in folds)
    values = tab.views("zh")
    assert len(values) == 8
    assert values[0::4] == ["## 英文 → 中文", "## 中文 → 英文"]  # the headings too: they were English
    for curves, facts_table, card in zip(values[1::4], values[2::4], values[3::4]):
        assert curves.data and "上下文向量" in facts_table and card.lstrip().startswith("An encoder-decoder")
