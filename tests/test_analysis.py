"""Figures 2 and 3 of the paper: context vectors, PCA, the shipped sentence spaces, BLEU by word rarity."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from seq2seq.checkpoint import LoadedModel
from seq2seq.data import file_sha256
from seq2seq.pipeline import Translator
from seq2seq.study import analysis
from seq2seq.text import TextConfig
from seq2seq.training.evaluation import RANK_BUCKETS, average_rank, evaluate, source_ranks
from seq2seq.vocabulary import UNK_ID

ROOT = Path(__file__).resolve().parents[1]
MODELS = {"en-zh": ROOT / "assets/models/en-zh", "zh-en": ROOT / "assets/models/zh-en"}
SPACES = ROOT / "assets" / "sentence_space"
FIGURE3 = ROOT / "assets/analysis/figure3.json"
TINY_SENTENCES = ["a b", "a b c", "c d e f", "h g", "b b b", "e", "f a d", "g h a b"]


pytestmark = pytest.mark.usefixtures("one_thread")  # the app decodes on one thread; so do these tests


@pytest.fixture(scope="module")
def tiny(copy_model, symbol_vocab) -> Translator:
    """The tiny copy model as a translator of space-separated symbols (English tokenisation splits them)."""
    text = TextConfig(src_lang="en", tgt_lang="zh")
    return Translator(LoadedModel(copy_model, text, symbol_vocab, symbol_vocab, None, {}, Path(".")))


@pytest.fixture(scope="module")
def shipped() -> dict[str, Translator]:
    return {direction: Translator.load(path) for direction, path in MODELS.items()}


@pytest.fixture(scope="module")
def spaces() -> dict[str, analysis.SentenceSpace]:
    return {direction: analysis.load_sentence_space(SPACES / direction) for direction in MODELS}


def test_pca_2d_shapes_and_explained_variance():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(50, 12)) * np.arange(1, 13)  # later axes vary more
    points, explained = analysis.pca_2d(vectors)
    assert len(points) == 50 and all(len(p) == 2 for p in points)
    assert all(0.0 <= share <= 1.0 for share in explained) and sum(explained) <= 1.0 + 1e-9
    assert explained[0] >= explained[1]
    # Centred, and the spread along each axis is that axis' share of the total variance.
    xy = np.array(points)
    assert np.allclose(xy.mean(axis=0), 0.0, atol=1e-4)
    centred = vectors - vectors.mean(axis=0)
    total = (centred**2).sum()
    assert np.allclose((xy**2).sum(axis=0) / total, explained, rtol=1e-4)


def test_pca_2d_is_deterministic_and_finds_a_line():
    rng = np.random.default_rng(1)
    direction = rng.normal(size=8)
    line = np.outer(np.linspace(-3, 3, 20), direction) + 5.0
    points, explained = analysis.pca_2d(line)
    assert explained[0] == pytest.approx(1.0) and explained[1] == pytest.approx(0.0, abs=1e-9)
    basis = analysis.fit_pca(line)
    assert basis.components[0][np.argmax(np.abs(basis.components[0]))] > 0  # the sign is fixed
    assert analysis.pca_2d(line) == (points, explained)
    assert analysis.pca_2d(-line)[1] == pytest.approx(explained)
    two = analysis.pca_2d([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
    assert two[1][0] == pytest.approx(1.0) and two[0][0][0] == pytest.approx(-two[0][1][0])
    with pytest.raises(ValueError):
        analysis.pca_2d(np.zeros((0, 3)))


def test_context_vector_is_h_then_c_of_every_layer(tiny, shipped):
    config = tiny.model.config
    vector = analysis.context_vector(tiny, "a b c")
    assert len(vector) == 2 * config.num_layers * config.hidden_size
    trace = tiny.translate("a b c").trace
    flat = [v for layer in trace.context_h for v in layer] + [v for layer in trace.context_c for v in layer]
    assert np.allclose(vector, flat, atol=1e-5)
    for translator in shipped.values():
        config = translator.model.config
        assert (
            len(analysis.context_vector(translator, "Tom 喜欢 tea."))
            == 2 * config.num_layers * config.hidden_size
            == 1536
        )


def test_batched_context_vectors_equal_one_by_one(tiny):
    batched = analysis.context_matrix(tiny, TINY_SENTENCES, batch_size=3)
    single = np.array([analysis.context_vector(tiny, s) for s in TINY_SENTENCES])
    assert batched.shape == single.shape and np.allclose(batched, single, atol=1e-5)


def test_sentence_space_finds_its_own_sentences_and_survives_saving(tiny, tmp_path):
    references = [s.upper() for s in TINY_SENTENCES]
    space = analysis.build_sentence_space(tiny, TINY_SENTENCES, references, {"about": "tiny"})
    assert len(space) == len(TINY_SENTENCES)
    for i, sentence in enumerate(TINY_SENTENCES):
        vector = analysis.context_vector(tiny, sentence)
        nearest = space.neighbours(vector, k=3)
        assert [n["text"] for n in nearest][0] == sentence and nearest[0]["cosine"] == pytest.approx(1.0, abs=1e-3)
        assert nearest[0]["translation"] == references[i]
        assert [n["cosine"] for n in nearest] == sorted((n["cosine"] for n in nearest), reverse=True)
        assert space.project(space.vectors[i]) == pytest.approx(tuple(space.points[i]), abs=1e-5)
    assert len(space.neighbours(space.vectors[0], k=100)) == len(TINY_SENTENCES)
    assert [(p["x"], p["y"]) for p in space.background()] == [tuple(p) for p in space.points.tolist()]

    analysis.save_sentence_space(space, tmp_path)
    loaded = analysis.load_sentence_space(tmp_path)
    assert loaded.sentences == space.sentences and loaded.translations == space.translations
    assert np.array_equal(loaded.vectors, space.vectors)  # stored as float16, and built from float16 values
    assert np.allclose(loaded.points, space.points, atol=1e-5)
    assert loaded.info["about"] == "tiny" and loaded.basis.explained == pytest.approx(space.basis.explained, abs=1e-6)


def test_sample_sentences_is_seeded_distinct_and_keeps_the_first_reference():
    sources = ["a", "b", "a", "c", "d", "e"]
    references = ["A1", "B", "A2", "C", "D", "E"]
    picked = analysis.sample_sentences(sources, references, 4, seed=3)
    assert picked == analysis.sample_sentences(sources, references, 4, seed=3)
    assert len(set(picked[0])) == 4 and dict(zip(*picked)).get("a", "A1") == "A1"
    assert analysis.sample_sentences(sources, references, 99)[0] == ["a", "b", "c", "d", "e"]


def test_average_rank_puts_unknown_words_after_the_rarest_known_one():
    assert average_rank([4, 5, 6], 100) == 2.0  # ids 4, 5, 6 are ranks 1, 2, 3
    assert average_rank([UNK_ID], 100) == 97 == 100 - 3  # one past the rarest known token, rank 96
    assert average_rank([], 100) == 0.0


def test_figure2_phrases_have_no_unknown_words(shipped):
    for direction, translator in shipped.items():
        for phrases in analysis.FIGURE2_SETS[translator.src_lang].values():
            for phrase in phrases:
                assert UNK_ID not in translator.source_ids(phrase)[0], (direction, phrase)


def test_phrase_map_places_every_phrase(shipped):
    translator = shipped["en-zh"]
    phrases = analysis.FIGURE2_SETS["en"]["who_does_what"]
    points = analysis.phrase_map(translator, phrases)
    assert [p["text"] for p in points] == phrases
    assert all(p["translation"] == translator.translate_text(p["text"]) for p in points)
    xy = np.array([[p["x"], p["y"]] for p in points])
    assert np.allclose(xy.mean(axis=0), 0.0, atol=1e-3) and len({tuple(r) for r in xy.round(3)}) == len(phrases)


@pytest.mark.parametrize("direction", MODELS)
def test_shipped_sentence_space_agrees_with_its_model(direction, shipped, spaces):
    translator, space = shipped[direction], spaces[direction]
    assert len(space) == 3000 and len(set(space.sentences)) == 3000
    assert space.info["licence"] == "CC-BY 2.0 FR" and "tatoeba.org" in space.info["credit"]
    assert space.info["model_sha256"] == file_sha256(MODELS[direction] / "model.safetensors"), "rebuild the index"
    for size in (SPACES / direction / analysis.SPACE_WEIGHTS, SPACES / direction / analysis.SPACE_SENTENCES):
        assert size.stat().st_size < 10_000_000
    for i in (0, 1234, 2999):
        vector = np.array(analysis.context_vector(translator, space.sentences[i]))
        assert np.allclose(vector, space.vectors[i], rtol=2e-3, atol=2e-3)  # float16 storage
        nearest = space.neighbours(vector, k=1)[0]
        assert nearest["index"] == i and nearest["cosine"] > 0.999
        assert space.project(space.vectors[i]) == pytest.approx(tuple(space.points[i]), abs=1e-3)
    assert 0 < space.basis.explained[1] <= space.basis.explained[0] <= 1


def test_locate_places_a_new_sentence(shipped, spaces):
    placement = analysis.locate(shipped["en-zh"], spaces["en-zh"], "I like tea and zxqv.", k=5)
    assert len(placement.neighbours) == 5 and placement.translation and placement.unknown == ["zxqv"]
    assert placement.point == pytest.approx(
        spaces["en-zh"].project(analysis.context_vector(shipped["en-zh"], "I like tea and zxqv."))
    )


def test_rank_and_length_buckets_cover_every_sentence(shipped, spaces):
    # The shipped index's sentences and references stand in for a test set (the Tatoeba file is not in the repo).
    translator, space = shipped["en-zh"], spaces["en-zh"]
    sources, references = space.sentences[::15], space.translations[::15]
    sources[-1] = "Zxqv blorp fnord"  # all <unk>: the rarest rank there is
    result = evaluate(translator, sources, references, beam_size=1)
    assert result["sentences"] == len(sources) == 200
    assert sum(b["sentences"] for b in result["by_rank"].values()) == result["sentences"]
    assert sum(b["sentences"] for b in result["by_length"].values()) == result["sentences"]
    assert len(result["by_rank"]) >= 4
    ranks = source_ranks(translator, sources)
    assert ranks[-1] == len(translator.src_vocab) - 3
    assert all(RANK_BUCKETS[0][0] <= r < RANK_BUCKETS[-1][1] for r in ranks)


def test_shipped_figure3_json_covers_both_models():
    data = json.loads(FIGURE3.read_text(encoding="utf-8"))
    assert data["command"].startswith("python -m seq2seq figure3")
    by_model = {Path(m["model"]).name: m for m in data["models"]}
    assert {"en-zh", "zh-en"} <= set(by_model)
    for entry in by_model.values():
        assert set(entry["decoders"]) == {"greedy", "beam 5"}
        for result in entry["decoders"].values():
            assert set(result["by_rank"]) <= set(data["rank_buckets"])
            assert set(result["by_length"]) <= set(data["length_buckets"])
            for key in ("by_rank", "by_length"):
                assert sum(b["sentences"] for b in result[key].values()) == result["sentences"]
