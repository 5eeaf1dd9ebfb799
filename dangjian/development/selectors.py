"""Reads of member development that depend on the viewer: every one scoped by DEVELOPMENT_VIEW
on the case's organization path."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.development.models import Case, StepEvent
from dangjian.development.rules import engine
from dangjian.development.rules.engine import Deadline
from dangjian.development.rules.steps import step as step_def
from dangjian.development.services import RULES_CONFIG, history_of, translated
from dangjian.orgs import permissions as perms


def visible_cases(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(perms.scope_q(user, perms.DEVELOPMENT_VIEW, "org_path"))


def overdue_cases(user: Any, *, today: dt.date | None = None) -> QuerySet[Case]:
    """Open cases in scope whose next step is past its latest date (kept on the case)."""
    today = today or timezone.localdate()
    return visible_cases(user).filter(status="open", next_latest__lt=today).order_by()


def case_for(user: Any, pk: int) -> Case:
    """A case the user may see, or 404 (out of scope answers as if it did not exist)."""
    return get_object_or_404(visible_cases(user).select_related("organization", "member"), pk=pk)


@dataclass
class CaseView:
    case: Case
    events: list[StepEvent]
    next_step: Deadline | None
    next_status: str
    days_left: int | None
    next_assessment: dt.date | None
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def next_row(self) -> dict[str, Any]:
        """The next step's deadline in the shape of a due-list row (for its badge)."""
        deadline = self.next_step
        return {
            "status": self.next_status,
            "days_left": self.days_left,
            "days_over": max(0, -(self.days_left or 0)),
            "earliest": deadline.earliest if deadline else None,
            "latest": deadline.latest if deadline else None,
        }


def case_view(case: Case, *, today: dt.date | None = None) -> CaseView:
    """The case's timeline, its next step with the engine's dates, and its open warnings:
    the warnings recorded on its steps, and its deadlines overdue or due soon."""
    today = today or timezone.localdate()
    events = list(
        case.steps.select_related("approver_org", "recorded_by").order_by("date", "step", "id")
    )
    history = history_of(case, events)
    deadline = engine.next_step(history, config=RULES_CONFIG) if case.status == "open" else None
    warnings: list[dict[str, Any]] = [
        {
            "step": e.step,
            "date": e.date.isoformat(),
            "rule": w.get("rule", ""),
            "article": w.get("article", ""),
            "message": translated(w["template"], w.get("values", {}), w["message"])
            if w.get("template")
            else w.get("message", ""),
        }
        for e in events
        for w in e.warnings
    ]
    status = ""
    if deadline is not None:
        status = deadline.status(today, soon_days=RULES_CONFIG.due_soon_days)
        name = _(step_def(deadline.step).name_en)
        if status == "overdue" and deadline.latest is not None:
            warnings.append(
                {
                    "step": deadline.step,
                    "date": deadline.latest.isoformat(),
                    "rule": deadline.rule or "",
                    "message": _("Step %(step)d (%(name)s) was due by %(latest)s.")
                    % {"step": deadline.step, "name": name, "latest": deadline.latest},
                }
            )
        elif status == "due_soon" and deadline.latest is not None:
            warnings.append(
                {
                    "step": deadline.step,
                    "date": deadline.latest.isoformat(),
                    "rule": deadline.rule or "",
                    "message": _("Step %(step)d (%(name)s) is due by %(latest)s.")
                    % {"step": deadline.step, "name": name, "latest": deadline.latest},
                }
            )
    assessment = engine.next_assessment(history, config=RULES_CONFIG)
    if case.status == "open" and assessment is not None and assessment < today:
        warnings.append(
            {
                "step": 6,
                "date": assessment.isoformat(),
                "rule": "DEV-ASSESS",
                "message": _("The activist's six-monthly assessment was due by %(date)s.")
                % {"date": assessment},
            }
        )
    return CaseView(
        case=case,
        events=events,
        next_step=deadline,
        next_status=status,
        days_left=deadline.days_left(today) if deadline else None,
        next_assessment=assessment,
        warnings=warnings,
    )
