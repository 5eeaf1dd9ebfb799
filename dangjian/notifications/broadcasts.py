"""Live news for everyone it concerns: "this item just went live", shown on the open pages of
the users it is meant for, without a reload.

An app registers a kind with a renderer that, given the object id, answers what to send and
to whom: the event data, and the organization paths it targets (None: everyone). A user gets
it when one of those paths is one of their organizations or an ancestor of one (the same rule
as content targeting). `broadcast()` records the row in the caller's transaction and rings the
stream processes after the commit, like `notify()` does for deliveries.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from dangjian.notifications.models import Broadcast

logger = logging.getLogger(__name__)
KEEP = 1000
PRUNE_EVERY = 100


@dataclass(frozen=True)
class Rendered:
    event: str  # the SSE event name the pages listen for ("content")
    data: dict[str, Any]
    paths: frozenset[str] | None  # the organizations it targets, each with its subtree


Renderer = Callable[[int], "Rendered | None"]
_renderers: dict[str, Renderer] = {}


def register(kind: str, renderer: Renderer) -> None:
    _renderers[kind] = renderer


def render(kind: str, object_id: int) -> Rendered | None:
    """What to send for a recorded broadcast; None when there is nothing (any more)."""
    renderer = _renderers.get(kind)
    return renderer(object_id) if renderer is not None else None


def reaches(rendered: Rendered, reader_paths: frozenset[str]) -> bool:
    return rendered.paths is None or not rendered.paths.isdisjoint(reader_paths)


def event_text(rendered: Rendered) -> str:
    """An SSE event without an id: broadcasts never move a connection's Last-Event-ID."""
    data = json.dumps(rendered.data, ensure_ascii=False)
    return f"event: {rendered.event}\ndata: {data}\n\n"


def broadcast(kind: str, object_id: int) -> Broadcast:
    if kind not in _renderers:
        raise ValueError(f"No broadcast renderer registered for {kind!r}")
    row = Broadcast.objects.create(kind=kind, object_id=object_id)
    if row.pk % PRUNE_EVERY == 0:  # the feeders need only the last few; keep the table small
        Broadcast.objects.filter(pk__lte=row.pk - KEEP).delete()
    transaction.on_commit(lambda: publish(row.pk), robust=True)
    return row


def publish(broadcast_id: int) -> None:
    """Ring the stream processes with Redis (without it, their pollers find the row)."""
    from dangjian.notifications import stream

    if not getattr(settings, "REDIS_URL", ""):
        return
    try:
        stream.publish_message({"broadcast": broadcast_id})
    except Exception:
        logger.warning("broadcast %s not published to the stream", broadcast_id)
