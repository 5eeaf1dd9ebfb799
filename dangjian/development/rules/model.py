"""The plain data the rules engine reads and returns. No Django.

The Django layer loads a case into a ``CaseHistory`` of ``StepRecord``s, looks up the
members and organizations a step names (``Facts``), and calls the engine.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal


@dataclass(frozen=True)
class Vote:
    """A branch general meeting's vote (section 1.4)."""

    entitled: int  # 应到会有表决权 (after the exclusions of V-6)
    present: int  # voting members present (实到会有表决权)
    yes: int  # yes ballots at the meeting
    written_yes: int = 0  # yes among written opinions handed in before the meeting (V-4)

    @property
    def total_yes(self) -> int:
        return self.yes + self.written_yes


@dataclass(frozen=True)
class StepRecord:
    step: int
    date: dt.date
    talker: int | None = None
    contacts: tuple[int, ...] = ()
    sponsors: tuple[int, ...] = ()
    notice_start: dt.date | None = None
    notice_end: dt.date | None = None
    training_days: Decimal | None = None
    training_hours: Decimal | None = None
    review_conclusion: str | None = None
    vote: Vote | None = None
    approver_org: str | None = None
    outcome: str | None = None
    extension_months: int | None = None
    # Rules for which an authorized officer recorded a documented exception on this step.
    exceptions: frozenset[str] = frozenset()

    def given(self, name: str) -> bool:
        value = getattr(self, name)
        return value not in (None, ())


@dataclass(frozen=True)
class CaseHistory:
    birth_date: dt.date | None = None
    steps: tuple[StepRecord, ...] = ()
    expected_leave_date: dt.date | None = None  # e.g. graduation (DEV-LEAVE3M)

    def of(self, number: int) -> list[StepRecord]:
        return sorted((s for s in self.steps if s.step == number), key=lambda s: s.date)

    def last(self, number: int) -> StepRecord | None:
        found = self.of(number)
        return found[-1] if found else None

    def first(self, number: int) -> StepRecord | None:
        found = self.of(number)
        return found[0] if found else None

    def has(self, number: int) -> bool:
        return any(s.step == number for s in self.steps)

    def with_step(self, record: StepRecord) -> CaseHistory:
        return CaseHistory(self.birth_date, (*self.steps, record), self.expected_leave_date)


@dataclass(frozen=True)
class MemberFacts:
    """What the rules need to know of a member named by a step (on the step's date)."""

    full_member: bool  # 正式党员 (not probationary)
    sanction_unrestored: bool = False  # under 留党察看 with rights not yet restored


@dataclass(frozen=True)
class OrgFacts:
    """What the rules need to know of an organization named as approver."""

    can_approve_members: bool  # a basic-level committee holding approval authority (D-4)
    kind: str = ""  # e.g. "committee", "general_branch", "branch", "temporary", "party_group"


@dataclass(frozen=True)
class Facts:
    members: Mapping[int, MemberFacts] = field(default_factory=dict)
    orgs: Mapping[str, OrgFacts] = field(default_factory=dict)


# Kinds of organization that never approve new members, whatever their flag says (D-4).
NON_APPROVING_KINDS = frozenset({"general_branch", "branch", "temporary", "party_group"})


@dataclass(frozen=True)
class RulesConfig:
    """Institutional choices, [LOCAL] practice and unverified 2026 items, as data.

    - ``effective``: effective dates by version key, overriding versions.py.
    - ``version_by``: judge a step by the version in force on its own date (the default,
      domain-rules.md section 0.1) or on the case's application date.
    - ``notice_working_days``: by version key, {step: working days} of public notice,
      replacing the version's own (e.g. {"2014.06": {7: 5}} where a school required a
      notice before 2026; {"2026.05": {}} to drop the unverified 2026 notice).
    - ``prereview_to_branch_months``: by version key, months from pre-review to the branch
      vote (None: no limit), replacing the version's own.
    - ``activist_start_step``: the step from which the year of cultivation counts: 3, the
      branch decision (default), or 4, the filing with the parent committee (some schools).
    - ``probation_end_next_day``: probation ends the day after the anniversary (one page
      says 预备期满的次日) instead of on it (the common reading).
    - ``exceptable``: rules for which a documented exception turns a refusal into a flag.
    - ``disabled``: rules not evaluated at all.
    - ``talk_warn_days``: days after the application from which an untalked case warns.
    - ``due_soon_days``: the "due soon" window of deadlines.
    """

    effective: Mapping[str, dt.date] = field(default_factory=dict)
    version_by: Literal["step_date", "case_start"] = "step_date"
    notice_working_days: Mapping[str, Mapping[int, int]] = field(default_factory=dict)
    prereview_to_branch_months: Mapping[str, int | None] = field(default_factory=dict)
    activist_start_step: Literal[3, 4] = 3
    probation_end_next_day: bool = False
    exceptable: frozenset[str] = frozenset(
        {"DEV-TALK", "DEV-TRAIN", "DEV-PRE2BR", "DEV-APPR", "DEV-CONV-APPR", "DEV-LEAVE3M"}
    )
    disabled: frozenset[str] = frozenset()
    talk_warn_days: int = 20
    due_soon_days: int = 30


class Severity(enum.StrEnum):
    BLOCK = "block"  # the step is refused
    WARN = "warn"  # the step is recorded with a warning


@dataclass(frozen=True)
class Violation:
    """A rule broken by a step.

    ``message`` is an English format string with named placeholders filled from
    ``params`` and ``dates``; the Django layer translates it before formatting.
    """

    rule: str
    article: str
    source: str
    message: str
    version: str
    severity: Severity = Severity.BLOCK
    dates: Mapping[str, dt.date] = field(default_factory=dict)
    params: Mapping[str, object] = field(default_factory=dict)
    excepted: bool = False  # a documented exception was recorded: flagged, not refused
    provisional: bool = False  # computed with a holiday calendar lacking a year

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.BLOCK and not self.excepted

    def render(self) -> str:
        values = {**self.params, **{k: d.isoformat() for k, d in self.dates.items()}}
        return self.message.format(**values)
