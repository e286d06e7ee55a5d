"""The canvas in a real browser (Debian's Chromium via Playwright), with server-side rendering on as on
Spaces: English and Chinese, a laptop and a phone. Every number checked is the API's trace's own."""

from __future__ import annotations

import math
import re
import shutil
import time
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from demo.i18n import message

from app_server import call_api, running_app
from helpers import OPENING, SCREENSHOTS, SIZES, new_page, server_rendered, trace_of

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def app_url():
    if not shutil.which("node"):
        pytest.fail("server-side rendering needs Node (Debian's nodejs); .ci/run installs it")
    with running_app(GRADIO_SSR_MODE="true") as url:
        assert server_rendered(url)
        yield url


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_page_opens_on_a_drawn_translation_that_one_step_selection_links(browser, app_url, locale, size):
    trace = trace_of(app_url, OPENING)
    started = time.perf_counter()
    page, errors = new_page(browser, app_url, locale, size)
    canvas = page.locator("#seq2seq-canvas")
    expect(canvas.locator("g.part.decoder").first).to_be_attached(timeout=30_000)
    print(f"\n{locale} {size}: first example drawn {time.perf_counter() - started:.2f} s after navigation")
    expect(page.locator(".translation textarea")).to_have_value(re.compile("[\u4e00-\u9fff]"))
    # Every part is drawn once: in full, or inside a "+N" block on a phone (the figure fits its width).
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('#seq2seq-canvas g.part')].map(g => [g.classList[1], g.dataset.part])"
    )
    full = [kind for kind, _ in drawn]
    if size == "laptop":
        assert full.count("decoder") == len(trace["steps"]) and full.count("encoder") == len(trace["read_tokens"])
        assert canvas.locator("g.part.encoder rect.cell").count() == len(trace["read_tokens"]) * len(trace["context_h"])
    else:
        assert "block" in full and full.count("context") == 1
    # Selecting step 2 selects it everywhere: the step panel, the top-k grid, the beam tree, the what-if step.
    t = 2
    canvas.locator(f'.grid tr[data-step="{t}"]').click()  # on a phone this brings step 2 into the figure
    canvas.locator(f'g.part.decoder[data-step="{t}"] g.layer').last.click()
    expect(canvas.locator(".grid tr.selected")).to_have_attribute("data-step", str(t))
    assert canvas.locator(".beam .node.selected").get_attribute("data-t") == str(t)
    step = trace["steps"][t - 1]
    shown = [float(v) for v in canvas.locator(".softmax td.p .pval").all_text_contents()]
    assert shown == pytest.approx([c["prob"] for c in step["top_k"]], abs=6e-5)
    # The cell opened into its maths: the top layer's h_t of each listed unit is the trace's s_t.
    maths = canvas.locator(".cell-maths")
    expect(maths).to_be_visible()
    for row in maths.locator("tbody tr").all()[:3]:
        unit = int(row.get_attribute("data-unit"))
        h = float(row.locator("td.h").text_content().split("=")[-1])
        assert h == pytest.approx(step["output"][unit], abs=6e-5)
    page.wait_for_function(
        f"[...document.querySelectorAll('input[role=listbox], input')].some(i => i.value.startsWith('t={t} '))",
        timeout=15_000,
    )  # the what-if step followed, server side
    # The readable context: its 10 largest values are the trace's.
    largest = sorted(flat_context(trace), key=abs, reverse=True)[:10]
    shown = [float(v) for v in canvas.locator(".units .uval").all_text_contents()]
    assert shown == pytest.approx(largest, abs=6e-4)
    if size == "phone":  # the page never scrolls sideways; the canvas scrolls inside its box
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"canvas-{locale}-{size}.png"), full_page=False)
    canvas.screenshot(path=str(SCREENSHOTS / f"canvas-{locale}-{size}-full.png"))
    assert errors == []
    page.context.close()


