"""The measurements behind `make bench`. Each returns entries for bench-results.json."""

from __future__ import annotations

import importlib
import io
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import moderation, stream

ROOT = Path(__file__).resolve().parent.parent
Entry = dict[str, Any]


def entry(name: str, value: float, unit: str, target: str, dataset: str) -> Entry:
    return {
        "name": name,
        "value": round(value, 2),
        "unit": unit,
        "target": target,
        "dataset": dataset,
    }


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True, env=os.environ)


def seed(scale: dict[str, int], dataset: str) -> list[Entry]:
    _manage("migrate", "--no-input", "-v", "0")
    started = time.perf_counter()
    _manage("seed_demo", "--members", str(scale["members"]), "--branches",
            str(scale["branches"]), "--seed", "1")  # fmt: skip
    seconds = time.perf_counter() - started
    return [entry("seed_demo (organizations, members, events, accounts)", seconds, "s",
                  "< 300 s for 1,000,000 members on PostgreSQL", dataset)]  # fmt: skip


class _Server:
    """Requests straight into the WSGI application, called as the web server calls it.

    Django's test Client leaves three weak-reference finalizers behind per request (its signal
    connections: 1,515 after 600 requests), which the garbage collector then walks for the rest
    of the run; and the test Client is not part of the server's time.
    """

    def __init__(self, cookie: str) -> None:
        self.app = importlib.import_module("dangjian.wsgi").application
        self.cookie = cookie

    def get(self, url: str) -> int:
        path, _, query = url.partition("?")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
            "SCRIPT_NAME": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1",
            "HTTP_COOKIE": self.cookie, "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "wsgi.multithread": True,
            "wsgi.multiprocess": True, "wsgi.run_once": False,
        }  # fmt: skip
        statuses: list[str] = []
        body = self.app(environ, lambda status, headers, *exc: statuses.append(status))
        try:
            b"".join(body)
        finally:
            body.close()
        return int(statuses[0].split()[0])


def _timed(server: _Server, urls: list[str], warmup: int = 10) -> list[float]:
    for url in urls[:warmup]:
        server.get(url)
    samples = []
    for url in urls:
        started = time.perf_counter()
        status = server.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert status == 200, (url, status)
    return samples


