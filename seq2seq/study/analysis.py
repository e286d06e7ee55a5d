"""The paper's Figures 2 and 3 for our models: context vectors in two dimensions, BLEU by length and word rarity.

Figure 2 (Sutskever et al., 2014) projects the encoder's final state of a few phrases with PCA and shows
that sentences which mean the same end up close, whatever their word order or voice. Here that is
`phrase_map`, plus a `SentenceSpace`: a few thousand training sentences, their context vectors and a
PCA basis fitted on them, shipped next to each model, so a new sentence can be placed among them and
its nearest neighbours listed. Figure 3 (BLEU by sentence length and by average word-frequency rank)
is `figure3`, built on `evaluation.evaluate`.

Plain data out (lists, floats, dicts): the app only draws it.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import load_file, save_file

from ..batch import source_tensors
from ..data import file_sha256, sides, splits_of
from ..pipeline import Translator
from ..training.evaluation import LENGTH_BUCKETS, RANK_BUCKETS, bucket_label, evaluate, group_references

SPACE_WEIGHTS, SPACE_SENTENCES = "sentence_space.safetensors", "sentence_space.json"
TATOEBA_CREDIT = (
    "Sentences and reference translations from Tatoeba (https://tatoeba.org), CC-BY 2.0 France, "
    "as packaged by https://www.manythings.org/anki/ (cmn.txt)."
)

# Figure 2's phrase sets: the same event told with another word order or voice, and with the roles swapped.
# Every phrase is made only of tokens the shipped vocabularies know (no <unk>; checked in tests).
FIGURE2_SETS: dict[str, dict[str, list[str]]] = {
    "en": {
        # The paper's left panel says "admires"; the en-zh vocabulary does not know it (Tatoeba has it too
        # rarely), so "loves"/"loved" stand in: both voices of the verb are known.
        "who_does_what": ["John loves Mary.", "Mary loves John.", "Mary is loved by John.", "John is loved by Mary."],
        "word_order_and_voice": [  # the paper's right panel, word for word
            "I gave her a card in the garden.",
            "In the garden, I gave her a card.",
            "She was given a card by me in the garden.",
            "She gave me a card in the garden.",
            "In the garden, she gave me a card.",
            "I was given a card by her in the garden.",
        ],
    },
    "zh": {
        # 钦佩 (admire) has a character the zh-en vocabulary lacks, and 被 + a pleasant verb sounds odd in
        # Chinese (被 marks something done to you); 批评 (criticise) is known and takes 被 naturally.
        "who_does_what": ["约翰批评了玛丽。", "玛丽批评了约翰。", "玛丽被约翰批评了。", "约翰被玛丽批评了。"],
        # Chinese rarely puts "give" in the passive; the 把 construction is its usual change of word order.
        "word_order_and_voice": [
            "我在花园里给了她一张卡片。",
            "在花园里，我给了她一张卡片。",
            "我在花园里把一张卡片给了她。",
            "她在花园里给了我一张卡片。",
            "在花园里，她给了我一张卡片。",
            "她在花园里把一张卡片给了我。",
        ],
    },
}


# ---------------------------------------------------------------- context vectors and PCA


@torch.inference_mode()
def context_matrix(translator: Translator, texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
    """(len(texts), 2 × layers × hidden) float32: each text's final h of every layer, then c of every layer."""
    ids = [translator.source_ids(text)[0] for text in texts]
    config = translator.model.config
    out = np.empty((len(ids), 2 * config.num_layers * config.hidden_size), dtype=np.float32)
    # Similar lengths together so batches pad little; packing makes padding invisible to the LSTM anyway.
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        src, lengths = source_tensors([ids[i] for i in chunk])
        _, _, (h, c) = translator.model.encode(src, lengths)
        batch = len(chunk)
        flat = torch.cat([h.transpose(0, 1).reshape(batch, -1), c.transpose(0, 1).reshape(batch, -1)], dim=1)
        out[chunk] = flat.float().numpy()
    return out


def context_vector(translator: Translator, text: str) -> list[float]:
    """The context vector the encoder hands the decoder for `text`: h of every layer, then c of every layer."""
    return context_matrix(translator, [text])[0].tolist()


@dataclass
class PCABasis:
    mean: np.ndarray  # (width,)
    components: np.ndarray  # (2, width), unit rows
    explained: tuple[float, float]  # share of the total variance along each component

    def project(self, vectors: np.ndarray) -> np.ndarray:
        """(n, width) → (n, 2)."""
        return (np.asarray(vectors, dtype=np.float32) - self.mean) @ self.components.T


