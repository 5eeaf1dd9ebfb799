"""The notification stream: 10,000 subscribers held by one stream process, and how long one
notification takes to reach all of them.

A uvicorn process serves dangjian.asgi (the stream path) against a SQLite file database of its
own, with 10,000 signed-in accounts; one asyncio process here holds a connection per account.
Memory is the server's RSS growth divided by the connections. Then one notification goes to all
10,000 accounts (notify(), in a process of its own, prints its commit time), and each client
notes when its event arrived: p50 and p99 of arrival minus commit. Measured with the database
poller (the embedded default: one poll a second), and with Redis pub/sub when Redis answers.

    python -m bench.stream    # this section alone
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".bench" / "stream"
SUBSCRIBERS = 10_000
REDIS_URL = "redis://127.0.0.1:6379/14"


def _raise_fd_limit(need: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need and (hard == resource.RLIM_INFINITY or hard > soft):
        soft = need if hard == resource.RLIM_INFINITY else min(need, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return soft


def _env(redis: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DEBUG="1", SQLITE_PATH=str(WORK / "stream.sqlite3"), PYTHONPATH=str(ROOT))
    env["DJANGO_SETTINGS_MODULE"] = "dangjian.settings"
    if redis:
        env["REDIS_URL"] = REDIS_URL
    return env


def _fixture(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "-m", "dangjian.notifications.tests.stream_fixture", *args]
    return subprocess.run(
        command, cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


async def _round(env: dict[str, str], cookies: list[str], label: str) -> dict[str, float]:
    from dangjian.notifications.tests.sse import SSEClient

    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", "dangjian.asgi:application", "--port", str(port),
               "--lifespan", "off", "--log-level", "warning", "--backlog", "4096",
               "--timeout-keep-alive", "60"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        for _ in range(200):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            await asyncio.sleep(0.1)
        arrived: dict[int, float] = {}
        clients = [SSEClient("127.0.0.1", port, cookie) for cookie in cookies]

        def noter(i: int) -> Callable[[Any], None]:
            def note(event: Any) -> None:
                arrived.setdefault(i, time.time())

            return note

        for i, client in enumerate(clients):
            client.on_event = noter(i)
        # One connection first, so the baseline holds the hub and the loaded application.
        tasks = [asyncio.create_task(clients[0].run_once())]
        await asyncio.wait_for(clients[0].connected.wait(), 30)
        await asyncio.sleep(0.5)
        before = _rss_kb(server.pid)
        started = time.perf_counter()
        gate = asyncio.Semaphore(256)  # connects in flight, as a browser population spreads them

        async def connect(client: SSEClient) -> None:
            async with gate:
                tasks.append(asyncio.create_task(client.run_once()))
                await asyncio.wait_for(client.connected.wait(), 60)

        await asyncio.gather(*(connect(c) for c in clients[1:]))
        connect_seconds = time.perf_counter() - started
        await asyncio.sleep(2)
        after = _rss_kb(server.pid)
        open_connections = sum(c.connected.is_set() for c in clients)
        committed = float((await asyncio.to_thread(_fixture, env, "notify", label)).split()[-1])
        deadline = time.monotonic() + 20
        while len(arrived) < len(clients) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        latencies = sorted(t - committed for t in arrived.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        server.kill()
        server.wait()
    return {
        "open": open_connections,
        "per_connection_kb": (after - before) / max(1, len(clients) - 1),
        "rss_mb": after / 1024,
        "connect_seconds": connect_seconds,
        "reached": len(latencies),
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan"),
    }


def figures(entry: Callable[..., Any], subscribers: int = SUBSCRIBERS) -> list[Any]:
    # The limit is per process: the clients here and the server (which inherits it) each hold
    # one socket per subscriber, and the server a few files and connections of its own.
    limit = _raise_fd_limit(subscribers * 2)
    subscribers = min(subscribers, limit - 2048)
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    env = _env(redis=False)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0", "--no-input"],
                   cwd=ROOT, env=env, check=True)  # fmt: skip
    cookies = list(json.loads(_fixture(env, "users", str(subscribers))).values())
    # Connects run one at a time through the middleware (about 100-200 a second), so the
    # whole population is measured once, with the production feed when Redis answers, and the
    # other feed with a fifth of it.
    modes = [("database poller", env, len(cookies))]
    if _redis_up():
        modes = [("Redis pub/sub", _env(redis=True), len(cookies)),
                 ("database poller", env, len(cookies) // 5)]  # fmt: skip
    results = []
    for name, mode_env, count in modes:
        r = asyncio.run(_round(mode_env, cookies[:count], name))
        dataset = f"{count:,} signed-in subscribers, one uvicorn stream process, SQLite"
        results += [
            entry(f"stream ({name}): connections held", r["open"], "", f"{count:,}", dataset),
            entry(f"stream ({name}): memory per connection (server RSS growth)",
                  r["per_connection_kb"], "KB", "", dataset),
            entry(f"stream ({name}): server RSS with all connected", r["rss_mb"], "MB", "",
                  dataset),
            entry(f"stream ({name}): time to connect all", r["connect_seconds"], "s", "",
                  dataset),
            entry(f"stream ({name}): subscribers reached by one notification", r["reached"], "",
                  f"{count:,}", dataset),
            entry(f"stream ({name}): commit to arrival, all subscribers (p50)", r["p50"], "s",
                  "", dataset),
            entry(f"stream ({name}): commit to arrival, all subscribers (p99)", r["p99"], "s",
                  "< 2 s", dataset),
        ]  # fmt: skip
    shutil.rmtree(WORK, ignore_errors=True)
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from bench.figures import entry, print_table

    started = time.perf_counter()
    subscribers = int(sys.argv[1]) if len(sys.argv) > 1 else SUBSCRIBERS
    print_table(figures(entry, subscribers))
    print(f"section time: {time.perf_counter() - started:.1f} s")
