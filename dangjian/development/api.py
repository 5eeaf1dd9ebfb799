"""API of member development (issue 5 item 6): open a case, record its steps, read its timeline.

A refusal answers 422 with {"error", "rule", "fields"}: ``rule`` names the first rule broken
(e.g. DEV-AGE), or is null when the request itself is wrong. Cases outside the viewer's scope
answer 404; a viewer who may see a case but not write it gets 403.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from dangjian.development import membership, selectors, services
from dangjian.development.models import Case, StepEvent
from dangjian.development.rules.steps import step as step_def
from dangjian.members.models import Member
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization

router = Router(tags=["development"])


class ErrorOut(Schema):
    error: str
    rule: str | None
    fields: dict[str, str]


def _refusal(error: ValidationError) -> Status[ErrorOut]:
    if hasattr(error, "error_dict"):
        fields = {name: " ".join(msgs) for name, msgs in error.message_dict.items()}
    else:
        fields = {"body": " ".join(error.messages)}
    rule = getattr(error, "rule", None) or None
    text = getattr(error, "text", None)
    if not text:
        name, message = next(iter(fields.items()))
        text = f"{name}: {message}"
    return Status(422, ErrorOut(error=text, rule=rule, fields=fields))


class PersonIn(Schema):
    name: str
    id_number: str
    phone: str = ""
    # What the member record needs at admission (may also be completed later on the case).
    ethnicity: str = ""
    education: str = ""
    category: str = ""
    staff_number: str = ""
    grade: str = ""


class CaseIn(Schema):
    member: int | None = None
    person: PersonIn | None = None
    org: str | None = None
    application_date: dt.date
    expected_leave_date: dt.date | None = None


class CreatedOut(Schema):
    id: int
    stage: int
    status: str


class VoteIn(Schema):
    entitled: int
    present: int
    yes: int
    written_yes: int = 0


class ExceptionIn(Schema):
    rules: list[str]
    reason: str


class StepValuesIn(Schema):
    talker: int | None = None
    contacts: list[int] | None = None
    sponsors: list[int] | None = None
    notice_start: dt.date | None = None
    notice_end: dt.date | None = None
    training_days: Decimal | None = None
    training_hours: Decimal | None = None
    review_conclusion: str | None = None
    vote: VoteIn | None = None
    approver_org: str | None = None
    outcome: str | None = None
    extension_months: int | None = None

    def step_fields(self) -> dict[str, Any]:
        data = self.dict(exclude_none=True)
        for name in ("step", "date", "exception", "cases", "people", "case", "note"):
            data.pop(name, None)
        return data


class StepFieldsIn(StepValuesIn):
    step: int
    date: dt.date
    exception: ExceptionIn | None = None
    # The decision maker's words: required with the outcome "reject" at step 17.
    note: str = ""

    def step_exception(self) -> services.StepException | None:
        if self.exception is None:
            return None
        return services.StepException(frozenset(self.exception.rules), self.exception.reason)


class PersonStepIn(StepValuesIn):
    """One person's own fields in a batch (their vote, their sponsors, ...)."""

    case: int


class BatchIn(StepFieldsIn):
    cases: list[int]
    people: list[PersonStepIn] = []


class WarningOut(Schema):
    step: int
    date: str
    rule: str
    message: str


class EventOut(Schema):
    id: int
    step: int
    name: str
    name_zh: str
    stage: int
    date: dt.date
    fields: dict[str, Any]
    rule_version: str
    exception: bool
    exception_rules: list[str]
    exception_reason: str
    warnings: list[dict[str, Any]]
    recorded_by: str | None
    recorded_at: dt.datetime

    @staticmethod
    def build(event: StepEvent) -> EventOut:
        definition = step_def(event.step)
        fields: dict[str, Any] = {**event.fields, **event.actors}
        if event.vote:
            fields["vote"] = event.vote
        if event.approver_org is not None:
            fields["approver_org"] = event.approver_org.code
        if event.outcome:
            fields["outcome"] = event.outcome
        if event.extension_months is not None:
            fields["extension_months"] = event.extension_months
        return EventOut(
            id=event.pk,
            step=event.step,
            name=definition.name_en,
            name_zh=definition.name_zh,
            stage=int(definition.stage),
            date=event.date,
            fields=fields,
            rule_version=event.rule_version,
            exception=event.is_exception,
            exception_rules=list(event.exception_rules),
            exception_reason=event.exception_reason,
            warnings=list(event.warnings),
            recorded_by=event.recorded_by.get_username() if event.recorded_by else None,
            recorded_at=event.recorded_at,
        )


class NextStepOut(Schema):
    step: int
    name: str
    name_zh: str
    earliest: dt.date | None
    latest: dt.date | None
    hard_latest: dt.date | None
    rule: str | None
    version: str
    notice_working_days: int
    days_left: int | None
    status: str


