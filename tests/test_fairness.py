"""A class on one server: one visitor flooding the heaviest lab call cannot make others wait or fail, and is
told, in one clear line, to wait for their earlier requests (through the queue protocol the page uses)."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
import uuid

import pytest

from demo.fairness import PER_VISITOR
from demo.i18n import message
from demo.load import ALPHAS_41, completions, fn_indices, join, ok, queue_call

from app_server import running_app

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def url():
    with running_app() as address:
        yield address


def test_one_visitor_flooding_the_lab_is_told_to_wait_while_others_translate(url):
    index = fn_indices(url)
    flooder = uuid.uuid4().hex
    heaviest = [" ".join(["I think we should leave before it starts to rain."] * 4), "I like coffee.", "auto"]
    answers = [join(url, index["interpolate"], heaviest + [ALPHAS_41], flooder) for _ in range(PER_VISITOR + 4)]
    statuses = [status for status, _ in answers]
    assert statuses[:PER_VISITOR] == [200] * PER_VISITOR
    assert set(statuses[PER_VISITOR:]) == {429}
    assert {detail for status, detail in answers if status == 429} == {message("error_wait_earlier")}
    finished = []  # the flooder's completions, read from its stream as its page would

    def read() -> None:
        for event in completions(url, flooder, timeout=300):
            if event.get("msg") == "process_completed":
                finished.append(event["success"])
                if len(finished) == PER_VISITOR:
                    return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    # Another visitor's translations are all answered, while the flood is still being worked through:
    # translations have their own concurrency group and never wait behind the lab.
    for text in ["I like tea.", "我爱你。", "Where is the train station?"]:
        assert ok(queue_call(url, index["translate"], [text, "auto", 5, 10, 0]))
        translated_while = len(finished) < PER_VISITOR
        assert translated_while
    reader.join(timeout=300)
    assert finished == [True] * PER_VISITOR
    # Once their requests are done, the flooder may ask again.
    assert join(url, index["interpolate"], heaviest + [[0, 1]], flooder)[0] == 200


def test_uploads_are_capped_as_the_page_has_no_upload_component(url):
    boundary = "seq2seq"
    content = b"x" * (2 * 1024 * 1024)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    request = urllib.request.Request(f"{url}gradio_api/upload", body, headers)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code in (400, 413)


def test_the_apps_queue_is_made_as_gradios_own_with_the_door_in_front():
    """demo/page.py makes the queue without Gradio's second build of the server app: the same queue as
    `gr.Blocks.queue` would make, with the app's settings and `fairness.admit` as its door."""
    import gradio as gr

    from demo.fairness import QUEUE_SIZE

    from app import demo

    plain = gr.Blocks().queue(max_size=QUEUE_SIZE, default_concurrency_limit=2)._queue
    served = demo._queue
    settings = ("max_size", "default_concurrency_limit", "live_updates", "update_intervals", "max_thread_count")
    assert [getattr(served, name) for name in settings] == [getattr(plain, name) for name in settings]
    assert served.max_size == QUEUE_SIZE and served.push.__name__ == "admit"
