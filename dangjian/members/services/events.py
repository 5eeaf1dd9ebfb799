"""Recording changes of status, standing and organization as events (党员增减及变动)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import User
from dangjian.audit.services import log_action
from dangjian.lib.dates import add_months
from dangjian.members import rules
from dangjian.members.choices import SanctionKind, Standing, Status
from dangjian.members.models import EXIT_KINDS, NON_STATE_KINDS, EventKind, Member, MemberEvent
from dangjian.members.selectors import active_sanction
from dangjian.members.services import counts
from dangjian.orgs.models import Organization

ON_ROSTER = frozenset({Standing.ACTIVE})
ACTIVE_OR_SUSPENDED = frozenset({Standing.ACTIVE, Standing.SUSPENDED})


@dataclass(frozen=True)
class Transition:
    """What an event requires of the record and what it makes of it."""

    from_standings: frozenset[str]
    to_standing: str | None = None  # None: unchanged
    from_statuses: frozenset[str] = frozenset(Status.values)
    needs_organization: bool = False
    needs_reason: bool = False
    detail_keys: tuple[str, ...] = field(default=())


TRANSITIONS: dict[str, Transition] = {
    EventKind.CONVERSION: Transition(ON_ROSTER, from_statuses=frozenset({Status.PROBATIONARY})),
    EventKind.PROBATION_EXTENDED: Transition(
        ON_ROSTER,
        from_statuses=frozenset({Status.PROBATIONARY}),
        needs_reason=True,
        detail_keys=("months",),
    ),
    EventKind.TRANSFER_INTERNAL: Transition(ON_ROSTER, needs_organization=True),
    EventKind.TRANSFER_OUT: Transition(
        ON_ROSTER, Standing.TRANSFERRED_OUT, detail_keys=("destination",)
    ),
    EventKind.TRANSFER_IN: Transition(
        frozenset({Standing.TRANSFERRED_OUT}), Standing.ACTIVE, needs_organization=True
    ),
    EventKind.SUSPENSION: Transition(ON_ROSTER, Standing.SUSPENDED, needs_reason=True),
    EventKind.RESTORATION: Transition(
        frozenset({Standing.SUSPENDED}), Standing.ACTIVE, needs_reason=True
    ),
    EventKind.SANCTION: Transition(ON_ROSTER, needs_reason=True, detail_keys=("sanction",)),
    EventKind.SANCTION_ENDED: Transition(ON_ROSTER),
    EventKind.READMISSION: Transition(
        frozenset({Standing.EXITED}), Standing.ACTIVE, needs_organization=True, needs_reason=True
    ),
    EventKind.DEATH: Transition(ACTIVE_OR_SUSPENDED, Standing.DECEASED),
    **{
        kind: Transition(ACTIVE_OR_SUSPENDED, Standing.EXITED, needs_reason=True)
        for kind in EXIT_KINDS
    },
}
TRANSITIONS[EventKind.EXIT_PROBATION_CANCELLED] = Transition(
    ACTIVE_OR_SUSPENDED,
    Standing.EXITED,
    from_statuses=frozenset({Status.PROBATIONARY}),
    needs_reason=True,
)
for _kind in (EventKind.EXIT_PERSUADED, EventKind.EXIT_REMOVED):
    TRANSITIONS[_kind] = Transition(
        ACTIVE_OR_SUSPENDED,
        Standing.EXITED,
        from_statuses=frozenset({Status.FULL}),
        needs_reason=True,
    )

RECORDABLE_KINDS = tuple(TRANSITIONS)


def _last_state_event_date(member: Member) -> dt.date | None:
    last = (
        member.events.exclude(kind__in=NON_STATE_KINDS).order_by("-effective_date", "-id").first()
    )
    return last.effective_date if last else None


def _validate(
    member: Member,
    kind: str,
    effective_date: dt.date,
    organization: Organization | None,
    reason: str,
    detail: dict[str, Any],
) -> Transition:
    if kind not in TRANSITIONS:
        raise ValidationError({"kind": _("This kind of change cannot be recorded here.")})
    transition = TRANSITIONS[kind]
    errors: dict[str, str] = {}
    if member.standing not in transition.from_standings:
        errors["kind"] = _("This change does not apply to a member whose standing is “%(s)s”.") % {
            "s": member.get_standing_display()
        }
    elif member.status not in transition.from_statuses:
        if kind in (EventKind.EXIT_PERSUADED, EventKind.EXIT_REMOVED):
            errors["kind"] = (
                str(rules.NO_PERSUASION_ON_PROBATION.text)
                + " "
                + _("(%(source)s)") % {"source": rules.NO_PERSUASION_ON_PROBATION.source}
            )
        else:
            errors["kind"] = _("This change does not apply to a %(status)s.") % {
                "status": member.get_status_display()
            }
    today = timezone.localdate()
    last = member.joined_on if kind in NON_STATE_KINDS else _last_state_event_date(member)
    if effective_date > today:
        errors["effective_date"] = _("The date cannot be in the future.")
    elif kind in NON_STATE_KINDS and effective_date < member.joined_on:
        errors["effective_date"] = _("The date cannot precede joining the Party.")
    elif last and effective_date < last:
        errors["effective_date"] = _(
            "The record already has a change dated %(last)s; changes are recorded in order, so "
            "this one cannot be earlier."
        ) % {"last": last.isoformat()}
    if transition.needs_reason and not reason.strip():
        errors["reason"] = _("Give the reason or the decision behind this change.")
    if transition.needs_organization:
        if organization is None:
            errors["organization"] = _("Choose the organization.")
        elif organization.kind != Organization.Kind.BRANCH or not organization.is_active:
            errors["organization"] = _("Members belong to a Party branch; choose an active branch.")
        elif kind == EventKind.TRANSFER_INTERNAL and organization.pk == member.organization_id:
            errors["organization"] = _("The member is already in this organization.")
    for key in transition.detail_keys:
        if not str(detail.get(key, "")).strip():
            errors[key] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    _validate_kind_rules(member, kind, effective_date, detail)
    return transition


def _validate_kind_rules(
    member: Member, kind: str, effective_date: dt.date, detail: dict[str, Any]
) -> None:
    if kind == EventKind.CONVERSION:
        months = rules.PROBATION_MONTHS + sum(
            int(e.detail.get("months", 0))
            for e in member.events.filter(kind=EventKind.PROBATION_EXTENDED)
        )
        earliest = add_months(member.joined_on, months)
        if effective_date < earliest:
            raise ValidationError(
                {
                    "effective_date": _(
                        "Probation lasts one year from admission, plus any extension "
                        "(%(source)s): joined on %(joined)s, the earliest date is %(earliest)s."
                    )
                    % {
                        "source": rules.PROBATION_ONE_YEAR.source,
                        "joined": member.joined_on.isoformat(),
                        "earliest": earliest.isoformat(),
                    }
                }
            )
    elif kind == EventKind.PROBATION_EXTENDED:
        months = int(detail.get("months") or 0)
        if member.events.filter(kind=EventKind.PROBATION_EXTENDED).exists():
            raise ValidationError(
                {
                    "kind": _("Probation has already been extended once (%(source)s).")
                    % {"source": rules.EXTENSION_LIMIT.source}
                }
            )
        if not rules.EXTENSION_MIN_MONTHS <= months <= rules.EXTENSION_MAX_MONTHS:
            raise ValidationError(
                {
                    "months": _(
                        "An extension is at least 6 months and at most one year (%(source)s)."
                    )
                    % {"source": rules.EXTENSION_LIMIT.source}
                }
            )
    elif kind == EventKind.SANCTION:
        sanction = detail.get("sanction")
        if sanction not in SanctionKind.values:
            raise ValidationError({"sanction": _("Choose the sanction.")})
        if sanction == SanctionKind.PROBATION_IN_PARTY and int(detail.get("years") or 0) not in (
            1,
            2,
        ):
            raise ValidationError(
                {
                    "years": _("Probation within the Party lasts one or two years (%(source)s).")
                    % {"source": rules.PROBATION_IN_PARTY_YEARS.source}
                }
            )
    elif kind == EventKind.SANCTION_ENDED and active_sanction(member, effective_date) is None:
        raise ValidationError({"kind": _("The member is not under a sanction on that date.")})


@transaction.atomic
def member_record_event(
    *,
    actor: User,
    member: Member,
    kind: str,
    effective_date: dt.date,
    organization: Organization | None = None,
    reason: str = "",
    document: str = "",
    detail: dict[str, Any] | None = None,
) -> MemberEvent:
    """Record a change and apply it to the member's record and the counters."""
    member = Member.objects.select_for_update().select_related("organization").get(pk=member.pk)
    detail = {k: v for k, v in (detail or {}).items() if v not in (None, "")}
    transition = _validate(member, kind, effective_date, organization, reason, detail)
    before = (member.organization_id, member.status, member.standing)
    org_before = member.organization
    status_before, standing_before = member.status, member.standing

    if transition.needs_organization and organization is not None:
        member.organization = organization
        member.org_path = organization.path
        member.party_group = None
    if transition.to_standing is not None:
        member.standing = transition.to_standing
    if kind == EventKind.CONVERSION:
        member.status = Status.FULL
        member.full_member_on = effective_date
    elif kind == EventKind.READMISSION:
        detail["previous_joined_on"] = member.joined_on.isoformat()
        member.status = Status.PROBATIONARY
        member.joined_on = effective_date
        member.full_member_on = None
    if kind in EXIT_KINDS or kind in (EventKind.DEATH, EventKind.TRANSFER_OUT):
        # Whoever leaves the roster leaves the posts they held.
        open_posts = member.posts.filter(end_date__isnull=True)
        open_posts.filter(start_date__lte=effective_date).update(end_date=effective_date)
        open_posts.filter(start_date__gt=effective_date).update(end_date=F("start_date"))
    member.save(
        update_fields=[
            "organization",
            "org_path",
            "party_group",
            "standing",
            "status",
            "full_member_on",
            "joined_on",
            "updated_at",
        ]
    )
    event = MemberEvent.objects.create(
        member=member,
        kind=kind,
        effective_date=effective_date,
        org_before=org_before,
        org_after=member.organization,
        status_before=status_before,
        status_after=member.status,
        standing_before=standing_before,
        standing_after=member.standing,
        reason=reason.strip(),
        document=document.strip(),
        detail=detail,
        recorded_by=actor,
    )
    counts.move(before=before, after=(member.organization_id, member.status, member.standing))
    changes: dict[str, list[Any]] = {}
    if org_before.pk != member.organization_id:
        changes["organization"] = [org_before.code, member.organization.code]
    if status_before != member.status:
        changes["status"] = [status_before, member.status]
    if standing_before != member.standing:
        changes["standing"] = [standing_before, member.standing]
    log_action(
        actor,
        "members.event.recorded",
        target=member,
        org_code=member.organization.code,
        changes=changes,
        detail={"kind": kind, "effective_date": effective_date, "reason": reason, **detail},
    )
    return event


