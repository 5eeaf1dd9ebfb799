"""Content at scale: a reader's news list among 100,000 items, and one notice announced to the
inboxes of 50,000 members by a real Celery worker.

The list: 100,000 items are loaded with COPY (titles of about 25 characters, bodies of about
2 KB of HTML with their folded search text, every section, one in ten targeted at a random
organization, a dozen pinned; texts from the demo's templates), then member1 opens the news
list N times through the whole Django stack (the WSGI application, as server_times does): p50
and p95 of the first page, of the next page after a random item among the first 2,000 (the
"Load more" cursor), and the p50 of a page 20,000 items down.

The fan-out: the seeded members (and new ones, bulk-inserted, up to 50,000) get accounts; the
editor publishes one notice to the whole university through services.item_publish, in a
process of its own with Redis as the broker; a freshly started `celery -A dangjian worker`
runs the announcement. The figure is the time from the publish call to the moment all 50,000
Delivery rows are visible (the announcement writes them and links the notice in one
transaction; this process polls for the link). The worker's log gives the task's run time;
then a second notice is announced in this process with each step timed where it runs
(recipients, Delivery objects, COPY, badge counts, the foreign-key checks PostgreSQL defers to
the commit), to say where the time goes.

    python -m bench.content    # this section alone, on the bench's database (seeded if empty)
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ITEMS = 100_000
RECIPIENTS = 50_000
BROKER = "redis://127.0.0.1:6379/14"
SECTION_SHARES = {
    "news": 0.45,
    "notice": 0.2,
    "activity": 0.15,
    "showcase": 0.05,
    "guide": 0.05,
    "committee": 0.05,
    "research": 0.05,
}
PINNED = 12
FAR = 20_000  # a page this deep in the news list
POLL = 0.01  # seconds between looks for the announcement's commit
POOL = ["--concurrency=1"]  # the worker: prefork, one child


def _log(text: str) -> None:
    print(f"  content: {text}", flush=True)


# -- 100,000 items -----------------------------------------------------------------------------


def _texts(rng: random.Random, count: int = 600) -> list[tuple[str, str, str]]:
    """(title, body, folded plain body) from the demo's templates, bodies grown to ~2 KB."""
    from django.utils import timezone

    from dangjian.content import demo, selectors
    from dangjian.lib import richtext

    cast = demo._cast()
    assert cast is not None, "the bench database has no demo university"
    planner = demo.Planner(cast, rng, timezone.now())
    makers: list[Callable[[dt.datetime], tuple[str, str]]] = [
        planner.university_news,
        lambda when: planner.college_news(rng.choice(planner.schools), when),
        lambda when: planner.branch_news(rng.choice(cast.branches), when),
        planner.media_news,
    ]
    padding = demo.LEAD_POINTS + demo.STRESS_POINTS
    texts = []
    for _ in range(count):
        when = timezone.now() - dt.timedelta(days=rng.uniform(1, 1500))
        title, body = rng.choice(makers)(when)
        target = rng.randint(1800, 2300)
        while len(body.encode()) < target:
            body += demo._p(f"{rng.choice(padding)}；{rng.choice(padding)}。")
        plain = selectors.fold(richtext.to_text(body))
        texts.append((title[:120], body, plain))
    return texts


