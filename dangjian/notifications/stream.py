"""The notification stream: Server-Sent Events of each signed-in user's new messages.

One async view, `/notifications/stream`, holds a connection per open tab; an idle connection
costs a queue and a timer in the event loop, no thread and no database connection. The
database is the source of truth:

1. On connect with `Last-Event-ID` (or `?last_event_id=`), every delivery of the user with a
   larger id is replayed from the database, in id order; then the connection goes live.
2. Live, one feeder per process tells the connected users of their new deliveries:
   - with REDIS_URL, `notify()` publishes the notification's id after its commit on one Redis
     channel (a doorbell), and the feeder reads that notification's deliveries by the
     (notification, recipient) index;
   - without Redis (the embedded default, SQLite), the feeder polls for deliveries with an id
     above the last one it saw, one indexed query a second for the whole process.
3. Each event's `id:` is the delivery id, and a connection never sends an id at or below the
   last one it sent, so a reconnect with its Last-Event-ID neither loses nor repeats one.

A connection ends after MAX_SECONDS (the browser reconnects and the session is checked again:
an ended or idle session then answers 302, and EventSource stops), when its queue overflows,
or when the feeder lost Redis (the reconnect's replay covers the gap).

See docs/decisions/0008-realtime-stream.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import OperationalError, close_old_connections
from django.db.models import Count, Max
from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.notifications import broadcasts
from dangjian.notifications.models import Broadcast, Delivery
from dangjian.notifications.selectors import BADGE_CAP
from dangjian.orgs.permissions import reader_paths

logger = logging.getLogger(__name__)

CHANNEL = "dangjian:notifications"  # the one Redis channel (see publish)
HEARTBEAT_SECONDS = 15.0
POLL_SECONDS = 1.0
MAX_SECONDS = 600.0  # a connection's lifetime, give or take 10%, before the browser reconnects
RETRY_MS = (2000, 5000)  # the reconnect delay each connection asks for: spread, not a stampede
QUEUE_MAX = 256  # events waiting for a slow client before its connection is ended
REPLAY_CHUNK = 200
_random = random.SystemRandom()  # spreads reconnects; nothing secret
FIELDS = (
    "pk",
    "recipient_id",
    "notification__kind",
    "notification__title",
    "notification__body",
    "notification__link",
    "notification__created_at",
)
Row = tuple[Any, ...]


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, f"NOTIFICATIONS_STREAM_{name}", default))


# -- Events ---------------------------------------------------------------------------------


def event_text(row: Row, unread: int) -> str:
    """One delivery as an SSE event: `id:` the delivery id, data one line of JSON."""
    pk, _recipient, kind, title, body, link, created_at = row
    data = {
        "id": pk,
        "kind": kind,
        "title": title,
        "body": body,
        "link": link,
        "created_at": created_at.isoformat(),
        "unread_count": min(unread, BADGE_CAP + 1),
    }
    return f"id: {pk}\nevent: notification\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _unread_counts(user_ids: Iterable[int]) -> dict[int, int]:
    """Unread messages per user, for many users in a few grouped queries."""
    ids = list(user_ids)
    counts: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        rows = (
            Delivery.objects.filter(recipient_id__in=ids[start : start + 500], read_at__isnull=True)
            .values_list("recipient_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        counts.update(rows)
    return counts


def replay_rows(user_id: int, after: int, limit: int = REPLAY_CHUNK) -> list[Row]:
    """The user's deliveries with an id above `after`, oldest first (the inbox index)."""
    rows = (
        Delivery.objects.filter(recipient_id=user_id, pk__gt=after)
        .order_by("pk")
        .values_list(*FIELDS)[:limit]
    )
    return list(rows)


def _unread(user_id: int) -> int:
    return _unread_counts([user_id]).get(user_id, 0)


def _last_delivery(user_id: int) -> int:
    last = Delivery.objects.filter(recipient_id=user_id).aggregate(m=Max("pk"))["m"]
    return int(last or 0)


# -- The per-process hub ----------------------------------------------------------------------


