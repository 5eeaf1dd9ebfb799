"""Send the day's member development deadline warnings (Celery beat runs the same job daily;
cron can run this instead). Safe to run twice: a warning already sent is not sent again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dangjian.development import warnings


class Command(BaseCommand):
    help = "Send due-soon and overdue warnings of member development steps, once each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, help="judge as on this day (YYYY-MM-DD)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = warnings.send_warnings(today=options.get("date"))
        self.stdout.write(
            "{cases} case(s) with a deadline near or past; {due_soon} due-soon and {overdue} "
            "overdue warning(s) sent; {no_recipient} without anyone responsible".format(**counts)
        )
