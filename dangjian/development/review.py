"""The committee's review of member development (issue 5 item 4): the pre-review (step 13),
approval of admission (17) and approval of conversion (24) queues, with approve, return to the
branch with a reason, and the branch's resubmission.

A case is in a queue when it is open, its next step is 13, 17 or 24, it has no unresolved
return, and the viewer holds ``development.approve`` on its organization. Approving records the
step through ``services.step_record`` (the rules judge it, it is audited); a return and a
resubmission are audited here and notify the other side through the notification center.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.models import User
from dangjian.audit.services import log_action
from dangjian.development import deadlines, services
from dangjian.development.deadlines import CaseDeadline
from dangjian.development.models import Case, CaseReturn, CaseStatus, StepEvent
from dangjian.development.officers import branch_secretaries, committee_organizers
from dangjian.development.rules.steps import CANCEL, CONVERT, EXTEND, REJECT
from dangjian.development.rules.steps import step as step_def
from dangjian.notifications.services import notify
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization, ancestor_paths

APPROVAL_STEPS: tuple[int, ...] = tuple(sorted(services.APPROVAL_STEPS))
REASON_MIN, REASON_MAX = 5, 1000
RETURNED = "returned"


# --- reads -----------------------------------------------------------------------------------


def approvable_cases(user: Any) -> QuerySet[Case]:
    """Open cases the user may approve (development.approve on their organization) whose next
    step is the committee's and that are not waiting for the branch after a return."""
    waiting_for_branch = CaseReturn.objects.filter(resolved_at__isnull=True).values("case_id")
    return (
        Case.objects.filter(perms.scope_q(user, perms.DEVELOPMENT_APPROVE, "org_path"))
        # The stored next step narrows the query; the engine confirms it (committee_queue).
        .filter(status=CaseStatus.OPEN, next_step__in=APPROVAL_STEPS)
        .exclude(pk__in=waiting_for_branch)
        .select_related("organization")
        .defer(*deadlines.UNLISTED_FIELDS)
    )


@dataclass
class QueueRow:
    """A case waiting for the committee, with what the branch recorded before it."""

    row: CaseDeadline
    events: dict[int, StepEvent] = field(default_factory=dict)  # the last event of each step

    @property
    def case(self) -> Case:
        return self.row.case

    @property
    def step(self) -> int:
        return self.row.step

    @property
    def name(self) -> str:
        return step_name(self.step)

    @property
    def overdue(self) -> bool:
        return self.row.status == deadlines.OVERDUE

    @property
    def overdue_days(self) -> int:
        return -(self.row.days_left or 0)

    def event(self, number: int) -> StepEvent | None:
        return self.events.get(number)

    @property
    def prereview_dates(self) -> list[tuple[int, str, dt.date | None]]:
        """Steps 9 to 12 (sponsors, political review, training, branch committee review)."""
        rows = []
        for number in (9, 10, 11, 12):
            event = self.events.get(number)
            rows.append((number, step_name(number), event.date if event else None))
        return rows

    @property
    def vote(self) -> dict[str, int] | None:
        """The vote of the branch meeting before this approval (15 for 17, 23 for 24)."""
        event = self.events.get(15 if self.step == 17 else 23)
        return event.vote if event is not None else None

    @property
    def meeting(self) -> StepEvent | None:
        return self.events.get(15 if self.step == 17 else 23)

    @property
    def outcome(self) -> str:
        event = self.events.get(23)
        return event.outcome if event is not None and self.step == 24 else ""


@dataclass
class Queue:
    steps: dict[int, list[QueueRow]]
    returned: list[CaseReturn]
    waiting: dict[int, int] = field(default_factory=dict)  # cases waiting at each step

    def counts(self) -> dict[int | str, int]:
        counts: dict[int | str, int] = {n: self.waiting.get(n, 0) for n in self.steps}
        counts[RETURNED] = len(self.returned)
        return counts


