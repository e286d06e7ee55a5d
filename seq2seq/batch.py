"""Turning tokenised pairs into padded tensors, in batches of similar length."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from .vocabulary import EOS_ID, PAD_ID, SOS_ID


@dataclass
class Batch:
    src_ids: Tensor  # (batch, src_len) natural order, right-padded, no <eos>
    src_lengths: Tensor  # (batch,)
    tgt_in_ids: Tensor  # (batch, tgt_len + 1) <sos> y1 … yn, padded
    tgt_out_ids: Tensor  # (batch, tgt_len + 1) y1 … yn <eos>, padded

    @property
    def num_target_tokens(self) -> int:
        return int((self.tgt_out_ids != PAD_ID).sum())


def pad(sequences: list[list[int]], value: int = PAD_ID) -> Tensor:
    """(batch, longest) tensor of right-padded rows."""
    longest = max((len(s) for s in sequences), default=0)
    return torch.tensor([s + [value] * (longest - len(s)) for s in sequences], dtype=torch.long)


def source_tensors(src: list[list[int]]) -> tuple[Tensor, Tensor]:
    """Padded source ids (batch, src_len) and their lengths (batch,)."""
    return pad(src), torch.tensor([len(s) for s in src], dtype=torch.long)


def collate(examples: list[tuple[list[int], list[int]]]) -> Batch:
    src_ids, src_lengths = source_tensors([s for s, _ in examples])
    return Batch(
        src_ids=src_ids,
        src_lengths=src_lengths,
        tgt_in_ids=pad([[SOS_ID] + t for _, t in examples]),
        tgt_out_ids=pad([t + [EOS_ID] for _, t in examples]),
    )


def length_batches(
    examples: list[tuple[list[int], list[int]]], batch_size: int, generator: torch.Generator | None = None
) -> list[Batch]:
    """Batches of examples of similar source length, in shuffled order.

    As in the paper, grouping by length wastes little compute on padding. The
    examples are shuffled first, so equal lengths mix differently each epoch.
    """
    order = (
        torch.randperm(len(examples), generator=generator).tolist() if generator is not None else range(len(examples))
    )
    by_length = sorted(order, key=lambda i: (len(examples[i][0]), len(examples[i][1])))
    chunks = [by_length[i : i + batch_size] for i in range(0, len(by_length), batch_size)]
    if generator is not None:
        chunks = [chunks[i] for i in torch.randperm(len(chunks), generator=generator).tolist()]
    return [collate([examples[i] for i in chunk]) for chunk in chunks]
