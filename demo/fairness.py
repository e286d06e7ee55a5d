"""The queue's door: what every event passes before it may wait for a worker, from the page and the API alike.

Gradio's queue has one global `max_size`: one visitor who keeps dozens of slow Context lab calls outstanding
fills it, and every other visitor's translation is refused. Gradio has no per-visitor limit, and it reads a
page event's values without checking them, so `guard` wraps the queue's `push` (the one place every event
enters: /gradio_api/queue/join, /gradio_api/call/…) with `admit`, which refuses, with one clear line:

- a page event (ours are api_visibility="private", Gradio's examples "undocumented") asked for through /gradio_api/call/… (only named endpoints are
  the API), or whose values are not what its widgets send (`validate.widget_value`), or too few of them;
- a visitor (a Gradio session) with PER_VISITOR events already waiting or running: they are asked to wait
  for their earlier requests, and nobody else is affected;
- an event of a heavy concurrency group (the Context lab) when GROUP_WAITING of its events already wait,
  so even a visitor who opens many sessions cannot take the queue's room from translations, which run in
  their own group (TRANSLATE) and never wait behind the lab.

Every string of an admitted event has its lone surrogates replaced (`validate.safe_data`): no answer or
message can then fail to encode, which dropped the visitor's connection with all their pending events.
A refusal is an HTTP error whose `detail` is the message: the page shows it as it is (for 503 it would
show a generic "busy" line instead, so refusals use 429, 404 and 400).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import gradio as gr
from fastapi import HTTPException
from gradio import route_utils

from .i18n import language_of, strings
from .validate import InputError, Widget, explain, safe_data, widget_value
from .widgets import MAX_TYPED_CHARS

PER_VISITOR = 6  # events of one session waiting or running at once (a page load starts 3 of its own)
TRANSLATE, LAB = "translate", "lab"  # the concurrency groups of the translations and of the heavy lab calls
LIMITS = {TRANSLATE: 2, LAB: 1}  # events of each group that run at once (2 vCPUs; decoding uses one thread)
GROUP_WAITING = {LAB: 48}  # waiting events per group beyond which a new one is refused at once
QUEUE_SIZE = 128  # Gradio's own cap on waiting events, all groups together: the lab fills at most 48 of it
NUMBER_BOUND = 1e15  # a gr.Number without bounds (a seed) still takes no 1e308


def group(name: str) -> dict:
    """The options that put an event in concurrency group `name` (TRANSLATE or LAB)."""
    return {"concurrency_id": name, "concurrency_limit": LIMITS[name]}


def _events_of(queue: Any) -> list[Any]:
    """Every event the queue holds: waiting in any group, or running."""
    waiting = [event for group in queue.event_queue_per_concurrency_id.values() for event in group.queue]
    running = [event for job in queue.active_jobs if job for event in job]
    return waiting + running


def crowding(queue: Any, session_hash: str | None, group: str | None) -> str | None:
    """The message key of why an event of `session_hash` in concurrency `group` may not wait now, or None."""
    if session_hash is not None:
        mine = sum(1 for event in _events_of(queue) if event.session_hash == session_hash)
        if mine >= PER_VISITOR:
            return "error_wait_earlier"
    limit = GROUP_WAITING.get(group or "")
    group_queue = queue.event_queue_per_concurrency_id.get(group) if limit is not None else None
    if group_queue is not None and len(group_queue.queue) >= limit:
        return "error_lab_busy"
    return None


def widget(block: Any) -> Widget | None:
    """What a page input sends, for `validate.widget_value`; None for what is not checked here (gr.State)."""
    label = getattr(getattr(block, "label", None), "key", "")
    field = label if label in strings("en") else ""
    if isinstance(block, gr.Slider):
        return Widget("number", field, block.minimum, block.maximum, optional=False)
    if isinstance(block, gr.Number):
        low = block.minimum if block.minimum is not None else -NUMBER_BOUND
        return Widget("number", field, low, block.maximum if block.maximum is not None else NUMBER_BOUND)
    if isinstance(block, gr.Textbox):
        return Widget("text", field, high=block.max_length or MAX_TYPED_CHARS)
    if isinstance(block, (gr.Radio, gr.Dropdown)):
        open_list = getattr(block, "allow_custom_value", False)
        return Widget("choice", field, choices=() if open_list else tuple(value for _, value in block.choices))
    if isinstance(block, gr.Checkbox):
        return Widget("flag", field)
    if isinstance(block, gr.Dataset):
        return Widget("index", field, high=len(block.samples) - 1, optional=False)
    return None


def page_event(fn: Any) -> bool:
    """An event of the page, not a named endpoint: ours are "private", Gradio's examples "undocumented"."""
    return fn.api_visibility != "public"


def required(fn: Any) -> int:
    """How many values an event needs: all of a page event's; a named endpoint's parameters without a default."""
    if page_event(fn) or fn.fn is None:
        return len(fn.inputs)
    parameters = inspect.signature(fn.fn).parameters.values()
    return sum(1 for p in parameters if p.default is p.empty and p.annotation not in ("gr.Request", gr.Request))


def refusal(fn: Any, body: Any) -> tuple[int, InputError] | None:
    """(HTTP status, why) when the event may not join at all, whoever sends it; else None."""
    if page_event(fn) and body.simple_format:  # only /gradio_api/call/… sets it
        return 404, InputError("error_not_api")
    data = body.data if isinstance(body.data, list) else []
    if len(data) < required(fn):
        return 400, InputError("error_missing", got=len(data), expected=required(fn))
    checks = [(widget(block), value) for block, value in zip(fn.inputs, data)] if page_event(fn) else []
    try:
        for checked, value in checks:
            if checked is not None:
                widget_value(checked, value)
    except InputError as error:
        return 400, error
    return None


def refuse(status: int, error: InputError, request: Any) -> HTTPException:
    """The HTTP error of a refusal, its detail one line in the visitor's language."""
    return HTTPException(status_code=status, detail=explain(error, language_of(request)))


def guard(blocks: gr.Blocks) -> gr.Blocks:
    """Put `admit` in front of `blocks`' queue (after `blocks.queue(...)`)."""
    queue = blocks._queue
    push: Callable[..., Awaitable[Any]] = queue.push
    door = asyncio.Lock()  # one event at a time through the door: two cannot both take the last place

    async def admit(body: Any, request: Any, username: str | None) -> Any:
        try:
            fn = route_utils.get_fn(blocks, None, body)
        except Exception:  # no such function: Gradio's own push answers it
            return await push(body=body, request=request, username=username)
        refused = refusal(fn, body)
        if refused is not None:
            raise refuse(*refused, request)
        body.data = safe_data(body.data)
        async with door:
            key = crowding(queue, body.session_hash, fn.concurrency_id)
            if key is not None:
                raise refuse(429, InputError(key), request)
            return await push(body=body, request=request, username=username)

    queue.push = admit
    return blocks