def _ids(model: Any, count: int) -> list[int]:
    """`count` new primary keys from the table's sequence."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(model: Any, rows: Iterable[dict[str, Any]]) -> None:
    """COPY rows given as {attname: value} (with their "id"); other columns get the field's
    default. Values go as they are (no field conversion: that is the loader's job)."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if f.column]
    defaults = {f.attname: f.get_default() for f in fields}
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            values = {**defaults, **row}
            copy.write_row([values[f.attname] for f in fields])


def _vacuum(*models: Any) -> None:
    """Statistics and the visibility map for freshly loaded tables, as a live database has
    them (and so autovacuum does not compete with the measurements that follow)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


def load_items(total: int = ITEMS, seed: int = 11) -> tuple[int, float]:
    """Add items until there are `total`; return (how many were added, seconds)."""
    from django.db import transaction
    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.content import selectors
    from dangjian.content.models import Category, Item, Target
    from dangjian.members.demo import _Writer
    from dangjian.orgs.models import Organization

    need = total - Item.objects.count()
    if need <= 0:
        return 0, 0.0
    started = time.perf_counter()
    rng = random.Random(seed)
    texts = _texts(rng)
    root = Organization.objects.get(parent__isnull=True)
    orgs = list(Organization.objects.filter(is_active=True).values_list("pk", "path"))
    author = User.objects.get(username="editor1").pk
    columns: dict[str, list[int]] = {}
    for category in Category.objects.order_by("position"):
        columns.setdefault(category.section, []).append(category.pk)
    sections = list(SECTION_SHARES)
    weights = list(SECTION_SHARES.values())
    now = timezone.now()
    ids = _ids(Item, need)
    pinned = set(rng.sample(ids, PINNED))
    targets: list[dict[str, Any]] = []

    def rows() -> Iterator[dict[str, Any]]:
        for pk in ids:
            section = rng.choices(sections, weights)[0]
            title, body, plain = rng.choice(texts)
            published = now - dt.timedelta(seconds=rng.uniform(600, 5 * 365 * 86400))
            state = "published" if rng.random() < 0.97 else rng.choice(["draft", "withdrawn"])
            owner_pk, owner_path = root.pk, root.path
            targeted = rng.random() < 0.1
            if targeted:
                owner_pk, owner_path = rng.choice(orgs)
                targets.append({"item_id": pk, "organization_id": owner_pk, "path": owner_path})
            summary = plain[:60] if rng.random() < 0.3 else ""
            yield {
                "id": pk,
                "section": section,
                "category_id": rng.choice(columns[section]) if section in columns else None,
                "title": title,
                "summary": summary,
                "body": body,
                "search_text": selectors.fold(f"{title} {summary} ") + plain,
                "owner_id": owner_pk,
                "owner_path": owner_path,
                "byline": "党委宣传部",
                "author_id": author,
                "state": state,
                "target_all": not targeted,
                "publish_at": published,
                "pinned": pk in pinned,
                "comments_enabled": section in ("news", "activity"),
                "send_notification": section == "notice",
                "announced_at": published if state == "published" else None,
                "views": int(rng.expovariate(1 / 150)),
                "created_at": published - dt.timedelta(hours=rng.uniform(1, 48)),
                "updated_at": published,
            }

    # The feed's indexes are built once over the loaded rows, not maintained row by row.
    fast = _Writer().without_secondary_indexes("content_item", "content_target", foreign_keys=False)
    with transaction.atomic(), fast:
        _copy(Item, rows())
        target_ids = _ids(Target, len(targets))
        _copy(Target, ({**t, "id": pk} for t, pk in zip(targets, target_ids, strict=True)))
    _vacuum(Item, Target)
    return need, time.perf_counter() - started


def feed_page(entry: Callable[..., Any], scale: dict[str, int], dataset: str) -> list[Any]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bench.figures import _Server, _timed, percentile
    from dangjian.accounts.models import User
    from dangjian.content import selectors, views
    from dangjian.testing.base import sign_in

    settings.DEBUG = False
    reader = User.objects.get(username="member1")
    signed_in = sign_in(Client(), reader)
    server = _Server("; ".join(f"{k}={v.value}" for k, v in signed_in.cookies.items()))
    url = reverse("content:section", args=["news"])
    n = scale["requests"]
    first = _timed(server, [url] * n)
    queries: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        server.get(url)
    # Deeper pages, as "Load more" asks for them: after a random item among the first 2,000.
    rng = random.Random(5)
    news = list(selectors.feed(reader, section="news")[:2000])
    deep_urls = [f"{url}?after={views._cursor(rng.choice(news[100:]))}" for _ in range(n)]
    deep = _timed(server, deep_urls)
    # Far down the list: the cursor's condition is a filter, not a bound of the index scan,
    # so its cost grows with the depth.
    far_item = selectors.feed(reader, section="news")[FAR]
    far = _timed(server, [f"{url}?after={views._cursor(far_item)}"] * 20, warmup=2)
    visible = selectors.feed(reader, section="news").count()
    return [
        entry("content: news list, first page (p50)", statistics.median(first), "ms", "", dataset),
        entry("content: news list, first page (p95)", percentile(first, 95), "ms",
              "p95 < 30 ms", dataset),
        entry("content: news list, next page within the first 2,000 items (p50)", statistics.median(deep),
              "ms", "", dataset),
        entry("content: news list, next page within the first 2,000 items (p95)", percentile(deep, 95), "ms",
              "p95 < 30 ms", dataset),
        entry(f"content: news list, a page {FAR:,} items deep (p50)", statistics.median(far),
              "ms", "", dataset),
        entry("content: news list, SQL queries per page", len(queries), "",
              "", dataset),
        entry("content: news items the reader may see", visible, "", "", dataset),
    ]  # fmt: skip


# -- 50,000 recipients -------------------------------------------------------------------------


def _member_rows(
    count: int, orgs: list[tuple[int, str]], rng: random.Random, offset: int = 0
) -> list[Any]:
    from django.utils import timezone

    from dangjian.content import demo
    from dangjian.lib import crypto, idnumber
    from dangjian.members.models import ID_PURPOSE, PHONE_PURPOSE

    now = timezone.now()
    rows = []
    for k in range(offset, offset + count):
        # A region the demo does not use, and one birth date per 500 people: unique numbers.
        birth = dt.date(1975, 1, 1) + dt.timedelta(days=k // 500)
        number = idnumber.make("120104", birth, k % 500 + 1)
        phone = f"19{k:09d}"
        org_pk, org_path = orgs[k % len(orgs)]
        joined = birth + dt.timedelta(days=365 * 22 + rng.randint(0, 2000))
        rows.append(
            {
                "name": demo._name(rng),
                "gender": "M" if k % 2 else "F",
                "ethnicity": "01",
                "birth_date": birth,
                "id_number": crypto.encrypt(number),
                "id_number_hash": crypto.blind_index(number, purpose=ID_PURPOSE),
                "native_place": "",
                "education": "master",
                "degree": "master",
                "category": "teacher",
                "staff_number": f"BC{k:07d}",
                "grade": "",
                "phone": crypto.encrypt(phone),
                "phone_hash": crypto.blind_index(phone, purpose=PHONE_PURPOSE),
                "email": "",
                "address": "",
                "joined_on": joined,
                "full_member_on": joined + dt.timedelta(days=365),
                "status": "full",
                "standing": "active",
                "organization_id": org_pk,
                "org_path": org_path,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def load_recipients(total: int = RECIPIENTS, seed: int = 12) -> tuple[int, int, float]:
    """Accounts for active members until `total` have one (new members when the seed has too
    few); return (accounts made, members added, seconds)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.lib import bulk
    from dangjian.members.demo import _Writer
    from dangjian.members.models import Member
    from dangjian.members.services import counts
    from dangjian.orgs.models import Organization

    active = Member.objects.filter(standing="active")
    have = active.filter(user__isnull=False, user__is_active=True).count()
    need = total - have
    if need <= 0:
        return 0, 0, 0.0
    started = time.perf_counter()
    rng = random.Random(seed)
    with transaction.atomic():
        free = list(active.filter(user__isnull=True).order_by("pk").values_list("pk", flat=True))
        chosen = free[:need]
        added = need - len(chosen)
        user_ids = _ids(User, need)
        unusable = make_password(None)  # no password: they sign in by single sign-on
        now = timezone.now()
        earlier = User.objects.filter(username__startswith="bench-").count()
        _copy(
            User,
            (
                {"id": pk, "username": f"bench-{earlier + n:06d}", "password": unusable,
                 "is_active": True, "date_joined": now}
                for n, pk in enumerate(user_ids)
            ),
        )  # fmt: skip
        # Seeded members without an account get one; new members come with theirs.
        bulk.update_integers(Member, ["user"], list(zip(chosen, user_ids, strict=False)))
        if added:
            branches = list(
                Organization.objects.filter(kind="branch", is_active=True)
                .order_by("path")
                .values_list("pk", "path")
            )
            offset = Member.objects.filter(staff_number__startswith="BC").count()
            rows = _member_rows(added, branches, rng, offset=offset)
            fast = _Writer().without_secondary_indexes("members_member", foreign_keys=False)
            with fast:
                _copy(
                    Member,
                    (
                        {**row, "id": pk, "user_id": user}
                        for row, pk, user in zip(
                            rows, _ids(Member, added), user_ids[len(chosen) :], strict=True
                        )
                    ),
                )
        counts.recount()
    _vacuum(Member, User)
    return need, added, time.perf_counter() - started


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(CELERY_BROKER_URL=BROKER, PYTHONPATH=str(ROOT))
    env.pop("REDIS_URL", None)
    return env


class Worker:
    """`celery -A dangjian worker`, one process, read until it says it is ready."""

    def __init__(self) -> None:
        command = [sys.executable, "-m", "celery", "-A", "dangjian", "worker", "--loglevel=INFO",
                   *POOL, "--without-gossip", "--without-mingle",
                   "--without-heartbeat", "--purge", "-n", "bench-content@%h"]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=_worker_env(), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, bufsize=1,
        )  # fmt: skip
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            if " ready." in line:
                self.ready.set()

    def wait_ready(self, timeout: float = 60) -> None:
        if not self.ready.wait(timeout):
            self.stop()
            raise RuntimeError("the Celery worker did not start:\n" + "\n".join(self.lines[-20:]))

    def task_seconds(self, name: str) -> float | None:
        for line in reversed(self.lines):
            match = re.search(rf"{re.escape(name)}\[[^\]]+\] succeeded in ([\d.]+)s", line)
            if match:
                return float(match.group(1))
        return None

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _notice() -> Any:
    from dangjian.accounts.models import User
    from dangjian.content import services
    from dangjian.content.models import Category
    from dangjian.orgs.models import Organization

    editor = User.objects.get(username="editor1")
    root = Organization.objects.get(parent__isnull=True)
    body = "".join(
        f"<p>第{n}条　请各党支部按照学校党委统一部署，认真组织党员学习，按时报送有关材料。</p>"
        for n in range(1, 12)
    )
    data = services.ItemInput(
        section="notice",
        title="关于开展全校党员集中学习的通知",
        owner=root,
        body=body,
        category=Category.objects.filter(section="notice").order_by("position").first(),
        target_all=True,
        send_notification=True,
    )
    return services.item_save(actor=editor, data=data)


