"""API: the organization tree, under the same scope, services and audit as the pages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema, Status

from dangjian.orgs import permissions as perms
from dangjian.orgs import selectors, services
from dangjian.orgs.models import Organization

router = Router(tags=["organizations"])


class OrgOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    parent: str | None
    depth: int
    branch_type: str
    founded_on: dt.date | None
    is_joint: bool
    is_temporary: bool
    approval_authority: bool
    is_active: bool
    members_full: int
    members_probationary: int

    @staticmethod
    def build(org: Organization) -> OrgOut:
        counts = selectors.subtree_counts(org)
        return OrgOut(
            code=org.code,
            name=org.name,
            short_name=org.short_name,
            kind=org.kind,
            parent=org.parent.code if org.parent else None,
            depth=org.depth,
            branch_type=org.branch_type,
            founded_on=org.founded_on,
            is_joint=org.is_joint,
            is_temporary=org.is_temporary,
            approval_authority=org.approval_authority,
            is_active=org.is_active,
            members_full=counts.full,
            members_probationary=counts.probationary,
        )


class OrgIn(Schema):
    parent: str
    name: str
    code: str
    kind: str
    short_name: str = ""
    branch_type: str = ""
    founded_on: dt.date | None = None
    sort_order: int = 0
    is_joint: bool = False
    is_temporary: bool = False
    approval_authority: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    address: str = ""


class OrgPatch(Schema):
    name: str | None = None
    short_name: str | None = None
    code: str | None = None
    kind: str | None = None
    branch_type: str | None = None
    founded_on: dt.date | None = None
    sort_order: int | None = None
    is_joint: bool | None = None
    is_temporary: bool | None = None
    approval_authority: bool | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    address: str | None = None


class OrgList(Schema):
    results: list[OrgOut]


@router.get("", response=OrgList, summary="Organizations: the roots of your scope, or children")
def org_list(request: HttpRequest, parent: str = "", q: str = "") -> OrgList:
    if q:
        orgs = selectors.org_search(request.user, q, limit=50)
    elif parent:
        org = selectors.org_get_for_user(request.user, parent)
        orgs = [child for child, _counts in selectors.children_with_counts(org)]
    else:
        orgs = selectors.org_roots_for_user(request.user)
    return OrgList(results=[OrgOut.build(o) for o in orgs])


@router.get("/{code}", response=OrgOut, summary="One organization")
def org_get(request: HttpRequest, code: str) -> OrgOut:
    return OrgOut.build(selectors.org_get_for_user(request.user, code))


@router.post("", response={201: OrgOut}, summary="Create an organization under a parent")
def org_create(request: HttpRequest, payload: OrgIn) -> Status[OrgOut]:
    parent = selectors.org_get_for_user(request.user, payload.parent, perms.ORGS_MANAGE)
    data = payload.dict(exclude={"parent"})
    org = services.org_create(actor=request.user, parent=parent, **data)  # type: ignore[arg-type]
    return Status(201, OrgOut.build(org))


@router.patch("/{code}", response=OrgOut, summary="Change an organization")
def org_update(request: HttpRequest, code: str, payload: OrgPatch) -> OrgOut:
    org = selectors.org_get_for_user(request.user, code)
    anchor = org.parent or org
    if not perms.has_capability(request.user, anchor, perms.ORGS_MANAGE):
        raise PermissionDenied
    data = payload.dict(exclude_unset=True)
    org = services.org_update(actor=request.user, org=org, **data)  # type: ignore[arg-type]
    return OrgOut.build(org)
