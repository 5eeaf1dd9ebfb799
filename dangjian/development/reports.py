"""Reports of member development (issue 5 item 5): counts by stage and organization, the year's
admissions against the plan, conversions, the time cases spend in each stage, and the cases that
stall or are overdue; the working-day calendar as the notice rule reads it.

Every figure is one aggregation query over the viewer's scope (``visible_cases``), whatever the
number of cases: an organization's subtree is a range of ``org_path`` and the organizations one
level below it are a prefix of that path, so "by organization" is one GROUP BY.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.development import deadlines
from dangjian.development.models import (
    STAGE_CHOICES,
    AdmissionPlan,
    Case,
    CaseStatus,
    Holiday,
    StepEvent,
)
from dangjian.development.rules.steps import CONVERT
from dangjian.development.selectors import visible_cases
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import SEGMENT_WIDTH, Organization, subtree_q

STAGES = [value for value, _label in STAGE_CHOICES]
DEFAULT_STALLED_DAYS = 180
LIST_LIMIT = 200  # cases listed on the page per list; the export has them all
ADMITTED_STEP = 17  # approved as a probationary member by the higher committee
CONVERSION_STEP = 24  # the higher committee's approval of the conversion
# Average time per stage: (from step, to step, label).
INTERVALS = (
    (1, 3, _("Application to activist")),
    (3, 7, _("Activist to development object")),
    (7, 15, _("Development object to admission meeting")),
    (15, 24, _("Admission meeting to conversion approval")),
)


# -- Who sees what ----------------------------------------------------------------------------


def may_see_reports(user: Any) -> bool:
    return perms.has_any_scope(user, perms.DEVELOPMENT_VIEW)


def may_set_plan(user: Any, org: Organization | None) -> bool:
    return org is not None and perms.has_capability(user, org, perms.DEVELOPMENT_APPROVE)


def may_edit_calendar(user: Any) -> bool:
    """The calendar serves the whole university: its editors approve admissions on a top-level
    organization (the organization department)."""
    return any(
        len(root) == SEGMENT_WIDTH for root in perms.scope_paths(user, perms.DEVELOPMENT_APPROVE)
    )


def may_see_calendar(user: Any) -> bool:
    return may_edit_calendar(user) or perms.has_any_scope(user, perms.DEVELOPMENT_VIEW)


def report_orgs(user: Any) -> QuerySet[Organization]:
    """The organizations a report may be filtered to: those in scope, groups left out."""
    return (
        Organization.objects.filter(perms.scope_q(user, perms.DEVELOPMENT_VIEW))
        .exclude(kind=Organization.Kind.GROUP)
        .order_by("path")
    )


def plan_orgs(user: Any) -> QuerySet[Organization]:
    """The organizations whose admission plan the user may set."""
    return (
        Organization.objects.filter(perms.scope_q(user, perms.DEVELOPMENT_APPROVE))
        .exclude(kind=Organization.Kind.GROUP)
        .filter(is_active=True)
        .order_by("path")
    )


def default_org(user: Any) -> Organization | None:
    """The report's organization when none is chosen: the one root of the viewer's scope (none
    when the scope has several roots: the report then covers them all)."""
    roots = perms.scope_paths(user, perms.DEVELOPMENT_VIEW)
    if len(roots) != 1:
        return None
    return Organization.objects.filter(path=roots[0]).first()


# -- The figures ------------------------------------------------------------------------------


@dataclass
class OrgRow:
    """One organization's cases over its subtree: open ones by stage, completed, cancelled."""

    org: Organization | None  # None: the cases recorded on the chosen organization itself
    label: str
    stages: dict[int, int] = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    completed: int = 0
    cancelled: int = 0

    @property
    def open(self) -> int:
        return sum(self.stages.values())

    @property
    def stage_list(self) -> list[int]:
        return [self.stages[s] for s in STAGES]


@dataclass
class AdmissionRow:
    org: Organization | None
    label: str
    planned: int | None
    admitted: int = 0
    converted: int = 0

    @property
    def percent(self) -> int | None:
        """The share of the plan admitted, in whole percent (none without a plan)."""
        if not self.planned:
            return None
        return round(self.admitted * 100 / self.planned)


@dataclass
class Interval:
    start: int
    end: int
    label: str
    cases: int
    average_days: float | None


@dataclass
class StalledCase:
    case: Case
    last_date: dt.date
    days: int