def last_events(case_ids: Sequence[int]) -> dict[int, dict[int, StepEvent]]:
    found: dict[int, dict[int, StepEvent]] = {}
    for case_id, events in deadlines.events_by_case(case_ids).items():
        found[case_id] = {event.step: event for event in events}  # timeline order: last wins
    return found


def waiting_counts(user: Any) -> dict[int, int]:
    """How many cases wait for the user's committee at each of 13, 17 and 24."""
    return dict(
        approvable_cases(user)
        .order_by()  # type: ignore[arg-type]
        .values_list("next_step")
        .annotate(n=Count("id"))
        .values_list("next_step", "n")
    )


def committee_queue(
    user: Any,
    *,
    today: dt.date | None = None,
    steps: Sequence[int] = APPROVAL_STEPS,
    limit: int | None = None,
    waiting: dict[int, int] | None = None,
) -> Queue:
    """The user's queues within their development.approve scope: how many wait at each of
    13, 17 and 24, and the rows of the ``steps`` asked for (the first ``limit`` of each by
    latest date, from the next step kept on the cases); and the returns not yet resubmitted."""
    today = today or timezone.localdate()
    cases = approvable_cases(user)
    if waiting is None:
        waiting = waiting_counts(user)
    days = services.RULES_CONFIG.due_soon_days
    rows: dict[int, list[CaseDeadline]] = {n: [] for n in APPROVAL_STEPS}
    for number in steps:
        ordered = cases.filter(next_step=number).order_by(
            F("next_latest").asc(nulls_last=True), "pk"
        )
        found = ordered[:limit] if limit is not None else ordered
        rows[number] = [deadlines.kept_deadline(c, today, days) for c in found]
    events = last_events([row.case.pk for found in rows.values() for row in found])
    queues = {
        number: [QueueRow(row, events.get(row.case.pk, {})) for row in found]
        for number, found in rows.items()
    }
    return Queue(steps=queues, returned=returned_cases(user), waiting=waiting)


def review_row(case: Case, *, today: dt.date | None = None) -> QueueRow | None:
    """The case as a queue row when it waits for the committee (13, 17 or 24), else None."""
    waiting = waiting_step(case, today=today)
    if waiting is None:
        return None
    return QueueRow(waiting, last_events([case.pk]).get(case.pk, {}))


def returned_cases(user: Any) -> list[CaseReturn]:
    """The returns in the user's approval scope that the branch has not resubmitted."""
    return list(
        CaseReturn.objects.filter(
            perms.scope_q(user, perms.DEVELOPMENT_APPROVE, "case__org_path"),
            resolved_at__isnull=True,
            case__status=CaseStatus.OPEN,
        )
        .select_related("case", "case__organization", "returned_by")
        .order_by("returned_at", "id")
    )


def open_return(case: Case) -> CaseReturn | None:
    return case.returns.filter(resolved_at__isnull=True).select_related("returned_by").first()


def last_return(case: Case) -> CaseReturn | None:
    return case.returns.select_related("returned_by", "resolved_by").first()


def waiting_step(case: Case, *, today: dt.date | None = None) -> CaseDeadline | None:
    """The case's next step when it is one of the committee's (13, 17, 24), else None."""
    row = next(iter(deadlines.next_steps([case], today=today)), None)
    return row if row is not None and row.step in APPROVAL_STEPS else None


def step_name(number: int) -> str:
    definition = step_def(number)
    language = translation.get_language() or ""
    return definition.name_zh if language.startswith("zh") else definition.name_en