@dataclass(eq=False)
class Subscriber:
    user_id: int
    # The user's organizations with their ancestors, for broadcasts (empty: everyone-only).
    paths: frozenset[str] = frozenset()
    queue: asyncio.Queue[str | None] = field(default_factory=lambda: asyncio.Queue(QUEUE_MAX))

    def offer(self, text: str | None) -> None:
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:  # too slow: end it; the reconnect replays what it missed
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(None)


class Hub:
    """The connections of one process (one event loop), and the feeder that wakes them.

    Database reads of the feeder run on one thread of its own, so the process holds one
    database connection for them however many users are connected.
    """

    def __init__(self, redis_url: str = "") -> None:
        self.redis_url = redis_url
        self.subscribers: dict[int, set[Subscriber]] = {}
        self.cursor = 0  # the poller's: the highest delivery id it has seen
        self.broadcast_cursor = 0  # and the highest broadcast id
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stream-feeder")
        self._ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def _db(self, fn: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
        def run(*args: Any) -> Any:
            close_old_connections()
            for attempt in range(5):
                try:
                    return fn(*args)
                except OperationalError:  # SQLite's "database is locked" by a writer: wait
                    if attempt == 4:
                        raise
                    time.sleep(0.05 * (attempt + 1))

        return sync_to_async(run, thread_sensitive=False, executor=self._executor)

    def subscribe(self, user_id: int, paths: frozenset[str] = frozenset()) -> Subscriber:
        subscriber = Subscriber(user_id, paths)
        self.subscribers.setdefault(user_id, set()).add(subscriber)
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._feed())
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        mine = self.subscribers.get(subscriber.user_id)
        if mine is not None:
            mine.discard(subscriber)
            if not mine:
                del self.subscribers[subscriber.user_id]

    async def ready(self) -> None:
        """Return once the feeder listens: what commits after this reaches the connections."""
        await self._ready.wait()

    def connections(self) -> int:
        return sum(len(s) for s in self.subscribers.values())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for subscribers in list(self.subscribers.values()):
            for subscriber in subscribers:
                subscriber.offer(None)
        await self._db(_close_connection)()
        self._executor.shutdown(wait=False)

    def _close_all(self) -> None:
        for subscribers in list(self.subscribers.values()):
            for subscriber in list(subscribers):
                subscriber.offer(None)

    async def dispatch(self, rows: list[Row]) -> None:
        """Hand each delivery to its recipient's connections here, with their unread count."""
        local = [row for row in rows if row[1] in self.subscribers]
        if not local:
            return
        counts = await self._db(_unread_counts)({row[1] for row in local})
        for row in local:
            text = event_text(row, counts.get(row[1], 0))
            for subscriber in list(self.subscribers.get(row[1], ())):
                subscriber.offer(text)

    async def dispatch_broadcasts(self, rows: list[tuple[int, str, int]]) -> None:
        """Hand each broadcast to the connections here of the users it is meant for."""
        if not self.subscribers:
            return
        for _pk, kind, object_id in rows:
            rendered = await self._db(broadcasts.render)(kind, object_id)
            if rendered is None:
                continue
            text = broadcasts.event_text(rendered)
            for subscribers in list(self.subscribers.values()):
                for subscriber in list(subscribers):
                    if broadcasts.reaches(rendered, subscriber.paths):
                        subscriber.offer(text)

    async def _feed(self) -> None:
        while True:
            try:
                if self.redis_url:
                    await self._listen()
                else:
                    await self._poll()
            except asyncio.CancelledError:
                raise
            except Exception:
                # A gap: end the live connections, whose reconnect replays from the database.
                logger.exception("notification stream feeder failed; restarting")
                self._close_all()
                await asyncio.sleep(1 + _random.random())

    async def _poll(self) -> None:
        if not self._ready.is_set():
            self.cursor = await self._db(_max_delivery)()
            self.broadcast_cursor = await self._db(_max_broadcast)()
            self._ready.set()
        interval = _setting("POLL_SECONDS", POLL_SECONDS)
        while True:
            await asyncio.sleep(interval)
            if not self.subscribers:
                continue
            rows = await self._db(_rows_after)(self.cursor)
            while rows:
                self.cursor = rows[-1][0]
                await self.dispatch(rows)
                rows = await self._db(_rows_after)(self.cursor) if len(rows) >= 5000 else []
            news = await self._db(_broadcasts_after)(self.broadcast_cursor)
            if news:
                self.broadcast_cursor = news[-1][0]
                await self.dispatch_broadcasts(news)

    async def _listen(self) -> None:
        from redis import asyncio as aioredis

        client = aioredis.Redis.from_url(self.redis_url, health_check_interval=30)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(CHANNEL)
            if self._ready.is_set():
                self._close_all()  # resubscribed after a failure: replay covers the gap
            self._ready.set()
            async for message in pubsub.listen():
                if message.get("type") != "message":
                    continue
                try:
                    doorbell = json.loads(message["data"])
                    if "broadcast" in doorbell:
                        rows = await self._db(_broadcast_row)(int(doorbell["broadcast"]))
                        await self.dispatch_broadcasts(rows)
                        continue
                    notification_id = int(doorbell["notification"])
                except (ValueError, KeyError, TypeError):
                    continue
                await self.dispatch(await self._db(_rows_of)(notification_id))
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]
                await client.aclose()


