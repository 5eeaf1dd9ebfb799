"""Screenshots of the main pages at phone and desktop widths, for review.

Usage: python scripts/screenshots.py http://127.0.0.1:8000 OUTDIR
Needs Debian's Chromium (scripts/ensure_browser.sh) and the demo data of `make run`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

PASSWORD = os.environ.get("DEMO_PASSWORD", "Dangjian@2026")
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def otp(username: str) -> str:
    out = subprocess.run(
        [sys.executable, "manage.py", "demo_otp", username],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DEBUG": "1"},
    )
    return out.stdout.strip()


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    if "/login/verify/" in page.url:
        page.fill("#id_token", otp(username))
        page.click("button[type=submit]")


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    shots = [
        ("secretary1", "home", "/"),
        ("secretary1", "roster", "/members/"),
        ("secretary1", "import", "/members/import/"),
        ("secretary1", "member-new", "/members/new/"),
        ("member1", "member-home", "/"),
        ("orgdept", "orgdept-home", "/"),
        ("orgdept", "org-detail", "/orgs/C01/"),
        ("orgdept", "history", "/members/history/"),
        ("auditor", "audit", "/audit/"),
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        for size_name, (width, height) in SIZES.items():
            for username in dict.fromkeys(user for user, _, _ in shots):
                context = browser.new_context(
                    viewport={"width": width, "height": height}, locale="zh-CN"
                )
                page = context.new_page()
                sign_in(page, base, username)
                for user, name, path in shots:
                    if user != username:
                        continue
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=str(out / f"{name}-{size_name}.png"), full_page=True)
                if username == "secretary1":
                    page.goto(base + "/members/")
                    page.click(
                        ".dj-list-item >> nth=0" if size_name == "phone" else "tbody a >> nth=0"
                    )
                    page.wait_for_load_state("networkidle")
                    page.screenshot(
                        path=str(out / f"member-detail-{size_name}.png"), full_page=True
                    )
                context.close()
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        page = context.new_page()
        page.goto(base + "/accounts/login/")
        page.screenshot(path=str(out / "login-phone.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), Path(sys.argv[2]))
