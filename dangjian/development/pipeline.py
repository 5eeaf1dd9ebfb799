"""Reads behind the branch's development pages: the organization chosen, the board's columns,
the people a step may name, the dossier's checklist, the candidates of a batch."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from dangjian.development import documents, services
from dangjian.development.deadlines import OVERDUE, CaseDeadline, case_deadlines
from dangjian.development.models import Case, StepDocument, StepEvent
from dangjian.development.rules.steps import Stage
from dangjian.development.rules.steps import step as step_def
from dangjian.members.choices import Status
from dangjian.members.models import Member
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization, ancestor_paths
from dangjian.orgs.selectors import org_roots_for_user


def org_choices(user: Any) -> list[Organization]:
    """The organizations whose cases the user may see at the top of their scope."""
    return org_roots_for_user(user, perms.DEVELOPMENT_VIEW)


def chosen_org(user: Any, code: str | None) -> Organization | None:
    """The organization asked for (?org=), if the user may see its cases; 404 otherwise."""
    if not code:
        return None
    org = Organization.objects.filter(code=code).first()
    if org is None or not perms.has_capability(user, org, perms.DEVELOPMENT_VIEW):
        raise Http404
    return org


def manageable_orgs(user: Any) -> QuerySet[Organization]:
    """Where the user may open a case: active branches and committees in their scope."""
    return (
        Organization.objects.filter(
            perms.scope_q(user, perms.DEVELOPMENT_MANAGE, "path"), is_active=True
        )
        .exclude(kind=Organization.Kind.GROUP)
        .order_by("path")
    )


@dataclass
class Column:
    stage: Stage
    rows: list[CaseDeadline] = field(default_factory=list)
    count: int = 0
    overdue: int = 0


def board_columns(rows: Sequence[CaseDeadline], *, limit: int) -> list[Column]:
    """The open cases by stage, the most urgent first, at most ``limit`` shown per stage."""
    columns = {stage: Column(stage) for stage in Stage}
    for row in rows:
        column = columns[Stage(row.case.stage)]
        column.count += 1
        column.overdue += row.status == OVERDUE
        if len(column.rows) < limit:
            column.rows.append(row)
    return list(columns.values())


def due_counts(rows: Iterable[CaseDeadline]) -> dict[str, int]:
    counts = {"overdue": 0, "due_soon": 0}
    for row in rows:
        if row.status in counts:
            counts[row.status] += 1
    return counts


def actor_members(cases: Sequence[Case], step: int) -> QuerySet[Member]:
    """Whom a step may name (talker, contacts, sponsors) on these cases: the members of their
    organizations, or for the committee's talk, of the committee above (services._check_people
    holds each case to its own). The rules check on the step's date that contacts and sponsors
    are full members not under sanction."""
    q = Q(pk__in=[])
    for case in cases:
        q |= services.actor_members_q(case, step)
    return (
        Member.objects.filter(q)
        .filter(status__in=[Status.FULL, Status.PROBATIONARY])
        .order_by("org_path", "name")
        .only("pk", "name")
    )


def approver_orgs(cases: Sequence[Case]) -> QuerySet[Organization]:
    """The committees above these cases' organizations (or themselves) with approval
    authority."""
    paths = {path for case in cases for path in ancestor_paths(case.org_path)}
    return Organization.objects.filter(
        path__in=paths, approval_authority=True, is_active=True
    ).order_by("-path")


def member_names(events: Iterable[StepEvent]) -> dict[int, str]:
    ids: set[int] = set()
    for event in events:
        actors = event.actors or {}
        if actors.get("talker"):
            ids.add(int(actors["talker"]))
        ids |= {int(v) for v in actors.get("contacts") or ()}
        ids |= {int(v) for v in actors.get("sponsors") or ()}
    return dict(Member.objects.filter(pk__in=ids).values_list("pk", "name"))


@dataclass
class ChecklistRow:
    step: int
    recorded: bool
    forms: list[tuple[documents.Form, list[StepDocument]]]
    others: list[StepDocument]

    @property
    def missing(self) -> int:
        return sum(1 for _form, kept in self.forms if not kept) if self.recorded else 0


def document_checklist(
    events: Iterable[StepEvent], kept: Iterable[StepDocument]
) -> list[ChecklistRow]:
    """For each step, its standard forms with the documents kept for them, and the others."""
    recorded = {e.step for e in events}
    by_step: dict[int, list[StepDocument]] = {}
    for document in kept:
        by_step.setdefault(document.step, []).append(document)
    rows = []
    for number in range(1, 26):
        docs = by_step.get(number, [])
        forms = [
            (form, [d for d in docs if d.form == form.code]) for form in documents.forms_of(number)
        ]
        codes = {form.code for form in documents.forms_of(number)}
        others = [d for d in docs if d.form not in codes]
        if number in recorded or docs:
            rows.append(ChecklistRow(number, number in recorded, forms, others))
    return rows


def batch_rows(user: Any, *, org: Organization | None) -> list[CaseDeadline]:
    """The open cases the user may record steps on, each with its next step."""
    rows = case_deadlines(user, org=org)
    managed = Case.objects.filter(perms.scope_q(user, perms.DEVELOPMENT_MANAGE, "org_path"))
    allowed = set(managed.filter(pk__in=[r.case.pk for r in rows]).values_list("pk", flat=True))
    return [r for r in rows if r.case.pk in allowed]


def batch_refusals(error: ValidationError, candidates: Sequence[CaseDeadline]) -> list[str]:
    """The lines of a refused batch: each person with the rule that refused them."""
    failures = getattr(error, "failures", None)
    if not failures:
        return []
    names = {row.case.pk: row.case.name for row in candidates}
    return [f"{names.get(pk, f'#{pk}')}: {' '.join(e.messages)}" for pk, e in failures.items()]


def other_steps(events: Sequence[StepEvent], *, exclude: int | None) -> list[int]:
    """The recurring steps (assessments, the application for conversion) a case may record
    besides its next one: those whose prerequisites are recorded and whose stage is not over
    (an activist's assessments end when they become a development object)."""
    recorded = {e.step for e in events}
    offered = []
    for number in (6, 21, 22):
        definition = step_def(number)
        if number == exclude or not set(definition.requires) <= recorded:
            continue
        if number == 6 and 7 in recorded:
            continue
        offered.append(number)
    return offered
