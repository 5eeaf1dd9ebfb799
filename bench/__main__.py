"""`make bench`: measure what the issues promise, print a table, write bench-results.json.

    python -m bench --scale small   # 20,000 members, ~1,000 organizations: a quick look
    python -m bench --scale full    # 1,000,000 members, ~60,000 organizations

Runs on PostgreSQL (BENCH_DATABASE_URL, default the local server's `dangjian_bench`
database, recreated) or on SQLite when no PostgreSQL answers. Server times are measured
in-process through Django's full middleware stack; throughput with wrk against granian.
Not part of CI.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALES = {
    "small": {"members": 20_000, "branches": 300, "export_rows": 20_000, "requests": 200},
    "full": {"members": 1_000_000, "branches": 17_000, "export_rows": 100_000, "requests": 400},
}
PG_BIN = Path("/usr/lib/postgresql/15/bin")
BENCH_PG_PORT = 55432
# A PostgreSQL of the bench's own, configured as production would be (the machine's shared
# server keeps its small defaults for the tests): 25% of RAM for shared buffers, etc.
BENCH_PG_SETTINGS = {
    "shared_buffers": "4GB",
    "effective_cache_size": "12GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "1GB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "15min",
    "random_page_cost": "1.1",
    "max_connections": "50",
}


def _configure(database_url: str) -> str:
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "dangjian.settings"
    sys.path.insert(0, str(ROOT))
    if database_url.startswith("sqlite"):
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(ROOT / ".bench" / "bench.sqlite3")
        return "sqlite"
    os.environ["DATABASE_URL"] = database_url
    return "postgresql"


def _own_postgres() -> str | None:
    """Start (or reuse) the bench's PostgreSQL cluster under .bench/pgdata; return its URL."""
    import shutil
    import subprocess

    if not (PG_BIN / "initdb").exists() or not shutil.which("runuser"):
        return None
    data = ROOT / ".bench" / "pgdata"
    run = ["runuser", "-u", "postgres", "--"]
    if not (data / "PG_VERSION").exists():
        data.mkdir(parents=True, exist_ok=True)
        shutil.chown(data, "postgres", "postgres")
        subprocess.run([*run, str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U",
                        "postgres", "--encoding", "UTF8", "--locale", "C.UTF-8"],
                       check=True, capture_output=True)  # fmt: skip
    options = " ".join(f"-c {key}={value}" for key, value in BENCH_PG_SETTINGS.items())
    status = subprocess.run([*run, str(PG_BIN / "pg_ctl"), "-D", str(data), "status"],
                            capture_output=True, check=False)  # fmt: skip
    if status.returncode != 0:
        subprocess.run(
            [*run, str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-l", str(data / "log.txt"),
             "-o", f"-p {BENCH_PG_PORT} -k /tmp {options}", "start"],
            check=True, capture_output=True,
        )  # fmt: skip
    return f"postgres://postgres@127.0.0.1:{BENCH_PG_PORT}/dangjian_bench"


def _pg_reachable(url: str) -> bool:
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def _recreate_pg(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--scale", choices=SCALES, default="small")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--reuse", action="store_true", help="Keep the seeded database.")
    args = parser.parse_args()
    scale = SCALES[args.scale]
    url = (
        args.database_url or _own_postgres() or "postgres://postgres@127.0.0.1:5432/dangjian_bench"
    )
    if not url.startswith("sqlite") and not _pg_reachable(url):
        print(f"PostgreSQL at {url} does not answer; measuring on SQLite instead.")
        url = "sqlite://"
    vendor = _configure(url)
    (ROOT / ".bench").mkdir(exist_ok=True)
    if not args.reuse:
        if vendor == "postgresql":
            _recreate_pg(url)
        else:
            Path(os.environ["SQLITE_PATH"]).unlink(missing_ok=True)

    from bench import figures

    pg = f" (port {url.rsplit(':', 1)[1].split('/')[0]})" if vendor == "postgresql" else ""
    dataset = (
        f"{scale['members']:,} members, {scale['branches']:,} branches, {vendor}{pg}, "
        f"{os.cpu_count()} cores"
    )
    started = time.time()
    results = figures.run(scale=scale, dataset=dataset, reuse=args.reuse, started=started)
    if vendor == "postgresql":  # content at scale: COPY, and a Celery worker on its database
        from bench import content

        print("content ...", flush=True)
        wall = results.pop()  # the wall time stays last, and counts this section too
        results += content.figures(figures.entry, scale)
        results.append({**wall, "value": round(time.time() - started, 2)})
    if vendor == "postgresql":  # member development: 50,000 cases in the pipeline at full scale
        from bench import development

        print("development ...", flush=True)
        wall = results.pop()
        results += development.figures(figures.entry, scale)
        results.append({**wall, "value": round(time.time() - started, 2)})
    figures.print_table(results)
    out = ROOT / "bench-results.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
