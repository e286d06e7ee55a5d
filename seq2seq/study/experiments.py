"""The paper's experiments on our data: train the variants, score them, write the table.

    python -m seq2seq experiments --data cmn.txt --epochs 8 --hidden-size 128 --jobs 2

Every variant trains with the same split, seed, data and number of epochs,
differing in one option from the baseline (reversed source, 2 layers,
unidirectional encoder, no attention). Runs are subprocesses of
`python -m seq2seq train`, so an interrupted run resumes and a finished one is
skipped when the command runs again. Scores are on the shared test split:
multi-reference BLEU and chrF of greedy decoding, and the teacher-forced test
perplexity. The beam-size sweep runs on the shipped models, the best
attention-free models we have.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import torch

from ..batch import length_batches
from ..data import sides, splits_of
from ..model import perplexity
from ..pipeline import Translator
from ..search import translate
from ..training.evaluation import evaluate, group_references
from ..training.loop import _examples, _git_commit, validation_loss

DIRECTIONS = ("en-zh", "zh-en")
BASELINE = "reversed · 2 layers · unidirectional"


@dataclass
class Variant:
    name: str  # run directory under --runs
    options: dict = field(default_factory=dict)  # `train` flags that differ from the baseline
    cost: float = 1.0  # relative training time, to start the longest runs first


def variants(direction: str) -> list[Variant]:
    """One direction's runs; `base` is the baseline and ensemble member 1."""
    return [
        Variant(f"{direction}/base"),
        Variant(f"{direction}/forward", {"reverse_source": False}),
        Variant(f"{direction}/layers1", {"num_layers": 1}),
        Variant(f"{direction}/layers4", {"num_layers": 4}),
        Variant(f"{direction}/bidirectional", {"bidirectional": True}),
        Variant(f"{direction}/attention", {"attention": True}),
        Variant(f"{direction}/seed2", {"seed": 2}),
        Variant(f"{direction}/seed3", {"seed": 3}),
    ]


# The same epochs cover both directions' pairs: the multi-task model sees each pair as often as
# the single-direction models do, and costs what the two of them cost together.
MULTITASK = Variant("both/multitask", {"direction": "both"}, cost=2.0)

# (comparison, variant label, run names: one model, several for an ensemble, or the multi-task model)
ROWS = [
    ("source order", "reversed (the paper)", ["base"]),
    ("source order", "forward", ["forward"]),
    ("depth", "1 layer", ["layers1"]),
    ("depth", "2 layers", ["base"]),
    ("depth", "4 layers", ["layers4"]),
    ("encoder", "unidirectional", ["base"]),
    ("encoder", "bidirectional", ["bidirectional"]),
    ("ensemble", "single model, seed 1", ["base"]),
    ("ensemble", "single model, seed 2", ["seed2"]),
    ("ensemble", "single model, seed 3", ["seed3"]),
    ("ensemble", "ensemble of 3 (seeds 1-3)", ["base", "seed2", "seed3"]),
    ("multi-task", "one direction per model", ["base"]),
    ("multi-task", "one model, both directions", ["multitask"]),
    ("attention", "attention-free (the paper)", ["base"]),
    ("attention", "Luong attention (comparison)", ["attention"]),
]
BEAMS = (1, 2, 5, 12)


def _flags(options: dict) -> list[str]:
    flags = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if isinstance(value, bool):
            flags.append(flag if value else "--no-" + key.replace("_", "-"))
        else:
            flags += [flag, str(value)]
    return flags


def train_command(variant: Variant, data: str, runs: Path, epochs: int, common: dict) -> list[str]:
    options = {**common, "direction": variant.name.split("/")[0], **variant.options, "max_epochs": epochs}
    return [
        sys.executable,
        "-m",
        "seq2seq",
        "train",
        "--data",
        data,
        "--out",
        str(runs / variant.name),
        *_flags(options),
    ]


