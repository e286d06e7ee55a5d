"""A learner's first five minutes on the canvas, in a real browser (Debian's Chromium via Playwright), English and
Chinese, a laptop and a phone: the whole figure fits, the tour brings what it speaks of into view, guess first,
the what-if temperature, the words of the notation, and the canvas defects of issue 18. Numbers checked are the
API's trace's own."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from demo.i18n import message

from app_server import running_app
from helpers import OPENING, SCREENSHOTS, SIZES, new_page, trace_of

pytestmark = [pytest.mark.browser, pytest.mark.server]

LONG = (
    "I think we should leave before it starts to rain because the forecast said that the storm would arrive "
    "in the evening and last all night."
)
LANG = {"en-US": "en", "zh-CN": "zh"}

# The union of the tour's lit elements lies inside the window, above the tour's own box (which stays in view).
LIT_IN_VIEW = """() => {
  const lit = [...document.querySelectorAll('#seq2seq-canvas .tour-focus')].map(e => e.getBoundingClientRect());
  const box = document.querySelector('#seq2seq-canvas .tour').getBoundingClientRect();
  if (!lit.length || box.top < 0 || box.bottom > innerHeight + 1) return false;
  const [top, bottom] = [Math.min(...lit.map(r => r.top)), Math.max(...lit.map(r => r.bottom))];
  const [left, right] = [Math.min(...lit.map(r => r.left)), Math.max(...lit.map(r => r.right))];
  return top >= -1 && bottom <= box.top + 1 && left >= -1 && right <= innerWidth + 1;
}"""
FITS = """() => {
  const box = document.querySelector('#seq2seq-canvas .canvas-scroll');
  const svg = box.querySelector('svg').getBoundingClientRect();
  return box.scrollWidth <= box.clientWidth + 1 && svg.right <= innerWidth && document.documentElement.scrollWidth
    <= innerWidth + 1;
}"""


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


def open_page(browser, url: str, locale: str, size: str, tour_seen: bool = True):
    page, errors = new_page(browser, url, locale, size, tour_seen)
    canvas = page.locator("#seq2seq-canvas")
    expect(canvas.locator("g.part.decoder").first).to_be_attached(timeout=30_000)
    return page, canvas, errors


def played(canvas) -> None:
    """Wait for the opening play to end (the play button reads Play again)."""
    expect(canvas.locator("button.play")).to_have_text(re.compile("Play|播放"), timeout=30_000)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_a_first_visit_shows_the_whole_figure_and_every_tour_step_in_view(browser, app_url, locale, size):
    page, canvas, errors = open_page(browser, app_url, locale, size, tour_seen=False)
    tour = canvas.locator(".tour")
    expect(tour).to_be_visible(timeout=30_000)
    expect(tour.locator("p")).to_have_text(message("canvas_tour_1", LANG[locale]))
    # The first screen: the whole figure, no sideways scrolling, and the tour's first step beside it.
    page.wait_for_function(LIT_IN_VIEW, timeout=10_000)
    assert page.evaluate(FITS)
    svg = canvas.locator(".canvas-svg").bounding_box()
    assert svg["y"] >= 0 and svg["y"] + svg["height"] <= SIZES[size]["height"]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"learner-first-screen-{locale}-{size}.png"))
    for step in range(2, 9):
        tour.locator("button[data-action=tour-next]").click()
        expect(tour).to_contain_text(f"{step} / 8")
        page.wait_for_function(LIT_IN_VIEW, timeout=10_000)  # the page moved to what the step speaks of
    expect(tour.locator("button[data-action=quiz-start]")).to_be_visible()  # the last step offers guess first
    assert errors == []
    page.context.close()


@pytest.mark.parametrize("locale, size", [("en-US", "laptop"), ("zh-CN", "phone")])
def test_a_long_sentence_is_condensed_to_fit_and_expands_on_click(browser, app_url, locale, size):
    trace = trace_of(app_url, LONG)
    page, canvas, errors = open_page(browser, app_url, locale, size)
    box = page.get_by_role("textbox").first
    box.fill(LONG)
    box.press("Enter")
    expect(canvas.locator(".typed-row .typed")).to_have_count(len(trace["read_tokens"]) - 1, timeout=30_000)
    played(canvas)
    assert page.evaluate(FITS)
    blocks = canvas.locator("g.part.block")
    assert blocks.count() >= 2  # the encoder's and the decoder's runs
    # Every part is drawn once, in full or in a block; no two tokens of a row overlap.
    counted = page.evaluate(
        """() => [...document.querySelectorAll('#seq2seq-canvas g.part')].reduce((n, g) => n + (g.classList
        .contains('block') ? Number(g.querySelector('.count').textContent.slice(1)) : 1), 0)"""
    )
    assert counted == len(trace["read_tokens"]) + 1 + len(trace["steps"])
    overlaps = page.evaluate(
        """() => { const rows = {}; for (const t of document.querySelectorAll('#seq2seq-canvas .canvas-svg text.token'))
        { const r = t.getBoundingClientRect(); if (r.width) (rows[Math.round(r.top)] ||= []).push(r); }
        let n = 0; for (const row of Object.values(rows)) { row.sort((a, b) => a.left - b.left);
        for (let i = 1; i < row.length; i++) if (row[i].left < row[i - 1].right - 1) n++; } return n; }"""
    )
    assert overlaps == 0
    page.screenshot(path=str(SCREENSHOTS / f"learner-long-{locale}-{size}.png"))
    blocks.last.click()  # the decoder's run: every step drawn, the figure scrolls sideways
    expect(canvas.locator("g.part.decoder")).to_have_count(len(trace["steps"]))
    canvas.locator("button.fit").click()
    page.wait_for_function(FITS)
    assert errors == []
    page.context.close()


@pytest.mark.parametrize("locale, size", [("en-US", "laptop"), ("zh-CN", "phone")])
def test_guess_first_hides_each_step_until_guessed_and_keeps_score(browser, app_url, locale, size):
    steps = trace_of(app_url, OPENING)["steps"]
    lang = LANG[locale]
    page, canvas, errors = open_page(browser, app_url, locale, size)
    played(canvas)
    canvas.locator("button.quiz-toggle").click()
    quiz = canvas.locator(".quiz")
    expect(quiz).to_be_visible()
    # Nothing of the decoder shows before a guess: no word, no number, in the figure or the panels.
    expect(canvas.locator("g.part.decoder:not(.future)")).to_have_count(0)
    assert canvas.locator(".grid tbody tr").count() == 0 and not canvas.locator(".lines").count()
    blurred = "() => getComputedStyle(document.querySelector('.translation textarea')).filter"
    assert page.evaluate(blurred).startswith("blur")  # the translation box would give the answers away
    right = 0
    for i, step in enumerate(steps):
        expect(quiz).to_contain_text(f"“{steps[i - 1]['token'] if i else '<sos>'}”")  # the word fed in
        expect(canvas.locator(f'g.part.decoder[data-step="{i + 1}"] .out')).to_be_hidden()
        choices = [b.get_attribute("data-token") for b in quiz.locator(".choices button").all()]
        assert step["token"] in choices and choices[-1] == "<eos>"
        pick = step["token"] if i % 2 == 0 else next(c for c in choices if c != step["token"])
        right += pick == step["token"]
        quiz.locator(".choices button").nth(choices.index(pick)).click()  # by place: a token may be a quote mark
        score = message("canvas_quiz_score", lang).replace("{right}", str(right)).replace("{asked}", str(i + 1))
        expect(quiz.locator(".score")).to_have_text(score)
        expect(quiz.locator(".why").first).to_contain_text(f"{step['prob']:.2f}")  # the why, from the numbers
        expect(canvas.locator(f'g.part.decoder[data-step="{i + 1}"] .out')).to_be_visible()
        expect(canvas.locator(".grid tbody tr")).to_have_count(i + 1)
        if i == 1:
            page.screenshot(path=str(SCREENSHOTS / f"learner-guess-{locale}-{size}.png"))
        if i < len(steps) - 1:
            assert canvas.locator(f'g.part.decoder[data-step="{i + 2}"]:not(.future)').count() == 0
            quiz.locator("button[data-action=quiz-next]").click()
    done = message("canvas_quiz_done", lang).replace("{right}", str(right)).replace("{asked}", str(len(steps)))
    expect(quiz).to_contain_text(done)
    assert page.evaluate(blurred) == "none"  # every step guessed: the answer shows again
    quiz.locator("button[data-action=quiz-stop]").click()
    expect(quiz).to_be_hidden()
    expect(canvas.locator("g.part.future")).to_have_count(0)
    assert errors == []
    page.context.close()


def test_the_temperature_redraws_p_t_from_the_logits_and_every_symbol_is_explained(browser, app_url):
    step = trace_of(app_url, OPENING)["steps"][0]
    page, canvas, errors = open_page(browser, app_url, "zh-CN", "laptop")
    played(canvas)
    canvas.locator('.grid tr[data-step="1"]').click()
    slider = canvas.locator("input[data-action=temperature]")
    expect(slider).to_have_value("50")  # T = 1
    probs = [c["prob"] for c in step["top_k"]]

    def shown() -> list[float]:
        return [float(v) for v in canvas.locator(".softmax td.temp .tval").all_text_contents()]

    assert shown() == pytest.approx([p / sum(probs) for p in probs], abs=2e-3)  # renormalised over the top k
    slider.fill("0")  # T = 0.1: all on the largest logit
    expect(canvas.locator(".whatif-temp")).to_contain_text("T = 0.10")
    assert shown()[0] >= 0.99
    slider.fill("100")  # T = 10: flatter than the decoding's
    assert max(shown()) < probs[0] / sum(probs) and min(shown()) > probs[-1] / sum(probs)
    expect(canvas.locator(".whatif-temp .note")).to_have_text(
        message("canvas_temp_note", "zh").replace("{k}", str(len(probs)))
    )
    # Words for the notation: a tap on a symbol explains it; the list holds every one.
    canvas.locator('g.part.decoder [data-term="s_t"]').first.click()
    expect(canvas.locator(".definition")).to_have_text(message("canvas_def_s_t", "zh"))
    canvas.locator('.softmax th[data-term="logit"]').hover()
    expect(canvas.locator(".definition")).to_have_text(message("canvas_def_logit", "zh"))
    expect(canvas.locator(".glossary li")).to_have_count(17)
    expect(canvas.locator(".caption").first).to_contain_text("384")
    assert errors == []
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_canvas_defects_of_issue_18(browser, app_url, size):
    page, canvas, errors = open_page(browser, app_url, "zh-CN", size)
    played(canvas)
    # ◀ and ← move the scrubber with the outline.
    scrub = canvas.locator('input[data-action="scrub"]')
    end = int(scrub.input_value())
    canvas.locator(".canvas-scroll").press("ArrowLeft")
    expect(scrub).to_have_value(str(end - 1))
    canvas.locator('button[data-action="back"]').click()
    expect(scrub).to_have_value(str(end - 2))
    # Both maths tables fit their panel in Chinese, on a laptop and on a phone: no column clipped.
    canvas.locator('.grid tr[data-step="2"]').click()
    canvas.locator('g.part.decoder[data-step="2"] g.layer').first.click()
    expect(canvas.locator(".cell-maths")).to_be_visible()
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('#seq2seq-canvas .softmax, #seq2seq-canvas .unit-maths')]
        .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1 || t.getBoundingClientRect().right > innerWidth)
        .map(t => t.className)"""
    )
    assert clipped == []
    # The beam tree's winner path runs over none of its labels.
    crossed = page.evaluate(
        """() => { const svg = document.querySelector('#seq2seq-canvas svg.beam'); let n = 0;
        const edges = [...svg.querySelectorAll('line.edge.path')].map(l => ['x1', 'y1', 'x2', 'y2']
          .map(a => Number(l.getAttribute(a))));
        for (const t of svg.querySelectorAll('text')) { const b = t.getBBox();
          for (const [x1, y1, x2, y2] of edges) for (let k = 0; k <= 100; k++) {
            const x = x1 + (x2 - x1) * k / 100, y = y1 + (y2 - y1) * k / 100;
            if (x > b.x + 1 && x < b.x + b.width - 1 && y > b.y + 1 && y < b.y + b.height - 1) { n++; break; } } }
        return n; }"""
    )
    assert crossed == 0
    page.screenshot(path=str(SCREENSHOTS / f"learner-defects-zh-CN-{size}.png"), full_page=True)
    assert errors == []
    page.context.close()
