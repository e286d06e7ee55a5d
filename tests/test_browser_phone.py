"""The Context lab and Experiments tabs on a phone (390×844), in English and Chinese, in a real browser
(Debian's Chromium via Playwright, as tests/test_browser.py): nothing wider than the screen, a title of its
own on every lab result box, the claims table's last column reachable, figure titles clear of Plotly's
mode bar. Screenshots go to tests/screenshots/phone/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from demo.i18n import message

from helpers import CHROMIUM, FLAGS, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.server]

PHONE = {"width": 390, "height": 844}
PHONE_SHOTS = SCREENSHOTS / "phone"
SENTENCE = "I think we should leave before it starts to rain."
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
# Per figure: how far its title's top lies above the bottom of its mode bar, where they share columns.
UNDER_THE_BAR = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.offsetParent).map(p => {
    const title = p.querySelector('.gtitle'), bar = p.querySelector('.modebar');
    if (!title || !title.textContent || !bar) return 0;
    const t = title.getBoundingClientRect(), b = bar.getBoundingClientRect();
    return t.left < b.right && b.left < t.right ? b.bottom - t.top : 0;
})"""
# The claims table's last header cell against the screen and against the box that scrolls it.
LAST_COLUMN = """() => {
    const cells = document.querySelectorAll('#exp-claims thead th');
    const cell = cells[cells.length - 1].getBoundingClientRect();
    let box = cells[cells.length - 1].parentElement;
    while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
    const scroller = box ? box.getBoundingClientRect() : {left: 0, right: window.innerWidth};
    return {count: cells.length, left: cell.left, right: cell.right, width: window.innerWidth,
            boxLeft: scroller.left, boxRight: scroller.right};
}"""


def open_tab(page, name: str) -> None:
    """Click a tab, through Gradio's "More tabs" menu when the row of tabs does not fit the screen."""
    expect(page.get_by_role("tab").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(500)  # Gradio moves the tabs that do not fit into the menu once they are drawn
    tab = page.get_by_role("tab", name=name, exact=True)
    if tab.count() and tab.is_visible():
        tab.click()
    else:
        page.locator('button[aria-label="More tabs"]').click()
        page.locator(".overflow-dropdown button", has_text=name).click()


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_lab_and_experiments_fit_a_phone(request, app_url, locale):  # noqa: F811
    lang = locale[:2]
    rendering = "ssr" if "ssr" in request.node.callspec.id else "csr"
    PHONE_SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(locale=locale, viewport=PHONE, is_mobile=True, has_touch=True)
        page.goto(app_url, wait_until="load")

        open_tab(page, message("lab_tab", lang))
        page.locator("#lab-text textarea").fill(SENTENCE)
        page.locator("#lab-surgery-run").click()
        page.wait_for_function("document.querySelectorAll('#lab-kl .barlayer .point').length >= 5", timeout=60_000)
        page.get_by_role("button", name=message("lab_occlude_run", lang), exact=True).click()
        page.wait_for_function("document.querySelectorAll('#lab-occlusion .point').length >= 5", timeout=60_000)
        labels = page.locator(".lab-result [data-testid='block-info']").all_inner_texts()
        assert len(labels) == 7 and len(set(labels)) == 7, labels
        assert [label.strip() for label in labels][:2] == [
            message(k, lang) for k in ("lab_interp_result", "lab_surgery_result")
        ]
        assert page.evaluate(OVERFLOW) <= 1
        overlaps = page.evaluate(UNDER_THE_BAR)
        assert all(overlap <= 0 for overlap in overlaps), overlaps
        page.screenshot(path=str(PHONE_SHOTS / f"context-lab-{locale}-{rendering}.png"), full_page=True)

        open_tab(page, message("tab_experiments", lang))
        expect(page.locator("#exp-claims tbody tr").first).to_contain_text(re.compile(r"\w"), timeout=60_000)
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 8", timeout=60_000)
        column = page.evaluate(LAST_COLUMN)
        assert column["count"] == 3
        assert column["right"] <= column["width"] + 1 or column["boxLeft"] <= column["left"] < column["boxRight"]
        assert column["right"] <= column["width"] + 1  # the three columns share the width: "ours" is on screen
        assert page.evaluate(OVERFLOW) <= 1
        overlaps = page.evaluate(UNDER_THE_BAR)
        assert all(overlap <= 0 for overlap in overlaps), overlaps
        page.screenshot(path=str(PHONE_SHOTS / f"experiments-{locale}-{rendering}.png"), full_page=True)
        browser.close()
