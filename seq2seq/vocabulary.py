"""Token ↔ id mapping with the four special tokens, saved as JSON."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

PAD, UNK, SOS, EOS = "<pad>", "<unk>", "<sos>", "<eos>"
SPECIALS = (PAD, UNK, SOS, EOS)
PAD_ID, UNK_ID, SOS_ID, EOS_ID = range(4)


class Vocabulary:
    """`word2idx` / `idx2word` with `<pad>=0 <unk>=1 <sos>=2 <eos>=3`."""

    def __init__(self, tokens: Iterable[str]):
        self.idx2word: list[str] = list(SPECIALS) + [t for t in tokens if t not in SPECIALS]
        self.word2idx: dict[str, int] = {t: i for i, t in enumerate(self.idx2word)}
        if len(self.word2idx) != len(self.idx2word):
            raise ValueError("vocabulary tokens must be unique")

    @classmethod
    def build(cls, sentences: Iterable[list[str]], min_freq: int = 2, max_size: int | None = None) -> Vocabulary:
        """Tokens seen at least `min_freq` times, most frequent first (ties alphabetical)."""
        counts = Counter(t for tokens in sentences for t in tokens)
        ranked = sorted((t for t, n in counts.items() if n >= min_freq), key=lambda t: (-counts[t], t))
        return cls(ranked[:max_size] if max_size else ranked)

    def __len__(self) -> int:
        return len(self.idx2word)

    def encode(self, tokens: list[str]) -> list[int]:
        return [self.word2idx.get(t, UNK_ID) for t in tokens]

    def decode(self, ids: Iterable[int]) -> list[str]:
        return [self.idx2word[i] for i in ids]

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps({"tokens": self.idx2word}, ensure_ascii=False, indent=0), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Vocabulary:
        tokens = json.loads(Path(path).read_text(encoding="utf-8"))["tokens"]
        if list(tokens[:4]) != list(SPECIALS):
            raise ValueError(f"{path}: the first four tokens must be {SPECIALS}")
        return cls(tokens)