def test_play_advances_the_selected_step_and_the_tour_opens_once(browser, app_url):
    page, errors = new_page(browser, app_url, "zh-CN", "laptop", tour_seen=False)
    canvas = page.locator("#seq2seq-canvas")
    tour = canvas.locator(".tour")
    expect(tour).to_be_visible(timeout=30_000)  # the first visit opens the tour, in the page's language
    expect(tour.locator("p")).to_have_text(message("canvas_tour_1", "zh"))
    for _ in range(7):
        tour.locator("button.primary").click()
    expect(tour).to_contain_text("8 / 8")
    tour.locator("button.close").click()
    expect(tour).to_be_hidden()
    canvas.locator("button.tour-open").click()  # it can be opened again
    expect(tour).to_contain_text("1 / 8")
    tour.locator("button.close").click()
    scrub = canvas.locator('input[data-action="scrub"]')
    play = canvas.locator("button.play")
    expect(play).to_have_text(message("canvas_play", "zh"), timeout=30_000)  # the opening play has ended
    play.click()  # from the start again
    expect(play).to_have_text(message("canvas_pause", "zh"))
    first = int(scrub.input_value())
    page.wait_for_timeout(1500)
    assert int(scrub.input_value()) > first
    # Selecting a step never hides what was drawn: with the play over, step 2 is selected and all stay.
    expect(play).to_have_text(message("canvas_play", "zh"), timeout=30_000)
    canvas.locator('g.part.decoder[data-step="2"] g.layer').first.click()
    expect(canvas.locator("g.part.current")).to_have_attribute("data-step", "2")
    assert canvas.locator("g.part.future").count() == 0
    canvas.locator(".canvas-scroll").press("ArrowRight")  # the keyboard steps, as the buttons do
    expect(canvas.locator("g.part.current")).to_have_attribute("data-step", "3")
    expect(canvas.locator(".grid tr.selected")).to_have_attribute("data-step", "3")
    page.reload(wait_until="load")  # a returning visitor does not get the tour again
    expect(canvas.locator("g.part.decoder").first).to_be_attached(timeout=30_000)
    assert canvas.locator(".tour").is_hidden()
    assert errors == []
    page.context.close()


def test_enter_an_example_and_a_setting_translate_at_once_and_markup_stays_text(browser, app_url):
    page, errors = new_page(browser, app_url, "en-US", "laptop")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    canvas, output = page.locator("#seq2seq-canvas"), page.locator(".translation textarea")
    expect(output).to_have_value(re.compile("."), timeout=30_000)
    box = page.get_by_role("textbox").first
    box.fill("Thank you.")
    box.press("Enter")  # Enter submits
    expect(output).to_have_value(trace_text(app_url, "Thank you."), timeout=30_000)
    page.get_by_role("tab", name="Context lab").click()  # the sentence follows to the other tabs
    expect(page.locator("#lab-text textarea")).to_have_value("Thank you.")
    page.get_by_role("tab", name="Experiments").click()
    page.wait_for_function(
        "[...document.querySelectorAll('textarea')].filter(t => t.value === 'Thank you.').length >= 3"
    )
    page.get_by_role("tab", name="Translate").click()
    box.fill("谢谢。")  # a Chinese sentence: Figure 2's space follows to the zh-en model's
    expect(page.locator("#exp-direction input[value='zh-en']")).to_be_checked()
    page.get_by_text("Good morning.", exact=True).first.click()  # an example translates at once
    expect(output).to_have_value(trace_text(app_url, "Good morning."), timeout=30_000)
    # The context panel compares it with the previous sentence's context: the cosine of the API's traces.
    before, now = (flat_context(trace_of(app_url, s)) for s in ("Thank you.", "Good morning."))
    dot = sum(x * y for x, y in zip(before, now))
    cosine = dot / math.sqrt(sum(x * x for x in before) * sum(y * y for y in now))
    expect(canvas.locator(".canvas-panels")).to_contain_text(f"{cosine:.3f}")
    width = page.get_by_label(f"number input for {message('beam_width')}")
    width.fill("1")  # beam width 1, greedy: the setting re-runs it, with no beam tree
    width.blur()
    expect(canvas.locator(".beam")).to_have_count(0, timeout=30_000)
    assert re.search(r"[?&]beam=1(&|$)", page.evaluate("location.search"))  # the page's URL follows
    box.fill("<img src=x onerror=alert(1)> tea")
    box.press("Enter")
    expect(canvas.locator(".typed-row .typed").filter(has_text="<").first).to_be_attached(timeout=30_000)
    page.wait_for_timeout(1000)
    assert canvas.locator("img").count() == 0 and dialogs == [] and errors == []
    page.context.close()


