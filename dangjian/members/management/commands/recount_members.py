from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dangjian.members.services import counts


class Command(BaseCommand):
    help = "Recompute every organization's member counters from the member records."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = counts.recount()
        self.stdout.write(f"{changed} organizations corrected.")
