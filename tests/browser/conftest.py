"""A real server on a fresh SQLite database with demo data, and a headless Chromium.

These tests run with `make test-browser` (marker `browser`), after scripts/ensure_browser.sh.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(settings.BASE_DIR)
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "Dangjian@2026"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Production settings (DEBUG off, real keys, manifest static files) on plain HTTP."""
    from dangjian.lib.crypto import generate_key_spec

    folder = tmp_path_factory.mktemp("browser")
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "browser-tests-" + "k" * 50,
        "FIELD_ENCRYPTION_KEYS": generate_key_spec("b1"),
        "FIELD_HASH_KEY": "browser-tests-blind-index",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(folder / "static"),
        "SQLITE_PATH": str(folder / "db.sqlite3"),
        "DEMO_PASSWORD": PASSWORD,
        "DATABASE_URL": "",
    }


@pytest.fixture(scope="session")
def live_url(server_env: dict[str, str]) -> Iterator[str]:
    python = sys.executable
    for args in (
        ["manage.py", "collectstatic", "--no-input", "-v", "0"],
        ["manage.py", "migrate", "--no-input", "-v", "0"],
        ["manage.py", "seed_demo", "--members", "1200", "--branches", "60", "--seed", "7"],
    ):
        subprocess.run([python, *args], cwd=ROOT, env=server_env, check=True, capture_output=True)
    port = _free_port()
    granian = str(Path(python).parent / "granian")
    process = subprocess.Popen(
        [granian, "--interface", "asgi", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "1", "--no-ws", "dangjian.asgi:application"],
        cwd=ROOT, env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=BROWSER_ARGS
        )
        yield instance
        instance.close()


def notify_user(env: dict[str, str], username: str, title: str) -> None:
    """Send a message to an account of the live server, as any part of the product would."""
    code = (
        "from dangjian.accounts.models import User;"
        "from dangjian.notifications.services import notify;"
        f"notify([User.objects.get(username={username!r})], kind='test.browser',"
        f" title={title!r}, link='/notifications/')"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT, env=env, capture_output=True, check=True,
    )  # fmt: skip


def otp_code(env: dict[str, str], username: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "demo_otp", username],
        cwd=ROOT, env={**env, "DEBUG": "1"}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout.strip()


class Session:
    def __init__(self, browser: Browser, base: str, env: dict[str, str], size: str) -> None:
        width, height = (390, 844) if size == "phone" else (1280, 800)
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, locale="zh-CN"
        )
        self.page: Page = self.context.new_page()
        self.base = base
        self.env = env
        self.size = size

    def sign_in(self, username: str) -> Page:
        page = self.page
        page.goto(f"{self.base}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        for _attempt in range(3):
            if "/login/verify/" not in page.url:
                break
            # A code is single-use: a second sign-in in the same 30 s waits for the next one.
            time.sleep(30 - time.time() % 30 + 1 if _attempt else 0)
            page.fill("#id_token", otp_code(self.env, username))
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
        page.wait_for_load_state("networkidle")
        return page

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(
            path=str(ARTIFACTS / f"{name}-{self.size}.png"), full_page=self.size != "phone"
        )


@pytest.fixture(params=["phone", "desktop"])
def session(request: pytest.FixtureRequest, browser: Browser, live_url: str,
            server_env: dict[str, str]) -> Iterator[Session]:  # fmt: skip
    current = Session(browser, live_url, server_env, request.param)
    yield current
    current.context.close()
