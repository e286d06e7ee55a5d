"""The app's service layer and handlers on real traces of the shipped models, and the Blocks."""

from __future__ import annotations

import json
import math
import pickle
import re
from collections import Counter

import gradio as gr
import pytest

import seq2seq.text as text_module
from demo import service
from demo.i18n import message
from demo.notices import notice_keys
from demo.translate import compare, handlers, link
from seq2seq import pipeline
from seq2seq.model import Seq2Seq

BAD_INPUTS = {
    "": "error_empty",
    "   \n\t ": "error_empty",
    "😀😀😀": "error_no_words",
    "\x00\x01\x02": "error_empty",
    "!!! ??? ...": "error_no_words",
}


@pytest.mark.parametrize("text, key", BAD_INPUTS.items())
def test_bad_input_gets_a_clear_message(text, key):
    with pytest.raises(service.InputError) as caught:
        service.prepare(text)
    assert caught.value.key == key
    translation, trace = handlers.translate_api(text)
    assert translation == "" and trace["error"] == message(key)


def test_direction_is_detected_and_can_be_overridden():
    assert service.prepare("Welcome to Beijing.").direction == "en-zh"
    assert service.prepare("欢迎来北京。").direction == "zh-en"
    forced = service.prepare("欢迎来北京。", "en-zh")
    assert forced.direction == "en-zh" and "notice_language_mismatch" in forced.notices


def test_long_input_is_truncated_with_a_notice():
    request = service.prepare("I like tea. " * 1000)
    assert len(request.text) <= service.MAX_INPUT_CHARS and "notice_truncated" in request.notices
    result = service.run(request, beam_size=2)
    assert result.text and "notice_truncated" in notice_keys(request, result)


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script> I like tea.", "I love 北京 and 上海.", "12345", "Zxqwv blorp.", "我愛你。", "a\u200bb"],
)
def test_odd_input_gets_a_best_effort_translation(text):
    translation, data = handlers.translate_api(text, beam_size=3)
    assert isinstance(translation, str) and "error" not in data
    json.dumps(data)  # JSON-serialisable for the API
    assert data["trace"]["src_tokens"] and data["trace"]["steps"]


def test_unknown_words_and_conversion_are_reported():
    request = service.prepare("Zxqwv blorp.")
    result = service.run(request)
    assert "<unk>" in result.trace.src_tokens
    assert {"notice_unknown", "notice_all_unknown"} & set(notice_keys(request, result))
    request = service.prepare("我愛你。")
    result = service.run(request)
    assert result.converted and "notice_converted" in notice_keys(request, result)
    assert "我爱你" in handlers.summary(result, request, "en")


def test_translate_view_returns_what_the_trace_holds():
    view = handlers.translate_view("John admires Mary.", "auto", 5, 10, 0, "en")
    trace, shown = view.result.trace, view.shown
    assert shown.translation == view.result.text == shown.session.text and shown.translation
    assert shown.session.output_ids == trace.output_ids
    # What goes to Gradio is the named outputs in their fields' order, the order the tab lists the components in.
    assert handlers.TranslateOutputs(*view.outputs) == shown and view.outputs[-1] is shown.session
    counts = service.translator("en-zh").loaded.source_counts
    assert shown.source_words == [
        (f"John ×{counts['john']}", "seen"),
        ("admires ×0", "<unk>"),
        (f"Mary ×{counts['mary']}", "seen"),
        (f". ×{counts['.']}", "seen"),
    ]
    drawn = json.loads(shown.canvas)  # the canvas's value is its data as JSON text
    assert drawn["read"] == trace.read_tokens and drawn["source"] == ["John", "admires", "Mary", "."]
    assert drawn["unknown"] == [token == "<unk>" for token in trace.read_tokens]
    assert [r[1] for r in shown.nbest["data"]][0] == shown.translation
    assert len(shown.whatif_step["choices"]) == len(trace.steps)
    assert all(token_id != trace.steps[0].token_id for _, token_id in shown.whatif_token["choices"])
    assert message("log_prob") in shown.details


def test_the_page_handler_follows_the_browsers_language_and_answers_bad_input():
    request = gr.Request(headers={"accept-language": "zh-CN,zh;q=0.9"})
    outputs = handlers.TranslateOutputs(*handlers.translate_page("I like tea.", "auto", 1, 5, 0, request))
    labels = json.loads(outputs.canvas)["labels"]
    assert outputs.translation == outputs.session.text and labels["zh"]["canvas_play"] == message("canvas_play", "zh")
    assert message("log_prob", "zh") in outputs.details  # messages follow the browser's language
    errors = handlers.TranslateOutputs(*handlers.translate_page("", "auto", 1, 5, 0, request))
    assert errors.details == message("error_empty", "zh") and errors.canvas is None and errors.session is None


