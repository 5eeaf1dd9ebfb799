"""A dictionary change reaches another running process within seconds, with no restart.

Two real processes on one file database: a reader that keeps checking a text, as a web
process does, and a writer that imports a new term with the management command.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

READER = """
import sys, time, django
django.setup()
from dangjian.moderation import services
print("ready", flush=True)
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    if services.check("今天说了一个跨进程新词").action != "pass":
        print("seen", time.time(), flush=True)
        sys.exit(0)
    time.sleep(0.05)
sys.exit(1)
"""


def _env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        SQLITE_PATH=str(database),
        DJANGO_SETTINGS_MODULE="dangjian.settings",
        MODERATION_RELOAD_SECONDS="2",
        DEBUG="1",
    )
    return env


def test_a_change_reaches_a_second_running_process_within_5_seconds(tmp_path):
    database = tmp_path / "reload.sqlite3"
    env = _env(database)
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None
        assert reader.stdout.readline().strip() == "ready"
        time.sleep(0.5)  # the reader has built its engine and is polling
        words = tmp_path / "words.txt"
        words.write_text("跨进程新词\tpolitical\treview\n", encoding="utf-8")
        subprocess.run([*manage, "import_sensitive_words", str(words)], env=env, check=True)
        committed = time.time()
        line = reader.stdout.readline().split()
        assert reader.wait(timeout=30) == 0, "the reader never saw the new term"
        assert line[0] == "seen"
        assert float(line[1]) - committed < 5
    finally:
        reader.kill()
