"""seq2seq/study/experiments.py on made-up results: the runs it trains, the commands it starts, the claims
and the table it writes (the numbers themselves come from `score_rows`, which runs the models)."""

from __future__ import annotations

import argparse
from dataclasses import fields
from pathlib import Path

import pytest

from seq2seq.__main__ import _add_train_options
from seq2seq.study import experiments
from seq2seq.training.loop import TrainConfig


def fake_results() -> dict:
    """One row per (direction, comparison, variant) with a BLEU no other row has, and a beam sweep."""
    rows = []
    for d, direction in enumerate(experiments.DIRECTIONS):
        for i, (comparison, variant, names) in enumerate(experiments.ROWS):
            rows.append(
                {
                    "comparison": comparison,
                    "variant": variant,
                    "direction": direction,
                    "bleu": 10 + d * 20 + i + 0.25,
                    "chrf": 40 + i + 0.5,
                    "perplexity": 3 + i / 10,
                    "parameters": 1_000_000 * len(names),
                    "epochs": 8 * len(names),
                    "train_minutes": 1.5 * len(names),
                    "runs": [f"{direction}/{n}" for n in names],
                    "note": "",
                }
            )
    sweep = [
        {
            "direction": d,
            "model": f"m/{d}",
            "beam": beam,
            "bleu": 30 + beam / 100 + k,
            "chrf": 50.0,
            "ms_per_sentence": 9.5,
        }
        for k, d in enumerate(experiments.DIRECTIONS)
        for beam in experiments.BEAMS
    ]
    return {
        "command": "python -m seq2seq experiments --data cmn.txt",
        "git_commit": "abc123",
        "settings": {"note": "NOTE-MARKER"},
        "rows": rows,
        "beam_sweep": sweep,
    }


def bleu(results: dict, direction: str, variant: str) -> str:
    return next(f"{r['bleu']:.2f}" for r in results["rows"] if (r["direction"], r["variant"]) == (direction, variant))


def test_every_row_is_trained_and_every_variant_differs_from_the_baseline_in_one_option():
    trained = {experiments.MULTITASK.name}
    for direction in experiments.DIRECTIONS:
        runs = experiments.variants(direction)
        names = [run.name for run in runs]
        assert len(names) == len(set(names)) and names[0] == f"{direction}/base" and runs[0].options == {}
        assert all(len(run.options) == 1 for run in runs[1:])
        trained |= set(names)
    for direction in experiments.DIRECTIONS:
        for _, _, names in experiments.ROWS:
            for name in names:
                run = experiments.MULTITASK.name if name == "multitask" else f"{direction}/{name}"
                assert run in trained


@pytest.mark.parametrize(
    "variant", [experiments.variants("zh-en")[1], experiments.variants("en-zh")[3], experiments.MULTITASK]
)
def test_train_command_parses_into_the_variants_config(variant, tmp_path):
    common = experiments.common_options(96)
    assert set(common) <= {f.name for f in fields(TrainConfig)}
    command = experiments.train_command(variant, "cmn.txt", tmp_path, 5, common)
    assert command[1:4] == ["-m", "seq2seq", "train"]
    parser = argparse.ArgumentParser()
    _add_train_options(parser)  # the train command's own options
    config = TrainConfig(**vars(parser.parse_args(command[4:])))
    assert config.out == str(tmp_path / variant.name) and config.data == "cmn.txt" and config.max_epochs == 5
    assert config.direction == variant.name.split("/")[0]
    for key, value in {**common, **variant.options}.items():
        if key != "direction":
            assert getattr(config, key) == value, key


def test_claims_quote_the_table_for_both_directions():
    results = fake_results()
    claims = experiments.claims(results)
    assert len(claims) == 7 and all(set(c) == {"claim", "paper", "ours"} for c in claims)
    compared = {  # claim index → the variants it compares, in order
        0: ["forward", "reversed (the paper)"],
        1: ["1 layer", "2 layers", "4 layers"],
        2: ["single model, seed 1", "ensemble of 3 (seeds 1-3)"],
        4: ["unidirectional", "bidirectional"],
        5: ["one direction per model", "one model, both directions"],
        6: ["attention-free (the paper)", "Luong attention (comparison)"],
    }
    for index, variants in compared.items():
        for direction in experiments.DIRECTIONS:
            quoted = " vs ".join(bleu(results, direction, v) for v in variants)
            assert f"{direction}: {quoted}" in claims[index]["ours"], (index, direction)
    for row in results["beam_sweep"]:
        assert f"beam {row['beam']}: {row['bleu']:.2f}" in claims[3]["ours"]


def test_markdown_has_one_line_per_row_sweep_and_claim():
    results = fake_results()
    results["claims"] = experiments.claims(results)
    text = experiments.markdown(results)
    lines = text.splitlines()
    assert results["command"] in text and results["git_commit"] in text and "NOTE-MARKER" in lines
    table = [line for line in lines if line.startswith("| ") and line.count("|") == 10]
    rows = sorted(results["rows"], key=lambda r: r["direction"])
    for line, row in zip(table[1:], rows):  # the header, then every row grouped by direction
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert cells[:6] == [
            row["comparison"],
            row["variant"],
            row["direction"],
            f"{row['bleu']:.2f}",
            f"{row['chrf']:.2f}",
            f"{row['perplexity']:.2f}",
        ]
        assert cells[7:] == [str(row["epochs"]), str(row["train_minutes"])]
    assert len(table) == 1 + len(rows)
    for row in results["beam_sweep"]:
        assert f"| {row['direction']} | {row['beam']} | {row['bleu']:.2f} |" in text
    for claim in results["claims"]:
        assert f"| {claim['claim']} | {claim['paper']} | {claim['ours']} |" in lines


def test_train_all_skips_finished_runs(tmp_path: Path):
    for name in [experiments.MULTITASK.name] + [
        v.name for d in experiments.DIRECTIONS for v in experiments.variants(d)
    ]:
        (tmp_path / name).mkdir(parents=True)
        (tmp_path / name / "training.json").write_text("{}")
    log = []
    experiments.train_all("cmn.txt", tmp_path, 1, 2, experiments.common_options(8), log=log.append)
    assert log == []  # nothing started
