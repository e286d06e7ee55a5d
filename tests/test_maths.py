"""The recorded maths of a decoding: LSTM gates that add up, states that are the trace's, softmax that is P_t."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from seq2seq.ensemble import Ensemble
from seq2seq.maths import lstm_gates, record_maths
from seq2seq.pipeline import Translator
from seq2seq.search import beam_search, context_of, decode_from_context, forced, greedy, translate
from seq2seq.trace import CellMaths, Maths, Trace
from seq2seq.vocabulary import SOS_ID

from helpers import train_tiny

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "I think we should leave before it starts to rain."
ATOL = 1e-5


@pytest.fixture(scope="module")
def two_layers():
    """A 2-layer, 32-unit model that has learnt to reverse (reading forward)."""
    return train_tiny("reverse", steps=300, reverse_source=False, num_layers=2, hidden_size=32, embedding_size=32)


@pytest.fixture(scope="module")
def shipped() -> Translator:
    return Translator.load(ROOT / "assets/models/en-zh")


def vec(values: list[float]) -> torch.Tensor:
    return torch.tensor(values)


def close(a: list[float], b: list[float], atol: float = ATOL) -> bool:
    return torch.allclose(vec(a), vec(b), atol=atol)


def without_maths(trace: Trace) -> dict:
    data = trace.to_dict()
    data.pop("maths")
    return data


def traces(model) -> dict[str, Trace]:
    """One trace of every kind of decoding, each with its maths."""
    src = [4, 5, 6, 7]
    return {
        "greedy": greedy(model, src, record_maths=True),
        "beam": beam_search(model, src, beam_size=3, record_maths=True),
        "forced": forced(model, src, [9, 10], record_maths=True),
    }


def weights(lstm: torch.nn.LSTM, layer: int) -> list[torch.Tensor]:
    return [getattr(lstm, f"{name}_l{layer}") for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]


def check_cells(lstm: torch.nn.LSTM, embedding: torch.nn.Embedding, fed: list[int], cells: list[list[CellMaths]]):
    """Every cell is `lstm_gates` of its inputs: layer 0 reads the fed token's embedding, layer k>0 reads
    layer k-1's h, and each cell starts from the state the cell before it at the same layer wrote."""
    assert len(cells) == len(fed)
    with torch.inference_mode():
        for t, (token, step) in enumerate(zip(fed, cells)):
            assert len(step) == lstm.num_layers
            x = embedding(torch.tensor(token))
            for layer, cell in enumerate(step):
                if t > 0:
                    assert cell.c_prev == cells[t - 1][layer].c and cell.h_prev == cells[t - 1][layer].h
                i, f, g, o, c, h = lstm_gates(x, vec(cell.h_prev), vec(cell.c_prev), *weights(lstm, layer))
                for name, value in zip("ifgo", (i, f, g, o)):
                    assert torch.allclose(value, vec(getattr(cell, name)), atol=ATOL), (t, layer, name)
                assert torch.allclose(c, vec(cell.c), atol=ATOL) and torch.allclose(h, vec(cell.h), atol=ATOL)
                x = vec(cell.h)


def all_cells(maths: Maths) -> list[CellMaths]:
    return [cell for step in maths.encoder + maths.decoder for cell in step]


@pytest.mark.parametrize("kind", ["greedy", "beam", "forced"])
def test_every_cell_adds_up(two_layers, kind):
    cells = all_cells(traces(two_layers)[kind].maths)
    assert len(cells) > 10
    for cell in cells:
        i, f, g, o, c_prev, h_prev, c, h = (
            vec(getattr(cell, n)) for n in ("i", "f", "g", "o", "c_prev", "h_prev", "c", "h")
        )
        assert all(len(v) == 32 for v in (i, f, g, o, c_prev, h_prev, c, h))
        assert torch.allclose(c, f * c_prev + i * g, atol=ATOL)
        assert torch.allclose(h, o * torch.tanh(c), atol=ATOL)
        # Open intervals in exact arithmetic; float32 σ rounds to exactly 1 beyond ~17, so closed here.
        for gate in (i, f, o):
            assert bool(((gate >= 0) & (gate <= 1)).all())
        assert bool(((g >= -1) & (g <= 1)).all())


