"""Running one section of the bench alone (``python -m bench.content``, ``bench.development``):
the bench's PostgreSQL and settings, the database seeded first when it is empty."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def prepare(scale_name: str, *manage: tuple[str, ...]) -> dict[str, int]:
    """Configure the bench's database and settings, seed it if it is empty, run the
    ``manage`` commands, set Django up; return the scale."""
    from bench import __main__ as bench_main

    url = (
        os.environ.get("BENCH_DATABASE_URL")
        or bench_main._own_postgres()
        or "postgres://postgres@127.0.0.1:5432/dangjian_bench"
    )
    if not bench_main._pg_reachable(url):
        raise SystemExit(f"PostgreSQL at {url} does not answer; this section needs it.")
    bench_main._configure(url)
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
    scale = bench_main.SCALES[scale_name]
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            seeded = conn.execute("SELECT count(*) FROM orgs_organization").fetchone()
    except psycopg.Error:
        seeded = None
    from bench import figures as bench_figures

    if not seeded or not seeded[0]:
        bench_main._recreate_pg(url)
        print("seeding ...", flush=True)
        bench_figures.seed(scale, "")
    for command in manage:
        bench_figures._manage(*command)
    import django

    django.setup()
    return scale


def run(figures: Callable[..., list[Any]], scale: dict[str, int]) -> list[Any]:
    """Measure the section's figures and print them as a table."""
    from bench import figures as bench_figures

    started = time.perf_counter()
    results = figures(bench_figures.entry, scale)
    bench_figures.print_table(results)
    print(f"section time: {time.perf_counter() - started:.1f} s")
    return results
