"""Capabilities, the roles that carry them, and the one question every view asks:
may this user do this here?

A role held on an organization covers that organization and everything below it. Other apps
can contribute grants (members registers the implicit member role) with
`register_grant_provider`, so this module never imports upward.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from dangjian.orgs.models import Organization, Role, RoleAssignment, ancestor_paths, subtree_q

# Capabilities: dotted "<app>.<verb>".
ORGS_VIEW = "orgs.view"
ORGS_MANAGE = "orgs.manage"
MEMBERS_VIEW = "members.view"
MEMBERS_VIEW_SENSITIVE = "members.view_sensitive"
MEMBERS_MANAGE = "members.manage"
MEMBERS_IMPORT = "members.import"
MEMBERS_EXPORT = "members.export"
STATS_VIEW = "stats.view"
MODERATION_REVIEW = "moderation.review"  # the review queue of held texts
MODERATION_MONITOR = "moderation.monitor"  # hits over time, top terms, repeat authors
MODERATION_MANAGE = "moderation.manage"  # the dictionary; held on the root organization
CONTENT_WRITE = "content.write"  # write items for the organizations in scope, target them
CONTENT_REVIEW = "content.review"  # approve or return what others wrote (never one's own)
CONTENT_PUBLISH = "content.publish"  # publish without a second person's review
DEVELOPMENT_VIEW = "development.view"  # see the development cases (发展党员) in scope
DEVELOPMENT_MANAGE = "development.manage"  # open cases and record their steps
DEVELOPMENT_APPROVE = "development.approve"  # committee approval steps 13/17/24, exceptions
# Held by the separated administrators, not on an organization.
ACCOUNTS_MANAGE = "accounts.manage"
ROLES_MANAGE = "roles.manage"
AUDIT_VIEW = "audit.view"

_MEMBER_OFFICER = frozenset(
    {
        ORGS_VIEW,
        ORGS_MANAGE,
        MEMBERS_VIEW,
        MEMBERS_VIEW_SENSITIVE,
        MEMBERS_MANAGE,
        MEMBERS_IMPORT,
        MEMBERS_EXPORT,
        STATS_VIEW,
    }
)

_MODERATOR = frozenset({MODERATION_REVIEW, MODERATION_MONITOR, MODERATION_MANAGE})

_EDITOR = frozenset({CONTENT_WRITE, CONTENT_REVIEW, CONTENT_PUBLISH})

_DEVELOPMENT = frozenset({DEVELOPMENT_VIEW, DEVELOPMENT_MANAGE})
_DEVELOPMENT_APPROVER = _DEVELOPMENT | {DEVELOPMENT_APPROVE}

# Who needs a second person's review before publishing: branch secretaries and organizers
# write, and an organizer or the university's editors review; the organization department
# and the propaganda editors publish directly.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.BRANCH_SECRETARY: _MEMBER_OFFICER | _DEVELOPMENT | {CONTENT_WRITE},
    Role.BRANCH_COMMITTEE: frozenset({ORGS_VIEW, MEMBERS_VIEW, STATS_VIEW, DEVELOPMENT_VIEW}),
    Role.COMMITTEE_ORGANIZER: _MEMBER_OFFICER
    | _DEVELOPMENT_APPROVER
    | {MODERATION_REVIEW, MODERATION_MONITOR, CONTENT_WRITE, CONTENT_REVIEW},
    Role.ORG_DEPARTMENT: _MEMBER_OFFICER | _DEVELOPMENT_APPROVER | _MODERATOR | _EDITOR,
    Role.PROPAGANDA_EDITOR: frozenset({ORGS_VIEW}) | _MODERATOR | _EDITOR,
}

ADMIN_CAPABILITIES: dict[str, frozenset[str]] = {
    "system_admin": frozenset({ACCOUNTS_MANAGE}),
    "security_admin": frozenset({ROLES_MANAGE}),
    "audit_admin": frozenset({AUDIT_VIEW}),
}


@dataclass(frozen=True)
class Grant:
    path: str
    capabilities: frozenset[str]
    source: str


# A provider returns a query of (organization path, source) pairs for a user; the source
# names the capability set in `_source_capabilities`. Every provider's query is joined into
# one UNION, so resolving a user's grants costs one round trip per request.
GrantProvider = Callable[[Any], "QuerySet[Any]"]
_providers: list[GrantProvider] = []
_source_capabilities: dict[str, frozenset[str]] = dict(ROLE_CAPABILITIES)


def register_grant_provider(provider: GrantProvider, sources: dict[str, frozenset[str]]) -> None:
    if provider not in _providers:
        _providers.append(provider)
        _statement.cache_clear()
    _source_capabilities.update(sources)


def _role_query(user: Any, on: dt.date | None = None) -> QuerySet[Any]:
    return (
        RoleAssignment.objects.active(on)
        .filter(user=user, organization__is_active=True)
        .values_list("organization__path", "role")
    )


def _grants_query(user: Any, on: dt.date | None = None) -> QuerySet[Any]:
    query = _role_query(user, on)
    for provider in _providers:
        query = query.union(provider(user).order_by(), all=True)
    return query


# Every request asks for the grants, and compiling the UNION costs several times more than
# running it. The statement is compiled once with placeholder values for the two things that
# vary (the user and today's date) and run with the real ones.
_USER_PLACEHOLDER = -1_987_654_321  # within every integer column's range
_DATE_PLACEHOLDER = dt.date(1, 2, 3)


@functools.cache
def _statement(vendor: str) -> tuple[str, tuple[Any, ...]]:
    sql, params = _grants_query(_USER_PLACEHOLDER, _DATE_PLACEHOLDER).query.sql_with_params()
    return sql, tuple(params)


def _grant_rows(user: Any) -> list[tuple[str, str]]:
    sql, template = _statement(connection.vendor)
    adapt = connection.ops.adapt_datefield_value  # the form compiled params take (SQLite: text)
    placeholder_date, today = adapt(_DATE_PLACEHOLDER), adapt(timezone.localdate())
    params = [
        user.pk if p == _USER_PLACEHOLDER else today if p == placeholder_date else p
        for p in template
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(path, source) for path, source in cursor.fetchall()]


def grants(user: Any) -> list[Grant]:
    """Every grant the user holds, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached: list[Grant] | None = getattr(user, "_dangjian_grants", None)
    if cached is None:
        cached = []
        if not user.admin_role:
            cached = [
                Grant(path=path, capabilities=_source_capabilities[source], source=source)
                for path, source in _grant_rows(user)
            ]
        user._dangjian_grants = cached
    return cached


