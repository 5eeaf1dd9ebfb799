"""Broadcasts on the stream: live to the connected users they target, through the database
poller and through Redis, never to the others."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from django.db import connections, transaction
from django.test import TransactionTestCase, override_settings

from dangjian.notifications import broadcasts, stream
from dangjian.notifications.models import Broadcast

KIND = "test.broadcast"
# object id -> the organizations it targets (None: everyone)
TARGETS: dict[int, frozenset[str] | None] = {
    1: None,
    2: frozenset({"00001"}),
    3: frozenset({"00002"}),
    4: frozenset({"0000100003"}),
}


def _render(object_id: int) -> broadcasts.Rendered | None:
    if object_id not in TARGETS:
        return None
    return broadcasts.Rendered("content", {"id": object_id}, TARGETS[object_id])


def _send() -> None:
    # One commit: the feeder's reads never meet a write (SQLite's shared-cache test database
    # locks a table being read, where a file database in WAL mode would not).
    with transaction.atomic():
        for object_id in (1, 2, 3, 4, 99):
            broadcasts.broadcast(KIND, object_id)


def _received(paths: frozenset[str], *, count: int) -> list[int]:
    """Connect one stream with these reader paths, broadcast, collect `count` ids."""

    async def scenario() -> list[int]:
        hub = stream.get_hub()
        events = stream._events(7, None, once=False, paths=paths)
        got: list[int] = []
        try:
            preamble = await asyncio.wait_for(anext(events), 10)
            assert preamble.startswith("retry: ")
            await sync_to_async(_send)()
            while len(got) < count:
                text = await asyncio.wait_for(anext(events), 10)
                if text.startswith("event: content\n"):
                    got.append(json.loads(text.split("data: ", 1)[1])["id"])
            # Nothing more arrives for this reader.
            with pytest.raises(TimeoutError):
                while True:
                    text = await asyncio.wait_for(anext(events), 0.5)
                    if text.startswith("event:"):
                        got.append(-1)
                        break
        finally:
            await events.aclose()
            await hub.stop()
            await sync_to_async(connections.close_all)()
        return got

    return asyncio.run(scenario())


@override_settings(
    NOTIFICATIONS_STREAM_POLL_SECONDS=0.05, NOTIFICATIONS_STREAM_HEARTBEAT_SECONDS=60
)
class BroadcastTestCase(TransactionTestCase):
    def setUp(self) -> None:
        broadcasts.register(KIND, _render)

    def _fixture_teardown(self) -> None:
        Broadcast.objects.all().delete()

    @override_settings(REDIS_URL="")
    def test_the_poller_brings_each_reader_what_targets_their_organizations(self):
        # A member of 00001's child 0000100003: everyone's, 00001's and their own branch's.
        branch = frozenset({"00001", "0000100003"})
        self.assertEqual(_received(branch, count=3), [1, 2, 4])

    @override_settings(REDIS_URL="")
    def test_a_reader_of_no_organization_gets_only_what_is_for_everyone(self):
        self.assertEqual(_received(frozenset(), count=1), [1])

    def test_redis_brings_them_too(self):
        url = "redis://127.0.0.1:6379/15"
        try:
            import redis

            redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
        except Exception:
            pytest.skip("no Redis at 127.0.0.1:6379")
        stream._publisher = None
        with override_settings(REDIS_URL=url, NOTIFICATIONS_STREAM_POLL_SECONDS=3600):
            self.assertEqual(_received(frozenset({"00002"}), count=2), [1, 3])
        stream._publisher = None

    def test_an_unknown_kind_is_refused(self):
        with self.assertRaises(ValueError):
            broadcasts.broadcast("test.nobody", 1)
