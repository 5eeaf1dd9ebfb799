"""Background work of the moderation app: thin wrappers that load by id and call services."""

from __future__ import annotations

from celery import shared_task

from dangjian.moderation import services
from dangjian.moderation.models import Rescan


@shared_task
def rescan_task(rescan_id: int) -> None:
    services.rescan_run(Rescan.objects.select_related("created_by").get(pk=rescan_id))
