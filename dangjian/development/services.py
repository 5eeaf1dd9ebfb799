"""Writes of member development: open a case, record a step (or one step for many people).

Every step is judged by the rules engine (``rules/``) under the version in force on its date;
the first blocking violation refuses it with a ``RuleError`` that names the rule, its source
and the dates; warnings are recorded on the step. Every write is atomic, scoped and audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.audit.services import created, log_action
from dangjian.development import documents, membership
from dangjian.development.config import rules_config
from dangjian.development.models import (
    Case,
    CaseReturn,
    CaseStatus,
    StepDocument,
    StepEvent,
    calendar_for,
)
from dangjian.development.rules import engine
from dangjian.development.rules.checks import rejected
from dangjian.development.rules.model import (
    CaseHistory,
    Facts,
    MemberFacts,
    OrgFacts,
    StepRecord,
    Violation,
    Vote,
)
from dangjian.development.rules.steps import CANCEL, REJECT
from dangjian.development.rules.steps import step as step_def
from dangjian.lib import idnumber, masking
from dangjian.members.choices import SanctionKind, Standing, Status
from dangjian.members.models import EventKind, Member, MemberEvent
from dangjian.members.selectors import sanction_from_events
from dangjian.members.validation import NAME_RE
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization, ancestor_paths, subtree_q

APPROVAL_STEPS = frozenset({13, 17, 24})
# The local choices of the rules, from the settings (config.py; docs/development.md).
RULES_CONFIG = rules_config()


class RuleError(ValidationError):
    """A write refused by a development rule; ``rule`` is its identifier (e.g. DEV-AGE)."""

    def __init__(self, field: str, message: str, rule: str, violation: Violation | None = None):
        super().__init__({field: [message]})
        self.rule = rule
        self.violation = violation
        self.text = message


def describe(violation: Violation) -> str:
    """The violation in the user's language: the rule, its article and source, the dates."""
    return _("%(rule)s (%(article)s; source: %(source)s; rules of %(version)s): %(text)s") % {
        "rule": violation.rule,
        "article": _(violation.article) if violation.article else "",
        "source": violation.source,
        "version": violation.version,
        "text": translated(violation.message, _values(violation), violation.render()),
    }


# Outcomes named in a refusal, in words (the engine's params carry the codes).
OUTCOME_WORDS = {
    "convert": gettext_lazy("Convert to full member"),
    "extend": gettext_lazy("Extend probation"),
    "cancel": gettext_lazy("Cancel probationary membership"),
}


def _values(violation: Violation) -> dict[str, Any]:
    params = {
        key: str(OUTCOME_WORDS[value])
        if key in ("resolved", "outcome") and isinstance(value, str) and value in OUTCOME_WORDS
        else value
        for key, value in violation.params.items()
    }
    return {**params, **{key: day.isoformat() for key, day in violation.dates.items()}}


def translated(template: str, values: Mapping[str, Any], fallback: str) -> str:
    """An engine message in the user's language (the English text if a translation lost a
    placeholder)."""
    try:
        return _(template).format(**values)
    except (KeyError, IndexError, ValueError):
        return fallback


# --- loading a case into the engine's data ---------------------------------------------------


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def record_of(event: StepEvent) -> StepRecord:
    fields, actors = event.fields or {}, event.actors or {}
    return StepRecord(
        step=event.step,
        date=event.date,
        talker=actors.get("talker"),
        contacts=tuple(actors.get("contacts") or ()),
        sponsors=tuple(actors.get("sponsors") or ()),
        notice_start=_date(fields.get("notice_start")),
        notice_end=_date(fields.get("notice_end")),
        training_days=_decimal(fields.get("training_days")),
        training_hours=_decimal(fields.get("training_hours")),
        review_conclusion=fields.get("review_conclusion"),
        vote=Vote(**event.vote) if event.vote else None,
        approver_org=event.approver_org.code if event.approver_org is not None else None,
        outcome=event.outcome or None,
        extension_months=event.extension_months,
        exceptions=frozenset(event.exception_rules or ()),
    )


def history_of(case: Case, events: Iterable[StepEvent] | None = None) -> CaseHistory:
    if events is None:
        events = case.steps.select_related("approver_org").order_by("date", "step", "id")
    return CaseHistory(
        birth_date=case.birth_date,
        steps=tuple(record_of(e) for e in events),
        expected_leave_date=case.expected_leave_date,
    )