def test_a_changed_setting_translates_again_only_when_there_is_a_sentence():
    again = handlers.rerun("I like tea.", "auto", 3, 5, 0, None)
    assert handlers.TranslateOutputs(*again).translation == service.run(service.prepare("I like tea."), 3).text
    for blank in ("", "   ", None):
        skipped = handlers.rerun(blank, "auto", 3, 5, 0, None)
        assert len(skipped) == len(again) and all(out == gr.skip() for out in skipped)


def test_all_units_draws_every_unit_of_the_same_decoding_when_open():
    view = handlers.translate_view("I like tea.", "auto", 3, 10, 0, "en")
    trace = view.result.trace
    context, encoder, outputs = handlers.all_units(view.shown.session, True, None)
    assert [list(row) for row in context.data[0].z] == trace.context_h
    assert [list(row) for row in encoder.data[0].z] == trace.encoder_states
    assert [list(row) for row in outputs.data[0].z] == [step.output for step in trace.steps]
    assert handlers.all_units(view.shown.session, False, None) == (gr.skip(),) * 3
    assert handlers.all_units(None, True, None) == (gr.skip(),) * 3


def test_what_if_forces_the_candidate_and_continues():
    view = handlers.translate_view("I like tea.", "auto", 1, 10, 0, "en")
    session = view.shown.session
    step = view.result.trace.steps[0]
    other = step.top_k[1]
    original, forced, fig = handlers.what_if(session, 1, other.token_id, 10, None)
    prefix = service.what_if(session.request, [other.token_id])
    assert prefix.trace.output_ids[0] == other.token_id and prefix.trace.steps[0].forced
    assert forced.startswith(prefix.text)
    assert original.startswith(view.result.text)


def test_blocks_build_and_name_the_translate_endpoint():
    from app import demo

    assert isinstance(demo, gr.Blocks)
    config = demo.get_config_file()
    names = {d.get("api_name") for d in config["dependencies"]}
    assert "translate" in names


def test_building_the_page_decodes_nothing(monkeypatch):
    from demo.page import build_demo

    def refused(*args, **kwargs):
        raise AssertionError("decoded while the page was built")

    handlers.opening_view.cache_clear()
    monkeypatch.setattr(service, "translator", refused)
    monkeypatch.setattr(service, "run", refused)
    demo = build_demo()
    assert handlers.opening_view.cache_info().currsize == 0
    textboxes = [c for c in demo.get_config_file()["components"] if c["type"] == "textbox"]
    assert handlers.OPENING_SENTENCE in [c["props"].get("value") for c in textboxes]  # the sentence, untranslated


def test_launch_paints_the_opening_sentence_into_the_page():
    """What launch() prepares is in the config that the page (server-rendered too) is first drawn from."""
    from demo.page import build_demo

    demo = build_demo()
    for prepare in demo.before_launch:
        prepare()
    shown = handlers.opening_view().shown
    values = {c["id"]: c["props"].get("value") for c in demo.get_config_file()["components"]}
    assert shown.translation in values.values() and shown.canvas in values.values()
    states = [b for b in demo.blocks.values() if isinstance(b, gr.State) and b.value == handlers.OPENING]
    assert len(states) == 1  # the session stays "the opening sentence's", never written by a load event