def server_times(scale: dict[str, int], dataset: str) -> list[Entry]:
    from django.conf import settings
    from django.test import Client

    from dangjian.accounts.models import User
    from dangjian.members.models import Member
    from dangjian.orgs.models import Organization
    from dangjian.testing.base import sign_in

    settings.DEBUG = False
    rng = random.Random(1)
    signed_in = sign_in(Client(), User.objects.get(username="orgdept"))
    # The application as dangjian/wsgi.py starts it (which also freezes what start-up loaded
    # out of the garbage collector's way).
    client = _Server("; ".join(f"{k}={v.value}" for k, v in signed_in.cookies.items()))
    committees = list(
        Organization.objects.filter(depth=1, kind__in=["committee", "general_branch"]).values_list(
            "code", flat=True
        )
    )
    filters = ["status=full", "status=probationary", "category=undergraduate", "gender=F",
               "education=master", "age=le30", "ethnicity=minority", "category=teacher&gender=M"]  # fmt: skip
    n = scale["requests"]
    roster_urls = [
        f"/members/?org={rng.choice(committees)}&{rng.choice(filters)}" for _ in range(n)
    ]
    roster = _timed(client, roster_urls)
    first = Organization.objects.get(code=committees[0])
    ids = list(
        Member.objects.filter(org_path__startswith=first.path).values_list("pk", flat=True)[:5000]
    )
    detail = _timed(client, [f"/members/{rng.choice(ids)}/" for _ in range(n)])
    home = _timed(client, ["/"] * max(30, n // 10), warmup=3)
    target = "p95 < 30 ms"
    return [
        entry("roster page, a secondary committee's subtree, first page filtered (p50)",
              statistics.median(roster), "ms", "", dataset),
        entry("roster page, a secondary committee's subtree, first page filtered (p95)",
              percentile(roster, 95), "ms", target, dataset),
        entry("member detail (p50)", statistics.median(detail), "ms", "", dataset),
        entry("member detail (p95)", percentile(detail, 95), "ms", "p95 < 20 ms", dataset),
        entry("organization department's home page (p50)", statistics.median(home), "ms",
              "< 200 ms", dataset),
        entry("organization department's home page (p95)", percentile(home, 95), "ms",
              "< 200 ms", dataset),
    ]  # fmt: skip


def _status(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _rss_reset() -> float:
    """Reset the process's peak RSS (Linux clear_refs) and return the current RSS in MB."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status("VmRSS")


def _peak_rss() -> float:
    return _status("VmHWM")


def export(scale: dict[str, int], dataset: str) -> list[Entry]:
    from dangjian.accounts.models import User
    from dangjian.members.models import Member
    from dangjian.members.services.exporting import roster_export

    actor = User.objects.get(username="orgdept")
    rows = min(scale["export_rows"], Member.objects.filter(standing="active").count())

    def run(count: int) -> tuple[float, float]:
        members = Member.objects.filter(standing="active").order_by("org_path", "name", "id")
        baseline = _rss_reset()
        started = time.perf_counter()
        handle, written = roster_export(actor=actor, members=members[:count], full=False,
                                        reason="bench", filters={}, org_code="U")  # fmt: skip
        seconds = time.perf_counter() - started
        peak = _peak_rss() - baseline
        handle.close()
        assert written == count, (written, count)
        return seconds, peak

    _small_seconds, small_peak = run(rows // 10)
    seconds, peak = run(rows)
    return [
        entry(f"export of {rows:,} rows to .xlsx", seconds, "s", "< 20 s for 100,000 rows", dataset),
        entry(f"export peak memory growth (RSS), {rows // 10:,} rows", small_peak, "MB", "", dataset),
        entry(f"export peak memory growth (RSS), {rows:,} rows", peak, "MB",
              "flat: about the same as for a tenth of the rows", dataset),
    ]  # fmt: skip


def import_rows(dataset: str, count: int = 10_000) -> list[Entry]:
    import datetime as dt

    import openpyxl

    from dangjian.accounts.models import User
    from dangjian.lib import idnumber
    from dangjian.members.models import Member
    from dangjian.members.services import importing
    from dangjian.orgs.models import Organization

    branch = Organization.objects.filter(kind="branch", branch_type="teacher").order_by("path")[0]
    scope = branch.parent
    assert scope is not None
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["姓名", "公民身份号码", "民族", "学历", "人员类别", "学号/工号", "手机号码",
                  "入党日期", "转正日期", "党员类型", "党组织编码"])  # fmt: skip
    # Each run imports new people, so a reused database (--reuse) takes the rows again.
    run = Member.objects.filter(staff_number__startswith="BENCH").count() // count
    for n in range(count):
        birth = dt.date(1960 + run, 1, 1) + dt.timedelta(days=n // 400)
        number = idnumber.make("110108", birth, n % 400 * 2 + 1)
        sheet.append(["导入测试", number, "汉族", "研究生（硕士）", "教师", f"BENCH{run:02d}{n:07d}",
                      f"17{run % 10}{n:08d}", "2010-07-01", "2011年7月1日", "正式党员", branch.code])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    actor = User.objects.get(username="orgdept")
    started = time.perf_counter()
    buffer.seek(0)
    parsed = importing.parse_roster(buffer, scope=scope, default_org=None, max_rows=50_000)
    assert not parsed.errors and not parsed.file_error, parsed.errors[:3]
    members = importing.import_rows(actor=actor, parsed=parsed, keep_valid=False,
                                    scope=scope, label="bench")  # fmt: skip
    seconds = time.perf_counter() - started
    assert len(members) == count
    return [entry(f"import of {count:,} rows (validate, write, audit)", seconds, "s",
                  "< 15 s for 10,000 rows", dataset)]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wrk(url: str, cookie: str, seconds: int = 10) -> float:
    command = ["wrk", "-t1", "-c8", f"-d{seconds}s", "-H", f"Cookie: {cookie}", url]
    if shutil.which("taskset"):
        command = ["taskset", "-c", "1", *command]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    assert match, output
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    assert not non_2xx, output
    return float(match.group(1))


def _python_load(url: str, cookie: str, seconds: int = 10) -> float:
    import http.client
    import threading
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    done = 0
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def worker() -> None:
        nonlocal done
        conn = http.client.HTTPConnection(host, parts.port, timeout=10)
        while time.monotonic() < stop:
            conn.request("GET", parts.path + ("?" + parts.query if parts.query else ""),
                         headers={"Cookie": cookie})  # fmt: skip
            conn.getresponse().read()
            with lock:
                done += 1

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done / seconds


def throughput(dataset: str) -> list[Entry]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from dangjian.accounts.models import User

    user = User.objects.get(username="committee1")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "dangjian.accounts.backends.AccountBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["login_at"] = time.time()
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    port = _free_port()
    granian = str(Path(sys.executable).parent / "granian")
    command = [granian, "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
               "--workers", "1", "--blocking-threads", "1", "--no-ws", "dangjian.wsgi:application"]  # fmt: skip
    if shutil.which("taskset"):
        command = ["taskset", "-c", "0", *command]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        time.sleep(1)
        load: Callable[[str, str], float] = _wrk if shutil.which("wrk") else _python_load
        base = f"http://127.0.0.1:{port}"
        org = user.role_assignments.get().organization.code
        minimal = load(f"{base}/healthz", cookie)
        roster = load(f"{base}/members/?org={org}&status=full", cookie)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return [
        entry("throughput of /healthz (minimal view: one SELECT 1), 1 process, 1 thread",
              minimal, "req/s", "", dataset),
        entry("throughput of the roster page, same server", roster, "req/s", "", dataset),
        entry("roster throughput as a share of the minimal view", roster / minimal * 100, "%",
              "", dataset),
    ]  # fmt: skip


def _loop() -> float:
    """How fast this machine runs Python, to compare figures across machines."""
    started = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - started


def run(*, scale: dict[str, int], dataset: str, reuse: bool, started: float) -> list[Entry]:
    os.environ.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + "s" * 60,
            "FIELD_ENCRYPTION_KEYS": "bench:YmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtYmVuY2gtMzI=",
            "FIELD_HASH_KEY": "bench-blind-index",
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "SECURE_SSL_REDIRECT": "0",
            "STATIC_ROOT": str(ROOT / ".bench" / "static"),
        }
    )
    _manage("collectstatic", "--no-input", "-v", "0")
    results: list[Entry] = []
    if not reuse:
        print("seeding ...", flush=True)
        results += seed(scale, dataset)
    import django

    django.setup()
    print("server times ...", flush=True)
    results += server_times(scale, dataset)
    print("export ...", flush=True)
    results += export(scale, dataset)
    print("import ...", flush=True)
    results += import_rows(dataset)
    print("throughput ...", flush=True)
    results += throughput(dataset)
    print("moderation ...", flush=True)
    results += moderation.figures(entry)
    print("notification stream ...", flush=True)
    results += stream.figures(entry)
    results.append(entry("calibration: pure-Python loop of 10 million additions", _loop(), "s",
                         "", dataset))  # fmt: skip
    results.append(entry("bench wall time", time.time() - started, "s", "", dataset))
    return results


def print_table(results: list[Entry]) -> None:
    width = max(len(r["name"]) for r in results)
    print()
    print(f"{'figure':<{width}}  {'value':>12}  {'unit':<6} target")
    print("-" * (width + 40))
    for r in results:
        print(f"{r['name']:<{width}}  {r['value']:>12,.2f}  {r['unit']:<6} {r['target']}")
    print(f"\ndataset: {results[0]['dataset']}")
