from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from dangjian.audit.models import AuditEntry


@dataclass
class AuditFilters:
    start: dt.date | None = None
    end: dt.date | None = None
    actor: str = ""
    action: str = ""
    result: str = ""
    target: str = ""
    ip: str = ""
    org_code: str = ""


def audit_entries(filters: AuditFilters) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    tz = timezone.get_current_timezone()
    if filters.start:
        qs = qs.filter(at__gte=dt.datetime.combine(filters.start, dt.time.min, tzinfo=tz))
    if filters.end:
        qs = qs.filter(
            at__lt=dt.datetime.combine(filters.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        )
    if filters.actor:
        qs = qs.filter(actor_username__iexact=filters.actor)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.result:
        qs = qs.filter(result=filters.result)
    if filters.target:
        qs = qs.filter(target_label__contains=filters.target) | qs.filter(target_id=filters.target)
    if filters.ip:
        qs = qs.filter(ip=filters.ip)
    if filters.org_code:
        qs = qs.filter(org_code=filters.org_code)
    return qs.order_by("-at", "-id")
