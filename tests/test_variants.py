"""The paper's variants and the seed's improvements, each on a tiny model: bidirectional
encoder, attention comparison decoder, decoding-time ensembles and the multi-task model."""

from __future__ import annotations

import pytest
import torch

from seq2seq.attention import AttentionSeq2Seq
from seq2seq.batch import source_tensors
from seq2seq.batched import greedy_batch
from seq2seq.checkpoint import load_model, save_model
from seq2seq.ensemble import Ensemble
from seq2seq.model import Seq2Seq, Seq2SeqConfig
from seq2seq.pipeline import Translator
from seq2seq.search import beam_search, greedy
from seq2seq.text import TextConfig
from seq2seq.training.loop import train
from seq2seq.vocabulary import SOS_ID

from helpers import synthetic_pairs, tiny_config, train_tiny

SENTENCES = [[4, 5, 6], [7, 7, 8, 9, 10], [11, 4], [5, 6, 7, 8, 9, 10]]


@pytest.fixture(scope="module")
def bidirectional_model():
    return train_tiny("copy", steps=800, bidirectional=True)


@pytest.fixture(scope="module")
def attention_model():
    return train_tiny("copy", attention=True)


@pytest.mark.parametrize("name", ["bidirectional_model", "attention_model"])
def test_variant_learns_to_copy(name, request):
    model = request.getfixturevalue(name)
    pairs = synthetic_pairs("copy", 50, seed=99)
    exact = sum(greedy(model, src).output_ids == tgt for src, tgt in pairs)
    assert exact == len(pairs)
    for src in SENTENCES:  # and the searches agree on it
        assert beam_search(model, src, beam_size=1).output_ids == greedy(model, src).output_ids
    assert greedy_batch(model, SENTENCES) == [greedy(model, s).output_ids for s in SENTENCES]


def test_bidirectional_context_has_the_decoders_shape():
    stack = train_tiny("copy", steps=3, bidirectional=True, num_layers=2, hidden_size=16, embedding_size=16)
    ids, lengths = source_tensors([[4, 5, 6]])
    _, outputs, (h, c) = stack.encode(ids, lengths)
    assert outputs.shape == (1, 4, 2 * 16)  # forward and backward outputs side by side
    assert h.shape == c.shape == (2, 1, 16)  # (layers, batch, hidden): the decoder's own
    assert h.abs().max() <= 1  # the bridge's tanh keeps h where an LSTM's h lives
    trace = greedy(stack, [4, 5, 6])
    assert torch.tensor(trace.context_h).shape == (2, 16)


def test_attention_model_is_a_separate_class_and_round_trips(attention_model, tmp_path, symbol_vocab):
    assert isinstance(attention_model, AttentionSeq2Seq)
    save_model(tmp_path, attention_model, TextConfig("en", "zh"), symbol_vocab, symbol_vocab)
    loaded = load_model(tmp_path).model
    assert isinstance(loaded, AttentionSeq2Seq)
    assert greedy(loaded, [4, 5, 6, 7]).output_ids == [4, 5, 6, 7]


def test_every_attention_p_t_sums_to_one(attention_model):
    trace = greedy(attention_model, SENTENCES[3], keep_distributions=True)
    for distribution in trace.distributions:
        assert sum(distribution) == pytest.approx(1.0, abs=1e-5)


def test_ensemble_of_identical_members_is_the_single_model(copy_model, untrained_model):
    for model in (copy_model, untrained_model):
        ensemble = Ensemble([model, model, model])
        for src in SENTENCES:
            single, many = greedy(model, src), greedy(ensemble, src)
            assert many.output_ids == single.output_ids
            assert many.log_prob == pytest.approx(single.log_prob, abs=1e-5)
            assert beam_search(ensemble, src, 3).output_ids == beam_search(model, src, 3).output_ids


@torch.inference_mode()
def test_ensemble_averages_log_probabilities(copy_model, untrained_model):
    ensemble = Ensemble([copy_model, untrained_model])
    ids, lengths = source_tensors([[4, 5, 6]])
    *_, state = ensemble.start(ids, lengths)
    log_probs, _, _ = ensemble.decode_step(torch.tensor([SOS_ID]), state)
    members = [
        m.decode_step(torch.tensor([SOS_ID]), m.start(ids, lengths)[3])[0] for m in (copy_model, untrained_model)
    ]
    expected = torch.softmax((members[0] + members[1]) / 2, dim=-1)
    assert torch.allclose(log_probs.exp(), expected, atol=1e-6)
    assert float(log_probs.exp().sum()) == pytest.approx(1.0, abs=1e-5)
    assert beam_search(ensemble, [4, 5, 6], beam_size=1).output_ids == greedy(ensemble, [4, 5, 6]).output_ids


def test_ensemble_refuses_members_with_other_vocabularies(copy_model):
    other = Seq2Seq(Seq2SeqConfig(20, 20, embedding_size=8, hidden_size=8))
    with pytest.raises(ValueError, match="share vocabularies"):
        Ensemble([copy_model, other])


@pytest.fixture(scope="module")
def multitask(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("multitask")
    config = tiny_config(tmp_path, "both", pairs=600, direction="both", max_epochs=6, en_lowercase=True)
    record = train(config, log=lambda line: None)
    return Translator.load(config.out), record


def test_multitask_model_translates_both_ways_with_a_target_token(multitask):
    translator, record = multitask
    assert translator.text_config.target_token
    assert translator.src_vocab.idx2word == translator.tgt_vocab.idx2word  # one shared vocabulary
    en_zh, zh_en = translator.for_direction("en-zh"), translator.for_direction("zh-en")
    ids, _ = en_zh.source_ids("One two.")
    assert en_zh.src_vocab.idx2word[ids[0]] == "<2zh>"
    assert zh_en.src_vocab.idx2word[zh_en.source_ids("一二。")[0][0]] == "<2en>"
    assert en_zh.translate_text("One two three.") == "一二三。"
    assert zh_en.translate_text("一二三。") == "One two three."
    assert en_zh.translate("One zebra.").unknown == ["zebra"]  # the tag is not an unknown word
    for key in ("en-zh/test_greedy", "zh-en/test_greedy", "en-zh/test_beam5", "zh-en/test_beam5"):
        assert record["metrics"][key]["bleu"] > 50