class CaseOut(Schema):
    id: int
    name: str
    member: int | None
    gender: str
    birth_date: dt.date | None
    org: str
    application_date: dt.date
    stage: int
    stage_name: str
    status: str
    rule_version: str
    timeline: list[EventOut]
    next_step: NextStepOut | None
    warnings: list[WarningOut]


class RecordedOut(Schema):
    id: int
    case: int
    step: int
    date: dt.date
    stage: int
    status: str
    exception: bool
    warnings: list[dict[str, Any]]


def _recorded(event: StepEvent, case: Case) -> RecordedOut:
    return RecordedOut(
        id=event.pk,
        case=case.pk,
        step=event.step,
        date=event.date,
        stage=case.stage,
        status=case.status,
        exception=event.is_exception,
        warnings=list(event.warnings),
    )


@router.post(
    "/cases",
    response={201: CreatedOut, 422: ErrorOut},
    summary="Open a development case (the application, step 1)",
)
def case_create(request: HttpRequest, payload: CaseIn) -> Status[Any]:
    user = request.user
    member = org = None
    if payload.member is not None:
        member = Member.objects.select_related("organization").filter(pk=payload.member).first()
        if member is None or not perms.has_capability(
            user, member.organization, perms.DEVELOPMENT_VIEW
        ):
            return _refusal(ValidationError({"member": _("No member you may see has this id.")}))
    if payload.org:
        org = Organization.objects.filter(code=payload.org).first()
        if org is None or not perms.has_capability(user, org, perms.DEVELOPMENT_VIEW):
            return _refusal(
                ValidationError({"org": _("No organization you may see has this code.")})
            )
    person = None
    if payload.person is not None:
        person = services.Person(
            name=payload.person.name,
            id_number=payload.person.id_number,
            phone=payload.person.phone,
            profile=payload.person.dict(include=set(membership.PROFILE_FIELDS)),
        )
    try:
        case = services.case_create(
            actor=user,
            application_date=payload.application_date,
            member=member,
            person=person,
            org=org,
            expected_leave_date=payload.expected_leave_date,
        )
    except ValidationError as error:
        return _refusal(error)
    return Status(201, CreatedOut(id=case.pk, stage=case.stage, status=case.status))


@router.get("/cases/{case_id}", response=CaseOut, summary="A case: timeline, stage, next step")
def case_detail(request: HttpRequest, case_id: int) -> CaseOut:
    case = selectors.case_for(request.user, case_id)
    view = selectors.case_view(case)
    deadline = view.next_step
    next_out = None
    if deadline is not None:
        definition = step_def(deadline.step)
        next_out = NextStepOut(
            step=deadline.step,
            name=definition.name_en,
            name_zh=definition.name_zh,
            earliest=deadline.earliest,
            latest=deadline.latest,
            hard_latest=deadline.hard_latest,
            rule=deadline.rule,
            version=deadline.version,
            notice_working_days=deadline.notice_working_days,
            days_left=view.days_left,
            status=view.next_status,
        )
    return CaseOut(
        id=case.pk,
        name=case.name,
        member=case.member_id,
        gender=case.gender,
        birth_date=case.birth_date,
        org=case.organization.code,
        application_date=case.application_date,
        stage=case.stage,
        stage_name=str(case.get_stage_display()),
        status=case.status,
        rule_version=case.rule_version,
        timeline=[EventOut.build(e) for e in view.events],
        next_step=next_out,
        warnings=[
            WarningOut(step=w["step"], date=w["date"], rule=w["rule"], message=w["message"])
            for w in view.warnings
        ],
    )


@router.post(
    "/cases/{case_id}/steps",
    response={201: RecordedOut, 422: ErrorOut},
    summary="Record a step of a case (refused with the first rule broken)",
)
def step_record(request: HttpRequest, case_id: int, payload: StepFieldsIn) -> Status[Any]:
    case = selectors.case_for(request.user, case_id)
    try:
        event = services.step_record(
            actor=request.user,
            case=case,
            step=payload.step,
            date=payload.date,
            fields=payload.step_fields(),
            exception=payload.step_exception(),
            note=payload.note,
        )
    except ValidationError as error:
        return _refusal(error)
    return Status(201, _recorded(event, case))


@router.post(
    "/steps/batch",
    response={201: list[RecordedOut], 422: ErrorOut},
    summary="Record one step for many cases at once (one branch meeting): all or nothing",
)
def step_record_batch(request: HttpRequest, payload: BatchIn) -> Status[Any]:
    ids = sorted(set(payload.cases))
    cases = list(selectors.visible_cases(request.user).filter(pk__in=ids))
    if len(cases) != len(ids):
        raise Http404
    try:
        events = services.step_record_batch(
            actor=request.user,
            cases=cases,
            step=payload.step,
            date=payload.date,
            fields=payload.step_fields(),
            exception=payload.step_exception(),
            per_case={person.case: person.step_fields() for person in payload.people},
        )
    except ValidationError as error:
        return _refusal(error)
    by_pk = {c.pk: c for c in Case.objects.filter(pk__in=ids)}
    return Status(201, [_recorded(e, by_pk[e.case_id]) for e in events])