def _max_delivery() -> int:
    return int(Delivery.objects.aggregate(m=Max("pk"))["m"] or 0)


def _rows_after(cursor: int) -> list[Row]:
    return list(Delivery.objects.filter(pk__gt=cursor).order_by("pk").values_list(*FIELDS)[:5000])


def _max_broadcast() -> int:
    return int(Broadcast.objects.aggregate(m=Max("pk"))["m"] or 0)


def _broadcasts_after(cursor: int) -> list[tuple[int, str, int]]:
    rows = Broadcast.objects.filter(pk__gt=cursor).order_by("pk")
    return list(rows.values_list("pk", "kind", "object_id")[:100])


def _broadcast_row(pk: int) -> list[tuple[int, str, int]]:
    return list(Broadcast.objects.filter(pk=pk).values_list("pk", "kind", "object_id"))


def _rows_of(notification_id: int) -> list[Row]:
    return list(
        Delivery.objects.filter(notification_id=notification_id).order_by("pk").values_list(*FIELDS)
    )


def _close_connection() -> None:
    from django.db import connections

    connections.close_all()


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def get_hub() -> Hub:
    """This event loop's hub (one per server worker process)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub(getattr(settings, "REDIS_URL", ""))
    return hub


# -- Publishing (called by services.notify after the commit) ----------------------------------

_publisher: Any = None


def publish(notification_id: int) -> None:
    """Ring the stream processes' doorbell for a committed notification (with REDIS_URL).

    One channel for everyone, carrying the notification id: one PUBLISH per notification
    however many recipients, and each stream process reads the deliveries it needs by index.
    A Redis that is down costs the live push only: the messages are in the inbox, and the
    stream's reconnect replays them.
    """
    if not getattr(settings, "REDIS_URL", ""):
        return
    try:
        publish_message({"notification": notification_id})
    except Exception:
        logger.warning("notification %s not published to the stream", notification_id)


def publish_message(message: dict[str, int]) -> None:
    """One doorbell on the stream processes' channel (raises when Redis is down)."""
    global _publisher
    if _publisher is None:
        import redis

        url = settings.REDIS_URL
        _publisher = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    _publisher.publish(CHANNEL, json.dumps(message))


# -- The view ---------------------------------------------------------------------------------


WSGI_RETRY_MS = 20_000


def _last_event_id(request: HttpRequest) -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id") or ""
    try:
        value = int(raw.strip())
    except ValueError:
        return None
    return value if value >= 0 else None


