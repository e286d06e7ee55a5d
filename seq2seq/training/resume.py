"""A training run's resumable state: weights, optimiser and random generators in safetensors, the rest
(epoch, history, learning rates) in JSON, both replaced together so an interruption keeps the last
complete state; and each epoch's weights for checkpoint averaging (`averaging.py`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from ..model import Seq2Seq


def model_weights(model: Seq2Seq) -> dict[str, torch.Tensor]:
    """float32 weights on the CPU, tied output weight left out (it is the embedding)."""
    return {
        k: v.detach().cpu().float().contiguous() for k, v in model.state_dict().items() if k != "decoder.output.weight"
    }


def save_state(
    directory: Path, model: Seq2Seq, optimizer: torch.optim.Optimizer, generator: torch.Generator, progress: dict
) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    tensors = {
        f"model.{k}": v.detach().cpu().contiguous()
        for k, v in model.state_dict().items()
        if k != "decoder.output.weight"
    }
    opt = optimizer.state_dict()
    for index, state in opt["state"].items():
        for key, value in state.items():
            tensors[f"optim.{index}.{key}"] = torch.as_tensor(value).detach().cpu().contiguous()
    tensors["rng.torch"] = torch.get_rng_state()
    tensors["rng.data"] = generator.get_state()
    save_file(tensors, directory / "state.safetensors.tmp")
    (directory / "progress.json.tmp").write_text(json.dumps({**progress, "param_groups": opt["param_groups"]}))
    # Replace both files only once both are written, so an interruption leaves the previous state.
    os.replace(directory / "state.safetensors.tmp", directory / "state.safetensors")
    os.replace(directory / "progress.json.tmp", directory / "progress.json")


def load_state(directory: Path, model: Seq2Seq, optimizer: torch.optim.Optimizer, generator: torch.Generator) -> dict:
    tensors = load_file(directory / "state.safetensors")
    progress = json.loads((directory / "progress.json").read_text())
    model.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")}, strict=False)
    state: dict[int, dict] = {}
    for key, value in tensors.items():
        if key.startswith("optim."):
            _, index, name = key.split(".", 2)
            state.setdefault(int(index), {})[name] = value
    optimizer.load_state_dict({"state": state, "param_groups": progress.pop("param_groups")})
    torch.set_rng_state(tensors["rng.torch"])
    generator.set_state(tensors["rng.data"])
    return progress