def fanout(entry: Callable[..., Any], dataset: str) -> list[Any]:
    from dangjian.content import services
    from dangjian.content.models import Item
    from dangjian.notifications.models import Delivery

    if not _redis_up():
        _log(f"Redis at {BROKER} does not answer: the fan-out is not measured")
        return [entry("content: notice to 50,000 inboxes, publish to all Delivery rows",
                      float("nan"), "s", "< 10 s (not measured: no Redis)", dataset)]  # fmt: skip
    item = _notice()
    expected = services.audience(item).count()
    worker = Worker()
    try:
        worker.wait_ready()
        publish = subprocess.run(
            [sys.executable, "-m", "bench.content", "publish", str(item.pk)],
            cwd=ROOT, env=_worker_env(), capture_output=True, text=True, check=False,
        )  # fmt: skip
        if publish.returncode != 0:
            raise RuntimeError(publish.stderr[-2000:])
        called, returned = (float(v) for v in publish.stdout.split()[-2:])
        deadline = time.time() + 120
        linked = None
        while time.time() < deadline:
            linked = Item.objects.filter(pk=item.pk).values_list("notification_id", flat=True)[0]
            if linked is not None:
                break
            time.sleep(POLL)
        done = time.time()
        delivered = Delivery.objects.filter(notification_id=linked).count() if linked else 0
        time.sleep(0.5)  # the worker's log line for the task
        task = worker.task_seconds("dangjian.content.tasks.announce_task")
    finally:
        worker.stop()
    steps = _announce_steps()
    results = [
        entry(f"content: notice to {expected:,} inboxes, publish call to all Delivery rows",
              done - called, "s", "< 10 s", dataset),
        entry("content: notice fan-out, inbox rows written", delivered, "", f"{expected:,}",
              dataset),
        entry("content: notice fan-out, the publish call itself (commit and enqueue)",
              returned - called, "s", "", dataset),
        entry("content: notice fan-out, the announce task in the worker", task or float("nan"),
              "s", "", dataset),
    ]  # fmt: skip
    for name, seconds in steps:
        results.append(entry(f"content: announce step, {name}", seconds, "s", "", dataset))
    return results