def approving_org(user: Any, case: Case) -> Organization | None:
    """The committee in whose name the user approves: the nearest ancestor of the case's
    organization with approval authority on which the user holds development.approve; else
    the nearest with approval authority (an organizer of a committee without it records the
    approval of the committee above); else the nearest committee the user holds the capability
    on (the rules then refuse it, naming DEV-APPROVER)."""
    ancestors = sorted(
        Organization.objects.filter(path__in=ancestor_paths(case.org_path)),
        key=lambda o: o.depth,
        reverse=True,
    )
    authorized = [o for o in ancestors if o.approval_authority and o.is_active]
    for org in authorized:
        if perms.has_capability(user, org, perms.DEVELOPMENT_APPROVE):
            return org
    if authorized:
        return authorized[0]
    for org in ancestors:
        if org.kind == Organization.Kind.COMMITTEE and perms.has_capability(
            user, org, perms.DEVELOPMENT_APPROVE
        ):
            return org
    return None


def branch_outcome(case: Case) -> str | None:
    """What the branch meeting resolved at the last conversion meeting (step 23)."""
    event = case.steps.filter(step=23).order_by("-date", "-id").first()
    return event.outcome if event is not None else None


OUTCOME_LABELS = {
    CONVERT: gettext_lazy("Convert to full membership"),
    EXTEND: gettext_lazy("Extend the probation"),
    CANCEL: gettext_lazy("Cancel the probationary membership"),
}


# --- people to tell --------------------------------------------------------------------------


def _tell(recipients: Iterable[int], *, kind: str, title: str, body: str, link: str) -> None:
    ids = sorted(set(recipients))
    if ids:
        notify(User.objects.filter(pk__in=ids), kind=kind, title=title[:200], body=body, link=link)


# --- writes ----------------------------------------------------------------------------------


def _clean_text(value: str, name: str, missing: str) -> str:
    text = (value or "").strip()
    if len(text) < REASON_MIN:
        raise ValidationError({name: missing})
    if len(text) > REASON_MAX:
        raise ValidationError(
            {name: _("Keep it to %(max)d characters or fewer.") % {"max": REASON_MAX}}
        )
    return text


def _require_approver(actor: Any, case: Case) -> None:
    if not perms.has_capability(actor, case.organization, perms.DEVELOPMENT_APPROVE):
        raise PermissionDenied


def _require_waiting(case: Case, step: int) -> None:
    if step not in APPROVAL_STEPS:
        raise ValidationError({"step": _("The committee approves steps 13, 17 and 24 only.")})
    if case.status != CaseStatus.OPEN:
        raise ValidationError({"step": _("The case is no longer in progress.")})
    if open_return(case) is not None:
        raise ValidationError(
            {"step": _("The case was returned to the branch; it comes back when resubmitted.")}
        )
    waiting = waiting_step(case)
    if waiting is None or waiting.step != step:
        message = _("The case is not waiting for step %(step)d (%(name)s).")
        raise ValidationError({"step": message % {"step": step, "name": step_name(step)}})


def case_approve(
    *, actor: Any, case: Case, step: int, date: dt.date, outcome: str | None = None
) -> StepEvent:
    """Record the committee's approval (13, 17 or 24) in the name of the approving committee.
    At step 24 the outcome is the branch meeting's resolution (convert, extend or cancel):
    a committee that disagrees returns the case instead. Raises ``services.RuleError`` when a
    rule refuses it (e.g. DEV-APPR, DEV-APPROVER)."""
    _require_approver(actor, case)
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
        _require_waiting(locked, step)
        fields = _approval_fields(actor, locked, step, outcome)
        event = services.step_record(actor=actor, case=locked, step=step, date=date, fields=fields)
    case.refresh_from_db()
    return event


def case_reject(*, actor: Any, case: Case, date: dt.date, reason: str) -> StepEvent:
    """Record that the committee does not approve the admission (step 17), with its reason:
    the case ends, and the branch and the person are told (domain-rules 1.2, step 17)."""
    _require_approver(actor, case)
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
        _require_waiting(locked, 17)
        fields = {**_approval_fields(actor, locked, 17, None), "outcome": REJECT}
        event = services.step_record(
            actor=actor, case=locked, step=17, date=date, fields=fields, note=reason
        )
    case.refresh_from_db()
    return event


