"""The Gradio app: one folder per tab, the shared pieces beside them (see README.md's layout)."""

import os

# Gradio's usage telemetry stays off unless the user turns it on (GRADIO_ANALYTICS_ENABLED=True);
# set here, before any module of the app imports Gradio.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