def _announce_steps() -> list[tuple[str, float]]:
    """The announcement run again in this process on a second notice, with its steps timed
    where they are, to say where the worker's time goes. The commit is timed in two parts:
    the foreign-key checks PostgreSQL defers to it (two per Delivery row), then the commit."""
    from unittest import mock

    from django.db import connection

    from dangjian.accounts.models import User
    from dangjian.content import services
    from dangjian.lib import bulk
    from dangjian.notifications import channels, selectors
    from dangjian.notifications import services as notifications

    spent: dict[str, float] = {}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

        return run

    def check_then_commit() -> None:
        with connection.cursor() as cursor:
            timed("deferred foreign-key checks", cursor.execute)("SET CONSTRAINTS ALL IMMEDIATE")
        timed("COMMIT", commit)()

    commit = connection.commit
    inapp = channels.get(channels.INAPP)
    assert isinstance(inapp, channels.InAppChannel)
    item = _notice()
    with mock.patch.object(services, "_schedule_announce"):  # announced below, not by a task
        services.item_publish(actor=User.objects.get(username="editor1"), item=item)
    patches = [
        mock.patch.object(notifications, "_active_recipient_ids",
                          timed("recipients read (audience query, ids only)",
                                notifications._active_recipient_ids)),
        mock.patch.object(type(inapp), "deliver_to",
                          timed("in-app deliver", type(inapp).deliver_to)),
        mock.patch.object(bulk, "create", timed("Delivery rows: keys and COPY", bulk.create)),
        mock.patch.object(selectors, "forget_unread_counts",
                          timed("unread badge counts forgotten (cache)",
                                selectors.forget_unread_counts)),
        mock.patch.object(connection, "commit", check_then_commit),
    ]  # fmt: skip
    for patch in patches:
        patch.start()
    try:
        started = time.perf_counter()
        services.announce(item.pk)
        total = time.perf_counter() - started
    finally:
        for patch in patches:
            patch.stop()
    deliver = spent.pop("in-app deliver", 0.0)
    rows = spent.get("Delivery rows: keys and COPY", 0.0)
    badges = spent.get("unread badge counts forgotten (cache)", 0.0)
    spent["Delivery objects built"] = deliver - rows - badges
    timings = [("announce() in this process, total", total)]
    timings += sorted(spent.items(), key=lambda kv: -kv[1])
    return timings


