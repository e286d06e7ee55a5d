"""Seq2seq explained: the Gradio app. `python app.py` serves it on port 7860
(GRADIO_SERVER_NAME / GRADIO_SERVER_PORT override); `demo` is importable without launching."""

from demo import service
from demo.page import build_demo, launch_options

demo = build_demo().queue(default_concurrency_limit=2, max_size=64)

if __name__ == "__main__":
    for direction in service.DIRECTIONS:  # the first visitor should not wait for the models to load
        service.translator(direction)
    demo.launch(**launch_options())
