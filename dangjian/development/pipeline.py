"""Reads behind the branch's development pages: the organization chosen, the board's columns,
the people a step may name, the dossier's checklist, the candidates of a batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangjian.development import documents, services
from dangjian.development.deadlines import CaseDeadline, kept_deadline, open_cases
from dangjian.development.models import Case, StepDocument, StepEvent
from dangjian.development.rules.steps import Stage
from dangjian.development.rules.steps import step as step_def
from dangjian.members.choices import Status
from dangjian.members.models import Member
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization, ancestor_paths
from dangjian.orgs.selectors import org_roots_for_user


def org_choices(user: Any) -> list[Organization]:
    """The organizations to filter by: the top of the user's scope and the level below it
    (a committee's branches; the university's committees)."""
    roots = org_roots_for_user(user, perms.DEVELOPMENT_VIEW)
    children = (
        Organization.objects.filter(parent__in=roots, is_active=True)
        .exclude(kind=Organization.Kind.GROUP)
        .order_by("path")
    )
    return sorted([*roots, *children], key=lambda org: org.path)


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


@dataclass
class Board:
    columns: list[Column]
    total: int
    overdue: int
    due_soon: int
    several_orgs: bool


def board(
    user: Any, *, org: Organization | None, limit: int, today: dt.date | None = None
) -> Board:
    """The open cases by stage, counted in the database, and the ``limit`` most urgent of each
    stage by the next step's latest date kept on the case."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=services.RULES_CONFIG.due_soon_days)
    cases = open_cases(user, org)
    figures = {
        row["stage"]: row
        for row in cases.order_by()
        .values("stage")
        .annotate(
            count=Count("id"),
            overdue=Count("id", filter=Q(next_latest__lt=today)),
            due_soon=Count("id", filter=Q(next_latest__gte=today, next_latest__lte=soon)),
        )
    }
    chosen = {
        stage: list(
            cases.filter(stage=stage).order_by(F("next_latest").asc(nulls_last=True), "pk")[:limit]
        )
        for stage in Stage
        if stage.value in figures
    }
    days = services.RULES_CONFIG.due_soon_days
    judged = {c.pk: kept_deadline(c, today, days) for found in chosen.values() for c in found}
    columns = []
    for stage in Stage:
        found = figures.get(stage.value, {})
        columns.append(
            Column(
                stage,
                [judged[c.pk] for c in chosen.get(stage, []) if c.pk in judged],
                found.get("count", 0),
                found.get("overdue", 0),
            )
        )
    return Board(
        columns=columns,
        total=sum(f["count"] for f in figures.values()),
        overdue=sum(f["overdue"] for f in figures.values()),
        due_soon=sum(f["due_soon"] for f in figures.values()),
        several_orgs=cases.order_by().values("organization").distinct()[:2].count() > 1,
    )


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


def batch_candidates(
    user: Any, *, org: Organization | None, step: int, limit: int
) -> tuple[list[CaseDeadline], dict[int, int]]:
    """The open cases the user may record steps on whose next step is ``step`` (at most
    ``limit``, the most urgent first), and how many wait for each step."""
    managed = open_cases(user, org).filter(
        perms.scope_q(user, perms.DEVELOPMENT_MANAGE, "org_path")
    )
    waiting: dict[int, int] = dict(
        managed.order_by()  # type: ignore[arg-type]
        .exclude(next_step__isnull=True)
        .values_list("next_step")
        .annotate(n=Count("id"))
        .values_list("next_step", "n")
    )
    chosen = list(
        managed.filter(next_step=step).order_by(F("next_latest").asc(nulls_last=True), "pk")[:limit]
    )
    today = timezone.localdate()
    days = services.RULES_CONFIG.due_soon_days
    return [kept_deadline(c, today, days) for c in chosen], waiting


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
