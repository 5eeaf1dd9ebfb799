"""What the member records add to an organization's page: its committee and post holders."""

from __future__ import annotations

from django.http import HttpRequest

from dangjian.members.selectors import group_counts, org_post_holders
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization
from dangjian.orgs.panels import Panel


def groups_panel(request: HttpRequest, org: Organization) -> Panel | None:
    if org.kind != Organization.Kind.BRANCH:
        return None
    groups = group_counts(org)
    if not groups:
        return None
    return Panel(
        template="members/_org_groups.html",
        context={
            "groups": groups,
            "can_view_members": perms.has_capability(request.user, org, perms.MEMBERS_VIEW),
        },
        order=20,
    )


def committee_panel(request: HttpRequest, org: Organization) -> Panel | None:
    holders = list(org_post_holders(org))
    can_manage = perms.has_capability(request.user, org, perms.ORGS_MANAGE)
    if not holders and not can_manage:
        return None
    return Panel(
        template="members/_org_committee.html",
        context={
            "holders": holders,
            "can_manage": can_manage,
            "can_view_members": perms.has_capability(request.user, org, perms.MEMBERS_VIEW),
        },
        order=10,
    )