@pytest.mark.parametrize("kind", ["greedy", "beam", "forced"])
def test_the_recorded_states_are_the_traces(two_layers, kind):
    trace = traces(two_layers)[kind]
    maths = trace.maths
    assert len(maths.encoder) == len(trace.read_ids) and len(maths.decoder) == len(trace.steps)
    for cells, state in zip(maths.encoder, trace.encoder_states):
        assert close(cells[-1].h, state)
    for layer, cell in enumerate(maths.encoder[-1]):
        assert close(cell.h, trace.context_h[layer]) and close(cell.c, trace.context_c[layer])
    for cell in maths.encoder[0]:  # the encoder starts from zeros
        assert cell.h_prev == [0.0] * 32 and cell.c_prev == [0.0] * 32
    for layer, cell in enumerate(maths.decoder[0]):  # the decoder starts from the context
        assert cell.h_prev == trace.context_h[layer] and cell.c_prev == trace.context_c[layer]
    for cells, step in zip(maths.decoder, trace.steps):
        assert close(cells[-1].h, step.output)
    check_cells(two_layers.encoder.lstm, two_layers.encoder.embedding, trace.read_ids, maths.encoder)
    fed = [SOS_ID] + [step.token_id for step in trace.steps[:-1]]
    check_cells(two_layers.decoder.lstm, two_layers.decoder.embedding, fed, maths.decoder)


def test_recording_changes_nothing(two_layers, untrained_model):
    src, prefix = [4, 5, 6, 7], [9, 10]
    decoders = (
        lambda model, **kw: greedy(model, src, **kw),
        lambda model, **kw: beam_search(model, src, beam_size=3, **kw),
        lambda model, **kw: forced(model, src, prefix, **kw),
        lambda model, **kw: translate(model, src, beam_size=2, keep_distributions=True, **kw),
    )
    for model in (two_layers, untrained_model):
        for decode in decoders:
            plain, recorded = decode(model), decode(model, record_maths=True)
            assert plain.maths is None and recorded.maths is not None
            assert without_maths(recorded) == without_maths(plain)


def check_softmax(model, trace: Trace, top_k: int):
    assert len(trace.maths.softmax) == len(trace.steps)
    with torch.inference_mode():
        for softmax, step in zip(trace.maths.softmax, trace.steps):
            assert softmax.token_ids == [c.token_id for c in step.top_k] and len(softmax.token_ids) == top_k
            assert close(softmax.probs, [c.prob for c in step.top_k], atol=1e-6)
            assert close(softmax.probs, (vec(softmax.logits) - softmax.log_normalizer).exp().tolist(), atol=1e-6)
            logits = model.decoder.output(vec(step.output))
            assert close(softmax.logits, logits[softmax.token_ids].tolist(), atol=1e-6)
            assert softmax.log_normalizer == pytest.approx(float(logits.logsumexp(0)), abs=1e-5)
            assert float((logits - softmax.log_normalizer).exp().sum()) == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("kind", ["greedy", "beam", "forced"])
def test_softmax_is_the_traces_p_t(two_layers, kind):
    check_softmax(two_layers, traces(two_layers)[kind], top_k=10)


def test_beam_maths_follow_the_winner(untrained_model):
    """On a model whose beams branch, the maths are those of the winner, not of greedy's path."""
    src = next(s for s in ([4, 5, 6], [7, 8, 9, 10, 11], [6], [5, 6, 7, 8, 9, 10]) if differs(untrained_model, s))
    trace = beam_search(untrained_model, src, beam_size=3, max_length=8, top_k=5, record_maths=True)
    for cells, step in zip(trace.maths.decoder, trace.steps):
        assert close(cells[-1].h, step.output)
    fed = [SOS_ID] + trace.output_ids[: len(trace.steps) - 1]
    check_cells(untrained_model.decoder.lstm, untrained_model.decoder.embedding, fed, trace.maths.decoder)
    check_softmax(untrained_model, trace, top_k=5)


def differs(model, src: list[int]) -> bool:
    return beam_search(model, src, beam_size=3, max_length=8).output_ids != greedy(model, src, 8).output_ids


def test_decode_from_context_replays_the_decoder_from_the_given_context(two_layers):
    src = [4, 5, 6]
    original = greedy(two_layers, src)
    h, c = context_of(original)
    given = (h * 0.5, c * 0.5)
    trace = decode_from_context(two_layers, src, given, record_maths=True)
    plain = decode_from_context(two_layers, src, given)
    assert without_maths(trace) == without_maths(plain)
    for layer, cell in enumerate(trace.maths.decoder[0]):
        assert cell.h_prev == trace.context_h[layer] == given[0][layer, 0].tolist()
        assert cell.c_prev == trace.context_c[layer]
    # The encoder's cells are its own reading from zeros: they end in the encoder's context, not the given one.
    for layer, cell in enumerate(trace.maths.encoder[-1]):
        assert close(cell.h, original.context_h[layer]) and not close(cell.h, trace.context_h[layer])
    for cells, step in zip(trace.maths.decoder, trace.steps):
        assert close(cells[-1].h, step.output)
    check_softmax(two_layers, trace, top_k=10)