def facts_for(record: StepRecord) -> Facts:
    """The members and organizations the step names, as on the step's date.

    Full member: status full and standing active. Under sanction: a 留党察看 (probation
    within the Party) recorded in the member's events and in force on the step's date."""
    ids = {record.talker, *record.contacts, *record.sponsors} - {None}
    members: dict[int, MemberFacts] = {}
    if ids:
        found = Member.objects.filter(pk__in=ids).only("pk", "status", "standing")
        events: dict[int, list[MemberEvent]] = {}
        for event in MemberEvent.objects.filter(
            member_id__in=ids, kind__in=[EventKind.SANCTION, EventKind.SANCTION_ENDED]
        ):
            events.setdefault(event.member_id, []).append(event)
        for member in found:
            sanction = sanction_from_events(events.get(member.pk, []), record.date)
            members[member.pk] = MemberFacts(
                full_member=member.status == Status.FULL and member.standing == Standing.ACTIVE,
                sanction_unrestored=sanction is not None
                and sanction.kind == SanctionKind.PROBATION_IN_PARTY,
            )
    orgs: dict[str, OrgFacts] = {}
    if record.approver_org:
        org = Organization.objects.filter(code=record.approver_org).first()
        if org is not None:
            orgs[org.code] = OrgFacts(
                can_approve_members=org.approval_authority and org.is_active,
                kind="temporary" if org.is_temporary else org.kind,
            )
    return Facts(members=members, orgs=orgs)


def _calendar_years(record: StepRecord) -> set[int]:
    years = {record.date.year}
    for day in (record.notice_start, record.notice_end):
        if day is not None:
            years |= {day.year, day.year + 1}
    return years


# --- input -----------------------------------------------------------------------------------

STEP_FIELDS = (
    "talker",
    "contacts",
    "sponsors",
    "notice_start",
    "notice_end",
    "training_days",
    "training_hours",
    "review_conclusion",
    "vote",
    "approver_org",
    "outcome",
    "extension_months",
)


@dataclass(frozen=True)
class StepException:
    """A documented exception: the rules it covers and why (an approver records it)."""

    rules: frozenset[str]
    reason: str


def _int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError({name: _("Give a whole number.")})
    try:
        return int(value)
    except ValueError:
        raise ValidationError({name: _("Give a whole number.")}) from None


def _ids(name: str, value: Any) -> tuple[int, ...]:
    if not isinstance(value, list | tuple):
        raise ValidationError({name: _("Give a list of member ids.")})
    return tuple(_int(name, v) for v in value)


def _step_record(number: int, day: dt.date, fields: Mapping[str, Any]) -> StepRecord:
    """A StepRecord from the fields named as in the API contract."""
    unknown = sorted(set(fields) - set(STEP_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: _("Steps record no field of this name.")})
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if value is None:
            continue
        if name == "talker":
            values[name] = _int(name, value)
        elif name in ("contacts", "sponsors"):
            values[name] = _ids(name, value)
        elif name in ("notice_start", "notice_end"):
            try:
                values[name] = _date(value)
            except ValueError:
                raise ValidationError({name: _("Give a date as YYYY-MM-DD.")}) from None
        elif name in ("training_days", "training_hours"):
            try:
                values[name] = _decimal(value)
            except InvalidOperation:
                raise ValidationError({name: _("Give a number.")}) from None
        elif name == "vote":
            vote = dict(value) if isinstance(value, Mapping) else None
            keys = {"entitled", "present", "yes", "written_yes"}
            if vote is None or not {"entitled", "present", "yes"} <= set(vote) <= keys:
                raise ValidationError(
                    {name: _("Give entitled, present, yes and optionally written_yes.")}
                )
            values[name] = Vote(**{k: _int(name, v) for k, v in vote.items()})
        elif name == "extension_months":
            values[name] = _int(name, value)
        else:
            values[name] = str(value)
    return StepRecord(step=number, date=day, **values)


def actor_paths(case: Case, step: int) -> list[str]:
    """The subtrees whose members a step may name: the case's own organization (talker,
    contacts, sponsors), and for the committee's talk (16) the committee with approval
    authority above it."""
    if step == 16:
        approving = (
            Organization.objects.filter(
                path__in=ancestor_paths(case.org_path), approval_authority=True, is_active=True
            )
            .order_by("path")
            .values_list("path", flat=True)
            .first()
        )
        return [approving or case.org_path]
    return [case.org_path]