def _approval_fields(actor: Any, case: Case, step: int, outcome: str | None) -> dict[str, Any]:
    org = approving_org(actor, case)
    if org is None:
        raise ValidationError(
            {"step": _("No committee above this organization may approve new members.")}
        )
    fields: dict[str, Any] = {"approver_org": org.code}
    if step == 24:
        resolved = branch_outcome(case)
        if outcome and outcome != resolved:
            message = _(
                "The branch meeting resolved: %(resolved)s. Approve that resolution, or "
                "return the case to the branch with your reason."
            )
            label = OUTCOME_LABELS.get(resolved or "", resolved or "-")
            raise ValidationError({"outcome": message % {"resolved": label}})
        if resolved:
            fields["outcome"] = resolved
    elif outcome:
        raise ValidationError({"outcome": _("Only the approval of conversion has an outcome.")})
    return fields


def case_return(*, actor: Any, case: Case, step: int, reason: str) -> CaseReturn:
    """Send the case back to its branch instead of approving step 13, 17 or 24, with the
    reason; it leaves the committee's queue until the branch resubmits it. The branch
    secretary is told."""
    _require_approver(actor, case)
    text = _clean_text(
        reason,
        "reason",
        _("Say what the branch must do, in %(min)d to %(max)d characters.")
        % {"min": REASON_MIN, "max": REASON_MAX},
    )
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
        _require_waiting(locked, step)
        returned = CaseReturn.objects.create(case=locked, step=step, reason=text, returned_by=actor)
        log_action(
            actor,
            "development.case.returned",
            target=locked,
            org_code=locked.organization.code,
            detail={"step": step, "reason": text, "return": returned.pk},
        )
        with translation.override(settings.LANGUAGE_CODE):
            values = {"name": locked.name, "step": step, "step_name": step_name(step)}
            _tell(
                branch_secretaries(locked),
                kind="development.returned",
                title=_("Returned by the committee: %(name)s, step %(step)d (%(step_name)s)")
                % values,
                body=_("The reason: %(reason)s. Correct it, then resubmit the case.")
                % {"reason": text},
                link=reverse("development:case-resubmit", args=[locked.pk]),
            )
    return returned


def case_resubmit(*, actor: Any, case: Case, resolution: str) -> CaseReturn:
    """The branch says what it corrected: the return is resolved and the case is back in the
    committee's queue. The committee's organizers and the officer who returned it are told."""
    if not perms.has_capability(actor, case.organization, perms.DEVELOPMENT_MANAGE):
        raise PermissionDenied
    text = _clean_text(
        resolution,
        "resolution",
        _("Say what the branch corrected, in %(min)d to %(max)d characters.")
        % {"min": REASON_MIN, "max": REASON_MAX},
    )
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organization").get(pk=case.pk)
        returned = (
            CaseReturn.objects.select_for_update()
            .filter(case=locked, resolved_at__isnull=True)
            .first()
        )
        if returned is None:
            raise ValidationError({"resolution": _("The case is not waiting to be resubmitted.")})
        returned.resolved_by = actor
        returned.resolved_at = timezone.now()
        returned.resolution = text
        returned.save(update_fields=["resolved_by", "resolved_at", "resolution"])
        log_action(
            actor,
            "development.case.resubmitted",
            target=locked,
            org_code=locked.organization.code,
            detail={"step": returned.step, "resolution": text, "return": returned.pk},
        )
        recipients = committee_organizers(locked) | {returned.returned_by_id}
        recipients.discard(getattr(actor, "pk", None))
        with translation.override(settings.LANGUAGE_CODE):
            values = {
                "name": locked.name,
                "step": returned.step,
                "step_name": step_name(returned.step),
            }
            _tell(
                recipients,
                kind="development.resubmitted",
                title=_("Resubmitted by the branch: %(name)s, step %(step)d (%(step_name)s)")
                % values,
                body=_("What the branch corrected: %(resolution)s") % {"resolution": text},
                link=reverse("development:committee-approve", args=[locked.pk]),
            )
    return returned
