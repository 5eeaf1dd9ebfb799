"""Evaluate a new development step, and tell a case's next step with its dates. No Django.

``evaluate`` judges the new step under the rule version in force on its date (or on the
case's application date, if so configured) and returns every violation in rule order; the
first blocking one is what a refusal names. Steps already recorded are never re-judged, so a
history recorded under 2014.06 stays valid when 2026.05 comes into force.

``next_step`` gives the step a case waits for, with its earliest and latest dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from dangjian.development.rules.checks import (
    RULES,
    Ctx,
    notice_days,
    prereview_months,
    probation_end,
    rejected,
)
from dangjian.development.rules.model import (
    CaseHistory,
    Facts,
    RulesConfig,
    StepRecord,
    Violation,
)
from dangjian.development.rules.steps import CANCEL, CONVERT, EXTEND, STEPS, step
from dangjian.development.rules.versions import VERSIONS, RuleVersion
from dangjian.lib.dates import add_months
from dangjian.lib.workdays import WorkdayCalendar

RULE_IDS: tuple[str, ...] = tuple(rule for rule, _ in RULES)


def version_for(day: dt.date, config: RulesConfig | None = None) -> RuleVersion:
    """The version in force on a day (the earliest version before its effective date)."""
    effective = (config or RulesConfig()).effective
    ordered = sorted(VERSIONS, key=lambda v: effective.get(v.key, v.effective))
    chosen = ordered[0]
    for version in ordered:
        if effective.get(version.key, version.effective) <= day:
            chosen = version
    return chosen


def _judging_date(history: CaseHistory, new_step: StepRecord, config: RulesConfig) -> dt.date:
    application = history.first(1)
    if config.version_by == "case_start" and application is not None:
        return application.date
    return new_step.date


def evaluate(
    case_history: CaseHistory,
    new_step: StepRecord,
    *,
    calendar: WorkdayCalendar,
    config: RulesConfig | None = None,
    facts: Facts | None = None,
) -> list[Violation]:
    """Every rule the new step breaks, in rule order (warnings and excepted ones included)."""
    config = config or RulesConfig()
    step(new_step.step)  # an unknown step number is a programming error
    ctx = Ctx(
        history=case_history,
        new=new_step,
        version=version_for(_judging_date(case_history, new_step, config), config),
        calendar=calendar,
        config=config,
        facts=facts or Facts(),
    )
    found = []
    for rule, check in RULES:
        if rule in config.disabled:
            continue
        violation = check(ctx)
        if violation is not None:
            found.append(violation)
    return found


def blocking(violations: Iterable[Violation]) -> list[Violation]:
    return [v for v in violations if v.blocking]


def first_blocking(violations: Iterable[Violation]) -> Violation | None:
    return next((v for v in violations if v.blocking), None)


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    step: int
    earliest: dt.date | None
    latest: dt.date | None  # the rule's due date (a warning past it)
    rule: str | None = None  # the rule that sets the dates
    hard_latest: dt.date | None = None  # past this the step is invalid (DEV-APPR: 6 months)
    version: str = ""
    notice_working_days: int = 0  # working days of public notice the step needs

    def days_left(self, today: dt.date) -> int | None:
        return None if self.latest is None else (self.latest - today).days

    def status(self, today: dt.date, *, soon_days: int = 30) -> str:
        """``overdue``, ``due_soon`` (within ``soon_days``), ``open`` or ``not_yet``."""
        if self.latest is not None and today > self.latest:
            return "overdue"
        if self.earliest is not None and today < self.earliest:
            return "not_yet"
        if self.latest is not None and (self.latest - today).days <= soon_days:
            return "due_soon"
        return "open"


def _pending(history: CaseHistory) -> int | None:
    """The number of the step the case waits for, or None when it is closed."""
    if history.has(25) or rejected(history):
        return None
    last23, last24 = history.last(23), history.last(24)
    if last23 is not None:
        approved = last24 is not None and last24.date >= last23.date
        if not approved:
            return 24
        if last23.outcome == CANCEL:
            return None
        if last23.outcome == EXTEND:
            return 23
        if last23.outcome == CONVERT:
            return 25
    for definition in STEPS:
        if definition.number in (6, 21):  # recurring assessments, not a next step
            continue
        if history.has(definition.number):
            continue
        if all(history.has(n) for n in definition.requires):
            return definition.number
    return None


def next_step(history: CaseHistory, *, config: RulesConfig | None = None) -> Deadline | None:
    """The next step of a case with its earliest and latest dates (None when closed)."""
    config = config or RulesConfig()
    if not history.steps:
        return Deadline(step=1, earliest=None, latest=None)
    number = _pending(history)
    if number is None:
        return None
    after = max(r.date for r in history.steps if r.step < number)
    version = version_for(after, config)
    earliest: dt.date | None = after
    latest: dt.date | None = None
    hard: dt.date | None = None
    rule: str | None = None
    if number == 2 and (application := history.first(1)):
        latest, rule = add_months(application.date, version.talk_within_months), "DEV-TALK"
    elif number == 7 and (start := history.first(config.activist_start_step)):
        earliest = max(after, add_months(start.date, version.activist_min_months))
        rule = "DEV-1YEAR"
    # The limits run from the pre-review and the branch meeting whatever lies between: the
    # form (14) and the committee's talk (16) take the dates of the steps they lead to.
    elif number in (14, 15) and (prereview := history.last(13)):
        months = prereview_months(version, config)
        if months is not None:
            latest, rule = add_months(prereview.date, months), "DEV-PRE2BR"
    elif number in (16, 17) and (meeting := history.last(15)):
        latest = add_months(meeting.date, version.approval_months)
        hard = add_months(meeting.date, version.approval_max_months)
        rule = "DEV-APPR"
    elif number == 23 and history.has(15):
        earliest, rule = max(after, probation_end(history, version, config)), "DEV-PROB"
    elif number == 24 and (conversion := history.last(23)):
        latest = add_months(conversion.date, version.conversion_approval_months)
        rule = "DEV-CONV-APPR"
    return Deadline(
        step=number,
        earliest=earliest,
        latest=latest,
        rule=rule,
        hard_latest=hard,
        version=version.key,
        notice_working_days=notice_days(version, config).get(number, 0),
    )


def next_assessment(history: CaseHistory, *, config: RulesConfig | None = None) -> dt.date | None:
    """When the activist's next six-monthly assessment is due (DEV-ASSESS), while an activist."""
    config = config or RulesConfig()
    start = history.first(config.activist_start_step)
    if start is None or history.has(7):
        return None
    previous = max([start.date, *(r.date for r in history.of(6))])
    return add_months(previous, version_for(previous, config).activist_assessment_months)