def actor_members_q(case: Case, step: int) -> Q:
    q = Q(pk__in=[])
    for path in actor_paths(case, step):
        q |= subtree_q(path, "org_path")
    return q & Q(standing=Standing.ACTIVE)


def _check_people(case: Case, record: StepRecord) -> None:
    """The people and the committee a step names belong to the case: members of its
    organization (or, for the committee's talk, of the committee), an approver above it."""
    named = {
        "talker": [record.talker] if record.talker is not None else [],
        "contacts": list(record.contacts),
        "sponsors": list(record.sponsors),
    }
    ids = {pk for values in named.values() for pk in values}
    if ids:
        found = set(
            Member.objects.filter(actor_members_q(case, record.step), pk__in=ids).values_list(
                "pk", flat=True
            )
        )
        for field, values in named.items():
            strangers = [pk for pk in values if pk not in found]
            if strangers:
                raise ValidationError(
                    {
                        field: _(
                            "Member %(id)d is not on the roster of %(org)s: choose among its "
                            "members."
                        )
                        % {"id": strangers[0], "org": case.organization.display_name}
                    }
                )
    if (
        record.approver_org
        and not Organization.objects.filter(
            code=record.approver_org, path__in=ancestor_paths(case.org_path)
        ).exists()
    ):
        raise ValidationError(
            {
                "approver_org": _(
                    "%(code)s is not %(org)s or a committee above it: an approval comes from "
                    "a committee with approval authority above the case."
                )
                % {"code": record.approver_org, "org": case.organization.display_name}
            }
        )


def _check_no_open_return(case: Case, number: int) -> None:
    if number not in APPROVAL_STEPS:
        return
    returned = CaseReturn.objects.filter(case=case, resolved_at__isnull=True).first()
    if returned is not None:
        raise ValidationError(
            {
                "step": _(
                    "The committee returned this case on %(date)s; it is approved after the "
                    "branch resubmits it."
                )
                % {"date": timezone.localtime(returned.returned_at).date().isoformat()}
            }
        )


def _check_date(day: dt.date, field: str = "date") -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be later than today.")})


# --- writes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    phone: str = ""
    # ethnicity, education, category, staff_number, grade: membership.PROFILE_FIELDS
    profile: Mapping[str, Any] | None = None


def case_create(
    *,
    actor: Any,
    application_date: dt.date,
    member: Member | None = None,
    person: Person | None = None,
    org: Organization | None = None,
    expected_leave_date: dt.date | None = None,
) -> Case:
    """Open a case with its application (step 1), refused by DEV-AGE and the like."""
    if (member is None) == (person is None):
        raise ValidationError({"member": _("Name either a member or a person, not both.")})
    case = Case(application_date=application_date, expected_leave_date=expected_leave_date)
    if member is not None:
        if member.status == Status.FULL:
            raise ValidationError({"member": _("This member is already a full member.")})
        case.member = member
        case.name, case.gender, case.birth_date = member.name, member.gender, member.birth_date
        org = org or member.organization
    else:
        assert person is not None
        name = (person.name or "").strip()
        if not NAME_RE.match(name):
            raise ValidationError(
                {"name": _("Write the name in Chinese characters or letters, 2 to 50 of them.")}
            )
        try:
            info = idnumber.parse(person.id_number or "")
        except idnumber.IdNumberError as error:
            raise ValidationError({"id_number": str(error)}) from None
        case.name, case.gender, case.birth_date = name, info.gender, info.birth_date
        case.set_id_number(info.number)
        probe = Member(id_number="")
        probe.set_id_number(info.number)
        if Member.objects.filter(id_number_hash=probe.id_number_hash).exists():
            raise ValidationError(
                {
                    "id_number": _(
                        "A member record with this ID number exists: open the case from the "
                        "member record instead."
                    )
                }
            )
        case.set_phone((person.phone or "").strip())
        case.profile = membership.clean_profile(dict(person.profile or {}))
    if org is None:
        raise ValidationError({"org": _("Choose the organization the person applies to.")})
    if not perms.has_capability(actor, org, perms.DEVELOPMENT_MANAGE):
        raise PermissionDenied
    if org.kind == Organization.Kind.GROUP or not org.is_active:
        raise ValidationError(
            {"org": _("Applications go to an active Party branch or committee, not a group.")}
        )
    _check_date(application_date, "application_date")
    case.organization, case.org_path = org, org.path
    open_cases = Case.objects.filter(status=CaseStatus.OPEN)
    if (case.member_id and open_cases.filter(member=case.member).exists()) or (
        case.id_number_hash and open_cases.filter(id_number_hash=case.id_number_hash).exists()
    ):
        raise ValidationError({"member": _("This person already has a case in progress.")})
    record = StepRecord(step=1, date=application_date)
    history = CaseHistory(birth_date=case.birth_date, expected_leave_date=expected_leave_date)
    violations = engine.evaluate(
        history, record, calendar=calendar_for([application_date.year]), config=RULES_CONFIG
    )
    first = engine.first_blocking(violations)
    if first is not None:
        raise RuleError("application_date", describe(first), first.rule, first)
    version = engine.version_for(application_date, RULES_CONFIG)
    case.rule_version = version.key
    case.created_by = actor if getattr(actor, "pk", None) else None
    set_next_step(case, engine.next_step(history.with_step(record), config=RULES_CONFIG))
    with transaction.atomic():
        case.save()
        StepEvent.objects.create(
            case=case,
            step=1,
            date=application_date,
            rule_version=version.key,
            warnings=_warnings(violations),
            recorded_by=case.created_by,
        )
        log_action(
            actor,
            "development.case.created",
            target=case,
            org_code=org.code,
            changes=created(
                {
                    "name": case.name,
                    "member": case.member_id,
                    "id_number": case.id_number,
                    "phone": case.phone,
                    "application_date": application_date,
                    "organization": org.code,
                },
                masked={"id_number": masking.mask_id_number, "phone": masking.mask_phone},
            ),
            detail={"rule_version": version.key},
        )
    return case