def test_the_load_writes_only_the_opening_details_and_every_translation_cancels_it():
    from app import demo

    loads = [f for f in demo.fns.values() if f.fn is link.open_page]
    assert len(loads) == 1 and any(target[1] == "load" for target in loads[0].targets)
    translating = [f for f in demo.fns.values() if f.fn in (handlers.translate_page, handlers.rerun)]
    # Gradio runs `cancels=` as a function of its own; whatever starts a translation (for an example, the
    # click that fills the box) triggers it.
    cancelling = [f for f in demo.fns.values() if f.is_cancel_function and loads[0]._id in f.cancels]
    cancelled_by = {tuple(target) for f in cancelling for target in f.targets}
    assert len(translating) == 5
    for event in translating:
        started_by = demo.fns[event.trigger_after] if event.trigger_after is not None else event
        assert {tuple(target) for target in started_by.targets} <= cancelled_by, event.targets
    # A link's load writes what a translation writes, and the sentence and settings it names (inputs of them).
    written, translated = ({block._id for block in f.outputs} for f in (loads[0], translating[0]))
    assert translated < written and len(written - translated) == 3  # the sentence box, direction and beam width
    assert written - translated < {block._id for block in translating[0].inputs}
    # Without a link it writes only the opening details and n-best, in the visitor's language.
    text, direction, beam, *written = link.open_page(gr.Request(headers={"accept-language": "zh-CN"}))
    outputs = link.LoadOutputs(text, direction, beam, handlers.TranslateOutputs(*written))
    shown = outputs.shown
    assert message("log_prob", "zh") in shown.details and shown.nbest["headers"][1] == message("col_translation", "zh")
    kept = [outputs.text, outputs.direction, outputs.beam, shown.translation, shown.canvas, shown.session]
    assert all(value == gr.skip() for value in kept + [shown.source_words, shown.whatif_step, shown.whatif_token])
    for load in (f for f in demo.fns.values() if any(target[1] == "load" for target in f.targets)):
        # The page's other loads (the Model tab) write only their own outputs.
        assert load is loads[0] or not {b._id for b in load.outputs} & {b._id for f in translating for b in f.outputs}


@pytest.mark.parametrize("direction", service.DIRECTIONS)
def test_every_side_by_side_model_is_shipped_and_loads(direction):
    for key, runs in service.COMPARISON_MODELS.items():
        translator = service.comparison_translator(key, direction)
        assert translator.text_config.direction == direction
        if len(runs) > 1:
            assert len(translator.model.members) == len(runs)  # an ensemble, not one of its members


def test_side_by_side_shows_both_models_on_the_same_sentence():
    a = compare.compare("I like tea.", "auto", 3, "reversed", "forward", None)
    assert len(a) == 8
    (text_a, details_a, context_a, topk_a), (text_b, details_b, context_b, topk_b) = a[:4], a[4:]
    assert re.search("[\u4e00-\u9fff]", text_a) and re.search("[\u4e00-\u9fff]", text_b)
    assert "source read reversed" in details_a and "source read forward" in details_b
    assert context_a.data and topk_a.data and context_b.data and topk_b.data
    ensemble = compare.compare("我爱你。", "auto", 1, "ensemble", "attention", None)
    assert "ensemble of 3" in ensemble[1] and "attention decoder" in ensemble[5]
    assert re.search("[A-Za-z]", ensemble[0]) and re.search("[A-Za-z]", ensemble[4])


def test_side_by_side_answers_bad_input_with_a_message():
    out = compare.compare("   ", "auto", 1, "shipped", "reversed", None)
    assert out[0] == out[4] == "" and out[1] == out[5] == message("error_empty")


def _count(counts: Counter, name: str, fn):
    """`fn`, counting its calls under `name` (the real function still runs)."""

    def counted(*args, **kwargs):
        counts[name] += 1
        return fn(*args, **kwargs)

    return counted


def test_a_beam_request_reads_encodes_and_looks_up_the_model_once(monkeypatch):
    counts = Counter()
    monkeypatch.setattr(pipeline, "normalize", _count(counts, "normalize", pipeline.normalize))
    monkeypatch.setattr(text_module, "normalize", _count(counts, "normalize", text_module.normalize))
    monkeypatch.setattr(Seq2Seq, "start", _count(counts, "encode", Seq2Seq.start))
    monkeypatch.setattr(service, "translator", _count(counts, "lookup", service.translator))
    view = handlers.translate_view("I think we should leave before it starts to rain.", "auto", 5, 10, 0, "en")
    assert view.result.trace.beam_size == 5 and view.result.text
    assert counts == {"normalize": 1, "encode": 1, "lookup": 1}


def test_the_chinese_summary_is_chinese():
    view = handlers.translate_view("I like tea.", "en-zh", 3, 10, 0, "zh")
    summary = view.shown.details
    assert summary.startswith(message("dir_en_zh", "zh"))
    assert f"{len(view.result.trace.steps)} {message('steps', 'zh')}" in summary
    assert not re.search(r"[A-Za-z]{4,}", summary.replace("log", ""))


