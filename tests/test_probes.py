"""Context probes on tiny seeded models: the identities that show every number is the model's own."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from seq2seq.attention import AttentionSeq2Seq
from seq2seq.batch import collate
from seq2seq.checkpoint import LoadedModel
from seq2seq.ensemble import Ensemble
from seq2seq.model import Seq2Seq, Seq2SeqConfig
from seq2seq.pipeline import Translator
from seq2seq.search import decode_from_context, forced, greedy
from seq2seq.study import probes
from seq2seq.study.context import Selection, edit_context, encode, paper_model
from seq2seq.text import TextConfig
from seq2seq.vocabulary import EOS_ID, UNK_ID, Vocabulary

ROOT = Path(__file__).resolve().parents[1]
# The tiny models' eight symbols as Chinese characters, so both languages' tokenisers split them:
# Chinese one character a token, English at the spaces its detokeniser puts between them.
CJK = "一二三四五六七八"


pytestmark = pytest.mark.usefixtures("one_thread")  # the app decodes on one thread; so do these tests


def tiny(model: torch.nn.Module, direction: str = "zh-en") -> Translator:
    vocab = Vocabulary(list(CJK))
    src, tgt = direction.split("-")
    return Translator(LoadedModel(model, TextConfig(src_lang=src, tgt_lang=tgt), vocab, vocab, None, {}, Path(".")))


@pytest.fixture(scope="module")
def copier(copy_model) -> Translator:
    return tiny(copy_model)


@pytest.fixture(scope="module")
def untrained(untrained_model) -> Translator:
    """Two layers and flat-ish P_t: edits move it visibly."""
    return tiny(untrained_model)


def emitted(trace) -> list[int]:
    return [step.token_id for step in trace.steps]


# ---------------------------------------------------------------- surgery


@pytest.mark.parametrize(
    "selection, operation, amount",
    [
        (probes.Selection(units=[]), "zero", 1.0),  # zeroing no units
        (probes.Selection(parts=("h",), layers=[]), "noise", 3.0),  # no layers
        (None, "scale", 1.0),
        (None, "noise", 0.0),
        (probes.Selection(parts=("c",), layers=[1], units=[2, 5]), "noise", 0.0),
    ],
)
def test_surgery_that_changes_nothing_gives_back_the_original_trace_exactly(untrained, selection, operation, amount):
    result = probes.surgery(untrained, "一二三四五", selection, operation, amount, seed=7)
    assert result.altered.to_dict() == result.original.trace.to_dict()
    assert result.altered_text == result.original.text
    assert [s.kl for s in result.steps] == [0.0] * len(result.steps)
    assert [s.prob for s in result.steps] == [s.altered_prob for s in result.steps]
    assert result.flipped == [] and result.divergence is None and result.context_distance == 0.0


def test_edit_context_touches_only_the_selection(untrained_model):
    context = encode(untrained_model, [[4, 5, 6]])
    selection = Selection(parts=("h",), layers=[1], units=[0, 3])
    (h, c), count = edit_context(context, selection, "zero")
    assert count == 2
    assert h[1, 0, [0, 3]].tolist() == [0.0, 0.0]
    keep = torch.ones_like(h, dtype=torch.bool)
    keep[1, 0, [0, 3]] = False
    assert torch.equal(h[keep], context[0][keep]) and torch.equal(c, context[1])
    (h, _), _ = edit_context(context, selection, "scale", 3.0)
    assert torch.equal(h[1, 0, [0, 3]], 3.0 * context[0][1, 0, [0, 3]])
    _, every = edit_context(context, None, "zero")
    assert every == 2 * 2 * 12  # h and c × 2 layers × 12 units


def test_noise_is_seeded_relative_and_the_same_per_unit_whatever_else_is_selected(untrained_model):
    context = encode(untrained_model, [[4, 5, 6]])
    one = Selection(parts=("c",), layers=[0], units=[4])
    (_, c1), _ = edit_context(context, one, "noise", 0.5, seed=3)
    (_, c2), _ = edit_context(context, one, "noise", 0.5, seed=3)
    (_, c3), _ = edit_context(context, one, "noise", 0.5, seed=4)
    assert torch.equal(c1, c2) and not torch.equal(c1, c3)
    # Relative: σ = amount × RMS of the selected numbers, so twice the amount moves twice as far.
    (_, c4), _ = edit_context(context, one, "noise", 1.0, seed=3)
    moved = lambda c: float(c[0, 0, 4] - context[1][0, 0, 4])  # noqa: E731
    assert moved(c4) == pytest.approx(2 * moved(c1), rel=1e-5)
    # Absolute: σ = amount; the unit's ε is the one drawn for the whole context.
    epsilon = torch.randn((2, *context[0].shape), generator=torch.Generator().manual_seed(3))[1, 0, 0, 4]
    (_, c5), _ = edit_context(context, one, "noise", 0.25, seed=3, relative=False)
    assert moved(c5) == pytest.approx(0.25 * float(epsilon), rel=1e-5)
    wider = Selection(parts=("h", "c"), layers=[0, 1], units=[4])
    (_, c6), _ = edit_context(context, wider, "noise", 0.25, seed=3, relative=False)
    assert c6[0, 0, 4] == c5[0, 0, 4]


COPY_EDITS = [
    (probes.Selection(parts=("h",), layers=[0]), "zero", 1.0, 0),
    (probes.Selection(parts=("c",)), "scale", 0.5, 0),
    (None, "noise", 0.2, 3),
]
UNTRAINED_EDITS = [
    (probes.Selection(parts=("h",), layers=[1]), "zero", 1.0, 0),
    (probes.Selection(parts=("c",)), "scale", -1.0, 0),
    (probes.Selection(units=[0, 1, 2]), "scale", 4.0, 0),
]


@pytest.mark.parametrize(
    "name, selection, operation, amount, seed",
    # The untrained model's outputs stop at the step cap, without <eos>.
    [("copy", *edit) for edit in COPY_EDITS] + [("untrained", *edit) for edit in UNTRAINED_EDITS],
)
def test_surgery_steps_are_the_models_own_numbers(request, name, selection, operation, amount, seed):
    model = request.getfixturevalue(f"{name}_model")
    text = "一二三四" if name == "copy" else "一二三四五六"
    result = probes.surgery(tiny(model), text, selection, operation, amount, seed)
    assert sum(s.kl for s in result.steps) > 0.0
    src = result.original.trace.src_ids
    ids = emitted(result.original.trace)
    assert [s.token_id for s in result.steps] == ids
    assert [s.prob for s in result.steps] == [s.prob for s in result.original.trace.steps]  # exactly the trace's
    # The edited side is forced decoding from the edited context, the same decode_step calls.
    edited = (torch.tensor(result.altered.context_h)[:, None], torch.tensor(result.altered.context_c)[:, None])
    along = decode_from_context(model, src, edited, ids, keep_distributions=True)
    # (when the original stopped at its step cap, without <eos>, forcing it all goes one step further)
    assert [s.altered_prob for s in result.steps] == [s.prob for s in along.steps[: len(ids)]]
    original = forced(model, src, ids, keep_distributions=True)
    for step, p, q in zip(result.steps, original.distributions, along.distributions):
        assert step.kl >= 0.0
        assert step.kl == pytest.approx(sum(a * math.log(a / b) for a, b in zip(p, q) if a > 0), abs=1e-5)
        assert step.altered_top_id == max(range(len(q)), key=q.__getitem__)
        assert step.flipped == (step.altered_top_id != step.token_id)
    # Free decoding from the edited context makes the teacher-forced steps until it first flips.
    assert result.divergence == (result.flipped[0] if result.flipped else None)
    assert result.altered.output_ids == greedy_from(model, src, edited)
    assert 0.0 <= result.context_distance <= 2.0


def greedy_from(model, src, context) -> list[int]:
    return decode_from_context(model, src, context).output_ids


def test_surgery_can_change_the_copy_models_output_midway(copier):
    results = [probes.surgery(copier, "一二三四", *edit) for edit in COPY_EDITS]
    # Zeroing layer 0's h loses the last symbol here, halving c all but the first (weights vary by machine).
    assert any(r.divergence is not None and r.divergence > 1 for r in results)
    assert any(r.divergence is None and max(s.kl for s in r.steps) > 0 for r in results)  # moved, none flipped


def test_zeroing_the_whole_context_leaves_no_direction(untrained):
    result = probes.surgery(untrained, "一二", None, "zero")
    assert result.selected == 48 and result.context_distance == 1.0
    assert all(v == 0.0 for row in result.altered.context_h + result.altered.context_c for v in row)
    assert result.altered.encoder_states == result.original.trace.encoder_states  # the encoder is untouched


def test_surgery_refuses_what_it_cannot_do(untrained, copy_model):
    with pytest.raises(ValueError, match="layer 2"):
        probes.surgery(untrained, "一二", probes.Selection(layers=[2]))
    with pytest.raises(ValueError, match="unit 12"):
        probes.surgery(untrained, "一二", probes.Selection(units=[12]))
    with pytest.raises(ValueError, match="parts"):
        probes.surgery(untrained, "一二", probes.Selection(parts=("x",)))
    with pytest.raises(ValueError, match="operation"):
        probes.surgery(untrained, "一二", None, "blur")
    attention = AttentionSeq2Seq(replace(copy_model.config, attention=True))
    for model in (Ensemble([copy_model]), attention.eval()):
        with pytest.raises(ValueError, match="attention-free Seq2Seq"):
            probes.surgery(tiny(model), "一二")
        with pytest.raises(ValueError, match="attention-free Seq2Seq"):
            probes.occlude(tiny(model), "一二")
    assert isinstance(paper_model(untrained), Seq2Seq)


# ---------------------------------------------------------------- interpolation


def same_trace(mine: object, theirs: object, tolerance: float = 1e-5) -> bool:
    """Equal structures, tokens and ids exactly; floats to `tolerance` (a batch rounds its sums differently)."""
    if isinstance(mine, float) or isinstance(theirs, float):
        return abs(mine - theirs) <= tolerance
    if isinstance(mine, dict):
        return mine.keys() == theirs.keys() and all(same_trace(mine[k], theirs[k], tolerance) for k in mine)
    if isinstance(mine, list):
        return len(mine) == len(theirs) and all(same_trace(x, y, tolerance) for x, y in zip(mine, theirs))
    return mine == theirs


def test_interpolation_ends_reproduce_a_and_b(copier, untrained):
    for translator, a, b in ((copier, "一二三", "五六七八"), (untrained, "一二三四五六七", "八")):
        result = probes.interpolate(translator, a, b, alphas=[0.0, 0.25, 0.5, 0.75, 1.0])
        ends = {0.0: result.a.trace, 1.0: result.b.trace}
        for point in (result.points[0], result.points[-1]):
            trace, own = point.trace.to_dict(), ends[point.alpha].to_dict()
            for key in ("src_ids", "read_ids", "encoder_states", "src_tokens", "read_tokens"):
                own[key] = trace[key]  # the blend is no sentence's reading: those are left empty
            # All α decode in one batch, whose float sums round differently from one sentence's: the same
            # tokens, and every number to 1e-5.
            assert same_trace(trace, own) and not same_trace(trace, {**own, "log_prob": own["log_prob"] + 1e-3})
            assert point.trace.src_ids == point.trace.encoder_states == []
        assert result.points[0].matches == "a" and result.points[-1].matches == "b"
        assert result.points[0].text == result.a.text and result.points[-1].text == result.b.text
        assert -1.0 <= result.cosine <= 1.0
        outputs = [p.trace.output_ids for p in result.points]
        assert result.switches == [i for i in range(1, len(outputs)) if outputs[i] != outputs[i - 1]]
    # The copy model's translation does switch somewhere on the way.
    assert probes.interpolate(copier, "一二三", "五六七八").switches


def test_interpolation_decodes_from_the_blend(untrained, untrained_model):
    result = probes.interpolate(untrained, "一二三", "六七八五", alphas=[0.3, -0.5])
    ctx_a = encode(untrained_model, [result.a.trace.src_ids])
    ctx_b = encode(untrained_model, [result.b.trace.src_ids])
    for point in result.points:
        blend = [(1 - point.alpha) * x + point.alpha * y for x, y in zip(ctx_a, ctx_b)]
        assert point.trace.context_h == blend[0][:, 0].tolist() and point.trace.context_c == blend[1][:, 0].tolist()
        assert (
            point.trace.output_ids
            == decode_from_context(untrained_model, [], tuple(blend), max_length=point.trace.max_length).output_ids
        )


# ---------------------------------------------------------------- occlusion


def test_occluding_nothing_changes_nothing(copier, untrained):
    for translator in (copier, untrained):
        for mode in probes.OCCLUSIONS:
            result = probes.occlude(translator, "一二三四", mode, groups=[[]])
            (nothing,) = result.occluded
            assert nothing.source_ids == result.original.trace.src_ids
            assert nothing.cosine_distance == 0.0 and nothing.kl == 0.0
            assert all(s.kl == 0.0 and not s.flipped and s.prob == s.altered_prob for s in nothing.steps)
            assert nothing.output_ids == result.original.trace.output_ids


@pytest.mark.parametrize("mode", probes.OCCLUSIONS)
def test_each_token_occluded_in_turn(copier, copy_model, mode):
    result = probes.occlude(copier, "一二三四", mode)
    assert result.tokens == list("一二三四") and len(result.occluded) == 4
    trace = result.original.trace
    for i, item in enumerate(result.occluded):
        expected = trace.src_ids[:i] + trace.src_ids[i + 1 :] if mode == "drop" else list(trace.src_ids)
        if mode == "unk":
            expected[i] = UNK_ID
        assert item.positions == [i] and item.tokens == [CJK[i]] and item.source_ids == expected
        assert 0.0 < item.cosine_distance <= 2.0
        assert all(s.kl >= 0.0 for s in item.steps) and item.kl == pytest.approx(sum(s.kl for s in item.steps))
        assert [s.token_id for s in item.steps] == emitted(trace)
        # Batched with the original as row 0: within float rounding of the batch-1 numbers.
        assert [s.prob for s in item.steps] == pytest.approx([s.prob for s in trace.steps], rel=1e-4)
        alone = forced(copy_model, expected, emitted(trace))
        assert [s.altered_prob for s in item.steps] == pytest.approx([s.prob for s in alone.steps], rel=1e-4, abs=1e-6)
        assert item.output_ids == greedy(copy_model, expected).output_ids
        assert item.text == copier.detokenize(item.output_ids)
    if mode == "drop":  # the copy model copies what is left
        assert [item.output_ids for item in result.occluded] == [
            trace.src_ids[:i] + trace.src_ids[i + 1 :] for i in range(4)
        ]


def test_occlusion_keeps_a_multi_task_models_target_tag():
    torch.manual_seed(0)
    config = Seq2SeqConfig(13, 12, embedding_size=8, hidden_size=8, num_layers=1, dropout=0.0, tie_embeddings=False)
    src_vocab, tgt_vocab = Vocabulary([*CJK, "<2en>"]), Vocabulary(list(CJK))
    text = TextConfig(src_lang="zh", tgt_lang="en", target_token=True)
    translator = Translator(LoadedModel(Seq2Seq(config).eval(), text, src_vocab, tgt_vocab, None, {}, Path(".")))
    result = probes.occlude(translator, "一二三", "drop")
    assert result.original.trace.src_ids == [12, 4, 5, 6] and result.tokens == ["一", "二", "三"]
    assert [o.source_ids for o in result.occluded] == [[12, 5, 6], [12, 4, 6], [12, 4, 5]]


def test_occlusion_groups_and_bad_positions(copier):
    result = probes.occlude(copier, "一二三四", "drop", groups=[[0, 2], [3, 3]])
    assert [o.positions for o in result.occluded] == [[0, 2], [3]]
    assert [o.text for o in result.occluded] == ["二 四", "一 二 三"]
    assert probes.occlude(copier, "", "drop").occluded == []
    with pytest.raises(ValueError, match="positions"):
        probes.occlude(copier, "一二", "drop", groups=[[2]])
    with pytest.raises(ValueError, match="mode"):
        probes.occlude(copier, "一二", "mask")


# ---------------------------------------------------------------- reference


def test_reference_equal_to_the_translation(copier):
    view = probes.reference_view(copier, "一二三", "一 二 三")
    assert view.divergence is None and view.unknown == []
    assert [s.token for s in view.steps] == ["一", "二", "三", "<eos>"]
    assert all(s.rank == 1 and s.model_token_id == s.token_id and s.model_prob == s.prob for s in view.steps)
    assert view.bleu == pytest.approx(100.0) and view.chrf == pytest.approx(100.0)
    assert view.log_prob == pytest.approx(view.translation.trace.log_prob, abs=1e-9)


def test_reference_steps_are_teacher_forced_probabilities(untrained, untrained_model):
    reference = "五 一 一 八 三"
    view = probes.reference_view(untrained, "三二一", reference)
    ids = view.reference_ids + [EOS_ID]
    assert view.reference_ids == [8, 4, 4, 11, 6] and view.reference_tokens == reference.split()
    batch = collate([(view.translation.trace.src_ids, view.reference_ids)])
    with torch.inference_mode():  # the whole reference through nn.LSTM at once: same numbers, other rounding
        scored = untrained_model(batch.src_ids, batch.src_lengths, batch.tgt_in_ids)[0]
    assert [s.prob for s in view.steps] == pytest.approx([math.exp(scored[t, i]) for t, i in enumerate(ids)], rel=1e-5)
    assert [s.log_prob for s in view.steps] == pytest.approx([float(scored[t, i]) for t, i in enumerate(ids)], abs=1e-5)
    # Step by step, exactly what forced decoding along the reference records.
    along = forced(untrained_model, view.translation.trace.src_ids, ids, keep_distributions=True)
    assert [s.prob for s in view.steps] == [s.prob for s in along.steps]
    for step, distribution in zip(view.steps, along.distributions):
        assert step.rank == 1 + sum(p > distribution[step.token_id] for p in distribution)
        assert step.model_token_id == max(range(len(distribution)), key=distribution.__getitem__)
    assert view.log_prob == pytest.approx(sum(s.log_prob for s in view.steps), abs=1e-9)
    assert 0.0 <= view.bleu <= 100.0 and 0.0 <= view.chrf <= 100.0


def test_divergence_is_where_free_decoding_leaves_the_reference(copier):
    view = probes.reference_view(copier, "一二三四", "一 二 七 四")
    assert view.divergence == 3
    # Until it leaves, the model's choice on the reference's prefix is its free decoding's choice.
    assert [s.model_token_id for s in view.steps[:3]] == view.translation.trace.output_ids[:3]
    assert view.steps[2].rank > 1 and view.steps[2].model_token == "三"
    assert probes.reference_view(copier, "一二三四", "一 二 三").divergence == 4  # the reference stops early
    assert probes.reference_view(copier, "一二", "一 二 三").divergence == 3  # the model stops early
    unknown = probes.reference_view(copier, "一二", "一 x")
    assert unknown.unknown == ["x"] and unknown.reference_ids == [4, UNK_ID] and unknown.divergence == 2


def test_first_difference():
    assert probes.first_difference([1, 2, 3], [1, 2, 3]) is None
    assert probes.first_difference([1, 2, 3], [1, 5, 3]) == 2
    assert probes.first_difference([1, 2], [1, 2, 3]) == 3
    assert probes.first_difference([], []) is None


# ---------------------------------------------------------------- round trip


def test_round_trip(copy_model, reverse_model):
    there, back = tiny(copy_model, "zh-en"), tiny(copy_model, "en-zh")
    trip = probes.round_trip(there, back, "一二三")
    assert (trip.forward.text, trip.back.text) == ("一 二 三", "一二三")
    assert trip.identical and trip.cosine == 1.0
    assert trip.forward.trace.steps and trip.back.trace.steps
    twisted = probes.round_trip(there, tiny(reverse_model, "en-zh"), "一二三")
    assert twisted.back.text == "三二一" and not twisted.identical
    assert -1.0 <= twisted.cosine < 1.0
    with pytest.raises(ValueError, match="opposite directions"):
        probes.round_trip(there, there, "一二三")


# ---------------------------------------------------------------- the shipped model, briefly


def test_probes_on_the_shipped_model():
    translator = Translator.load(ROOT / "assets/models/en-zh")
    text = "I think we should leave before it starts to rain."
    same = probes.surgery(translator, text, None, "scale", 1.0)
    assert same.altered.to_dict() == same.original.trace.to_dict() and same.flipped == []
    cut = probes.occlude(translator, text, "unk", groups=[[], [4]])
    assert cut.occluded[0].kl == 0.0 and cut.occluded[0].cosine_distance == 0.0
    assert cut.occluded[1].kl > 0.0 and cut.occluded[1].tokens == ["leave"]