def train_all(data: str, runs: Path, epochs: int, jobs: int, common: dict, log=print) -> None:
    """Train every variant not trained yet, `jobs` at a time, longest first."""
    todo = [MULTITASK] + [v for d in DIRECTIONS for v in variants(d)]
    todo = [v for v in todo if not (runs / v.name / "training.json").is_file()]
    todo.sort(key=lambda v: -(v.cost + 0.3 * v.options.get("num_layers", 2)))

    if todo:
        with open(data, "rb"):  # a missing data file is one error here, not one failed run per variant
            pass

    def run(variant: Variant) -> str | None:
        """The variant's log file when its training failed."""
        directory = runs / variant.name
        directory.mkdir(parents=True, exist_ok=True)
        command = train_command(variant, data, runs, epochs, common)
        log(f"start {variant.name}: {' '.join(command[1:])}")
        with open(directory / "train.log", "a") as out:
            code = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT).returncode
        log(f"{'done' if code == 0 else f'FAILED ({code})'} {variant.name}")
        return None if code == 0 else str(directory / "train.log")

    with ThreadPoolExecutor(jobs) as pool:
        failed = [path for path in pool.map(run, todo) if path]
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(todo)} training runs failed; see {', '.join(failed)}")


def _translator(runs: Path, direction: str, names: list[str]) -> Translator:
    if names == ["multitask"]:
        return Translator.load(runs / MULTITASK.name).for_direction(direction)
    paths = [runs / direction / name for name in names]
    return Translator.load(paths[0]) if len(paths) == 1 else Translator.ensemble(paths)


@torch.inference_mode()
def test_perplexity(translator: Translator, sources: list[str], references: list[str]) -> float:
    """exp(mean NLL per target token, <eos> included) of the references, teacher-forced."""
    batches = length_batches(_examples(translator, sources, references), 256)
    return perplexity(validation_loss(translator.model, batches, torch.device("cpu")))


def _record(runs: Path, direction: str, names: list[str]) -> dict:
    name = MULTITASK.name if names == ["multitask"] else f"{direction}/{names[0]}"
    return json.loads((runs / name / "training.json").read_text())


def score_rows(data: str, runs: Path, log=print) -> list[dict]:
    rows = []
    for direction in DIRECTIONS:
        split = None
        for comparison, label, names in ROWS:
            translator = _translator(runs, direction, names)
            records = [_record(runs, direction, [n]) for n in names]
            split = split or splits_of(data, records[0]).test
            sources, references = sides(split, direction)
            result = evaluate(translator, sources, references, 1)
            row = {
                "comparison": comparison,
                "variant": label,
                "direction": direction,
                "bleu": round(result["bleu"], 2),
                "chrf": round(result["chrf"], 2),
                "perplexity": round(test_perplexity(translator, sources, references), 2),
                "parameters": translator.model.num_parameters(),
                "epochs": sum(r["epochs"] for r in records),
                "train_minutes": round(sum(r["train_seconds"] for r in records) / 60, 1),
                "runs": [MULTITASK.name if n == "multitask" else f"{direction}/{n}" for n in names],
                "note": "" if names != ["multitask"] else "shared vocabulary; trained on both directions",
            }
            log(json.dumps(row, ensure_ascii=False))
            rows.append(row)
    return rows


def beam_sweep(data: str, models: dict[str, str], log=print) -> list[dict]:
    """BLEU, chrF and time per sentence for beam sizes 1, 2, 5 and 12, on the test split."""
    out = []
    for direction, model_dir in models.items():
        translator = Translator.load(model_dir)
        split = splits_of(data, translator.loaded.record).test
        sources, references = sides(split, direction)
        distinct, _ = group_references(sources, references)
        timing_ids = [translator.source_ids(s)[0] for s in distinct[:100]]
        for beam in BEAMS:
            result = evaluate(translator, sources, references, beam)
            times = []
            for ids in timing_ids:  # one sentence at a time, as the app decodes
                started = time.perf_counter()
                translate(translator.model, ids, beam, top_k=1)
                times.append(time.perf_counter() - started)
            row = {
                "direction": direction,
                "model": model_dir,
                "beam": beam,
                "bleu": round(result["bleu"], 2),
                "chrf": round(result["chrf"], 2),
                "ms_per_sentence": round(statistics.median(times) * 1e3, 1),
            }
            log(json.dumps(row))
            out.append(row)
    return out