def test_side_by_side_opens_on_a_sentence_where_the_models_differ():
    a, b = compare.OPENING_MODELS
    shown = compare.open_view("", "auto", 5, a, b, None)
    expected_a = service.run(
        service.prepare(compare.OPENING_SENTENCE), 5, model=service.comparison_translator(a, "en-zh")
    )
    left, right = compare.Column(*shown[:4]), compare.Column(*shown[4:])
    assert left.translation == expected_a.text and right.translation and left.translation != right.translation
    typed = compare.Column(*compare.open_view("I like tea.", "auto", 5, a, b, None)[:4])
    assert typed.translation == service.run(service.prepare("I like tea."), 5).text


def test_what_if_starts_at_the_first_uncertain_step():
    view = handlers.translate_view("I need a new bag.", "en-zh", 5, 10, 0, "en")
    uncertain = view.result.diagnosis.uncertain
    assert uncertain and view.shown.whatif_step["value"] == uncertain[0].t
    for sentence in ("Thank you.", "Tom hates Mary.", "I am a student."):
        view = handlers.translate_view(sentence, "en-zh", 5, 10, 0, "en")
        uncertain = view.result.diagnosis.uncertain
        assert view.shown.whatif_step["value"] == (uncertain[0].t if uncertain else 1)


def test_what_if_marks_only_the_step_the_user_forced():
    view = handlers.translate_view("I think we should leave before it starts to rain.", "en-zh", 1, 10, 0, "en")
    step = view.result.trace.steps[2]
    _, _, figure = handlers.what_if(view.shown.session, 3, step.top_k[1].token_id, 10, None)
    rows = list(figure.data[0].y)
    forced = message("fig_forced")
    assert [i for i, row in enumerate(rows) if f"({forced})" in row] == [2]


@pytest.mark.parametrize("value", [math.nan, math.inf, -1, 10**7, 2**63, "abc", None, [1], {"a": 1}, True, 1e308, 5.5])
def test_page_events_answer_hostile_settings_with_a_message(value):
    outputs = handlers.TranslateOutputs(*handlers.translate_page("I like tea.", "auto", value, 10, 0, None))
    assert outputs.translation == "" and outputs.details.startswith(message("beam_width"))
    session = handlers.translate_view("I like tea.", "auto", 1, 10, 0, "en").shown.session
    assert handlers.pick_step(session, value) is not None
    original, forced, _ = handlers.what_if(session, value, 5, 10, None)
    if value is None:  # nothing picked yet: nothing to do
        assert original == forced == ""
    else:
        assert forced.startswith(message("whatif_step")) and original == session.text
    out = compare.compare("I like tea.", "auto", 5, value, "reversed", None)
    left, right = compare.Column(*out[:4]), compare.Column(*out[4:])
    assert left.translation == "" and left.details and right.translation  # the valid side still answers


def test_session_state_keeps_ids_and_top_k_only():
    view = handlers.translate_view("I think we should leave before it starts to rain.", "auto", 5, 10, 0, "en")
    assert len(pickle.dumps(view.shown.session)) < 20_000 < len(pickle.dumps(view.result))


def test_a_sessions_translation_state_expires():
    """The Translate tab's state has a time to live, and Gradio drops it once that has passed."""
    import datetime

    from gradio.state_holder import StateHolder

    from app import demo

    states = [b for b in demo.blocks.values() if isinstance(b, gr.State) and b.time_to_live]
    # the session, whether "all units" is open, the model's own session while a what-if is drawn
    assert [s.time_to_live for s in states] == [handlers.STATE_SECONDS] * 3
    holder = StateHolder()
    holder.set_blocks(demo)
    session = holder["visitor"]
    key = states[0]._id
    session[key] = handlers.translate_view("I like tea.", "auto", 1, 10, 0, "en").shown.session
    holder.delete_all_expired_state()
    assert key in session.state_data  # not yet
    created = datetime.datetime.now() - datetime.timedelta(seconds=handlers.STATE_SECONDS + 1)
    session._state_ttl[key] = (handlers.STATE_SECONDS, created)
    holder.delete_all_expired_state()
    assert key not in session.state_data


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_nbest_table_says_in_words_whether_each_translation_ended(lang):
    """Its last column showed `true`: now whether the hypothesis ended with <eos> or was cut at the cap."""
    translator = service.translator("en-zh")
    result = translator.translate("I think we should leave before it starts to rain.", beam_size=5, max_length=4)
    rows = handlers.nbest_rows(result, translator, lang)["data"]
    said = {row[-1] for row in rows}
    assert said <= {message("nbest_ended", lang), message("nbest_cut", lang)}
    assert message("nbest_cut", lang) in said  # four steps cannot finish that sentence
    assert not any(isinstance(row[-1], bool) for row in rows)