@transaction.atomic
def member_set_flags(
    *,
    actor: User,
    member: Member,
    effective_date: dt.date,
    is_floating: bool,
    floating_to: str,
    is_lost_contact: bool,
    lost_contact_since: dt.date | None,
    is_abroad: bool,
) -> Member:
    """Mark a member as mobile (流动), lost contact (失联) or abroad, as an event."""
    if member.standing != Standing.ACTIVE:
        raise ValidationError(_("Only members on the roster have these marks."))
    errors = {}
    if is_floating and not floating_to.strip():
        errors["floating_to"] = _("Say where the mobile member is.")
    if is_lost_contact and lost_contact_since is None:
        errors["lost_contact_since"] = _("Enter the date contact was lost.")
    if lost_contact_since and lost_contact_since > timezone.localdate():
        errors["lost_contact_since"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    fields = {
        "is_floating": is_floating,
        "floating_to": floating_to.strip() if is_floating else "",
        "is_lost_contact": is_lost_contact,
        "lost_contact_since": lost_contact_since if is_lost_contact else None,
        "is_abroad": is_abroad,
    }
    changes = {
        name: [getattr(member, name), value]
        for name, value in fields.items()
        if getattr(member, name) != value
    }
    if not changes:
        return member
    for name, value in fields.items():
        setattr(member, name, value)
    member.save(update_fields=[*fields, "updated_at"])
    MemberEvent.objects.create(
        member=member,
        kind=EventKind.FLAGS_CHANGED,
        effective_date=effective_date,
        org_before=member.organization,
        org_after=member.organization,
        status_before=member.status,
        status_after=member.status,
        standing_before=member.standing,
        standing_after=member.standing,
        detail={k: [v[0], v[1]] for k, v in changes.items()},
        recorded_by=actor,
    )
    log_action(
        actor,
        "members.flags.changed",
        target=member,
        org_code=member.organization.code,
        changes=changes,
    )
    return member