def _warnings(violations: Sequence[Violation]) -> list[dict[str, Any]]:
    return [
        {
            "rule": v.rule,
            "message": v.render(),
            # Kept to show the message in the reader's language (selectors.case_view).
            "template": v.message,
            "values": {k: str(val) for k, val in _values(v).items()},
            "article": v.article,
            "source": v.source,
            "excepted": v.excepted,
            "provisional": v.provisional,
        }
        for v in violations
        if not v.blocking
    ]


def _require(actor: Any, case: Case, number: int, exception: StepException | None) -> None:
    if not perms.has_capability(actor, case.organization, perms.DEVELOPMENT_MANAGE) and (
        number not in APPROVAL_STEPS
    ):
        raise PermissionDenied
    if (number in APPROVAL_STEPS or exception is not None) and not perms.has_capability(
        actor, case.organization, perms.DEVELOPMENT_APPROVE
    ):
        raise PermissionDenied


def _record(
    actor: Any,
    case: Case,
    number: int,
    day: dt.date,
    fields: Mapping[str, Any],
    exception: StepException | None,
    note: str = "",
) -> tuple[StepEvent, list[Violation]]:
    """Judge and save one step on a locked case; raises RuleError on the first blocking rule."""
    if not 1 <= number <= 25:
        raise ValidationError({"step": _("Steps are numbered 1 to 25.")})
    _require(actor, case, number, exception)
    _check_date(day)
    if exception is not None and not exception.reason.strip():
        raise ValidationError({"exception": _("Give the reason for the exception.")})
    record = _step_record(number, day, fields)
    note = (note or "").strip()
    if record.outcome == REJECT and not 5 <= len(note) <= 2000:
        raise ValidationError(
            {"note": _("Give the reason the admission is not approved (5 to 2000 characters).")}
        )
    _check_people(case, record)
    _check_no_open_return(case, number)
    if exception is not None:
        record = StepRecord(**{**record.__dict__, "exceptions": frozenset(exception.rules)})
    events = list(case.steps.select_related("approver_org").order_by("date", "step", "id"))
    history = history_of(case, events)
    violations = engine.evaluate(
        history,
        record,
        calendar=calendar_for(_calendar_years(record)),
        config=RULES_CONFIG,
        facts=facts_for(record),
    )
    first = engine.first_blocking(violations)
    if first is not None:
        raise RuleError("step", describe(first), first.rule, first)
    excepted = [v.rule for v in violations if v.excepted]
    version = violations[0].version if violations else engine.version_for(day, RULES_CONFIG).key
    fields_json = {
        name: getattr(record, name).isoformat()
        if isinstance(getattr(record, name), dt.date)
        else str(getattr(record, name))
        for name in ("notice_start", "notice_end", "training_days", "training_hours")
        if getattr(record, name) is not None
    }
    if record.review_conclusion is not None:
        fields_json["review_conclusion"] = record.review_conclusion
    actors: dict[str, Any] = {}
    if record.talker is not None:
        actors["talker"] = record.talker
    if record.contacts:
        actors["contacts"] = list(record.contacts)
    if record.sponsors:
        actors["sponsors"] = list(record.sponsors)
    event = StepEvent.objects.create(
        case=case,
        step=number,
        date=day,
        fields=fields_json,
        actors=actors,
        vote=record.vote.__dict__ if record.vote else None,
        approver_org=Organization.objects.get(code=record.approver_org)
        if record.approver_org
        else None,
        outcome=record.outcome or "",
        extension_months=record.extension_months,
        rule_version=version,
        note=note[:2000],
        is_exception=bool(excepted),
        exception_rules=excepted,
        exception_reason=exception.reason.strip() if exception and excepted else "",
        warnings=_warnings(violations),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    after = history.with_step(record)
    membership.apply(actor, case, after, record, RULES_CONFIG)
    _advance(case, after, number)
    if number in APPROVAL_STEPS:
        _tell_approval(case, event)
    return event, violations


def _tell_approval(case: Case, event: StepEvent) -> None:
    """The committee's decision goes to the branch in writing (domain-rules 1.2, steps 13, 17
    and 24), and to the person at admission and conversion."""
    from dangjian.accounts.models import User
    from dangjian.development.officers import branch_secretaries
    from dangjian.notifications.services import notify

    values = {
        "name": case.name,
        "step": event.step,
        "step_name": _(step_def(event.step).name_en),
        "date": event.date.isoformat(),
        "org": event.approver_org.display_name if event.approver_org else "",
    }
    link = reverse("development:case", args=[case.pk])
    refused = event.outcome == REJECT
    if refused:
        values["note"] = event.note
        title = _("%(name)s: the admission is not approved") % values
        body = _("%(org)s did not approve the admission of %(name)s on %(date)s: %(note)s") % values
        own_title = _("Your application: the admission is not approved")
        own_body = (
            _(
                "%(org)s did not approve your admission on %(date)s. Your branch will talk "
                "with you about it."
            )
            % values
        )
    else:
        title = _("%(name)s: step %(step)d (%(step_name)s) recorded") % values
        body = (
            _("%(org)s recorded step %(step)d (%(step_name)s) for %(name)s on %(date)s.") % values
        )
        own_title = _("Your development: step %(step)d (%(step_name)s)") % values
        own_body = _("%(org)s recorded step %(step)d (%(step_name)s) on %(date)s.") % values
    kind = "development.rejected" if refused else "development.approved"
    secretaries = branch_secretaries(case)
    if secretaries:
        notify(
            User.objects.filter(pk__in=secretaries),
            kind=kind,
            title=title[:200],
            body=body,
            link=link,
        )
    person = case.user_id or (case.member.user_id if case.member_id and case.member else None)
    if person and event.step in (17, 24):
        notify(
            User.objects.filter(pk=person),
            kind=kind,
            title=own_title[:200],
            body=own_body,
            link=reverse("development:my-progress"),
        )


def _advance(case: Case, history: CaseHistory, number: int) -> None:
    stage = max(case.stage, int(step_def(number).stage))
    status = case.status
    deadline = engine.next_step(history, config=RULES_CONFIG)
    if deadline is None:
        last23 = history.last(23)
        cancelled = last23 is not None and last23.outcome == CANCEL and not history.has(25)
        status = CaseStatus.CANCELLED if cancelled else CaseStatus.CLOSED
        if rejected(history):
            status = CaseStatus.REJECTED
    case.stage, case.status = stage, status
    set_next_step(case, deadline)
    case.save(
        update_fields=["stage", "status", "next_step", "next_earliest", "next_latest", "updated_at"]
    )


def refresh_next_steps(*, chunk: int = 500) -> tuple[int, int]:
    """Recompute the next step kept on every open case (after the rules' settings changed);
    returns how many changed, of how many."""
    from dangjian.development.deadlines import UNLISTED_FIELDS, events_by_case

    changed = total = 0
    last = 0
    while True:
        cases = list(
            Case.objects.filter(status=CaseStatus.OPEN, pk__gt=last)
            .defer(*UNLISTED_FIELDS)
            .order_by("pk")[:chunk]
        )
        if not cases:
            return changed, total
        events = events_by_case([c.pk for c in cases])
        moved = []
        for case in cases:
            before = (case.next_step, case.next_earliest, case.next_latest)
            history = history_of(case, events.get(case.pk, []))
            set_next_step(case, engine.next_step(history, config=RULES_CONFIG))
            if (case.next_step, case.next_earliest, case.next_latest) != before:
                moved.append(case)
        Case.objects.bulk_update(moved, ["next_step", "next_earliest", "next_latest"])
        changed += len(moved)
        total += len(cases)
        last = cases[-1].pk


def set_next_step(case: Case, deadline: engine.Deadline | None) -> None:
    """Keep the next step's dates on the case (they depend on its history only)."""
    case.next_step = deadline.step if deadline else None
    case.next_earliest = deadline.earliest if deadline else None
    case.next_latest = deadline.latest if deadline else None


def _audit_step(
    actor: Any, case: Case, event: StepEvent, violations: Sequence[Violation], batch: str = ""
) -> None:
    log_action(
        actor,
        "development.step.recorded",
        target=case,
        org_code=case.organization.code,
        detail={
            "step": event.step,
            "date": event.date.isoformat(),
            "rule_version": event.rule_version,
            "warnings": ",".join(v.rule for v in violations if not v.blocking),
            "exception": ",".join(event.exception_rules),
            "exception_reason": event.exception_reason,
            **({"note": event.note} if event.note else {}),
            **({"batch": batch} if batch else {}),
        },
    )


def step_record(
    *,
    actor: Any,
    case: Case,
    step: int,
    date: dt.date,
    fields: Mapping[str, Any] | None = None,
    exception: StepException | None = None,
    note: str = "",
) -> StepEvent:
    """Record one step of a case, judged by the rules of its date."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
        event, violations = _record(actor, locked, step, date, fields or {}, exception, note)
        _audit_step(actor, locked, event, violations)
    case.refresh_from_db()
    return event


class BatchError(RuleError):
    """A batch refused: ``failures`` maps each refused case to its error."""

    def __init__(self, failures: dict[int, ValidationError]):
        first_case, first = next(iter(failures.items()))
        rule = getattr(first, "rule", "")
        lines = [f"#{pk}: {' '.join(error.messages)}" for pk, error in failures.items()]
        message = _("%(count)d of the people cannot have this step recorded: %(first)s") % {
            "count": len(failures),
            "first": lines[0],
        }
        super().__init__("cases", message, rule, getattr(first, "violation", None))
        self.failures = failures
        self.lines = lines
        self.first_case = first_case


def step_record_batch(
    *,
    actor: Any,
    cases: Sequence[Case],
    step: int,
    date: dt.date,
    fields: Mapping[str, Any] | None = None,
    exception: StepException | None = None,
    per_case: Mapping[int, Mapping[str, Any]] | None = None,
) -> list[StepEvent]:
    """Record the same step for many people (one branch meeting): all or nothing.

    ``fields`` are common to all; ``per_case`` adds or overrides a case's own (each person's
    vote at a meeting that discussed them one by one, their sponsors, ...)."""
    ids = sorted({c.pk for c in cases})
    if not ids:
        raise ValidationError({"cases": _("Choose at least one person.")})
    with transaction.atomic():
        locked = list(
            Case.objects.select_for_update().select_related("organization").filter(pk__in=ids)
        )
        locked.sort(key=lambda c: c.pk)
        if len(locked) != len(ids):
            raise ValidationError({"cases": _("Some of the cases do not exist.")})
        strays = sorted(set(per_case or {}) - set(ids))
        if strays:
            raise ValidationError(
                {
                    "cases": _("Fields were given for case %(case)d, which is not in the batch.")
                    % {"case": strays[0]}
                }
            )
        failures: dict[int, ValidationError] = {}
        recorded: list[tuple[Case, StepEvent, list[Violation]]] = []
        for case in locked:
            try:
                own = {**(fields or {}), **((per_case or {}).get(case.pk) or {})}
                event, violations = _record(actor, case, step, date, own, exception)
            except ValidationError as error:
                failures[case.pk] = error
                continue
            recorded.append((case, event, violations))
        if failures:
            raise BatchError(failures)
        batch = f"{step}:{date.isoformat()}:{','.join(map(str, ids))}"
        for case, event, violations in recorded:
            _audit_step(actor, case, event, violations, batch=batch)
        orgs = sorted({c.organization.code for c in locked})
        log_action(
            actor,
            "development.batch.recorded",
            target_label=_("Step %(step)d for %(count)d people")
            % {"step": step, "count": len(ids)},
            org_code=orgs[0] if len(orgs) == 1 else "",
            detail={"step": step, "date": date.isoformat(), "cases": ",".join(map(str, ids))},
        )
    return [event for _case, event, _v in recorded]


# --- the case's own data and its documents ---------------------------------------------------


def _require_manage(actor: Any, case: Case) -> None:
    if not perms.has_capability(actor, case.organization, perms.DEVELOPMENT_MANAGE):
        raise PermissionDenied


def case_update(
    *,
    actor: Any,
    case: Case,
    phone: str | None = None,
    profile: Mapping[str, Any] | None = None,
    expected_leave_date: dt.date | None = None,
) -> Case:
    """Correct or complete the person's data on a case (what the member record will need)."""
    _require_manage(actor, case)
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
        before = {
            "phone": locked.phone,
            "profile": dict(locked.profile or {}),
            "expected_leave_date": locked.expected_leave_date,
        }
        if phone is not None and locked.member_id is None:
            locked.set_phone(phone.strip())
        if profile is not None and locked.member_id is None:
            locked.profile = {**(locked.profile or {}), **membership.clean_profile(dict(profile))}
        if expected_leave_date is not None:
            locked.expected_leave_date = expected_leave_date
        locked.save()
        after = {
            "phone": locked.phone,
            "profile": dict(locked.profile or {}),
            "expected_leave_date": locked.expected_leave_date,
        }
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if "phone" in changes:
            changes["phone"] = [masking.mask_phone(v) for v in changes["phone"]]
        if changes:
            log_action(
                actor,
                "development.case.updated",
                target=locked,
                org_code=locked.organization.code,
                changes=changes,
            )
    case.refresh_from_db()
    return case