def test_only_the_papers_model_is_replayed(two_layers):
    attention = train_tiny("copy", steps=3, attention=True, hidden_size=16, embedding_size=16)
    bidirectional = train_tiny("copy", steps=3, bidirectional=True, hidden_size=16, embedding_size=16)
    ensemble = Ensemble([two_layers, two_layers]).eval()
    for model, says in ((attention, "attention"), (bidirectional, "bidirectional"), (ensemble, "Ensemble")):
        with pytest.raises(ValueError, match=says):
            greedy(model, [4, 5], record_maths=True)
        with pytest.raises(ValueError, match=says):
            beam_search(model, [4, 5], beam_size=2, record_maths=True)
        with pytest.raises(ValueError, match=says):
            record_maths(model, greedy(model, [4, 5]))
        assert greedy(model, [4, 5]).maths is None  # without it, every model decodes as before


def test_off_by_default(two_layers, shipped):
    src = [4, 5, 6]
    assert greedy(two_layers, src).maths is None
    assert beam_search(two_layers, src, beam_size=2).maths is None
    assert forced(two_layers, src, [5]).maths is None
    assert decode_from_context(two_layers, src, context_of(greedy(two_layers, src))).maths is None
    assert shipped.translate("Hello.").trace.maths is None
    assert shipped.what_if("Hello.", [5]).trace.maths is None
    assert "maths" in shipped.translate("Hello.").to_dict()["trace"]


def test_shipped_model_beam_five(shipped):
    """The demo's case: the shipped 2-layer model at beam 5, through the Translator, as JSON."""
    translation = shipped.translate(SENTENCE, beam_size=5, record_maths=True)
    trace, model = translation.trace, shipped.model
    plain = shipped.translate(SENTENCE, beam_size=5).trace
    assert without_maths(trace) == without_maths(plain)
    hidden = model.config.hidden_size
    assert all(len(cell.i) == hidden for cell in all_cells(trace.maths))
    for cells, state in zip(trace.maths.encoder, trace.encoder_states):
        assert close(cells[-1].h, state)
    for cells, step in zip(trace.maths.decoder, trace.steps):
        assert close(cells[-1].h, step.output)
    for cell in all_cells(trace.maths):
        c, h = vec(cell.c), vec(cell.h)
        assert torch.allclose(c, vec(cell.f) * vec(cell.c_prev) + vec(cell.i) * vec(cell.g), atol=ATOL)
        assert torch.allclose(h, vec(cell.o) * torch.tanh(c), atol=ATOL)
    check_softmax(model, trace, top_k=10)
    data = json.loads(json.dumps(translation.to_dict()))  # plain data all the way down
    assert len(data["trace"]["maths"]["decoder"]) == len(trace.steps)


def test_what_if_records_maths(shipped):
    original = shipped.translate(SENTENCE)
    prefix = [original.trace.steps[1].token_id, original.trace.steps[0].token_id]
    trace = shipped.what_if(SENTENCE, prefix, record_maths=True).trace
    assert trace.output_ids[:2] == prefix
    fed = [SOS_ID] + [step.token_id for step in trace.steps[:-1]]
    check_cells(shipped.model.decoder.lstm, shipped.model.decoder.embedding, fed, trace.maths.decoder)
    check_softmax(shipped.model, trace, top_k=10)


def test_lstm_gates_is_pytorchs_cell(two_layers):
    """`lstm_gates` gives the (h, c) of `torch.lstm_cell`, the op the decoder runs, on a batch of random states."""
    torch.manual_seed(0)
    x, h, c = torch.randn(5, 32), torch.randn(5, 32).tanh(), torch.randn(5, 32)
    with torch.inference_mode():
        for layer in range(2):
            w = weights(two_layers.decoder.lstm, layer)
            i, f, g, o, c_new, h_new = lstm_gates(x, h, c, *w)
            h_ref, c_ref = torch.lstm_cell(x, (h, c), *w)
            assert torch.allclose(h_new, h_ref, atol=1e-6) and torch.allclose(c_new, c_ref, atol=1e-6)
            assert torch.allclose(c_new, f * c + i * g) and torch.allclose(h_new, o * torch.tanh(c_new))
            x = h_new
