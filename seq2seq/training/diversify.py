"""Back-translation of the training split (Sennrich et al., 2016; as data diversification, Nguyen et al., 2020).

One direction's model translates the training split's sources; each output, paired with its real source, is an extra
pair for the other direction, where the real sentence is the target and the model's output the source: the
Chinese-to-English model's English gives en→zh new English to read for the same Chinese. (Used for the model's own
direction, its outputs would teach it its own mistakes as targets.) Only the training split is read, so nothing from
valid or test reaches training. Outputs with <unk> or nothing in them are dropped, as are outputs equal to one of the
source's own references (they would only repeat a pair)."""

from __future__ import annotations

from pathlib import Path

from ..data import Pair
from ..pipeline import Translator
from .evaluation import translate_all

ATTRIBUTION = "translated by {model} (beam {beam}) from the training split"


def synthetic_pairs(translator: Translator, train: list[Pair], beam_size: int = 5) -> list[Pair]:
    """One pair per distinct training source: the source and the model's translation of it."""
    src, tgt = translator.text_config.direction.split("-")
    references: dict[str, set[str]] = {}
    for pair in train:
        references.setdefault(getattr(pair, src), set()).add(getattr(pair, tgt))
    sources = list(references)
    outputs = translate_all(translator, sources, beam_size)
    attribution = ATTRIBUTION.format(model=translator.loaded.directory, beam=beam_size)
    pairs = []
    for source, output in zip(sources, outputs):
        if not output or "<unk>" in output or output in references[source]:
            continue
        en, zh = (source, output) if src == "en" else (output, source)
        pairs.append(Pair(en, zh, attribution))
    return pairs


def write_pairs(path: str | Path, pairs: list[Pair]) -> None:
    """Pairs in the Tatoeba file's own format (English, Chinese, attribution), so `data.read_tatoeba` reads them."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(f"{p.en}\t{p.zh}\t{p.attribution}\n" for p in pairs)
