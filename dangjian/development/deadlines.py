"""Deadlines of member development (issue 5 item 3): for every open case the next step, its
earliest and latest dates, the days left and a status; a branch's or committee's list of what
is overdue, due within 30 days, or due later.

Efficient by construction: the cases are one query, their step events one more (loaded in
bulk and grouped in Python), whatever the number of cases; the rules engine does the rest.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from dangjian.development.models import Case, CaseStatus, StepEvent
from dangjian.development.rules import engine
from dangjian.development.rules.engine import Deadline
from dangjian.development.selectors import visible_cases
from dangjian.development.services import RULES_CONFIG, history_of
from dangjian.orgs.models import Organization, subtree_q

# Statuses of Deadline.status: past the latest date, within the window, open, not yet open.
OVERDUE, DUE_SOON, OPEN, NOT_YET = "overdue", "due_soon", "open", "not_yet"


@dataclass(frozen=True)
class CaseDeadline:
    """A case's next step with the engine's dates, as on ``today``."""

    case: Case
    deadline: Deadline
    status: str
    days_left: int | None

    @property
    def step(self) -> int:
        return self.deadline.step

    @property
    def earliest(self) -> dt.date | None:
        return self.deadline.earliest

    @property
    def latest(self) -> dt.date | None:
        return self.deadline.latest

    @property
    def days_over(self) -> int:
        """Days past the latest date (0 when not overdue)."""
        return max(0, -(self.days_left or 0))


@dataclass
class DueList:
    """A branch's or committee's deadlines, each group sorted by latest date."""

    overdue: list[CaseDeadline] = field(default_factory=list)
    due_soon: list[CaseDeadline] = field(default_factory=list)  # latest within the window
    later: list[CaseDeadline] = field(default_factory=list)  # latest beyond the window
    undated: list[CaseDeadline] = field(default_factory=list)  # the next step has no latest
    # Each group's full count (the lists may hold only its first rows).
    counts: dict[str, int] = field(default_factory=dict)


HISTORY_FIELDS = (
    "case_id",
    "step",
    "date",
    "fields",
    "actors",
    "vote",
    "approver_org",
    "outcome",
    "extension_months",
    "exception_rules",
)
# The applicant's encrypted data is not needed to list deadlines (and costs a decryption each).
UNLISTED_FIELDS = ("id_number", "phone", "profile")


def events_by_case(case_ids: Sequence[int]) -> dict[int, list[StepEvent]]:
    """The step events of many cases in one query, each case's in timeline order."""
    grouped: dict[int, list[StepEvent]] = defaultdict(list)
    if not case_ids:
        return grouped
    events = (
        StepEvent.objects.filter(case_id__in=case_ids)
        .select_related("approver_org")
        # What the rules read, without the recorded warnings, exceptions' reasons and such.
        .only(*HISTORY_FIELDS, "approver_org__code")
        .order_by("case_id", "date", "step", "id")
    )
    for event in events:
        grouped[event.case_id].append(event)
    return grouped


def next_steps(
    cases: Sequence[Case], *, today: dt.date | None = None, soon_days: int | None = None
) -> Iterator[CaseDeadline]:
    """The next step of each open case given (cases whose next step is none are skipped)."""
    today = today or timezone.localdate()
    soon = RULES_CONFIG.due_soon_days if soon_days is None else soon_days
    events = events_by_case([c.pk for c in cases])
    for case in cases:
        if case.status != CaseStatus.OPEN:
            continue
        deadline = engine.next_step(history_of(case, events.get(case.pk, [])), config=RULES_CONFIG)
        if deadline is None:
            continue
        yield CaseDeadline(
            case=case,
            deadline=deadline,
            status=deadline.status(today, soon_days=soon),
            days_left=deadline.days_left(today),
        )


def open_cases(user: Any, org: Organization | None = None) -> QuerySet[Case]:
    """The open cases in the viewer's scope, within an organization's subtree if given."""
    cases = visible_cases(user).filter(status=CaseStatus.OPEN)
    if org is not None:
        cases = cases.filter(subtree_q(org.path, "org_path"))
    return cases.select_related("organization").defer(*UNLISTED_FIELDS)


def _groups(today: dt.date, soon: int) -> dict[str, Q]:
    """The due list's groups as filters on the next step's latest date kept on each case."""
    window = today + dt.timedelta(days=soon)
    return {
        "overdue": Q(next_latest__lt=today),
        "due_soon": Q(next_latest__gte=today, next_latest__lte=window),
        "later": Q(next_latest__gt=window),
        "undated": Q(next_latest__isnull=True),
    }


GROUPS = ("overdue", "due_soon", "later", "undated")


def due_group(
    user: Any,
    group: str,
    *,
    org: Organization | None = None,
    today: dt.date | None = None,
    soon_days: int | None = None,
) -> QuerySet[Case]:
    """One group of the due list, in its order, to page through (rows: ``kept_deadline``)."""
    today = today or timezone.localdate()
    soon = RULES_CONFIG.due_soon_days if soon_days is None else soon_days
    return (
        open_cases(user, org)
        .filter(_groups(today, soon)[group], next_step__isnull=False)
        .order_by(F("next_latest").asc(nulls_last=True), "pk")
    )


def kept_deadline(case: Case, today: dt.date, soon: int) -> CaseDeadline:
    """A case's next step from the dates kept on it (services.set_next_step), without reading
    its history."""
    deadline = Deadline(
        step=case.next_step or 0, earliest=case.next_earliest, latest=case.next_latest
    )
    return CaseDeadline(
        case=case,
        deadline=deadline,
        status=deadline.status(today, soon_days=soon),
        days_left=deadline.days_left(today),
    )


def due_list(
    user: Any,
    *,
    org: Organization | None = None,
    today: dt.date | None = None,
    soon_days: int | None = None,
    limit: int | None = None,
    groups: Sequence[str] = ("overdue", "due_soon", "later", "undated"),
) -> DueList:
    """A branch's or committee's view: what is overdue, due within ``soon_days`` (30 by
    default), due later, and open without a latest date; each group's full count, and the rows
    of the ``groups`` asked for sorted by latest date (the first ``limit`` of each, or all).

    Read from the next step and its dates kept on the cases (an index range a group, no
    history read), so it costs the same for a branch and for a committee of thousands."""
    today = today or timezone.localdate()
    soon = RULES_CONFIG.due_soon_days if soon_days is None else soon_days
    cases = open_cases(user, org).filter(next_step__isnull=False)
    filters = _groups(today, soon)
    result = DueList()
    result.counts = cases.order_by().aggregate(
        **{name: Count("id", filter=q) for name, q in filters.items()}
    )
    for name, q in filters.items():
        if name not in groups:
            continue
        ordered = cases.filter(q).order_by(F("next_latest").asc(nulls_last=True), "pk")
        found = ordered[:limit] if limit is not None else ordered
        getattr(result, name).extend(kept_deadline(c, today, soon) for c in found)
    return result
