"""Delete uploaded pictures and files that nothing has used for a week (run daily)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dangjian.content import services


class Command(BaseCommand):
    help = "Delete uploads that no item or contribution uses, older than --days (default 7)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.prune_uploads(older_than=dt.timedelta(days=max(1, options["days"])))
        self.stdout.write(f"{count} unused upload(s) deleted")
