"""What-if from the canvas (demo/translate/forcing.py): a step selected, a candidate forced, and back again."""

from __future__ import annotations

import json
import math

import gradio as gr
import pytest

from demo import service, validate
from demo.translate import forcing, handlers

SENTENCE = "I like tea."


def click(state, own, data, top_k=10) -> forcing.ClickOutputs:
    outputs = forcing.clicked(state, own, top_k, gr.EventData(None, data), None)
    return forcing.ClickOutputs(*outputs)


@pytest.fixture(scope="module")
def session() -> handlers.Session:
    request = validate.prepare(SENTENCE, "auto")
    return handlers.decode_view(request, validate.settings(1, 10, 0), "en").shown.session


def test_selecting_a_step_moves_the_what_if_menus_and_nothing_else(session):
    shown = click(session, None, {"step": 2})
    assert shown.whatif_step["value"] == 2 and shown.whatif_token["choices"] == handlers.candidate_choices(session, 2)
    assert all(getattr(shown, name) == gr.skip() for name in ("canvas", "session", "own", "whatif_result"))
    # A page that has not translated yet shows the opening sentence: the canvas's clicks follow that one.
    opening = handlers.opening_view().shown.session
    shown = click(handlers.OPENING, None, {"step": 2})
    assert shown.whatif_token["choices"] == handlers.candidate_choices(opening, 2)


def test_forcing_a_candidate_draws_the_decoder_going_on_from_it(session):
    second = session.steps[1].candidates[1]  # step 2's runner-up
    shown = click(session, None, {"step": 2, "force": 1})
    data = json.loads(shown.canvas)
    expected = service.what_if(session.request, [session.steps[0].token_id, second.token_id], 10)
    assert [s["token"] for s in data["steps"]] == [s.token for s in expected.trace.steps]
    assert data["steps"][1]["token"] == second.token and data["forced_at"] == 2 and data["own"] == session.text
    assert shown.session.text == expected.text != session.text and shown.own is session
    assert shown.whatif_result.startswith(expected.text) and shown.whatif_original.startswith(session.text)
    assert data["id"] != json.loads(handlers.decode_view(session.request, session.settings, "en").shown.canvas)["id"]
    # Forcing again on the drawn what-if keeps the model's own translation as the way back.
    again = click(shown.session, shown.own, {"step": 1, "force": 1})
    assert again.own is session and json.loads(again.canvas)["own"] == session.text
    # Back: the model's own translation drawn again, and no what-if left to go back from.
    back = click(again.session, again.own, {"back": True})
    assert (
        json.loads(back.canvas)["steps"]
        == json.loads(handlers.decode_view(session.request, session.settings, "en").shown.canvas)["steps"]
    )
    assert back.session.text == session.text and back.own is None


def test_forcing_the_chosen_word_or_a_missing_one_only_selects_the_step(session):
    for k in (0, 10, 99):  # candidate 0 is the word the model chose; 10 and 99 lie beyond the top-k
        shown = click(session, None, {"step": 2, "force": k})
        assert shown.canvas == gr.skip() and shown.whatif_step["value"] == 2


@pytest.mark.parametrize("value", [math.nan, math.inf, -1, 10**7, 2**63, "abc", "<b>", "\ud800", [1], {"a": 1}, 5.5])
def test_hostile_clicks_change_nothing(session, value):
    for data in ({"step": value}, {"step": 1, "force": value}, {"back": value}, value):
        shown = click(session, None, data)
        assert shown.canvas == gr.skip() and shown.session == gr.skip()
    assert click(None, None, {"step": 1, "force": 1}).canvas == gr.skip()
    assert click(session, None, {"back": True}).canvas == gr.skip()  # nothing forced: nowhere to go back to
