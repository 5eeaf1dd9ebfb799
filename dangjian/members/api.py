"""API: member records and their events, under the same scope, services and audit as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from dangjian.audit.services import log_action
from dangjian.lib.pagination import paginate
from dangjian.lib.queries import get_or_none
from dangjian.members import selectors
from dangjian.members.choices import Standing
from dangjian.members.models import EventKind, Member, MemberEvent
from dangjian.members.services import events, records, statement
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization
from dangjian.orgs.selectors import org_by_code

router = Router(tags=["members"])


class MemberOut(Schema):
    id: int
    name: str
    gender: str
    ethnicity: str
    birth_date: dt.date
    id_number: str
    native_place: str
    education: str
    degree: str
    category: str
    staff_number: str
    grade: str
    phone: str
    email: str
    address: str
    joined_on: dt.date
    full_member_on: dt.date | None
    status: str
    standing: str
    organization: str
    is_floating: bool
    is_lost_contact: bool
    is_abroad: bool
    statement: str
    masked: bool

    @staticmethod
    def build(member: Member, *, full: bool = False) -> MemberOut:
        return MemberOut(
            id=member.pk,
            name=member.name,
            gender=member.gender,
            ethnicity=member.ethnicity,
            birth_date=member.birth_date,
            id_number=member.id_number if full else member.id_number_masked,
            native_place=member.native_place,
            education=member.education,
            degree=member.degree,
            category=member.category,
            staff_number=member.staff_number,
            grade=member.grade,
            phone=member.phone if full else member.phone_masked,
            email=member.email,
            address=member.address if full else member.address_masked,
            joined_on=member.joined_on,
            full_member_on=member.full_member_on,
            status=member.status,
            standing=member.standing,
            organization=member.organization.code,
            is_floating=member.is_floating,
            is_lost_contact=member.is_lost_contact,
            is_abroad=member.is_abroad,
            statement=member.statement,
            masked=not full,
        )


class MemberPage(Schema):
    count: int
    count_capped: bool
    page: int
    pages: int
    results: list[MemberOut]


class MemberIn(Schema):
    name: str
    id_number: str
    ethnicity: str
    education: str
    category: str
    joined_on: str
    status: str
    organization: str
    gender: str = ""
    birth_date: str = ""
    full_member_on: str = ""
    native_place: str = ""
    degree: str = ""
    staff_number: str = ""
    grade: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    origin: str = EventKind.REGISTERED
    origin_date: dt.date | None = None


class MemberPatch(Schema):
    name: str | None = None
    id_number: str | None = None
    gender: str | None = None
    birth_date: str | None = None
    ethnicity: str | None = None
    native_place: str | None = None
    education: str | None = None
    degree: str | None = None
    category: str | None = None
    staff_number: str | None = None
    grade: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    joined_on: str | None = None
    full_member_on: str | None = None


class StatementIn(Schema):
    text: str


class StatementOut(Schema):
    statement: str  # what others see
    held: str  # the member's newer text awaiting review, blank when none
    action: str  # pass, mask, review, or cleared (an empty text removes the statement)
    message: str  # for the author: what became of the text


class EventIn(Schema):
    kind: str
    effective_date: dt.date
    organization: str = ""
    reason: str = ""
    document: str = ""
    detail: dict[str, Any] = {}


class EventOut(Schema):
    id: int
    kind: str
    effective_date: dt.date
    org_before: str | None
    org_after: str | None
    status_before: str
    status_after: str
    standing_before: str
    standing_after: str
    reason: str
    document: str
    detail: dict[str, Any]

    @staticmethod
    def build(event: MemberEvent) -> EventOut:
        return EventOut(
            id=event.pk,
            kind=event.kind,
            effective_date=event.effective_date,
            org_before=event.org_before.code if event.org_before else None,
            org_after=event.org_after.code if event.org_after else None,
            status_before=event.status_before,
            status_after=event.status_after,
            standing_before=event.standing_before,
            standing_after=event.standing_after,
            reason=event.reason,
            document=event.document,
            detail=event.detail,
        )


def _branch(user: Any, code: str, capability: str) -> Organization:
    org = org_by_code(code)
    if org is None or not perms.has_capability(user, org, capability):
        raise HttpError(422, f"organization: {code}")
    return org


@router.get("", response=MemberPage, summary="The roster, filtered and paginated")
def member_list(
    request: HttpRequest,
    org: str = "",
    standing: str = Standing.ACTIVE,
    status: str = "",
    category: str = "",
    gender: str = "",
    ethnicity: str = "",
    education: str = "",
    age: str = "",
    q: str = "",
    page: int = 1,
    page_size: int = 50,
) -> MemberPage:
    scope = None
    if org:
        scope = get_or_none(Organization.objects, code=org)
        if scope is None or not perms.has_capability(request.user, scope, perms.MEMBERS_VIEW):
            raise HttpError(404, "org")
    elif not perms.has_any_scope(request.user, perms.MEMBERS_VIEW):
        raise PermissionDenied
    filters = selectors.RosterFilters(
        org=scope,
        standing=standing,
        status=status,
        category=category,
        gender=gender,
        ethnicity=ethnicity,
        education=education,
        age_band=age,
        q=q,
    )
    meta, members = paginate(
        selectors.roster_qs(request.user, filters),
        page,
        page_size,
        known_count=selectors.roster_known_count(request.user, filters),
    )
    return MemberPage(**meta, results=[MemberOut.build(m) for m in members])


@router.post("", response={201: MemberOut}, summary="Create a member record")
def member_create(request: HttpRequest, payload: MemberIn) -> Status[MemberOut]:
    if not perms.has_any_scope(request.user, perms.MEMBERS_MANAGE):
        raise PermissionDenied
    data = payload.dict(exclude={"origin", "origin_date"})
    data["organization"] = _branch(request.user, payload.organization, perms.MEMBERS_MANAGE)
    member = records.member_create(
        actor=request.user,  # type: ignore[arg-type]
        data=data,
        origin=payload.origin,
        origin_date=payload.origin_date,
    )
    return Status(201, MemberOut.build(member))


@router.put(
    "/me/statement",
    response=StatementOut,
    summary="Write your own self-introduction; it is screened before others see it",
)
def statement_update(request: HttpRequest, payload: StatementIn) -> StatementOut:
    member = selectors.member_own(request.user)
    if member is None:
        raise Http404
    result = statement.statement_update(
        member=member,
        actor=request.user,  # type: ignore[arg-type]
        text=payload.text,
    )
    return StatementOut(
        statement=result.member.statement,
        held=result.member.statement_held,
        action=result.action,
        message=result.message,
    )


@router.get("/{member_id}", response=MemberOut, summary="One member record, masked")
def member_get(request: HttpRequest, member_id: int) -> MemberOut:
    return MemberOut.build(selectors.member_get_for_user(request.user, member_id))


@router.post("/{member_id}/reveal", response=MemberOut, summary="The record with full values")
def member_reveal(request: HttpRequest, member_id: int) -> MemberOut:
    member = selectors.member_get_for_user(request.user, member_id)
    if not selectors.may_view_sensitive(request.user, member):
        raise PermissionDenied
    log_action(
        request.user,
        "members.member.revealed",
        target=member,
        org_code=member.organization.code,
        detail={"fields": ["id_number", "phone", "address"]},
    )
    return MemberOut.build(member, full=True)


@router.patch("/{member_id}", response=MemberOut, summary="Correct a member's personal data")
def member_update(request: HttpRequest, member_id: int, payload: MemberPatch) -> MemberOut:
    member = selectors.member_get_for_user(request.user, member_id, perms.MEMBERS_MANAGE)
    member = records.member_update(
        actor=request.user,  # type: ignore[arg-type]
        member=member,
        data=payload.dict(exclude_unset=True),
    )
    return MemberOut.build(member)


@router.get("/{member_id}/events", response=list[EventOut], summary="A member's history")
def event_list(request: HttpRequest, member_id: int) -> list[EventOut]:
    member = selectors.member_get_for_user(request.user, member_id)
    return [EventOut.build(e) for e in selectors.member_timeline(member)]


@router.post(
    "/{member_id}/events",
    response={201: EventOut},
    summary="Record a change of status, standing or organization",
)
def event_create(request: HttpRequest, member_id: int, payload: EventIn) -> Status[EventOut]:
    member = selectors.member_get_for_user(request.user, member_id, perms.MEMBERS_MANAGE)
    target = (
        _branch(request.user, payload.organization, perms.MEMBERS_MANAGE)
        if payload.organization
        else None
    )
    event = events.member_record_event(
        actor=request.user,  # type: ignore[arg-type]
        member=member,
        kind=payload.kind,
        effective_date=payload.effective_date,
        organization=target,
        reason=payload.reason,
        document=payload.document,
        detail=payload.detail,
    )
    return Status(201, EventOut.build(event))
