"""The page: one tab per folder of demo/, and what goes to launch()."""

from __future__ import annotations

import os
from collections.abc import Callable

import gradio as gr
from gradio import queueing

from . import fairness, service
from .experiments import tab as experiments_tab
from .lab import tab as lab_tab
from .model import tab as model_tab
from .translate import tab as translate_tab
from .widgets import T

CSS = """
.translation textarea { font-size: 1.5rem !important; line-height: 1.4; }
footer { display: none !important; }
body.guessing .translation textarea { filter: blur(7px); user-select: none; }
.model-facts thead { display: none; }
"""  # body.guessing: the canvas's guess-first mode (js/main.js) hides the answer until every step is guessed;
# .model-facts: the Model tab's facts are a Markdown table of name | value rows, whose header row is empty


class Page(gr.Blocks):
    """The app's Blocks: what the first visitor should not wait for (the models loaded, the opening sentence
    translated and drawn into the page) is done when it launches, never when it is imported."""

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.before_launch: list[Callable[[], None]] = []

    def queue(self, max_size: int | None = None, *, default_concurrency_limit: int | None | str = "not_set") -> Page:
        """The queue, with the door of `fairness` in front of it (each call builds a new queue). Made as Gradio's
        `Blocks.queue` makes it, less its last line, which builds the whole server app again (a quarter of
        `import app`) although `launch()` builds it anyway (gradio is pinned; tests/test_fairness.py checks that
        these settings are the ones served)."""
        self._queue = queueing.Queue(
            live_updates=True,
            concurrency_count=self.max_threads,
            update_intervals=1,
            max_size=max_size,
            blocks=self,
            default_concurrency_limit=default_concurrency_limit,
        )
        return fairness.guard(self)

    def launch(self, *args, **kwargs):  # launch() builds the page's config again, with what was painted
        for prepare in self.before_launch:
            prepare()
        return super().launch(*args, **kwargs)


def load_models() -> None:
    for direction in service.DIRECTIONS:
        service.translator(direction)


def build_demo() -> Page:
    # Gradio's cache of files sent to browsers (exports) is swept hourly of files over an hour old.
    with Page(title="Seq2seq explained · 序列到序列图解", delete_cache=(3600, 3600)) as demo:
        gr.Markdown(T("title"), elem_classes="title")
        gr.Markdown(T("subtitle"))
        opening = translate_tab.OPENING_SENTENCE  # every tab's sentence box opens on it: no load event fills them
        with gr.Tabs():
            with gr.Tab(T("tab_translate")):
                sentence, paint_opening = translate_tab.build(demo)
            with gr.Tab(T("lab_tab")):
                lab_sentence = lab_tab.build(opening, demo)  # the lab paints its opening blend before launch
            with gr.Tab(T("tab_experiments")) as experiments_page:
                experiments_sentence, experiments_direction = experiments_tab.build(experiments_page, opening)
            with gr.Tab(T("tab_model")):
                model_tab.build(demo)
        # The sentence follows the user from tab to tab, in the browser (no request): what they translate
        # is what the Context lab and the Experiments tab open on.
        # Figure 2's space follows the sentence's language (Han characters: the zh-en model's space).
        js = "(text) => [text, text, /[\\u3400-\\u9fff]/.test(text || '') ? 'zh-en' : 'en-zh']"
        follow = {"fn": None, "js": js, "api_visibility": "private"}
        followers = [lab_sentence, experiments_sentence, experiments_direction]
        sentence.change(inputs=sentence, outputs=followers, **follow)
        translate_tab.register_api()
        lab_tab.register_api()
    demo.before_launch += [load_models, paint_opening]
    return demo


# Gradio keeps, per visitor, a copy of the page's config holding the last value of every output (the
# canvas data of their last translation: about 0.2 MB) until this many newer visitors push it out (least
# recently used first; Gradio's default is 10,000, which a class could turn into gigabytes).
SESSIONS_KEPT = int(os.environ.get("SEQ2SEQ_SESSIONS", "100"))


MAX_UPLOAD = "1mb"


def launch_options() -> dict:
    """What goes to launch(): in Gradio 6 theme, css and i18n belong there, not to Blocks()."""
    return {
        "theme": gr.themes.Soft(primary_hue="indigo"),
        "css": CSS + lab_tab.CSS,
        "i18n": T,
        "state_session_capacity": SESSIONS_KEPT,
        # The page has no upload component: /gradio_api/upload took 200 MB in a second without this.
        "max_file_size": MAX_UPLOAD,
    }