@dataclass
class OverdueCase:
    case: Case
    step: int
    latest: dt.date
    days: int


@dataclass
class Report:
    org: Organization | None
    year: int
    stalled_days: int
    today: dt.date
    by_stage: dict[int, int]
    rows: list[OrgRow]
    total: OrgRow
    admissions: list[AdmissionRow]
    admission_total: AdmissionRow
    intervals: list[Interval]
    stalled: list[StalledCase]
    stalled_count: int
    overdue: list[OverdueCase]
    overdue_count: int

    @property
    def stage_table(self) -> list[tuple[int, str, int]]:
        labels = dict(STAGE_CHOICES)
        return [(s, str(labels[s]), self.by_stage.get(s, 0)) for s in STAGES]

    @property
    def open_total(self) -> int:
        return sum(self.by_stage.values())


def cases_in(user: Any, org: Organization | None) -> QuerySet[Case]:
    cases = visible_cases(user)
    if org is not None:
        cases = cases.filter(subtree_q(org.path, "org_path"))
    return cases


def _row_orgs(user: Any, org: Organization | None) -> list[Organization]:
    """The organizations of the rows: the chosen one's children, or the roots of the scope."""
    if org is not None:
        return list(org.children.order_by("sort_order", "path"))
    roots = perms.scope_paths(user, perms.DEVELOPMENT_VIEW)
    return list(Organization.objects.filter(path__in=roots).order_by("path"))


def _prefix_length(org: Organization | None, rows: list[Organization]) -> int:
    if org is not None:
        return len(org.path) + SEGMENT_WIDTH
    return max((len(o.path) for o in rows), default=SEGMENT_WIDTH)


