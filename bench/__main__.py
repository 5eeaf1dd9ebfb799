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
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/dangjian_bench"


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
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--reuse", action="store_true", help="Keep the seeded database.")
    args = parser.parse_args()
    scale = SCALES[args.scale]
    url = args.database_url
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

    dataset = (
        f"{scale['members']:,} members, {scale['branches']:,} branches, {vendor}, "
        f"{os.cpu_count()} cores"
    )
    results = figures.run(scale=scale, dataset=dataset, reuse=args.reuse, started=time.time())
    figures.print_table(results)
    out = ROOT / "bench-results.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwritten to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
