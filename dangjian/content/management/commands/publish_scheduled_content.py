"""Send out every published item whose publication time has come (Celery beat runs the same
job every minute; cron can run this instead)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dangjian.content import services


class Command(BaseCommand):
    help = "Announce content whose scheduled publication time has come."

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.publish_due()
        self.stdout.write(f"{count} item(s) went out")