def common_options(hidden_size: int) -> dict:
    """What every variant shares: the shipped models' recipe at a size 2 CPU cores can afford many times."""
    return {
        "embedding_size": hidden_size,
        "hidden_size": hidden_size,
        "zh_units": "char",
        "en_lowercase": True,
        "dropout": 0.2,
        "batch_size": 64,
        "patience": 100,  # the epoch budget, not early stopping, ends every run
        "lr_decay_epochs": 2,  # anneal: halve the learning rate in each of the last two epochs
        "max_minutes": 1000.0,
        "threads": 1,
        "final_evaluation": False,
    }


def run_experiments(args, log=print) -> None:
    runs, out = Path(args.runs), Path(args.out)
    if args.stage in ("train", "all"):
        train_all(args.data, runs, args.epochs, args.jobs, common_options(args.hidden_size), log)
    if args.stage in ("score", "all"):
        torch.set_num_threads(1)
        results = {
            "command": "python -m seq2seq experiments " + " ".join(sys.argv[2:]),
            "git_commit": _git_commit(),
            "settings": {
                "epochs_per_run": args.epochs,
                "hidden_size": args.hidden_size,
                "embedding_size": args.hidden_size,
                "threads_per_run": 1,
                "note": NOTE.format(epochs=args.epochs, hidden=args.hidden_size),
            },
            "rows": score_rows(args.data, runs, log),
            "beam_sweep": beam_sweep(args.data, dict(zip(DIRECTIONS, args.shipped)), log),
        }
        results["claims"] = claims(results)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.with_suffix(".json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
        out.with_suffix(".md").write_text(markdown(results))
        log(f"wrote {out.with_suffix('.json')} and {out.with_suffix('.md')}")
    if args.stage == "sweep":  # the shipped models changed: score their beam sizes again, keep the variants' rows
        torch.set_num_threads(1)
        results = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
        results["beam_sweep"] = beam_sweep(args.data, dict(zip(DIRECTIONS, args.shipped)), log)
        results["beam_sweep_command"] = "python -m seq2seq experiments " + " ".join(sys.argv[2:])
        results["beam_sweep_git_commit"] = _git_commit()
        results["claims"] = claims(results)
        out.with_suffix(".json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
        out.with_suffix(".md").write_text(markdown(results))
        log(f"rewrote the beam sweep and claims of {out.with_suffix('.json')} and {out.with_suffix('.md')}")


NOTE = (
    "CPU-sized variants: {hidden} units (the shipped models have 384), {epochs} epochs each (the learning rate "
    "halved in each of the last two), one thread per run, two runs at a time on the 2-core development machine; "
    "greedy decoding for the variant rows. Same split, seed and epochs for every variant, so a rerun gives the "
    "same numbers. "
    "The paper trained 4-layer, 1000-unit LSTMs for 10 days on 8 GPUs, so only the direction of each effect "
    "is comparable, not its size."
)


def _bleu(results: dict, direction: str, comparison: str, variant: str) -> float:
    return next(
        r["bleu"]
        for r in results["rows"]
        if (r["direction"], r["comparison"], r["variant"]) == (direction, comparison, variant)
    )


def claims(results: dict) -> list[dict]:
    """Each claim of the paper beside what our table measured, in both directions."""

    def both(comparison: str, *labels: str) -> str:
        parts = []
        for d in DIRECTIONS:
            parts.append(f"{d}: " + " vs ".join(f"{_bleu(results, d, comparison, v):.2f}" for v in labels))
        return "; ".join(parts) + " BLEU"

    def sweep(direction: str) -> str:
        rows = [r for r in results["beam_sweep"] if r["direction"] == direction]
        return ", ".join(f"beam {r['beam']}: {r['bleu']:.2f}" for r in rows)

    return [
        {
            "claim": "Reversing the source sentence helps",
            "paper": "En→Fr BLEU 25.9 → 30.6, test perplexity 5.8 → 4.7",
            "ours": "forward vs reversed: " + both("source order", "forward", "reversed (the paper)"),
        },
        {
            "claim": "Deep LSTMs beat shallow ones",
            "paper": "each added layer cut perplexity by nearly 10%; 4 layers used",
            "ours": "1 vs 2 vs 4 layers: " + both("depth", "1 layer", "2 layers", "4 layers"),
        },
        {
            "claim": "An ensemble beats a single model",
            "paper": "5 reversed LSTMs: 34.81 vs 31.5 for the best single one (beam 12)",
            "ours": "single (seed 1) vs ensemble of 3: "
            + both("ensemble", "single model, seed 1", "ensemble of 3 (seeds 1-3)"),
        },
        {
            "claim": "Beam size 2 gives most of the benefit of beam search",
            "paper": "ensemble of 5: 33.00 (beam 1), 34.50 (beam 2), 34.81 (beam 12)",
            "ours": "; ".join(f"{d}: {sweep(d)}" for d in DIRECTIONS) + " (shipped models)",
        },
        {
            "claim": "(Tutorial) A bidirectional encoder helps",
            "paper": "not in the paper",
            "ours": "unidirectional vs bidirectional: " + both("encoder", "unidirectional", "bidirectional"),
        },
        {
            "claim": "(Tutorial) Multi-task learning helps",
            "paper": "not in the paper",
            "ours": "one direction per model vs one model for both: "
            + both("multi-task", "one direction per model", "one model, both directions"),
        },
        {
            "claim": "(Tutorial) Attention removes the fixed-size bottleneck",
            "paper": "not in the paper (Bahdanau et al. and Luong et al., 2015)",
            "ours": "attention-free vs attention: "
            + both("attention", "attention-free (the paper)", "Luong attention (comparison)"),
        },
    ]


def markdown(results: dict) -> str:
    """The results as markdown: settings, the variant table, the beam sweep and the claims."""
    lines = [
        "# Experiments: the paper's claims on Tatoeba (cmn-eng)",
        "",
        f"Made by `{results['command']}` at commit `{results['git_commit']}`.",
        "",
        results["settings"]["note"],
        "",
        "Test split, multi-reference BLEU and chrF, greedy decoding; perplexity of the references, teacher-forced.",
        "",
        "| comparison | variant | direction | BLEU | chrF | perplexity | parameters | epochs | minutes |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(results["rows"], key=lambda r: r["direction"]):
        lines.append(
            f"| {r['comparison']} | {r['variant']} | {r['direction']} | {r['bleu']:.2f} | {r['chrf']:.2f} "
            f"| {r['perplexity']:.2f} | {r['parameters'] / 1e6:.1f} M | {r['epochs']} | {r['train_minutes']} |"
        )
    lines += [
        "",
        "## Beam size (shipped models)",
        "",
        "| direction | beam | BLEU | chrF | ms per sentence |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['direction']} | {r['beam']} | {r['bleu']:.2f} | {r['chrf']:.2f} | {r['ms_per_sentence']} |"
        for r in results["beam_sweep"]
    ]
    lines += ["", "## The paper's claims beside ours", "", "| claim | paper | ours |", "|---|---|---|"]
    lines += [f"| {c['claim']} | {c['paper']} | {c['ours']} |" for c in results["claims"]]
    return "\n".join(lines) + "\n"