def fit_pca(vectors: np.ndarray | Sequence[Sequence[float]]) -> PCABasis:
    """The first two principal axes of `vectors` (n, width); each axis' largest loading is made positive,
    so the same data always gives the same picture (SVD leaves the sign of each axis arbitrary)."""
    matrix = np.asarray(vectors, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] == 0:
        raise ValueError("pca needs a non-empty (n, width) matrix")
    mean = matrix.mean(axis=0)
    # torch's LAPACK: numpy's took 60 s on the 3,000 × 1,536 sentence space here, torch's 3 s.
    _, singular, vt = (t.numpy() for t in torch.linalg.svd(torch.from_numpy(matrix - mean), full_matrices=False))
    components = np.zeros((2, matrix.shape[1]))
    components[: min(2, len(vt))] = vt[:2]
    for row in components:
        if row.any() and row[np.argmax(np.abs(row))] < 0:
            row *= -1
    variance = singular**2
    total = variance.sum()
    share = [float(variance[i] / total) if total > 0 and i < len(variance) else 0.0 for i in range(2)]
    return PCABasis(mean.astype(np.float32), components.astype(np.float32), (share[0], share[1]))


def pca_2d(vectors: np.ndarray | Sequence[Sequence[float]]) -> tuple[list[tuple[float, float]], tuple[float, float]]:
    """Each vector projected on the first two principal axes of all of them, and those axes' variance shares."""
    basis = fit_pca(vectors)
    points = basis.project(np.asarray(vectors, dtype=np.float32))
    return [(float(x), float(y)) for x, y in points], basis.explained


def phrase_map(translator: Translator, phrases: Sequence[str]) -> list[dict]:
    """Figure 2 for `phrases`: PCA of their context vectors, with the model's greedy translation of each."""
    points, _ = pca_2d(context_matrix(translator, phrases))
    return [
        {"text": text, "x": x, "y": y, "translation": translator.translate_text(text)}
        for text, (x, y) in zip(phrases, points)
    ]


# ---------------------------------------------------------------- the sentence space


@dataclass
class SentenceSpace:
    """Training sentences with their context vectors, a PCA basis fitted on them, and cosine look-up."""

    sentences: list[str]
    translations: list[str]  # one reference translation per sentence (the first in the file)
    vectors: np.ndarray  # (n, width) float32 holding float16 values: what is stored is what is used
    basis: PCABasis
    info: dict = field(default_factory=dict)  # provenance: model, data, command, licence

    def __post_init__(self) -> None:
        if not (len(self.sentences) == len(self.translations) == len(self.vectors)):
            raise ValueError("a sentence space needs one sentence, translation and vector per row")
        norms = np.linalg.norm(self.vectors, axis=1, keepdims=True)
        self._unit = self.vectors / np.maximum(norms, 1e-12)
        self.points = self.basis.project(self.vectors)  # (n, 2)

    def __len__(self) -> int:
        return len(self.sentences)

    def project(self, vector: Sequence[float]) -> tuple[float, float]:
        """Where a context vector lands on the space's two principal axes."""
        x, y = self.basis.project(np.asarray(vector, dtype=np.float32)[None])[0]
        return float(x), float(y)

    def neighbours(self, vector: Sequence[float], k: int = 5) -> list[dict]:
        """The k indexed sentences whose context vectors have the highest cosine similarity with `vector`."""
        query = np.asarray(vector, dtype=np.float32)
        cosines = self._unit @ (query / max(float(np.linalg.norm(query)), 1e-12))
        k = max(0, min(k, len(self)))
        best = np.argpartition(-cosines, k - 1)[:k] if k else np.array([], dtype=int)
        best = best[np.argsort(-cosines[best], kind="stable")]
        return [
            {
                "index": int(i),
                "text": self.sentences[i],
                "translation": self.translations[i],
                "cosine": float(cosines[i]),
                "x": float(self.points[i, 0]),
                "y": float(self.points[i, 1]),
            }
            for i in best
        ]

    def background(self) -> list[dict]:
        """Every indexed sentence with its point: the grey cloud of the figure."""
        return [
            {"text": text, "x": float(x), "y": float(y)} for text, (x, y) in zip(self.sentences, self.points.tolist())
        ]


def build_sentence_space(
    translator: Translator, sources: Sequence[str], references: Sequence[str], info: dict | None = None
) -> SentenceSpace:
    """Encode `sources` and fit the PCA basis on their context vectors, rounded to float16 as they are stored."""
    vectors = context_matrix(translator, sources).astype(np.float16).astype(np.float32)
    return SentenceSpace(list(sources), list(references), vectors, fit_pca(vectors), dict(info or {}))


def sample_sentences(
    sources: Sequence[str], references: Sequence[str], size: int, seed: int = 0
) -> tuple[list[str], list[str]]:
    """`size` distinct sources drawn with `seed`, in file order, each with its first reference."""
    distinct, grouped = group_references(list(sources), list(references))
    picked = sorted(random.Random(seed).sample(range(len(distinct)), min(size, len(distinct))))
    return [distinct[i] for i in picked], [grouped[i][0] for i in picked]


