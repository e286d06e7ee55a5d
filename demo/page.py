"""The page: one tab per folder of demo/, and what goes to launch()."""

from __future__ import annotations

import gradio as gr

from .experiments import tab as experiments_tab
from .lab import tab as lab_tab
from .model import tab as model_tab
from .translate import tab as translate_tab
from .widgets import T

CSS = """
.translation textarea { font-size: 1.5rem !important; line-height: 1.4; }
footer { display: none !important; }
"""


def build_demo() -> gr.Blocks:
    with gr.Blocks(title="Seq2seq explained · 序列到序列图解") as demo:
        gr.Markdown(T("title"), elem_classes="title")
        gr.Markdown(T("subtitle"))
        with gr.Tabs():
            with gr.Tab(T("tab_translate")):
                translate_tab.build()
            with gr.Tab(T("lab_tab")):
                lab_tab.build()
            with gr.Tab(T("tab_experiments")) as experiments_page:
                experiments_tab.build(experiments_page)
            with gr.Tab(T("tab_model")):
                model_tab.build(demo)
        translate_tab.register_api()
        lab_tab.register_api()
    return demo


def launch_options() -> dict:
    """What goes to launch(): in Gradio 6 theme, css and i18n belong there, not to Blocks()."""
    return {"theme": gr.themes.Soft(primary_hue="indigo"), "css": CSS, "i18n": T}