async def stream(request: HttpRequest) -> HttpResponseBase:
    """The signed-in user's messages as Server-Sent Events; `?once=1` replays and ends."""
    user = await request.auser()
    if not user.is_authenticated:
        return JsonResponse({"error": _("Sign in or send a valid token.")}, status=401)
    # Listening is not activity: the stream neither slides the idle limit nor keeps a session.
    if hasattr(request, "session"):
        request.session.modified = False
    once = request.GET.get("once") == "1"
    retry = None
    if isinstance(request, WSGIRequest):
        # A WSGI worker must not be held by an open stream (production routes the stream to
        # its own ASGI process; this is the safety net if it does not): replay, end, and let
        # the browser come back in a while, so the page still learns of new messages.
        once, retry = True, WSGI_RETRY_MS
    paths = frozenset() if once else await sync_to_async(reader_paths)(user)
    response = StreamingHttpResponse(
        _events(user.pk, _last_event_id(request), once=once, retry=retry, paths=paths),
        content_type="text/event-stream; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"
    return response


def _release_cache_connections() -> None:
    """Give back the Redis connections this request's cache opened (the session check).

    Django keeps a cache object per request context, with its own connection pool, and its
    Redis backend's close() does nothing: the pool's socket lives as long as the request. For a
    page that is a few milliseconds; for a stream, ten minutes per connection, and 10,000
    connections would hold 10,000 Redis clients (Redis refuses past `maxclients`, 10,000 by
    default). The stream needs no cache after connecting; should it, the pool reconnects."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        client = cache.__dict__.get("_cache")  # RedisCache's client, once it was created
        for pool in getattr(client, "_pools", {}).values():
            pool.disconnect()


async def _events(
    user_id: int,
    last: int | None,
    *,
    once: bool,
    retry: int | None = None,
    paths: frozenset[str] = frozenset(),
) -> AsyncIterator[str]:
    hub = None if once else get_hub()
    if not once:
        _release_cache_connections()
    hint = f"retry: {retry or _random.randint(*RETRY_MS)}\n"
    subscriber = None
    try:
        if hub is not None:
            subscriber = hub.subscribe(user_id, paths)
            with contextlib.suppress(TimeoutError):  # a feeder that cannot start: replay only
                await asyncio.wait_for(hub.ready(), 5)
        if last is None:  # from now on: what commits after this is sent
            last = await sync_to_async(_last_delivery)(user_id)
            # An event with only an id sets the browser's Last-Event-ID, so a reconnect
            # replays from here even if nothing arrives before it.
            yield f"{hint}id: {last}\n\n"
        else:
            yield f"{hint}: stream\n\n"
            unread = None
            while True:
                rows = await sync_to_async(replay_rows)(user_id, last)
                if not rows:
                    break
                if unread is None:
                    unread = await sync_to_async(_unread)(user_id)
                yield "".join(event_text(row, unread) for row in rows)
                last = rows[-1][0]
        if hub is None or subscriber is None:
            return
        loop = asyncio.get_running_loop()
        lifetime = _setting("MAX_SECONDS", MAX_SECONDS) * _random.uniform(0.9, 1.1)
        deadline = loop.time() + lifetime
        heartbeat = _setting("HEARTBEAT_SECONDS", HEARTBEAT_SECONDS)
        while True:
            left = deadline - loop.time()
            if left <= 0:
                return
            try:
                text = await asyncio.wait_for(subscriber.queue.get(), min(heartbeat, left))
            except TimeoutError:
                yield ": ping\n\n"
                continue
            if text is None:
                return
            if text.startswith("event:"):  # a broadcast: no id, nothing to replay
                yield text
                continue
            pk = int(text[4 : text.index("\n")])
            if pk > last:
                last = pk
                yield text
    finally:
        if hub is not None and subscriber is not None:
            hub.unsubscribe(subscriber)


# -- Serving it: the stream path under ASGI ---------------------------------------------------


class StreamHandler(ASGIHandler):
    """Django's ASGI handler for the stream, without a thread per connection.

    Django's handler opens a ThreadSensitiveContext per request, so the sync middleware of each
    request runs on a thread of its own that lives as long as the request: a thread per open
    stream. Here the sync middleware of all stream requests runs on one shared thread (and one
    database connection), a few milliseconds per connect; idle connections hold no thread.
    """

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        await self.handle(scope, receive, send)


def with_stream(application: Any) -> Any:
    """An ASGI application serving the stream path with StreamHandler, the rest as given."""
    handler: StreamHandler | None = None
    path: str | None = None

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        nonlocal handler, path
        if scope["type"] == "http":
            if path is None:
                path = reverse("notifications:stream")
            if scope["path"] == path:
                if handler is None:
                    handler = StreamHandler()
                await handler(scope, receive, send)
                return
        await application(scope, receive, send)

    return app