def _org_rows(
    user: Any, org: Organization | None, cases: QuerySet[Case]
) -> tuple[list[OrgRow], OrgRow]:
    """Rows by organization from one GROUP BY on (path prefix, stage, status)."""
    orgs = _row_orgs(user, org)
    length = _prefix_length(org, orgs)
    by_path = {o.path: OrgRow(org=o, label=o.display_name) for o in orgs}
    own = None
    if org is not None:
        # Cases recorded on the chosen organization itself, not on one below it.
        label = str(_("Recorded on %(org)s itself")) % {"org": org.display_name}
        by_path[org.path] = own = OrgRow(org=None, label=label)
    total = OrgRow(org=org, label=str(_("Total")))
    grouped = (
        cases.annotate(prefix=Substr("org_path", 1, length))
        .values("prefix", "stage", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for entry in grouped:
        row = by_path.get(entry["prefix"])
        if row is None:  # under a root of the scope shorter than the longest one
            row = next((r for p, r in by_path.items() if entry["prefix"].startswith(p)), None)
        for target in (row, total):
            if target is None:
                continue
            if entry["status"] == CaseStatus.OPEN:
                target.stages[entry["stage"]] = target.stages.get(entry["stage"], 0) + entry["n"]
            elif entry["status"] == CaseStatus.CLOSED:
                target.completed += entry["n"]
            else:
                target.cancelled += entry["n"]
    rows = [
        r
        for r in by_path.values()
        if r is not own and r.org is not None and (r.org.is_active or _any(r))
    ]
    if own is not None and _any(own):
        rows.insert(0, own)
    return rows, total


def _any(row: OrgRow) -> bool:
    return bool(row.open or row.completed or row.cancelled)


def _year_range(year: int) -> Q:
    return Q(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))


def conversion_events(cases: QuerySet[Case], year: int) -> QuerySet[StepEvent]:
    """The conversion approvals of the year: a step 24 whose own outcome is convert, or which
    approves a step 23 (the latest on or before it) whose outcome is convert."""
    last23 = (
        StepEvent.objects.filter(case=OuterRef("case"), step=23, date__lte=OuterRef("date"))
        .order_by("-date", "-id")
        .values("outcome")[:1]
    )
    return (
        StepEvent.objects.filter(case__in=cases, step=CONVERSION_STEP)
        .filter(_year_range(year))
        .annotate(approved=Subquery(last23))
        .filter(Q(outcome=CONVERT) | Q(outcome="", approved=CONVERT))
    )


def _counts_by_prefix(events: QuerySet[StepEvent], length: int) -> dict[str, int]:
    return {
        entry["prefix"]: entry["n"]
        for entry in events.annotate(prefix=Substr("case__org_path", 1, length))
        .values("prefix")
        .annotate(n=Count("id"))
        .order_by()
    }


def plans_by_path(orgs_path: str | None, year: int, roots: list[str]) -> dict[str, int]:
    """The year's plans in the subtree (or the scope), by organization path."""
    plans = AdmissionPlan.objects.filter(year=year)
    if orgs_path is not None:
        plans = plans.filter(subtree_q(orgs_path, "organization__path"))
    else:
        scope = Q(pk__in=[])
        for root in roots:
            scope |= subtree_q(root, "organization__path")
        plans = plans.filter(scope)
    return dict(plans.values_list("organization__path", "planned"))


def planned_for(path: str, plans: dict[str, int]) -> int | None:
    """An organization's plan: its own, or else the sum of its children's (each the same way);
    none when nothing below it has a plan."""
    if path in plans:
        return plans[path]
    depth = len(path) + SEGMENT_WIDTH
    children = {p[:depth] for p in plans if p.startswith(path) and len(p) >= depth}
    found = [planned_for(child, plans) for child in sorted(children)]
    values = [v for v in found if v is not None]
    return sum(values) if values else None


def _admissions(
    user: Any, org: Organization | None, cases: QuerySet[Case], rows: list[OrgRow], year: int
) -> tuple[list[AdmissionRow], AdmissionRow]:
    orgs = [r.org for r in rows if r.org is not None]
    length = _prefix_length(org, orgs)
    admitted_events = StepEvent.objects.filter(case__in=cases, step=ADMITTED_STEP).filter(
        _year_range(year)
    )
    admitted = _counts_by_prefix(admitted_events, length)
    converted = _counts_by_prefix(conversion_events(cases, year), length)
    roots = perms.scope_paths(user, perms.DEVELOPMENT_VIEW)
    plans = plans_by_path(org.path if org else None, year, roots)
    result = []
    for row in rows:
        path = row.org.path if row.org is not None else (org.path if org else "")
        if row.org is None:  # the chosen organization's own cases: no plan of their own
            result.append(
                AdmissionRow(
                    org=None,
                    label=row.label,
                    planned=None,
                    admitted=admitted.get(path, 0),
                    converted=converted.get(path, 0),
                )
            )
            continue
        result.append(
            AdmissionRow(
                org=row.org,
                label=row.label,
                planned=planned_for(path, plans),
                admitted=sum(n for p, n in admitted.items() if p.startswith(path)),
                converted=sum(n for p, n in converted.items() if p.startswith(path)),
            )
        )
    if org is not None:
        total_plan = planned_for(org.path, plans)
    else:
        found = [planned_for(root, plans) for root in roots]
        values = [v for v in found if v is not None]
        total_plan = sum(values) if values else None
    total = AdmissionRow(
        org=org,
        label=str(_("Total")),
        planned=total_plan,
        admitted=sum(admitted.values()),
        converted=sum(converted.values()),
    )
    return result, total


def _intervals(cases: QuerySet[Case], year: int) -> list[Interval]:
    """For each interval, over the cases that reached its end step in the year: the average
    days from the first record of its start step. One query per interval."""
    result = []
    for start, end, label in INTERVALS:
        began = (
            StepEvent.objects.filter(case=OuterRef("case"), step=start)
            .order_by("date", "id")
            .values("date")[:1]
        )
        if end == CONVERSION_STEP:
            ended = conversion_events(cases, year)
        else:
            ended = StepEvent.objects.filter(case__in=cases, step=end).filter(_year_range(year))
        figures = (
            ended.annotate(began=Subquery(began))
            .filter(began__isnull=False)
            .annotate(span=ExpressionWrapper(F("date") - F("began"), output_field=DurationField()))
            .aggregate(n=Count("case_id", distinct=True), average=Avg("span"))
        )
        average = figures["average"]
        days = None
        if average is not None:
            days = round(average.total_seconds() / 86400, 1)
        result.append(Interval(start, end, str(label), figures["n"], days))
    return result


def stalled_cases(
    cases: QuerySet[Case], days: int, today: dt.date, limit: int | None = LIST_LIMIT
) -> tuple[list[StalledCase], int]:
    """Open cases whose last recorded step is older than ``days``, the longest stalled first."""
    cutoff = today - dt.timedelta(days=days)
    stalled = (
        cases.filter(status=CaseStatus.OPEN)
        .annotate(last=Max("steps__date"))
        .filter(last__lt=cutoff)
        .select_related("organization")
        .order_by("last", "pk")
    )
    count = stalled.count()
    chosen = stalled if limit is None else stalled[:limit]
    return [StalledCase(c, c.last, (today - c.last).days) for c in chosen], count


def report(
    user: Any,
    *,
    org: Organization | None,
    year: int,
    stalled_days: int = DEFAULT_STALLED_DAYS,
    today: dt.date | None = None,
    limit: int | None = LIST_LIMIT,
) -> Report:
    """Every figure of the report for the viewer, within ``org``'s subtree (by default the
    one root of the viewer's scope, if there is one)."""
    today = today or timezone.localdate()
    org = org or default_org(user)
    cases = cases_in(user, org)
    by_stage = dict(
        cases.filter(status=CaseStatus.OPEN)
        .values_list("stage")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("stage", "n")
    )
    rows, total = _org_rows(user, org, cases)
    admissions, admission_total = _admissions(user, org, cases, rows, year)
    stalled, stalled_count = stalled_cases(cases, stalled_days, today, limit)
    listed = deadlines.due_list(user, org=org, today=today, limit=limit)
    overdue = [
        OverdueCase(d.case, d.step, d.latest, (today - d.latest).days)
        for d in listed.overdue
        if d.latest is not None
    ]
    return Report(
        org=org,
        year=year,
        stalled_days=stalled_days,
        today=today,
        by_stage=by_stage,
        rows=rows,
        total=total,
        admissions=admissions,
        admission_total=admission_total,
        intervals=_intervals(cases, year),
        stalled=stalled,
        stalled_count=stalled_count,
        overdue=overdue,
        overdue_count=listed.counts["overdue"],
    )


# -- The working-day calendar -----------------------------------------------------------------


def holidays_of_year(year: int) -> QuerySet[Holiday]:
    return Holiday.objects.filter(date__year=year).order_by("date")


def calendar_years() -> list[int]:
    """The years the calendar has rows for, latest first."""
    years: dict[int, int] = defaultdict(int)
    for day in Holiday.objects.values_list("date", flat=True):
        years[day.year] += 1
    return sorted(years, reverse=True)


def rows_for_export(report_: Report) -> Iterator[tuple[str, list[str], list[list[Any]]]]:
    """The report's sections as (sheet name, headers, rows), for the workbook."""
    stage_labels = [str(label) for _value, label in STAGE_CHOICES]
    yield (
        str(_("By stage")),
        [str(_("Stage")), str(_("Open cases"))],
        [[label, n] for _s, label, n in report_.stage_table]
        + [[str(_("Total")), report_.open_total]],
    )
    org_headers = [
        str(_("Organization")),
        *stage_labels,
        str(_("Open")),
        str(_("Completed")),
        str(_("Cancelled")),
    ]
    yield (
        str(_("By organization")),
        org_headers,
        [
            [r.label, *r.stage_list, r.open, r.completed, r.cancelled]
            for r in [*report_.rows, report_.total]
        ],
    )
    yield (
        str(_("Admissions %(year)d")) % {"year": report_.year},
        [
            str(_("Organization")),
            str(_("Planned")),
            str(_("Admitted")),
            str(_("Share of plan (%)")),
            str(_("Converted")),
        ],
        [
            [a.label, a.planned, a.admitted, a.percent, a.converted]
            for a in [*report_.admissions, report_.admission_total]
        ],
    )
    yield (
        str(_("Time per stage")),
        [str(_("Interval")), str(_("Cases")), str(_("Average days"))],
        [[i.label, i.cases, i.average_days] for i in report_.intervals],
    )
    yield (
        str(_("Stalled cases")),
        [
            str(_("Name")),
            str(_("Organization")),
            str(_("Stage")),
            str(_("Last step on")),
            str(_("Days since")),
        ],
        [
            [
                s.case.name,
                s.case.organization.display_name,
                s.case.get_stage_display(),
                s.last_date,
                s.days,
            ]
            for s in report_.stalled
        ],
    )
    yield (
        str(_("Overdue cases")),
        [
            str(_("Name")),
            str(_("Organization")),
            str(_("Next step")),
            str(_("Due by")),
            str(_("Days overdue")),
        ],
        [
            [
                d.case.name,
                d.case.organization.display_name,
                d.step,
                d.latest,
                d.days,
            ]
            for d in report_.overdue
        ],
    )
