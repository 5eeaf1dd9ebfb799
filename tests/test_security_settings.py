"""The security baseline of the deployment settings (MLPS level 3)."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings

from dangjian.lib.crypto import generate_key_spec
from dangjian.testing.base import BaseTestCase

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-production-secret-key-0123456789abcdefghij",
    "FIELD_ENCRYPTION_KEYS": generate_key_spec("p1"),
    "FIELD_HASH_KEY": "production-blind-index-key",
    "ALLOWED_HOSTS": "dangjian.example.edu.cn",
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    env = {**PRODUCTION_ENV, "SQLITE_PATH": str(tmp_path / "db.sqlite3")}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_placeholder_secret_key_is_refused_when_debug_is_off(tmp_path):
    env = {**PRODUCTION_ENV, "SQLITE_PATH": str(tmp_path / "db.sqlite3")}
    del env["SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is the development placeholder" in result.stderr


def test_the_placeholder_field_key_is_refused_when_debug_is_off(tmp_path):
    env = {**PRODUCTION_ENV, "SQLITE_PATH": str(tmp_path / "db.sqlite3")}
    del env["FIELD_ENCRYPTION_KEYS"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr


def test_production_turns_on_secure_cookies_and_hsts(tmp_path):
    env = {**PRODUCTION_ENV, "SQLITE_PATH": str(tmp_path / "db.sqlite3")}
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='dangjian.settings';django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_NAME)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["True", "True", "31536000", "True", "__Host-sessionid"]


class HeadersTestCase(BaseTestCase):
    def test_pages_carry_the_security_headers(self):
        response = self.client_for("secretary1").get("/")
        csp = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp.split("style-src-attr")[0]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"

    def test_pages_have_no_inline_scripts(self):
        response = self.client_for("orgdept").get("/")
        html = response.content.decode()
        for chunk in html.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag or 'type="application/json"' in tag, tag

    def test_the_health_check_reports_the_database(self):
        response = self.client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}
