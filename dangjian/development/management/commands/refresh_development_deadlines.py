"""Recompute the next step and its dates kept on each open case, after a change of the rules'
local choices (DEVELOPMENT_RULES) or of the working-day calendar. Safe to run at any time."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dangjian.development import services


class Command(BaseCommand):
    help = "Recompute the next step and its dates of every open development case."

    def handle(self, *args: Any, **options: Any) -> None:
        changed, total = services.refresh_next_steps()
        self.stdout.write(f"{total} open case(s); {changed} changed")
