"""Root test configuration: fast hashing, tasks inline, local-memory email and cache."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile

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
    # Uploads written by tests (and demo seeds) go to a directory of this run, not media/.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="dangjian-test-media-")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


def pytest_unconfigure(config: pytest.Config) -> None:
    root = str(settings.MEDIA_ROOT)
    if "dangjian-test-media-" in root:
        shutil.rmtree(root, ignore_errors=True)