def save_sentence_space(space: SentenceSpace, directory: str | Path) -> tuple[Path, Path]:
    """Write DIR/sentence_space.safetensors (float16 vectors, float32 basis) and DIR/sentence_space.json."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tensors = {
        "vectors": space.vectors.astype(np.float16),
        "mean": space.basis.mean.astype(np.float32),
        "components": space.basis.components.astype(np.float32),
    }
    weights, sentences = directory / SPACE_WEIGHTS, directory / SPACE_SENTENCES
    save_file(tensors, weights)
    meta = {
        **space.info,
        "explained_variance": [round(v, 6) for v in space.basis.explained],
        "vector": "final h of every encoder layer, then final c of every layer (float16)",
    }
    # One sentence a line: readable, and a rebuilt index diffs line by line.
    rows = ",\n".join(
        json.dumps({"text": s, "translation": t}, ensure_ascii=False)
        for s, t in zip(space.sentences, space.translations)
    )
    head = json.dumps(meta, ensure_ascii=False, indent=1).removesuffix("\n}")
    sentences.write_text(f'{head},\n "sentences": [\n{rows}\n ]\n}}\n', encoding="utf-8")
    return weights, sentences


def load_sentence_space(directory: str | Path) -> SentenceSpace:
    """Read what `save_sentence_space` wrote; raises FileNotFoundError or ValueError when it is missing or broken."""
    directory = Path(directory)
    meta = json.loads((directory / SPACE_SENTENCES).read_text(encoding="utf-8"))
    tensors = load_file(directory / SPACE_WEIGHTS)
    rows = meta.pop("sentences")
    explained = meta.pop("explained_variance", [0.0, 0.0])
    basis = PCABasis(tensors["mean"], tensors["components"], (float(explained[0]), float(explained[1])))
    if basis.components.shape != (2, tensors["vectors"].shape[1]):
        raise ValueError(f"{directory / SPACE_WEIGHTS}: the PCA basis does not fit the vectors")
    return SentenceSpace(
        [r["text"] for r in rows], [r["translation"] for r in rows], tensors["vectors"].astype(np.float32), basis, meta
    )


def sentence_space_for(translator: Translator, data_path: str | Path, size: int = 3000, seed: int = 0) -> SentenceSpace:
    """A sentence space of `size` training-split sentences of the model's source language."""
    train = splits_of(data_path, translator.loaded.record).train
    sources, references = sample_sentences(*sides(train, translator.text_config.direction), size, seed)
    weights = Path(translator.loaded.directory) / "model.safetensors"
    info = {
        "about": f"{len(sources)} distinct training-split {translator.src_lang} sentences (seeded sample, seed "
        f"{seed}) with one reference translation each, and the context vector the model gives each one.",
        "credit": TATOEBA_CREDIT,
        "licence": "CC-BY 2.0 FR",
        "model": str(translator.loaded.directory),
        "model_sha256": file_sha256(weights) if weights.is_file() else "",
        "data_sha256": file_sha256(data_path),
        "seed": seed,
    }
    return build_sentence_space(translator, sources, references, info)


@dataclass
class Placement:
    """Where a sentence lands in a sentence space."""

    point: tuple[float, float]
    neighbours: list[dict]  # {index, text, translation, cosine, x, y}, most similar first
    translation: str  # the model's greedy translation
    unknown: list[str]  # words the model read as <unk>
    truncated: bool


def locate(translator: Translator, space: SentenceSpace, text: str, k: int = 8) -> Placement:
    """Encode `text`, project it on the space's axes and find its nearest indexed sentences."""
    vector = context_vector(translator, text)
    result = translator.translate(text, top_k=1)
    return Placement(space.project(vector), space.neighbours(vector, k), result.text, result.unknown, result.truncated)


# ---------------------------------------------------------------- Figure 3


def _breakdown(result: dict) -> dict:
    keep = ("bleu", "chrf", "sentences", "by_length", "by_rank")
    return {key: result[key] for key in keep}


def figure3(data_path: str | Path, model_dirs: Sequence[str | Path], beams: Sequence[int] = (1, 5), log=None) -> dict:
    """BLEU on each model's test split by source length and by average source-word frequency rank."""
    models = []
    for directory in model_dirs:
        translator = Translator.load(directory)
        test = splits_of(data_path, translator.loaded.record).test
        sources, references = sides(test, translator.text_config.direction)
        entry = {"model": str(directory), "direction": f"{translator.src_lang}-{translator.tgt_lang}", "decoders": {}}
        for beam in beams:
            started = time.perf_counter()
            entry["decoders"]["greedy" if beam == 1 else f"beam {beam}"] = _breakdown(
                evaluate(translator, sources, references, beam)
            )
            if log:
                log(f"{directory} beam {beam}: {time.perf_counter() - started:.0f} s")
        models.append(entry)
    return {
        "about": "Sacrebleu BLEU on each model's test split (multi-reference, distinct sources), by source length "
        "in tokens and by the source's average word-frequency rank, as in Figure 3 of Sutskever et al. (2014).",
        "length_buckets": [bucket_label(low, high) for low, high in LENGTH_BUCKETS],
        "rank_buckets": [bucket_label(low, high) for low, high in RANK_BUCKETS],
        "rank": "a token's rank is its position in the source vocabulary, which is ordered most frequent first "
        "(1 = most frequent); <unk> ranks one past the rarest known token (vocabulary size − 3); a sentence's "
        "rank is the mean over its tokens, punctuation included.",
        "data_sha256": file_sha256(data_path),
        "models": models,
    }
