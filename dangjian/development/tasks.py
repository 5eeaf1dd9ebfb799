"""Background work of member development: thin wrappers that call the jobs."""

from __future__ import annotations

from celery import shared_task

from dangjian.development import warnings


@shared_task
def send_warnings_task() -> dict[str, int]:
    return warnings.send_warnings()
