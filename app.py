"""Seq2seq explained: the Gradio app. `python app.py` serves it on port 7860
(GRADIO_SERVER_NAME / GRADIO_SERVER_PORT override); `demo` is importable without launching."""

from demo.fairness import QUEUE_SIZE
from demo.page import build_demo, launch_options

# Nothing is decoded until launch(); the queue's door (demo/fairness.py) caps what one visitor may queue.
demo = build_demo().queue(default_concurrency_limit=2, max_size=QUEUE_SIZE)

if __name__ == "__main__":
    demo.launch(**launch_options())
