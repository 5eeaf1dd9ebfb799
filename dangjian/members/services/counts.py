"""The per-organization member counters on Organization, kept exact by the member services."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, F, Q

from dangjian.lib import bulk
from dangjian.members.choices import Standing, Status
from dangjian.members.models import Member
from dangjian.orgs import counters
from dangjian.orgs.models import Organization

_COUNTER = {Status.FULL: "full", Status.PROBATIONARY: "probationary"}


def adjust(org_id: int | None, status: str, delta: int) -> None:
    if org_id is None or status not in _COUNTER or delta == 0:
        return
    kind = _COUNTER[Status(status)]
    field = f"{kind}_count"
    Organization.objects.filter(pk=org_id).update(**{field: F(field) + delta})
    path = Organization.objects.filter(pk=org_id).values_list("path", flat=True).get()
    counters.add_members(path, kind, delta)


def move(
    *,
    before: tuple[int | None, str, str],
    after: tuple[int | None, str, str],
) -> None:
    """Apply a change from (org, status, standing) before to after."""
    if before == after:
        return
    old_org, old_status, old_standing = before
    new_org, new_status, new_standing = after
    if old_standing == Standing.ACTIVE:
        adjust(old_org, old_status, -1)
    if new_standing == Standing.ACTIVE:
        adjust(new_org, new_status, +1)


def recount(org_ids: Iterable[int] | None = None) -> int:
    """Recompute the counters from the member table; all organizations when none are given."""
    orgs = Organization.objects.all()
    if org_ids is not None:
        orgs = orgs.filter(pk__in=list(org_ids))
    rows = (
        Member.objects.filter(standing=Standing.ACTIVE, organization__in=orgs)
        .values("organization")
        .annotate(
            full=Count("id", filter=Q(status=Status.FULL)),
            probationary=Count("id", filter=Q(status=Status.PROBATIONARY)),
        )
    )
    found = {row["organization"]: (row["full"], row["probationary"]) for row in rows}
    changed = []
    paths = []
    for pk, path, *counted in orgs.values_list(
        "id", "path", "full_count", "probationary_count"
    ).iterator(chunk_size=5000):
        full, probationary = found.get(pk, (0, 0))
        if tuple(counted) != (full, probationary):
            changed.append((pk, full, probationary))
        paths.append(path)
    bulk.update_integers(Organization, ["full_count", "probationary_count"], changed)
    if org_ids is None:
        return len(changed) + counters.refresh_all()
    counters.refresh(paths)
    return len(changed)