def test_a_link_opens_its_view_and_the_url_follows_the_visitor(browser, app_url):
    query = {"q": "Thank you.", "dir": "en-zh", "beam": "3", "step": "2"}
    page, errors = new_page(browser, f"{app_url}?{urlencode(query)}", "en-US", "laptop")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    canvas, output = page.locator("#seq2seq-canvas"), page.locator(".translation textarea")
    beam3, trace = call_api(app_url, "translate", ["Thank you.", "en-zh", 3, 10, 0])[1][0]
    assert len(trace["trace"]["steps"]) > 2  # else a play that ran to its end would end on step 2 too
    expect(output).to_have_value(beam3, timeout=30_000)  # that sentence, direction and beam width
    expect(page.get_by_role("textbox").first).to_have_value("Thank you.")
    expect(page.get_by_label(f"number input for {message('beam_width')}")).to_have_value("3")
    expect(page.locator("input[value='en-zh']")).to_be_checked()
    expect(canvas.locator(".grid tr.selected")).to_have_attribute("data-step", "2", timeout=30_000)
    expect(canvas.locator("button.play")).to_have_text(message("canvas_play"))  # the play stopped there
    page.wait_for_timeout(1500)
    expect(canvas.locator("g.part.current")).to_have_attribute("data-step", "2")
    page.wait_for_function("location.search.includes('step=2')")
    page.wait_for_function(  # the what-if step followed, server side
        "[...document.querySelectorAll('input')].some(i => i.value.startsWith('t=2 '))", timeout=15_000
    )
    # The URL follows the step the visitor selects, and "Copy link" copies it.
    canvas.locator('g.part.decoder[data-step="1"] g.layer').first.click()
    page.wait_for_function("location.search.includes('step=1')")
    canvas.locator("button[data-action=copy-link]").click()
    expect(canvas.locator("button[data-action=copy-link]")).to_have_text(message("canvas_link_copied"))
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    assert dict(parse_qsl(urlsplit(page.url).query)) == {**query, "step": "1"}
    box = page.get_by_role("textbox").first  # and the sentence the visitor translates next
    box.fill("Good morning.")
    box.press("Enter")
    page.wait_for_function("new URLSearchParams(location.search).get('q') === 'Good morning.'", timeout=30_000)
    assert errors == []
    page.context.close()


def test_a_bad_link_opens_the_opening_view_with_a_line_saying_why(browser, app_url):
    page, errors = new_page(browser, f"{app_url}?beam=nan&dir=en-zh", "en-US", "laptop")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    details = page.get_by_label(message("details"), exact=True)
    expect(details).to_have_value(re.compile(re.escape(message("link_error"))), timeout=30_000)
    expect(page.get_by_role("textbox").first).to_have_value(OPENING)
    expect(page.locator("#seq2seq-canvas g.part.decoder").first).to_be_attached()
    marked = "<img src=x onerror=alert(1)> tea"  # a link's sentence is text too
    page.goto(f"{app_url}?{urlencode({'q': marked})}", wait_until="load")
    expect(page.get_by_role("textbox").first).to_have_value(marked, timeout=30_000)
    expect(page.locator("#seq2seq-canvas .typed-row .typed").filter(has_text="<").first).to_be_attached()
    page.wait_for_timeout(1000)
    assert page.locator("#seq2seq-canvas img").count() == 0 and dialogs == [] and errors == []
    page.context.close()


def flat_context(trace: dict) -> list[float]:
    """Every number of a trace's context vector: h then c, layer by layer."""
    return [v for part in ("context_h", "context_c") for layer in trace[part] for v in layer]


def trace_text(url: str, sentence: str) -> str:
    return call_api(url, "translate", [sentence, "auto", 5, 10, 0])[1][0][0]
