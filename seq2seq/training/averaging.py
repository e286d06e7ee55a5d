"""Checkpoint averaging: the element-wise mean of the weights a training run kept after several epochs.

Averaging the last epochs of a run smooths the noise of the final updates and often scores a little
better than any one of them (Vaswani et al., 2017, averaged the last checkpoints of every model). The
run keeps each epoch's float32 weights in OUT/resume/epoch-N.safetensors; `average` chooses the window
of epochs by validation BLEU, never by the test split.
"""

from __future__ import annotations

from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file

from ..checkpoint import CheckpointError, LoadedModel, load_model, save_model


def epoch_weights(run: str | Path, epoch: int) -> dict[str, torch.Tensor]:
    path = Path(run) / "resume" / f"epoch-{epoch}.safetensors"
    if not path.is_file():
        raise CheckpointError(f"{path} does not exist: the run kept no weights for epoch {epoch}")
    try:
        return load_file(path)
    except (SafetensorError, OSError, ValueError) as error:
        raise CheckpointError(f"{path} is corrupt: {error}") from error


def average_epochs(run: str | Path, epochs: list[int]) -> dict[str, torch.Tensor]:
    """The mean of the weights kept after each of `epochs` (float32)."""
    if not epochs:
        raise ValueError("no epochs to average")
    total = {k: v.double() for k, v in epoch_weights(run, epochs[0]).items()}
    for epoch in epochs[1:]:
        for key, value in epoch_weights(run, epoch).items():
            total[key] += value.double()
    return {k: (v / len(epochs)).float() for k, v in total.items()}


def with_weights(loaded: LoadedModel, weights: dict[str, torch.Tensor]) -> LoadedModel:
    """A copy of the loaded model directory's model with `weights` (the tied output weight follows)."""
    model = load_model(loaded.directory).model
    model.load_state_dict(weights, strict=False)
    return LoadedModel(
        model,
        loaded.text,
        loaded.src_vocab,
        loaded.tgt_vocab,
        loaded.truecase,
        loaded.record,
        loaded.directory,
        loaded.source_counts,
    )


def save_averaged(loaded: LoadedModel, weights: dict[str, torch.Tensor], out: str | Path, record: dict) -> Path:
    """Write the averaged model as a model directory (float16 weights, as shipped)."""
    averaged = with_weights(loaded, weights)
    return save_model(
        out, averaged.model, loaded.text, loaded.src_vocab, loaded.tgt_vocab, loaded.truecase, record, half=True
    )


def windows(last: int, best: int, sizes: tuple[int, ...] = (2, 3, 4, 6, 8, 10)) -> list[list[int]]:
    """Candidate windows: the last k epochs, and the k epochs up to the best one, for each size k."""
    found = []
    for end in sorted({last, best}):
        for size in sizes:
            if size <= end:
                window = list(range(end - size + 1, end + 1))
                if window not in found:
                    found.append(window)
    return found


def average_run(run: str | Path, data: str | Path, out: str | Path, log=print) -> dict:
    """Average the window of epochs with the best validation BLEU (greedy); if it beats the run's own
    best checkpoint, write it to `out` with its scores (valid and test, greedy and beam 5)."""
    from ..data import splits_of
    from ..pipeline import Translator
    from .evaluation import evaluate

    loaded = load_model(run)
    record = loaded.record
    if not isinstance(record.get("epochs"), int) or not isinstance(record.get("best_epoch"), int):
        raise CheckpointError(f"{Path(run) / 'training.json'} has no 'epochs' and 'best_epoch': not a training run")
    direction = loaded.text.direction
    splits = splits_of(data, record)
    valid = [getattr(p, direction[:2]) for p in splits.valid], [getattr(p, direction[-2:]) for p in splits.valid]
    test = [getattr(p, direction[:2]) for p in splits.test], [getattr(p, direction[-2:]) for p in splits.test]
    baseline = evaluate(Translator(loaded), *valid)["bleu"]
    log(f"{run}: best single checkpoint (epoch {record.get('best_epoch')}): valid BLEU {baseline:.2f}")
    tried = []
    for window in windows(record["epochs"], record["best_epoch"]):
        translator = Translator(with_weights(loaded, average_epochs(run, window)))
        bleu = evaluate(translator, *valid)["bleu"]
        tried.append({"epochs": window, "valid_bleu": round(bleu, 2)})
        log(f"  epochs {window[0]}-{window[-1]}: valid BLEU {bleu:.2f}")
    chosen = max(tried, key=lambda row: row["valid_bleu"])
    result = {"run": str(run), "single_valid_bleu": round(baseline, 2), "windows": tried, "chosen": None}
    if chosen["valid_bleu"] <= baseline:
        log("no window beats the single best checkpoint; nothing written")
        return result
    weights = average_epochs(run, chosen["epochs"])
    averaged = {**record, "averaged": {"epochs": chosen["epochs"], "windows": tried, "single_valid_bleu": baseline}}
    save_averaged(loaded, weights, out, averaged)
    shipped = Translator(load_model(out))  # score exactly what is written (float16)
    metrics = {}
    for name, beam in (("greedy", 1), ("beam5", 5)):
        for split, (sources, references) in (("valid", valid), ("test", test)):
            scores = evaluate(shipped, sources, references, beam)
            keys = ("bleu", "chrf", "sentences", "single_reference", "by_length")
            metrics[f"{split}_{name}"] = {k: scores[k] for k in keys}
    averaged["metrics"] = metrics
    save_averaged(loaded, weights, out, averaged)
    result["chosen"] = chosen | {k: metrics[k]["bleu"] for k in metrics}
    log(f"chose epochs {chosen['epochs'][0]}-{chosen['epochs'][-1]}: {result['chosen']}")
    return result
