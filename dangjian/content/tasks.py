"""Background work of the content app: thin wrappers that call services by id."""

from __future__ import annotations

from celery import shared_task

from dangjian.content import services


@shared_task
def announce_task(item_id: int) -> None:
    services.announce(item_id)


@shared_task
def publish_due_task() -> int:
    return services.publish_due()


@shared_task
def prune_uploads_task() -> int:
    return services.prune_uploads()
