"""The subtree counters on Organization: members and organizations below each node.

Services adjust them as they write (one UPDATE over the node's ancestors); `refresh` rebuilds
them from the direct counts for the subtrees that changed, and `refresh_all` for the tree.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, F, Q, Sum

from dangjian.lib import bulk
from dangjian.orgs.models import Organization, ancestor_paths, subtree_q

KIND_FIELD = {
    Organization.Kind.BRANCH: "subtree_branches",
    Organization.Kind.GROUP: "subtree_groups",
}
SUBTREE_FIELDS = (
    "subtree_full", "subtree_probationary", "subtree_orgs", "subtree_branches", "subtree_groups",
)  # fmt: skip


def add_members(path: str, field: str, delta: int) -> None:
    """Count `delta` members of a kind ("full" or "probationary") at a node and above."""
    Organization.objects.filter(path__in=ancestor_paths(path)).update(
        **{f"subtree_{field}": F(f"subtree_{field}") + delta}
    )


def add_organization(org: Organization, delta: int) -> None:
    """Count an organization appearing (+1) in or leaving (-1) the tree above it."""
    changes = {"subtree_orgs": F("subtree_orgs") + delta}
    field = KIND_FIELD.get(Organization.Kind(org.kind))
    if field:
        changes[field] = F(field) + delta
    Organization.objects.filter(path__in=ancestor_paths(org.path)[:-1]).update(**changes)


def _sums(path: str) -> dict[str, int]:
    row = Organization.objects.filter(subtree_q(path)).aggregate(
        subtree_full=Sum("full_count"),
        subtree_probationary=Sum("probationary_count"),
        subtree_orgs=Count("id", filter=Q(is_active=True)),
        subtree_branches=Count("id", filter=Q(is_active=True, kind=Organization.Kind.BRANCH)),
        subtree_groups=Count("id", filter=Q(is_active=True, kind=Organization.Kind.GROUP)),
    )
    return {field: row[field] or 0 for field in SUBTREE_FIELDS}


def refresh(paths: Iterable[str]) -> None:
    """Recompute the counters of these nodes and all their ancestors."""
    targets = sorted({a for path in paths for a in ancestor_paths(path)})
    for path in targets:
        Organization.objects.filter(path=path).update(**_sums(path))


def refresh_all() -> int:
    """Recompute every node's subtree counters in one pass over the tree; return changes."""
    rows = list(
        Organization.objects.values_list(
            "id", "path", "kind", "is_active", "full_count", "probationary_count", *SUBTREE_FIELDS
        )
    )
    totals: dict[str, list[int]] = {row[1]: [0, 0, 0, 0, 0] for row in rows}
    for _pk, path, kind, active, full, probationary, *_old in rows:
        own = [full, probationary, int(active), int(active and kind == "branch"),
               int(active and kind == "group")]  # fmt: skip
        for ancestor in ancestor_paths(path):
            if ancestor in totals:
                total = totals[ancestor]
                for i, value in enumerate(own):
                    total[i] += value
    changed = [
        (pk, *totals[path])
        for pk, path, _kind, _active, _full, _probationary, *old in rows
        if list(old) != totals[path]
    ]
    bulk.update_integers(Organization, SUBTREE_FIELDS, changed)
    return len(changed)