def figures(entry: Callable[..., Any], scale: dict[str, int]) -> list[Any]:
    started = time.perf_counter()
    _log(f"loading {ITEMS:,} items ...")
    added, seconds = load_items()
    _log(f"{added:,} items added in {seconds:.1f} s")
    dataset = f"{ITEMS:,} content items (10% targeted), PostgreSQL"
    results = []
    if added:  # not when the database is reused
        results.append(entry(f"content: bulk load of {added:,} items (COPY)", seconds, "s", "",
                             dataset))  # fmt: skip
    results += feed_page(entry, scale, dataset)
    _log(f"accounts for {RECIPIENTS:,} members ...")
    accounts, members, seconds = load_recipients()
    _log(f"{accounts:,} accounts ({members:,} new members) in {seconds:.1f} s")
    dataset = f"{RECIPIENTS:,} members with accounts, Celery worker on Redis, PostgreSQL"
    results += fanout(entry, dataset)
    results.append(entry("content: section wall time", time.perf_counter() - started, "s",
                         "< 180 s", dataset))  # fmt: skip
    return results


def _publish(item_id: int) -> None:
    """In a process of its own, with the broker configured: publish, print when."""
    import django

    django.setup()
    from dangjian.accounts.models import User
    from dangjian.content import services
    from dangjian.content.models import Item

    editor = User.objects.get(username="editor1")
    item = Item.objects.select_related("owner").get(pk=item_id)
    called = time.time()
    services.item_publish(actor=editor, item=item)
    returned = time.time()
    print(f"{called:.6f} {returned:.6f}")


def _standalone() -> None:
    """This section alone, on the bench's database (seeded first when it is empty)."""
    from bench import standalone

    scale = standalone.prepare("small", ("collectstatic", "--no-input", "-v", "0"))
    standalone.run(figures, scale)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    if sys.argv[1:2] == ["publish"]:
        _publish(int(sys.argv[2]))
    else:
        _standalone()