def forget(user: Any) -> None:
    """Drop cached grants after roles change within a request."""
    if hasattr(user, "_dangjian_grants"):
        del user._dangjian_grants


def has_capability(user: Any, org: Organization | None, capability: str) -> bool:
    """Whether the user holds the capability on the organization (through it or an ancestor)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if capability in ADMIN_CAPABILITIES.get(user.admin_role or "", frozenset()):
        return True
    if org is None:
        return False
    return any(
        capability in grant.capabilities and org.path.startswith(grant.path)
        for grant in grants(user)
    )


def has_any_scope(user: Any, capability: str) -> bool:
    """Whether the user holds the capability anywhere."""
    if capability in ADMIN_CAPABILITIES.get(getattr(user, "admin_role", "") or "", frozenset()):
        return True
    return any(capability in grant.capabilities for grant in grants(user))


def scope_paths(user: Any, capability: str) -> list[str]:
    """The roots of the subtrees where the user holds the capability, without overlaps."""
    paths = sorted({g.path for g in grants(user) if capability in g.capabilities})
    roots: list[str] = []
    for path in paths:
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return roots


def scope_q(user: Any, capability: str, field: str = "path") -> Q:
    """A filter on an organization path field: inside the user's scope for the capability.

    Matches nothing when the user has no scope, so a forgotten role never widens a query.
    """
    q = Q(pk__in=[])
    for root in scope_paths(user, capability):
        q |= subtree_q(root, field)
    return q


def reader_paths(user: Any) -> frozenset[str]:
    """The organizations whose targeted news the user reads: every organization they belong to
    or serve (their grants, the implicit member role included), with its ancestors."""
    paths: set[str] = set()
    for grant in grants(user):
        paths.update(ancestor_paths(grant.path))
    return frozenset(paths)


def roles_held(user: Any) -> list[str]:
    """Role codes the user holds anywhere, administrators' included."""
    held = [user.admin_role] if getattr(user, "admin_role", "") else []
    held += sorted({g.source for g in grants(user)})
    return held
