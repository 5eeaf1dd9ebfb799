"""Reads of organizations that depend on who is asking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404

from dangjian.lib.queries import PreparedQuery, get_or_none
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization, ancestor_paths, subtree_q

# What a breadcrumb, a timeline or a post list shows of an organization: loading whole rows of
# a wide table for a name costs more than the query itself.
LABEL_FIELDS = ("id", "code", "name", "short_name", "path", "kind", "depth", "parent")


def label_fields(*relations: str) -> list[str]:
    """LABEL_FIELDS as seen through relations, for `only()` beside `select_related()`."""
    return [f"{relation}__{name}" for relation in relations for name in LABEL_FIELDS]


# Ancestor paths are looked up eight at a time (padded with a path no organization has), so
# the query keeps one shape, compiled once, at any depth.
_ANCESTOR_SLOTS = 8
_ancestors = PreparedQuery(
    lambda *paths: Organization.objects.filter(path__in=paths).only(*LABEL_FIELDS).order_by("path"),
    *(f"\x00ancestor{n}\x00" for n in range(_ANCESTOR_SLOTS)),
)
_by_code = PreparedQuery(lambda code: Organization.objects.filter(code=code), "\x00code\x00")


PREVIEW_CHILDREN = 24
_children_preview = PreparedQuery(
    lambda parent_id: (
        Organization.objects.filter(parent_id=parent_id, is_active=True)
        .only(*LABEL_FIELDS)
        .order_by("sort_order", "path")[: PREVIEW_CHILDREN + 1]
    )
)


def org_by_code(code: str) -> Organization | None:
    return _by_code.first(code)


def children_preview(org: Organization) -> tuple[list[Organization], bool]:
    """The first active children in display order, and whether more follow."""
    children = _children_preview.all(org.pk)
    return children[:PREVIEW_CHILDREN], len(children) > PREVIEW_CHILDREN


def org_visible_qs(user: Any, capability: str = perms.ORGS_VIEW) -> QuerySet[Organization]:
    return Organization.objects.filter(perms.scope_q(user, capability))


def org_get_for_user(user: Any, code: str, capability: str = perms.ORGS_VIEW) -> Organization:
    """The organization with this code if the user holds the capability on it.

    Invisible organizations answer 404; visible ones the user may not act on answer 403.
    """
    org = get_or_none(Organization.objects.select_related("parent"), code=code)
    if org is None or not perms.has_capability(user, org, perms.ORGS_VIEW):
        raise Http404
    if not perms.has_capability(user, org, capability):
        raise PermissionDenied
    return org


def org_roots_for_user(user: Any, capability: str = perms.ORGS_VIEW) -> list[Organization]:
    roots = perms.scope_paths(user, capability)
    return list(Organization.objects.filter(path__in=roots).order_by("path"))


def org_ancestors(org: Organization) -> list[Organization]:
    """The organization's ancestors, root first, without the organization itself."""
    paths = ancestor_paths(org.path)[:-1]
    found: list[Organization] = []
    for start in range(0, len(paths), _ANCESTOR_SLOTS):
        chunk = paths[start : start + _ANCESTOR_SLOTS]
        found += _ancestors.all(*chunk, *[""] * (_ANCESTOR_SLOTS - len(chunk)))
    return found


def org_breadcrumbs(user: Any, org: Organization) -> list[Organization]:
    """Ancestors the user may see, then the organization: 学校党委 / 信息学院党委 / 第一支部."""
    visible = [a for a in org_ancestors(org) if perms.has_capability(user, a, perms.ORGS_VIEW)]
    return [*visible, org]


@dataclass(frozen=True)
class SubtreeCounts:
    full: int
    probationary: int
    organizations: int

    @property
    def members(self) -> int:
        return self.full + self.probationary


def subtree_counts(org: Organization) -> SubtreeCounts:
    return SubtreeCounts(
        full=org.subtree_full,
        probationary=org.subtree_probationary,
        organizations=org.subtree_orgs,
    )


def children_with_counts(org: Organization) -> list[tuple[Organization, SubtreeCounts]]:
    """The active children of an organization with the counts of their subtrees."""
    children = org.children.filter(is_active=True).order_by("sort_order", "path")
    return [(child, subtree_counts(child)) for child in children]


def org_kind_counts(org: Organization) -> dict[str, int]:
    return {
        Organization.Kind.BRANCH: org.subtree_branches,
        Organization.Kind.GROUP: org.subtree_groups,
    }


def branches_below_minimum(org: Organization, *, limit: int = 50) -> QuerySet[Organization]:
    """Branches with fewer than 3 full members that are not joint or temporary (ORG-MIN3)."""
    return Organization.objects.filter(
        subtree_q(org.path),
        is_active=True,
        kind=Organization.Kind.BRANCH,
        full_count__lt=3,
        is_joint=False,
        is_temporary=False,
    ).order_by("path")[:limit]


def branches_over_maximum(org: Organization, *, limit: int = 50) -> QuerySet[Organization]:
    """Branches with more than 50 members, to split or raise to a general branch (ORG-MAX50)."""
    return (
        Organization.objects.filter(
            subtree_q(org.path), is_active=True, kind=Organization.Kind.BRANCH
        )
        .annotate(total=F("full_count") + F("probationary_count"))
        .filter(total__gt=50)
        .order_by("path")[:limit]
    )


def org_search(user: Any, query: str, *, limit: int = 20) -> list[Organization]:
    query = query.strip()
    if not query:
        return []
    return list(
        org_visible_qs(user)
        .filter(Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__iexact=query))
        .order_by("depth", "path")[:limit]
    )
