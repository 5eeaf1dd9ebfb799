from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import models
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.audit.services import log_action


class Command(BaseCommand):
    help = "Delete audit entries older than AUDIT_RETENTION_DAYS (never fewer than 185 days)."

    def handle(self, *args: Any, **options: Any) -> None:
        days = max(settings.AUDIT_RETENTION_DAYS, 185)
        cutoff = timezone.now() - dt.timedelta(days=days)
        old = AuditEntry.objects.filter(at__lt=cutoff)
        # The model refuses deletes; the purge of expired entries is the one exception, and the
        # database triggers still refuse anything younger than 185 days.
        deleted, _ = models.QuerySet.delete(old)
        log_action(
            None,
            "audit.log.pruned",
            username="prune_audit",
            detail={"before": cutoff.isoformat(), "deleted": deleted},
        )
        self.stdout.write(f"{deleted} entries older than {days} days deleted.")
