from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from dangjian.members.demo import PERSONAS, DemoBuilder, Plan
from dangjian.orgs.models import Organization


class Command(BaseCommand):
    help = "Load a realistic demo university (organizations, members, accounts, a year of changes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=5000)
        parser.add_argument("--branches", type=int, default=250)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when organizations exist."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Organization.objects.exists():
            if options["if_empty"]:
                self.stdout.write("The database already has data; demo not loaded.")
                return
            raise CommandError("The database already has organizations; use an empty database.")
        if options["members"] < 100 or options["branches"] < 40:
            raise CommandError("Use at least 100 members and 40 branches.")
        if options["members"] < 3 * options["branches"]:
            raise CommandError(
                f"{options['branches']} branches need at least {3 * options['branches']} "
                "members (three per branch); lower --branches or raise --members."
            )
        plan = Plan(
            members=options["members"],
            branches=options["branches"],
            seed=options["seed"],
            today=options["today"] or timezone.localdate(),
        )
        DemoBuilder(plan, log=self.stdout.write).run()
        self._refresh_statistics()
        self.stdout.write("Demo accounts:")
        for persona in PERSONAS:
            self.stdout.write(f"  {persona.username:<12} {persona.description}")

    def _refresh_statistics(self) -> None:
        """Give the planner statistics for the freshly loaded tables, as a live database has.

        Without them the first queries after a load plan against empty tables, and on
        PostgreSQL autovacuum competes with them for the processor.
        """
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                cursor.execute("VACUUM (ANALYZE)")
            else:
                cursor.execute("ANALYZE")
