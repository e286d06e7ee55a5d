"""Decoding on tiny seeded models: what the trace says is what the model computed."""

from __future__ import annotations

import math

import pytest
import torch

from seq2seq.batch import collate, source_tensors
from seq2seq.batched import greedy_batch
from seq2seq.model import reading_order
from seq2seq.search import beam_search, forced, greedy, max_output_length, translate
from seq2seq.vocabulary import EOS_ID, SOS_ID

from helpers import synthetic_pairs, train_tiny

SENTENCES = [[4, 5, 6], [7, 7, 8, 9, 10], [11, 4], [5, 6, 7, 8, 9, 10]]


@pytest.mark.parametrize("task", ["copy", "reverse"])
def test_tiny_model_learns_task_and_greedy_reproduces_it(task, request):
    model = request.getfixturevalue(f"{task}_model")
    for src, tgt in synthetic_pairs(task, 50, seed=99):
        trace = greedy(model, src)
        assert trace.output_ids == tgt
        assert trace.finished and trace.steps[-1].token_id == EOS_ID


def test_beam_size_one_equals_greedy(copy_model, untrained_model):
    for model in (copy_model, untrained_model):
        for src in SENTENCES:
            g, b = greedy(model, src), beam_search(model, src, beam_size=1)
            assert b.output_ids == g.output_ids
            assert b.log_prob == pytest.approx(g.log_prob, abs=1e-5)


def test_every_p_t_sums_to_one_and_top_k_is_sorted(untrained_model):
    trace = greedy(untrained_model, SENTENCES[1], keep_distributions=True, top_k=5)
    assert len(trace.distributions) == len(trace.steps)
    for step, distribution in zip(trace.steps, trace.distributions):
        assert sum(distribution) == pytest.approx(1.0, abs=1e-5)
        assert step.prob == pytest.approx(distribution[step.token_id], rel=1e-5)
        assert step.eos_prob == pytest.approx(distribution[EOS_ID], rel=1e-5)
        entropy = -sum(p * math.log(p) for p in distribution if p > 0)
        assert step.entropy == pytest.approx(entropy, rel=1e-4)
        probs = [c.prob for c in step.top_k]
        assert probs == sorted(probs, reverse=True) and len(probs) == 5
        assert step.token_id == step.top_k[0].token_id  # greedy takes the most likely token


def test_decoder_starts_from_the_context_vector_in_the_trace(copy_model):
    src = SENTENCES[0]
    trace = greedy(copy_model, src)
    context = (torch.tensor(trace.context_h)[:, None], torch.tensor(trace.context_c)[:, None])
    with torch.inference_mode():
        log_probs, output, _ = copy_model.decode_step(torch.tensor([SOS_ID]), context)
    assert torch.allclose(output[0], torch.tensor(trace.steps[0].output), atol=1e-6)
    assert math.exp(log_probs[0, trace.steps[0].token_id]) == pytest.approx(trace.steps[0].prob, rel=1e-5)
    # The top-layer h of the context is the encoder's last output: the state it handed over.
    assert trace.context_h[-1] == pytest.approx(trace.encoder_states[-1], abs=1e-6)


def test_running_log_prob_equals_teacher_forced_score(untrained_model):
    src = SENTENCES[3]
    trace = greedy(untrained_model, src)
    emitted = [s.token_id for s in trace.steps]
    batch = collate([(src, trace.output_ids)])
    with torch.inference_mode():
        log_probs = untrained_model(batch.src_ids, batch.src_lengths, batch.tgt_in_ids)[0]
    # Teacher forcing feeds <sos> + the emitted tokens; score each emitted token.
    scored = log_probs[: len(emitted)].gather(1, torch.tensor(emitted)[:, None])[:, 0]
    assert [s.cumulative_log_prob for s in trace.steps] == pytest.approx(scored.double().cumsum(0).tolist(), abs=1e-4)
    assert trace.log_prob == pytest.approx(float(scored.sum()), abs=1e-4)


def test_batched_and_one_by_one_decoding_agree(copy_model, untrained_model):
    for model in (copy_model, untrained_model):
        batched = greedy_batch(model, SENTENCES)
        assert batched == [greedy(model, src).output_ids for src in SENTENCES]


def test_reverse_flag_really_reverses():
    ids, lengths = source_tensors([[4, 5, 6], [7, 8]])
    assert reading_order(ids, lengths, reverse=True).tolist() == [[6, 5, 4, EOS_ID], [8, 7, EOS_ID, 0]]
    assert reading_order(ids, lengths, reverse=False).tolist() == [[4, 5, 6, EOS_ID], [7, 8, EOS_ID, 0]]


def test_trace_records_the_reading_order(copy_model):
    forward_model = train_tiny("copy", steps=5, reverse_source=False)
    assert greedy(copy_model, [4, 5, 6]).read_ids == [6, 5, 4, EOS_ID]
    assert greedy(forward_model, [4, 5, 6]).read_ids == [4, 5, 6, EOS_ID]


