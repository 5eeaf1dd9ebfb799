from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from dangjian.notifications import services


class Command(BaseCommand):
    help = (
        "Send notifications still queued on outside channels (e-mail, ...) whose task never "
        "ran or died. Safe to run twice at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--minutes", type=int, default=10, help="only notifications older than this"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        before = timezone.now() - timedelta(minutes=options["minutes"])
        sent = services.channel_send_queued(before=before)
        self.stdout.write(f"{sent} notification channel(s) sent")
