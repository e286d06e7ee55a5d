"""What-if from the canvas in a real browser: a click on a candidate of the step panel forces it, the canvas draws
the decoder going on from it (the API's own what-if), and "back" draws the model's own translation again."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from demo.i18n import message

from app_server import running_app
from helpers import OPENING, new_page, trace_of

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


@pytest.mark.parametrize("locale, lang", [("en-US", "en"), ("zh-CN", "zh")])
def test_a_clicked_candidate_is_forced_and_the_way_back_restores_the_models_choice(browser, app_url, locale, lang):
    trace = trace_of(app_url, OPENING)
    own = [s["token"] for s in trace["steps"]]
    page, errors = new_page(browser, app_url, locale, "laptop")
    canvas = page.locator("#seq2seq-canvas")
    expect(canvas.locator("g.part.decoder").first).to_be_attached(timeout=30_000)
    canvas.locator('.grid tr[data-step="2"]').click()
    runner_up = trace["steps"][1]["top_k"][1]["token"]
    force = canvas.locator(".softmax button.force").first
    expect(force).to_have_text(runner_up)
    force.click()
    note = canvas.locator(".forced-note")
    expect(note).to_contain_text(runner_up, timeout=15_000)
    drawn = [text.rsplit(" ", 1)[0] for text in canvas.locator("g.part.decoder .token.out").all_text_contents()]
    assert drawn[:2] == [own[0], runner_up]  # each drawn as "token P"
    # Drawn whole, on the forced step, which alone is marked as the visitor's; the what-if menus follow it.
    expect(canvas.locator(".grid tr.selected")).to_have_attribute("data-step", "2")
    assert [th for th in canvas.locator(".grid tbody th").all_text_contents() if "✎" in th] == ["2 ✎"]
    page.wait_for_function("[...document.querySelectorAll('input')].some(i => i.value.startsWith('t=2 '))")
    expect(page.locator(".toast-body")).to_have_count(0)  # no error toast (a menu's value outside its choices)
    expect(note.locator("button")).to_have_text(message("canvas_own", lang))
    note.locator("button").click()
    expect(note).to_have_count(0, timeout=15_000)
    drawn = [text.rsplit(" ", 1)[0] for text in canvas.locator("g.part.decoder .token.out").all_text_contents()]
    assert drawn[:2] == own[:2]
    assert errors == []
