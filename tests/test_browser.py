"""A real browser (Debian's Chromium via Playwright) opens the app, translates, and sees the plots."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from app_server import call_api
from helpers import CHROMIUM, FLAGS, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.server]

OPENING = "Where is the train station?"  # demo/translate/tab.py's OPENING_SENTENCE, translated on load
# The side-by-side view's two translation boxes: each is the textarea just before its model's details box.
SIDE_BY_SIDE = """() => {
    const boxes = [...document.querySelectorAll('textarea')];
    return boxes.filter(t => /source read (reversed|forward)/.test(t.value)).map(t => boxes[boxes.indexOf(t) - 1].value);
}"""


def api_translation(url: str, sentence: str) -> tuple[str, dict]:
    """(translation, trace) of the sentence as the page decodes it by default: beam 5, top 10."""
    translation, data = call_api(url, "translate", [sentence, "auto", 5, 10, 0])[1][0]
    return translation, data["trace"]


@pytest.mark.parametrize(
    "locale, sentence, button", [("en-US", "Welcome to Beijing.", "Translate"), ("zh-CN", "我爱你。", "翻译")]
)
def test_page_translates_and_draws_the_plots(request, app_url, locale, sentence, button):
    translation, trace = api_translation(app_url, sentence)
    assert translation and translation != api_translation(app_url, OPENING)[0]  # so the page must change
    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(locale=locale, viewport={"width": 1400, "height": 1000})
        page.goto(app_url, wait_until="load")
        box = page.get_by_role("textbox").first
        box.fill(sentence)
        page.get_by_role("button", name=button, exact=True).click()
        # The new sentence's translation, not the opening one's, and the canvas on the new sentence: its
        # reading order (the last token read first) and one decoder column per step of the translation.
        expect(page.locator(".translation textarea")).to_have_value(translation, timeout=30_000)
        canvas = page.locator("#seq2seq-canvas")
        expect(canvas.locator("g.part.encoder")).to_have_count(len(trace["read_tokens"]), timeout=30_000)
        first_read = canvas.locator("g.part.encoder text.token").first
        expect(first_read).to_have_text(re.compile("^" + re.escape(trace["read_tokens"][0])), timeout=30_000)
        expect(canvas.locator("g.part.decoder")).to_have_count(len(trace["steps"]), timeout=30_000)
        # The canvas's views below it; the Plotly figures of the other views (what-if, all units) stay
        # empty until asked.
        expect(canvas.locator(".canvas-panels .panel")).to_have_count(5)
        assert page.locator(".js-plotly-plot .main-svg").count() == 0
        rendering = "ssr" if "ssr" in request.node.callspec.id else "csr"
        page.screenshot(path=str(SCREENSHOTS / f"translate-{locale}-{rendering}.png"), full_page=True)
        browser.close()


def test_experiments_tab_and_side_by_side_render(app_url):
    sentence = "Welcome to Beijing."
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(locale="en-US", viewport={"width": 1400, "height": 1000})
        page.goto(app_url, wait_until="load")
        # Side by side: opened, it shows the sentence in the box (the opening one) through the paper's reading
        # order and the forward one; Compare then puts the new sentence through both.
        # The page is ready (its opening translation drawn) before the view is opened; the first opening
        # loads both compared models from disk, which on a loaded 2-core CI machine can take a while.
        page.locator("#seq2seq-canvas g.part.decoder").first.wait_for(state="attached", timeout=60_000)
        page.get_by_text("Two models side by side").click()
        page.wait_for_function(f"({SIDE_BY_SIDE})().filter(v => v).length == 2", timeout=60_000)
        opening = page.evaluate(SIDE_BY_SIDE)
        page.get_by_role("textbox").first.fill(sentence)
        page.get_by_role("button", name="Compare", exact=True).click()
        page.wait_for_function(
            f"opening => ({SIDE_BY_SIDE})().filter((v, i) => v && v != opening[i]).length == 2",
            arg=opening,
            timeout=30_000,
        )
        assert all(re.search("[\u4e00-\u9fff]", text) for text in page.evaluate(SIDE_BY_SIDE))
        # The Experiments tab fills from the committed results when it opens.
        page.get_by_role("tab", name="Experiments").click()
        expect(page.get_by_text("reversed (the paper)").first).to_be_visible(timeout=30_000)
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4", timeout=30_000)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "experiments-en-US.png"), full_page=True)
        browser.close()


def test_context_lab_edits_the_context_and_draws_the_kl_chart(request, app_url):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(locale="en-US", viewport={"width": 1400, "height": 1000})
        page.goto(app_url, wait_until="load")
        page.get_by_role("tab", name="Context lab").click()
        # The tab opens on the finished blend; every other section shows what to try, its results hidden until
        # it first runs (no empty boxes or blank charts).
        expect(page.locator("#lab-results-interpolation")).to_be_visible(timeout=30_000)
        for section in ("surgery", "occlusion", "reference", "round", "neighbours", "export"):
            expect(page.locator(f"#lab-results-{section}")).to_be_hidden()
        page.locator("#lab-text textarea").fill("I think we should leave before it starts to rain.")
        page.locator("#lab-surgery-run").click()
        expect(page.locator("#lab-results-surgery")).to_be_visible()
        expect(page.locator("#lab-results-occlusion")).to_be_hidden()
        expect(page.locator("#lab-altered textarea")).to_have_value(re.compile("[\u4e00-\u9fff]"), timeout=30_000)
        # The KL bars are drawn, and Plotly's toolbar offers the chart as a PNG.
        page.wait_for_function("document.querySelectorAll('#lab-kl .barlayer .point').length >= 5", timeout=30_000)
        assert page.locator('#lab-kl .modebar-btn[data-title^="Download plot"]').count() == 1
        rendering = "ssr" if "ssr" in request.node.callspec.id else "csr"
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"context-lab-en-US-{rendering}.png"), full_page=True)
        browser.close()


def test_canvas_draws_the_model_unrolled_and_keeps_user_text_as_text(app_url):
    sentence = "Where is the train station?"
    client_trace = call_api(app_url, "translate", [sentence, "auto", 5, 10, 0])[1][0][1]["trace"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(locale="en-US", viewport={"width": 1400, "height": 1000})
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(app_url, wait_until="load")
        page.get_by_role("textbox").first.fill(sentence)
        page.get_by_role("button", name="Translate", exact=True).click()
        canvas = page.locator("#seq2seq-canvas")
        expect(canvas.locator("g.part.decoder")).to_have_count(len(client_trace["steps"]), timeout=30_000)
        assert canvas.locator("g.part.encoder").count() == len(client_trace["read_tokens"])
        first = client_trace["steps"][0]
        assert (
            canvas.locator("g.part.decoder .token.out").first.text_content() == f"{first['token']} {first['prob']:.2f}"
        )
        canvas.locator("g.part.decoder").last.click()  # stops the play at the last step: everything drawn
        expect(canvas.locator("g.part.future")).to_have_count(0)
        SCREENSHOTS.mkdir(exist_ok=True)
        canvas.screenshot(path=str(SCREENSHOTS / "canvas-en-US.png"))
        # Markup typed in is drawn as text: no element made from it, no script run.
        page.get_by_role("textbox").first.fill("<img src=x onerror=alert(1)> tea")
        page.get_by_role("button", name="Translate", exact=True).click()
        expect(canvas.locator("g.part.encoder text.token").first).to_have_text(re.compile("."), timeout=30_000)
        page.wait_for_timeout(1000)
        assert canvas.locator("img").count() == 0 and dialogs == []
        assert "<" in "".join(canvas.locator("g.part.encoder text.token").all_text_contents())
        browser.close()