def document_add(
    *, actor: Any, case: Case, step: int, file: Any, form: str = "", title: str = ""
) -> StepDocument:
    """Keep a paper with a step of the case: a scanned form, minutes, a notice."""
    from dangjian.content.services import upload_create

    _require_manage(actor, case)
    if not 1 <= step <= 25:
        raise ValidationError({"step": _("Steps are numbered 1 to 25.")})
    if form and form not in {f.code for f in documents.forms_of(step)}:
        raise ValidationError(
            {"form": _("This form does not belong to step %(step)d.") % {"step": step}}
        )
    name = str(getattr(file, "name", "") or "")
    is_picture = name.lower().rsplit(".", 1)[-1] in {"jpg", "jpeg", "png", "webp", "gif"}
    upload = upload_create(actor=actor, file=file, kind="image" if is_picture else "file")
    try:  # the stored file goes with the row when the document cannot be kept
        return _keep_document(actor, case, step, form, title, upload)
    except BaseException:
        upload.file.delete(save=False)
        upload.delete()
        raise


def _keep_document(
    actor: Any, case: Case, step: int, form: str, title: str, upload: Any
) -> StepDocument:
    with transaction.atomic():
        label = (title or "").strip() or str(documents.form_name(form) if form else upload.name)
        document = StepDocument.objects.create(
            case=case,
            step=step,
            form=form,
            title=label[:200],
            upload=upload,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        log_action(
            actor,
            "development.document.added",
            target=case,
            org_code=case.organization.code,
            detail={"step": step, "form": form, "title": document.title, "file": upload.name},
        )
    return document


def document_remove(*, actor: Any, document: StepDocument) -> None:
    """Remove a document and its file (nothing else uses a dossier's upload)."""
    case = document.case
    _require_manage(actor, case)
    upload = document.upload
    with transaction.atomic():
        log_action(
            actor,
            "development.document.removed",
            target=case,
            org_code=case.organization.code,
            detail={"step": document.step, "form": document.form, "title": document.title},
        )
        document.delete()
        upload.delete()
        transaction.on_commit(lambda: upload.file.delete(save=False))
