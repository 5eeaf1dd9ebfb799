"""Root test configuration: fast hashing, tasks inline, local-memory email and cache."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings


def pytest_configure(config: pytest.Config) -> None:
    # Compile the catalogs before any translation is loaded and cached in this process.
    subprocess.run(
        [sys.executable, "scripts/compile_messages.py"], cwd=settings.BASE_DIR, check=True
    )
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # Assertions read English; the Chinese interface has its own tests (test_i18n.py).
    settings.LANGUAGE_CODE = "en"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()