def test_forced_decoding_keeps_the_prefix_then_continues(copy_model):
    src = [4, 5, 6, 7]
    trace = forced(copy_model, src, prefix_ids=[9, 10])
    assert trace.output_ids[:2] == [9, 10]
    assert [s.forced for s in trace.steps[:2]] == [True, True]
    assert not any(s.forced for s in trace.steps[2:])
    assert trace.steps[0].prob < 0.5  # the model itself would not have chosen 9 here
    assert forced(copy_model, src, prefix_ids=[]).output_ids == greedy(copy_model, src).output_ids


def test_beam_tree_is_consistent(untrained_model):
    trace = beam_search(untrained_model, SENTENCES[1], beam_size=3)
    nodes = {n.id: n for n in trace.beam_tree}
    assert trace.beam_tree[0].status == "root"
    for node in trace.beam_tree[1:]:
        parent = nodes[node.parent]
        assert parent.t == node.t - 1
        assert parent.status in ("root", "kept")  # only live hypotheses are extended
        assert node.score == pytest.approx(parent.score + node.log_prob, abs=1e-4)
        assert node.status in ("kept", "pruned", "finished")
    for t in {n.t for n in trace.beam_tree[1:]}:
        assert sum(n.status == "kept" for n in trace.beam_tree if n.t == t) <= 3
    # Each n-best hypothesis is the path from the root to its node.
    for hypothesis in trace.n_best:
        path, node = [], nodes[hypothesis.node_id]
        while node.parent is not None:
            path.append(node.token_id)
            node = nodes[node.parent]
        expected = hypothesis.token_ids + ([EOS_ID] if hypothesis.finished else [])
        assert path[::-1] == expected
    scores = [h.normalized_score for h in trace.n_best if h.finished]
    assert scores == sorted(scores, reverse=True)
    assert trace.output_ids == trace.n_best[0].token_ids


def test_beam_search_finds_at_least_as_likely_output():
    # Half-trained: greedy reaches <eos> on every sentence, but not always along the likeliest path.
    model = train_tiny("copy", steps=60)
    better = 0
    for src in SENTENCES:
        g = greedy(model, src)
        b = beam_search(model, src, beam_size=8, length_penalty=0.0)  # ranked by log-probability alone
        assert g.finished and b.finished
        assert b.log_prob >= g.log_prob - 1e-5
        better += b.log_prob > g.log_prob + 1e-3
    assert better > 0  # and somewhere the search found what greedy missed


def test_max_length_is_tied_to_source_length(untrained_model):
    assert max_output_length(3) < max_output_length(10) <= 200
    trace = translate(untrained_model, [4, 5], beam_size=1, max_length=3)
    assert len(trace.steps) <= 3
    assert len(translate(untrained_model, [4, 5], beam_size=4, max_length=3).steps) <= 3


def test_beam_trace_steps_are_the_searched_hypothesis(untrained_model):
    """The winner's steps are read from the search itself: each step's token and log P_t is its beam node's."""
    for src in ([4, 5, 6], [7, 8, 9, 10, 11], [6]):
        trace = beam_search(untrained_model, src, beam_size=3, max_length=8)
        nodes = {node.id: node for node in trace.beam_tree}
        path, node_id = [], trace.n_best[0].node_id
        while node_id:
            path.append(nodes[node_id])
            node_id = nodes[node_id].parent
        path.reverse()
        assert [s.token_id for s in trace.steps] == [n.token_id for n in path]
        assert [s.log_prob for s in trace.steps] == [n.log_prob for n in path]
        assert trace.steps[-1].cumulative_log_prob == pytest.approx(trace.n_best[0].score, abs=1e-5)
        assert not any(s.forced for s in trace.steps)


def test_many_contexts_in_one_batch_give_the_traces_one_by_one_would(copy_model, untrained_model):
    """decode_from_contexts (a whole interpolation in one pass) equals decode_from_context per context: the same
    tokens, each row stopped at its own <eos> or cap, and the same numbers to float precision."""
    from seq2seq.batched import decode_from_contexts
    from seq2seq.search import context_of, decode_from_context

    for model in (copy_model, untrained_model):
        contexts = [context_of(greedy(model, src)) for src in ([4, 5, 6], [7, 8, 9, 10, 11], [5])]
        blended = tuple(0.5 * x + 0.5 * y for x, y in zip(contexts[0], contexts[1]))
        contexts.append(blended)
        caps = [6, 8, 2, 7]
        batched = decode_from_contexts(model, contexts, caps, top_k=3)
        assert len(batched) == len(contexts)
        for context, cap, trace in zip(contexts, caps, batched):
            alone = decode_from_context(model, [], context, max_length=cap, top_k=3)
            assert trace.output_ids == alone.output_ids and trace.finished == alone.finished
            assert len(trace.steps) == len(alone.steps) <= cap and trace.max_length == cap
            assert [s.top_k[0].token_id for s in trace.steps] == [s.top_k[0].token_id for s in alone.steps]
            assert trace.log_prob == pytest.approx(alone.log_prob, abs=1e-5)
            assert trace.context_h == alone.context_h and trace.encoder_states == []
    assert decode_from_contexts(copy_model, [], []) == []
