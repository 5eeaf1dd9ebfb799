"""Creating and editing member records, their accounts and the posts they hold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import User
from dangjian.accounts.services import user_create
from dangjian.audit.services import Changes, created, diff, log_action, log_actions_bulk
from dangjian.lib import bulk, masking
from dangjian.members.choices import Standing, Status
from dangjian.members.models import EventKind, Member, MemberEvent, PostHolding
from dangjian.members.services import counts
from dangjian.members.validation import clean_member_data
from dangjian.orgs.models import Organization, PostKind

MASKED_FIELDS = {
    "id_number": masking.mask_id_number,
    "phone": masking.mask_phone,
    "address": masking.mask_address,
}
AUDITED_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "native_place",
    "education",
    "degree",
    "category",
    "staff_number",
    "grade",
    "phone",
    "email",
    "address",
    "joined_on",
    "full_member_on",
    "status",
    "organization",
    "party_group",
)
ORIGINS = (EventKind.REGISTERED, EventKind.ADMISSION, EventKind.TRANSFER_IN)


def _snapshot(member: Member) -> dict[str, Any]:
    values = {field: getattr(member, field) for field in AUDITED_FIELDS}
    values["organization"] = member.organization.code if member.organization_id else None
    group = member.party_group
    values["party_group"] = group.code if group is not None else None
    return values


def _build(data: Mapping[str, Any]) -> Member:
    member = Member(
        name=data["name"],
        gender=data["gender"],
        ethnicity=data["ethnicity"],
        birth_date=data["birth_date"],
        native_place=data["native_place"],
        education=data["education"],
        degree=data["degree"],
        category=data["category"],
        staff_number=data["staff_number"],
        grade=data["grade"],
        email=data["email"],
        address=data["address"],
        joined_on=data["joined_on"],
        full_member_on=data["full_member_on"],
        status=data["status"],
        standing=Standing.ACTIVE,
        organization=data["organization"],
        org_path=data["organization"].path,
        party_group=data.get("party_group"),
    )
    member.set_id_number(data["id_number"])
    member.set_phone(data["phone"])
    return member


def _origin_events(
    member: Member,
    *,
    origin: str,
    origin_date: dt.date | None,
    actor: User | None,
    reason: str,
) -> list[MemberEvent]:
    """The events that put a new record on the roster.

    A record entered for an existing member (REGISTERED) is taken to have been in its current
    organization since joining, as probationary until the conversion date.
    """
    org = member.organization
    if origin == EventKind.TRANSFER_IN:
        return [
            MemberEvent(
                member=member,
                kind=EventKind.TRANSFER_IN,
                effective_date=origin_date or timezone.localdate(),
                org_after=org,
                status_after=member.status,
                standing_after=Standing.ACTIVE,
                reason=reason,
                recorded_by=actor,
            )
        ]
    first_status = Status.PROBATIONARY if member.full_member_on else member.status
    events = [
        MemberEvent(
            member=member,
            kind=origin,
            effective_date=member.joined_on,
            org_after=org,
            status_after=first_status,
            standing_after=Standing.ACTIVE,
            reason=reason,
            recorded_by=actor,
        )
    ]
    if member.full_member_on:
        events.append(
            MemberEvent(
                member=member,
                kind=EventKind.CONVERSION,
                effective_date=member.full_member_on,
                org_before=org,
                org_after=org,
                status_before=Status.PROBATIONARY,
                status_after=Status.FULL,
                standing_before=Standing.ACTIVE,
                standing_after=Standing.ACTIVE,
                recorded_by=actor,
            )
        )
    return events


def _check_origin(data: Mapping[str, Any], origin: str, origin_date: dt.date | None) -> None:
    if origin not in ORIGINS:
        raise ValidationError({"origin": _("Choose how the member enters the records.")})
    if origin == EventKind.ADMISSION and data["status"] != Status.PROBATIONARY:
        raise ValidationError({"status": _("A newly admitted member is probationary.")})
    if origin == EventKind.TRANSFER_IN:
        if origin_date is None:
            raise ValidationError({"origin_date": _("Enter the date of the transfer.")})
        if origin_date < data["joined_on"]:
            raise ValidationError({"origin_date": _("The transfer cannot precede joining.")})
        if origin_date > timezone.localdate():
            raise ValidationError({"origin_date": _("The date cannot be in the future.")})


@transaction.atomic
def member_create(
    *,
    actor: User | None,
    data: Mapping[str, Any],
    origin: str = EventKind.REGISTERED,
    origin_date: dt.date | None = None,
    reason: str = "",
) -> Member:
    cleaned = clean_member_data(data)
    _check_origin(cleaned, origin, origin_date)
    member = _build(cleaned)
    member.save()
    MemberEvent.objects.bulk_create(
        _origin_events(member, origin=origin, origin_date=origin_date, actor=actor, reason=reason)
    )
    counts.adjust(member.organization_id, member.status, +1)
    log_action(
        actor,
        "members.member.created",
        target=member,
        org_code=member.organization.code,
        changes=diff({}, _snapshot(member), masked=MASKED_FIELDS),
        detail={"origin": origin},
    )
    return member


@transaction.atomic
def members_bulk_create(
    *,
    actor: User | None,
    rows: Iterable[Mapping[str, Any]],
    origin: str = EventKind.REGISTERED,
    detail: Mapping[str, Any] | None = None,
) -> list[Member]:
    """Create many members from rows already cleaned by clean_member_data."""
    members = [_build(row) for row in rows]
    bulk.create(Member, members)
    events: list[MemberEvent] = []
    for member in members:
        events.extend(
            _origin_events(member, origin=origin, origin_date=None, actor=actor, reason="")
        )
    bulk.create(MemberEvent, events)
    counts.recount({m.organization_id for m in members})
    audit_rows: list[tuple[Member, str, Changes]] = [
        (m, m.name, created(_snapshot(m), masked=MASKED_FIELDS)) for m in members
    ]
    log_actions_bulk(actor, "members.member.created", audit_rows, detail=detail)
    return members


def _correct_dates(member: Member, before: Mapping[str, Any]) -> None:
    """Keep the origin and conversion events in step with corrected dates on the record."""
    if before["joined_on"] != member.joined_on:
        MemberEvent.objects.filter(
            member=member,
            kind__in=[EventKind.REGISTERED, EventKind.ADMISSION],
            effective_date=before["joined_on"],
        ).update(effective_date=member.joined_on)
    if before["full_member_on"] != member.full_member_on and member.full_member_on:
        MemberEvent.objects.filter(
            member=member, kind=EventKind.CONVERSION, effective_date=before["full_member_on"]
        ).update(effective_date=member.full_member_on)


@transaction.atomic
def member_update(*, actor: User, member: Member, data: Mapping[str, Any]) -> Member:
    """Correct a member's personal data. Status, standing and organization change only through
    events (member_record_event), so history stays reproducible."""
    forbidden = {"status", "organization", "standing"} & set(data)
    for field in forbidden:
        if data[field] != getattr(member, field):
            raise ValidationError(
                {field: _("Record a change of status or organization as an event.")}
            )
    if member.standing != Standing.ACTIVE:
        raise ValidationError(_("Only the records of members on the roster can be edited."))
    cleaned = clean_member_data(data, instance=member)
    if member.status == Status.FULL and cleaned["full_member_on"] is None:
        raise ValidationError({"full_member_on": _("A full member needs this date.")})
    before = _snapshot(member)
    for field in AUDITED_FIELDS:
        if field in ("id_number", "phone", "organization", "status"):
            continue
        setattr(member, field, cleaned[field])
    if cleaned["id_number"] != member.id_number:
        member.set_id_number(cleaned["id_number"])
    if cleaned["phone"] != member.phone:
        member.set_phone(cleaned["phone"])
    member.save()
    _correct_dates(member, before)
    changes = diff(before, _snapshot(member), masked=MASKED_FIELDS)
    if changes:
        log_action(
            actor,
            "members.member.updated",
            target=member,
            org_code=member.organization.code,
            changes=changes,
        )
    return member


@transaction.atomic
def member_account_create(*, actor: User, member: Member) -> tuple[User, str]:
    """Open a sign-in account for a member; the username is their staff or student number."""
    if member.user_id is not None:
        raise ValidationError(_("This member already has an account."))
    if member.standing != Standing.ACTIVE:
        raise ValidationError(_("Only members on the roster can have an account."))
    if not member.staff_number:
        raise ValidationError(
            {"staff_number": _("Enter the member's staff or student number first.")}
        )
    user, password = user_create(
        actor=actor,
        username=member.staff_number,
        display_name=member.name,
        email=member.email,
        must_change_password=True,
    )
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    log_action(
        actor,
        "members.account.created",
        target=member,
        org_code=member.organization.code,
        changes={"user": [None, user.username]},
    )
    return user, password


@transaction.atomic
def post_assign(
    *,
    actor: User,
    organization: Organization,
    member: Member,
    post: str,
    start_date: dt.date,
    title: str = "",
) -> PostHolding:
    errors = {}
    if post not in PostKind.values:
        errors["post"] = _("Choose a post.")
    if member.standing != Standing.ACTIVE:
        errors["member"] = _("Only members on the roster can hold a post.")
    elif not member.org_path.startswith(organization.path):
        errors["member"] = _("The post holder must be a member of this organization.")
    if (
        post in (PostKind.SECRETARY,)
        and PostHolding.objects.filter(
            organization=organization, post=post, end_date__isnull=True
        ).exists()
    ):
        errors["post"] = _("The organization already has a secretary; end that post first.")
    if start_date > timezone.localdate():
        errors["start_date"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    holding = PostHolding.objects.create(
        member=member, organization=organization, post=post, title=title, start_date=start_date
    )
    log_action(
        actor,
        "members.post.assigned",
        target=holding,
        target_label=f"{organization.display_name} {holding.get_post_display()} {member.name}",
        org_code=organization.code,
        changes={"post": [None, post], "member": [None, member.name]},
    )
    return holding


@transaction.atomic
def post_end(*, actor: User, holding: PostHolding, end_date: dt.date) -> PostHolding:
    if end_date < holding.start_date:
        raise ValidationError({"end_date": _("The post cannot end before it started.")})
    holding.end_date = end_date
    holding.save(update_fields=["end_date"])
    log_action(
        actor,
        "members.post.ended",
        target=holding,
        target_label=f"{holding.organization.display_name} {holding.get_post_display()}",
        org_code=holding.organization.code,
        changes={"end_date": [None, end_date.isoformat()]},
    )
    return holding
