"""The Experiments and Model tabs in a real browser (Chromium via Playwright), on a laptop (1400×1000) and a
phone (390×844), in English and Chinese: the Experiments tab opens on its results table with the run log
folded; Figure 2's phrase labels stay inside their plots; Figure 3's legend takes a few rows; the model cards'
facts are in the page's language. Screenshots go to tests/screenshots/results/."""

from __future__ import annotations

import re

import pytest
import test_browser_phone as phone_tests
from playwright.sync_api import expect, sync_playwright

from demo.i18n import message

from helpers import CHROMIUM, FLAGS, SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.server]

SIZES = {"laptop": {"width": 1400, "height": 1000}, "phone": {"width": 390, "height": 844}}
SHOTS = SCREENSHOTS / "results"
# Per visible phrase map (Figure 2): how far its labels reach past the plot's left and right edges, in px.
LABELS_OUTSIDE = """() => [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.offsetParent)
    .filter(p => p.querySelector('.textpoint')).map(p => {
        const box = p.getBoundingClientRect();
        return Math.max(0, ...[...p.querySelectorAll('.textpoint')].map(t => {
            const r = t.getBoundingClientRect();
            return Math.max(box.left - r.left, r.right - box.right);
        }));
    })"""
# Rows of Figure 3's legend: the distinct vertical positions of its entries and group titles.
LEGEND_ROWS = """() => {
    const plot = document.querySelector('#exp-figure3 .js-plotly-plot');
    const tops = [...plot.querySelectorAll('.legend .traces')].map(t => Math.round(t.getBoundingClientRect().top));
    return {entries: tops.length, rows: new Set(tops).size};
}"""


@pytest.mark.parametrize("app_url", ["false"], indirect=True)  # client-side rendering only: the tabs' content is
@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])  # the same either way, and the machine is small
def test_results_and_model_tabs_open_on_what_a_learner_reads(app_url, locale):
    lang = locale[:2]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        for size, viewport in SIZES.items():
            phone = size == "phone"
            page = browser.new_page(locale=locale, viewport=viewport, is_mobile=phone, has_touch=phone)
            page.goto(app_url, wait_until="load")

            phone_tests.open_tab(page, message("tab_experiments", lang))
            expect(page.locator("#exp-results tbody tr").first).to_contain_text(re.compile(r"\w"), timeout=60_000)
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 8", timeout=60_000)
            page.wait_for_timeout(500)
            # The first thing below the tab's intro is the results table; the run log is folded away.
            expect(page.locator("#exp-results")).to_be_in_viewport()
            expect(page.get_by_label(message("exp_run_info", lang))).to_be_hidden()
            expect(page.locator("#exp-log")).to_contain_text(message("exp_log_title", lang))
            expect(page.locator("#exp-results tbody")).to_contain_text(message("exp_p_source_order", lang))
            page.screenshot(path=str(SHOTS / f"experiments-{locale}-{size}.png"))
            outside = page.evaluate(LABELS_OUTSIDE)
            assert len(outside) >= 2 and all(px <= 1 for px in outside), outside
            legend = page.evaluate(LEGEND_ROWS)
            assert legend["entries"] == 6 + 2 and legend["rows"] <= 4, legend  # two titles, three models each
            page.locator("#exp-figure3").scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / f"experiments-figure3-{locale}-{size}.png"))
            page.screenshot(path=str(SHOTS / f"experiments-{locale}-{size}-full.png"), full_page=True)

            phone_tests.open_tab(page, message("tab_model", lang))
            facts = page.locator(".model-facts").first
            expect(facts).to_contain_text(message("model_card_context", lang), timeout=30_000)
            expect(page.get_by_text(message("model_card_full", lang)).first).to_be_visible()
            page.screenshot(path=str(SHOTS / f"model-{locale}-{size}.png"), full_page=True)
            page.close()
        browser.close()
