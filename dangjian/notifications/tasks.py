"""Background work of the notifications app: thin wrappers that load by id and call services."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from dangjian.lib.queries import get_or_none
from dangjian.notifications import services
from dangjian.notifications.models import Notification

RETRY_DELAY = 60  # seconds before the first retry; doubled for each further one


@shared_task(bind=True, max_retries=services.MAX_ATTEMPTS)
def channel_send_task(self: Task[Any, Any], notification_id: int, channel: str) -> None:
    """Send a notification on one outside channel, retrying failed recipients later."""
    notification = get_or_none(Notification.objects, pk=notification_id)
    if notification is None:
        return  # deleted since: nothing to send
    waiting = services.channel_send(notification, channel=channel)
    if waiting and self.request.is_eager:
        # No broker (development, tests): Celery cannot retry later, so try again now. Each
        # round spends an attempt of every row it tries, so this ends within MAX_ATTEMPTS.
        while waiting:
            waiting = services.channel_send(notification, channel=channel)
    elif waiting and self.request.retries < services.MAX_ATTEMPTS:
        raise self.retry(countdown=RETRY_DELAY * 2**self.request.retries)
