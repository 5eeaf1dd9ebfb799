"""Enqueue Celery tasks only once the surrounding transaction has committed."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Run `task.delay(*args, **kwargs)` after commit (inline when no broker is configured)."""
    transaction.on_commit(lambda: task.delay(*args, **kwargs))
