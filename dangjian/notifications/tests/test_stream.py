"""The notification stream: replay after Last-Event-ID, the live feeders, and a real server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connections
from django.test import TransactionTestCase, override_settings

from dangjian.notifications import stream
from dangjian.notifications.models import Delivery
from dangjian.notifications.services import notify
from dangjian.notifications.tests.sse import SSEClient
from dangjian.testing.base import BaseTestCase
from dangjian.testing.personas import make_user

ROOT = Path(__file__).resolve().parents[3]


def drain(response: Any) -> bytes:
    """The whole body of a streaming response, as the sync test client hands it over."""
    if not response.is_async:
        return b"".join(response.streaming_content)

    async def collect() -> bytes:
        return b"".join([chunk async for chunk in response.streaming_content])

    return async_to_sync(collect)()


def _events(body: bytes) -> list[dict[str, Any]]:
    events = []
    for block in body.decode().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line)
        if fields.get("event") == "notification":
            data = json.loads(fields["data"])
            assert int(fields["id"]) == data["id"]
            events.append(data)
    return events


class ReplayTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.member = self.uni.user("member1")
        other = self.uni.user("secretary1")
        self.ids = []
        for i in range(5):
            notify([self.member, other], kind="test.stream", title=f"第{i}条", body="b", link="/")
            self.ids.append(Delivery.objects.filter(recipient=self.member).latest("pk").pk)

    def get(self, **extra: Any) -> Any:
        url = extra.pop("url", "/notifications/stream?once=1")
        response = self.client_for("member1").get(url, **extra)
        self.assertEqual(response.status_code, 200)
        return response, drain(response)

    def test_replay_after_last_event_id_is_exact_in_order_and_only_the_users(self):
        response, body = self.get(HTTP_LAST_EVENT_ID=str(self.ids[1]))
        self.assertEqual(response["Content-Type"], "text/event-stream; charset=utf-8")
        self.assertEqual(response["X-Accel-Buffering"], "no")
        self.assertIn("no-cache", response["Cache-Control"])
        self.assertTrue(body.startswith(b"retry: "))
        events = _events(body)
        self.assertEqual([e["id"] for e in events], self.ids[2:])
        self.assertEqual([e["title"] for e in events], ["第2条", "第3条", "第4条"])
        self.assertEqual(events[0]["kind"], "test.stream")
        self.assertEqual(events[0]["link"], "/")
        self.assertEqual(events[-1]["unread_count"], 5)

    def test_the_query_parameter_stands_in_for_the_header(self):
        _, body = self.get(url=f"/notifications/stream?once=1&last_event_id={self.ids[3]}")
        self.assertEqual([e["id"] for e in _events(body)], self.ids[4:])

    def test_without_last_event_id_nothing_old_is_sent(self):
        _, body = self.get()
        self.assertEqual(_events(body), [])

    def test_a_bad_last_event_id_is_ignored(self):
        _, body = self.get(HTTP_LAST_EVENT_ID="abc")
        self.assertEqual(_events(body), [])

    def test_anonymous_gets_401(self):
        response = self.client.get("/notifications/stream?once=1")
        self.assertEqual(response.status_code, 401)

    def test_listening_does_not_keep_the_session_alive(self):
        client = self.client_for("member1")
        session = client.session
        session["login_at"] = session["seen_at"] = time.time() - 600
        session.save()
        drain(client.get("/notifications/stream?once=1"))
        self.assertLess(client.session["seen_at"], time.time() - 500)


def _live(user_id: int, send: Any, *, count: int = 2) -> list[dict[str, Any]]:
    """Connect a stream for a user, call `send` (sync, in a thread), collect `count` events."""

    async def scenario() -> list[dict[str, Any]]:
        hub = stream.get_hub()
        events = stream._events(user_id, None, once=False)
        got: list[dict[str, Any]] = []
        try:
            preamble = await asyncio.wait_for(anext(events), 10)
            assert preamble.startswith("retry: ")
            await sync_to_async(send)()
            while len(got) < count:
                text = await asyncio.wait_for(anext(events), 10)
                got += _events(text.encode())
        finally:
            await events.aclose()
            await hub.stop()
            await sync_to_async(connections.close_all)()
        return got

    return asyncio.run(scenario())


@override_settings(NOTIFICATIONS_STREAM_POLL_SECONDS=0.05)
class LiveTestCase(TransactionTestCase):
    # The feeder reads committed rows from its own thread, so these tests commit, and clean
    # up what they wrote instead of a flush: on PostgreSQL a flush's TRUNCATE reaches the
    # append-only audit table through the users' foreign keys, and is refused.
    def _fixture_teardown(self) -> None:
        from dangjian.accounts.models import User
        from dangjian.notifications.models import Notification

        Notification.objects.filter(deliveries__recipient__username__startswith="live-").delete()
        User.objects.filter(username__startswith="live-").delete()

    def setUp(self) -> None:
        self.user = make_user("live-user")
        self.other = make_user("live-other")
        notify([self.user], kind="test.stream", title="before")  # not sent: no Last-Event-ID

    def send(self) -> None:
        notify([self.other], kind="test.stream", title="someone else's")
        notify([self.user, self.other], kind="test.stream", title="一")
        notify([self.user], kind="test.stream", title="二")

    def assert_live(self, events: list[dict[str, Any]]) -> None:
        self.assertEqual([e["title"] for e in events], ["一", "二"])
        mine = Delivery.objects.filter(recipient=self.user).order_by("pk")
        self.assertEqual([e["id"] for e in events], list(mine.values_list("pk", flat=True))[1:])
        # Each event carries the unread count when it was dispatched: at least the messages
        # up to and including its own (2 for the first), and by the last one, all three.
        counts = [e["unread_count"] for e in events]
        self.assertIn(counts[0], (2, 3))
        self.assertEqual(counts[1], 3)

    @override_settings(REDIS_URL="")
    def test_a_notification_arrives_through_the_database_poller(self):
        self.assert_live(_live(self.user.pk, self.send))

    def test_a_notification_arrives_through_redis(self):
        url = "redis://127.0.0.1:6379/15"
        try:
            import redis

            redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
        except Exception:
            pytest.skip("no Redis at 127.0.0.1:6379")
        stream._publisher = None
        # A poll interval no test waits for: only the doorbell can bring the events.
        with override_settings(REDIS_URL=url, NOTIFICATIONS_STREAM_POLL_SECONDS=3600):
            self.assert_live(_live(self.user.pk, self.send))
        stream._publisher = None


# -- The acceptance scenario: a real ASGI server, killed and restarted under its clients -------

CLIENTS = 20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DEBUG="1", SQLITE_PATH=str(tmp / "stream.sqlite3"), PYTHONPATH=str(ROOT))
    env["DJANGO_SETTINGS_MODULE"] = "dangjian.settings"
    return env


def _fixture(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "-m", "dangjian.notifications.tests.stream_fixture", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return done.stdout


def _server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "dangjian.asgi:application", "--port", str(port),
               "--lifespan", "off", "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("the stream server did not start")


def test_clients_get_every_notice_exactly_once_across_a_server_restart(tmp_path: Path) -> None:
    env = _env(tmp_path)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0", "--no-input"],
                   cwd=ROOT, env=env, check=True)  # fmt: skip
    cookies = json.loads(_fixture(env, "users", str(CLIENTS)))
    port = _free_port()
    server = _server(env, port)

    async def scenario() -> dict[str, list[int]]:
        nonlocal server
        clients = {name: SSEClient("127.0.0.1", port, cookie) for name, cookie in cookies.items()}
        tasks = [asyncio.create_task(c.run_forever(retry=0.3)) for c in clients.values()]

        async def connected() -> None:
            await asyncio.wait_for(
                asyncio.gather(*(c.connected.wait() for c in clients.values())), 20
            )

        async def send(title: str) -> None:
            await asyncio.to_thread(_fixture, env, "notify", title)

        try:
            await connected()
            for i in range(3):
                await send(f"live {i}")
            await asyncio.sleep(0.5)
            server.send_signal(signal.SIGKILL)  # mid-stream, no goodbye
            await asyncio.to_thread(server.wait)
            for i in range(3):
                await send(f"while down {i}")
            server = await asyncio.to_thread(_server, env, port)
            await send("during reconnect")
            await connected()
            for i in range(3):
                await send(f"after {i}")
            expected = json.loads(await asyncio.to_thread(_fixture, env, "ids"))
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                got = {n: [e.id for e in c.events] for n, c in clients.items()}
                if all(len(got[n]) >= len(expected[n]) for n in got):
                    break
                await asyncio.sleep(0.2)
            await asyncio.sleep(1.5)  # time for any duplicate to show up
            return {"expected": expected, "got": {n: [e.id for e in c.events]
                                                  for n, c in clients.items()}}  # fmt: skip
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    try:
        result = asyncio.run(scenario())
    finally:
        server.kill()
        server.wait()
    expected, got = result["expected"], result["got"]
    assert len(expected) == CLIENTS
    for name, ids in expected.items():
        assert len(ids) == 10
        assert got[name] == ids, name


def _drain(response: Any) -> str:
    """The whole body of a streaming response the (WSGI) test client got."""

    async def read() -> bytes:
        return b"".join([chunk async for chunk in response.streaming_content])

    return async_to_sync(read)().decode()


class WsgiSafetyNetTests(BaseTestCase):
    def test_under_wsgi_the_stream_replays_ends_and_asks_the_browser_to_come_back_later(self):
        client = self.client_for("member1")
        first = client.get("/notifications/stream")
        body = _drain(first)
        assert "retry: 20000" in body
        marker = int(body.split("id: ")[1].split("\n")[0])
        notify([self.uni.user("member1")], kind="test.stream", title="稍后送达")
        again = client.get("/notifications/stream", HTTP_LAST_EVENT_ID=str(marker))
        text = _drain(again)
        assert "稍后送达" in text and "event: notification" in text
