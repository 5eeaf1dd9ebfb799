"""One check per rule identifier of domain-rules.md sections 1.3 to 1.5. No Django.

Each check reads a ``Ctx`` (the case's history, the new step, the version in force on its
date, the working-day calendar, the configuration and the facts the Django layer looked up)
and returns a ``Violation`` or None. ``RULES`` lists them in the order they are evaluated.
A check that needs an earlier step which is missing returns None: DEV-ORDER reports that.

Every message is an English format string marked with ``gettext_noop`` (a whole sentence, never
a fragment joined at run time), so that ``makemessages`` extracts it and the Django layer can
translate it before filling its placeholders (tests/test_rule_messages.py checks both).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from dangjian.development.rules.i18n import gettext_noop
from dangjian.development.rules.model import (
    NON_APPROVING_KINDS,
    CaseHistory,
    Facts,
    RulesConfig,
    Severity,
    StepRecord,
    Violation,
)
from dangjian.development.rules.steps import (
    ADMISSION_OUTCOMES,
    CANCEL,
    CONVERT,
    EXTEND,
    FIELDS,
    OUTCOMES,
    QUALIFIED,
    REJECT,
    REVIEW_CONCLUSIONS,
    step,
)
from dangjian.development.rules.versions import ENTITLED_FULL, ENTITLED_VOTING, RuleVersion
from dangjian.lib.dates import add_months
from dangjian.lib.workdays import WorkdayCalendar

# Where each rule comes from, with its verification label (domain-rules.md section 0).
SOURCES: dict[str, str] = {
    "DEV-FIELDS": "issue 5 API contract; domain-rules.md 1.2",
    "DEV-ORDER": "domain-rules.md 1.2-1.3; PartyOps DATE_ORDER_INVALID [V-code]",
    "DEV-AGE": "D-1 [V-page] http://44bootlegger.com/info/1383/9956.html",
    "DEV-TALK": "Art 7 [V-page] m.qiqiwenku.com; HPartySystem deadline_days=30 [V-code]",
    "DEV-CONTACTS": "Art 9 [V-code] HPartySystem; czhgo/GSM1921-SOP",
    "DEV-ASSESS": "Art 11 [V-page]; HPartySystem periodic_days=180 [V-code]",
    "DEV-1YEAR": "Art 13 [V-page]; PartyOps DEVELOPMENT_OBJECT_TOO_EARLY [V-code]",
    "DEV-NOTICE": "2026 Art 13 [V-code] czhgo/GSM1921-SOP; before 2026 [LOCAL]",
    "DEV-SPONSOR": "Art 14 [V-code] HPartySystem QUALIFICATION_RULE; 2026 Art 14 quoted",
    "DEV-PV": "Art 16-17 [V-code] HPartySystem; PartyOps; INV-1",
    "DEV-TRAIN": "Art 18 / 2026 Art 17 [V-code] HPartySystem; PartyOps TRAINING_INSUFFICIENT",
    "DEV-LEAVE3M": "Art 19 [V-page] uianet.net/dictionary/b6951661.html",
    "DEV-PRE2BR": "2026 Art 19 [V-code] PartyOps BRANCH_MEETING_OVERDUE",
    "DEV-VOTE-COUNTS": "V-4, INV-3 [V-page] 33.wendadaohang.com; rutwi.com",
    "DEV-QUORUM": "V-1 [V-page] 88.wendadaohang.com; 2026 Art 19 [V-code]",
    "DEV-MAJORITY": "V-3 [V-page]; HPartySystem [V-code]; 2026 Art 20 [V-code]",
    "DEV-APPROVER": "D-4, INV-4 [V-page] fuwu.12371.cn/2017/07/24/ARTI1500860283547773.shtml",
    "DEV-APPR": "INV-5 [V-page] p2.ttnews.xyz; PartyOps COMMITTEE_APPROVAL_OVERDUE [V-code]",
    "DEV-PROB": "党章 Art 7; Art 32 [V-page] 88.wendadaohang.com",
    "DEV-EXT": "Art 32 [V-page] 88.wendadaohang.com; nxjgdj.gov.cn",
    "DEV-CONV-APPR": "[V-code] HPartySystem; 2026 Art 33 [V-code]; m.gaosan.com [V-page]",
}


@dataclass(frozen=True)
class Ctx:
    history: CaseHistory
    new: StepRecord
    version: RuleVersion
    calendar: WorkdayCalendar
    config: RulesConfig
    facts: Facts

    def violation(
        self,
        rule: str,
        message: str,
        *,
        dates: Mapping[str, dt.date] | None = None,
        severity: Severity = Severity.BLOCK,
        exceptable: bool = True,
        provisional: bool = False,
        **params: object,
    ) -> Violation:
        excepted = exceptable and rule in self.config.exceptable and rule in self.new.exceptions
        return Violation(
            rule=rule,
            article=self.version.article(rule),
            source=SOURCES[rule],
            message=message,
            version=self.version.key,
            severity=severity,
            dates={"date": self.new.date, **(dates or {})},
            params={"step": self.new.step, **params},
            excepted=excepted,
            provisional=provisional,
        )


def notice_days(version: RuleVersion, config: RulesConfig) -> Mapping[int, int]:
    return config.notice_working_days.get(version.key, version.notice_working_days)


def prereview_months(version: RuleVersion, config: RulesConfig) -> int | None:
    return config.prereview_to_branch_months.get(version.key, version.prereview_to_branch_months)


def probation_end(history: CaseHistory, version: RuleVersion, config: RulesConfig) -> dt.date:
    """The day probation expires: the admission meeting + 1 year + any extension (DEV-PROB)."""
    meeting = history.first(15)
    if meeting is None:
        raise ValueError("no admission meeting (step 15)")
    months = version.probation_months + sum(
        r.extension_months or 0 for r in history.of(23) if r.outcome == EXTEND
    )
    end = add_months(meeting.date, months)
    return end + dt.timedelta(days=1) if config.probation_end_next_day else end


def _decimal(value: object) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


# ---------------------------------------------------------------------------------------------


def rejected(history: CaseHistory) -> bool:
    """The committee did not approve the admission (step 17): the case has ended."""
    decision = history.last(17)
    return decision is not None and decision.outcome == REJECT


def check_fields(c: Ctx) -> Violation | None:
    definition = step(c.new.step)
    for name in FIELDS:
        if c.new.given(name) and name not in definition.fields:
            return c.violation(
                "DEV-FIELDS", gettext_noop("Step {step} does not record {field}."), field=name
            )
    for name in definition.required:
        if not c.new.given(name):
            return c.violation(
                "DEV-FIELDS", gettext_noop("Step {step} must record {field}."), field=name
            )
    if c.new.step == 11 and not (c.new.given("training_days") or c.new.given("training_hours")):
        return c.violation(
            "DEV-FIELDS", gettext_noop("Step {step} must record training_days or training_hours.")
        )
    if c.new.review_conclusion is not None and c.new.review_conclusion not in REVIEW_CONCLUSIONS:
        return c.violation(
            "DEV-FIELDS",
            gettext_noop("The review conclusion must be one of {allowed}."),
            allowed=", ".join(REVIEW_CONCLUSIONS),
        )
    allowed = ADMISSION_OUTCOMES if c.new.step == 17 else OUTCOMES
    if c.new.outcome is not None and c.new.outcome not in allowed:
        return c.violation(
            "DEV-FIELDS",
            gettext_noop("The outcome must be one of {allowed}."),
            allowed=", ".join(allowed),
        )
    if c.new.extension_months is not None and c.new.outcome != EXTEND:
        return c.violation(
            "DEV-FIELDS", gettext_noop("extension_months is recorded only with the outcome extend.")
        )
    for name in ("training_days", "training_hours"):
        if _decimal(getattr(c.new, name)) < 0:
            return c.violation(
                "DEV-FIELDS", gettext_noop("{field} cannot be negative."), field=name
            )
    return None


def check_order(c: Ctx) -> Violation | None:
    h, n = c.history, c.new.step
    definition = step(n)
    last23 = h.last(23)
    if h.has(25) or rejected(h) or (last23 is not None and last23.outcome == CANCEL and n != 24):
        return c.violation(
            "DEV-ORDER", gettext_noop("The case is closed: no step {step} can follow.")
        )
    for required in definition.requires:
        if not h.has(required):
            return c.violation(
                "DEV-ORDER",
                gettext_noop("Step {step} needs step {required} first."),
                required=required,
            )
    if h.has(n) and not definition.repeatable:
        return c.violation("DEV-ORDER", gettext_noop("Step {step} is already recorded."))
    if n == 23 and last23 is not None:
        approved = h.last(24)
        if last23.outcome != EXTEND or approved is None or approved.date < last23.date:
            return c.violation(
                "DEV-ORDER",
                gettext_noop(
                    "A second conversion meeting follows only an approved extension of probation."
                ),
            )
    if n == 24 and last23 is not None:
        approved = h.last(24)
        if approved is not None and approved.date >= last23.date:
            return c.violation("DEV-ORDER", gettext_noop("Step {step} is already recorded."))
    if n == 25 and (last23 is None or last23.outcome != CONVERT):
        return c.violation(
            "DEV-ORDER",
            gettext_noop("Materials are archived only after the conversion is approved."),
        )
    earlier = [r for r in h.steps if r.step < n]
    if earlier:
        latest = max(earlier, key=lambda r: (r.date, r.step))
        if c.new.date < latest.date:
            return c.violation(
                "DEV-ORDER",
                gettext_noop(
                    "Step {step} on {date} cannot come before step {previous} on {previous_date}."
                ),
                dates={"previous_date": latest.date},
                previous=latest.step,
            )
    return None


def check_age(c: Ctx) -> Violation | None:
    if c.new.step != 1:
        return None
    birth = c.history.birth_date
    if birth is None:
        return c.violation("DEV-AGE", gettext_noop("The applicant's birth date is not known."))
    adult = add_months(birth, 12 * c.version.min_age_years)
    if c.new.date < adult:
        return c.violation(
            "DEV-AGE",
            gettext_noop(
                "The application on {date} is before the applicant turns {years} on {adult_date}."
            ),
            dates={"adult_date": adult, "birth_date": birth},
            years=c.version.min_age_years,
        )
    return None


def check_talk(c: Ctx) -> Violation | None:
    application = c.history.first(1)
    if c.new.step != 2 or application is None:
        return None
    latest = add_months(application.date, c.version.talk_within_months)
    if c.new.date > latest:
        return c.violation(
            "DEV-TALK",
            gettext_noop(
                "The talk on {date} is later than one month after the application on "
                "{application_date} (last day {latest_date})."
            ),
            dates={"application_date": application.date, "latest_date": latest},
        )
    return None


# Why a member named by a step cannot serve (the ``problem`` of the violation's params), and
# the whole sentence each gives, so that a translation never has to join a fragment.
NOT_KNOWN = "is not a known member"
NOT_FULL = "is not a full member"
SANCTIONED = "is under probation within the Party (留党察看) with rights not restored"
CONTACT_MESSAGES: dict[str, str] = {
    NOT_KNOWN: gettext_noop("Cultivation contact {member} is not a known member."),
    NOT_FULL: gettext_noop("Cultivation contact {member} is not a full member."),
    SANCTIONED: gettext_noop(
        "Cultivation contact {member} is under probation within the Party (留党察看) "
        "with rights not restored."
    ),
}
SPONSOR_MESSAGES: dict[str, str] = {
    NOT_KNOWN: gettext_noop("Sponsor {member} is not a known member."),
    NOT_FULL: gettext_noop("Sponsor {member} is not a full member."),
    SANCTIONED: gettext_noop(
        "Sponsor {member} is under probation within the Party (留党察看) with rights not restored."
    ),
}


def _member_problem(c: Ctx, member: int, *, sanction_matters: bool) -> str | None:
    facts = c.facts.members.get(member)
    if facts is None:
        return NOT_KNOWN
    if not facts.full_member:
        return NOT_FULL
    if sanction_matters and facts.sanction_unrestored:
        return SANCTIONED
    return None


def check_contacts(c: Ctx) -> Violation | None:
    if c.new.step != 5 or not c.new.contacts:
        return None
    contacts = set(c.new.contacts)
    low, high = c.version.contacts_min, c.version.contacts_max
    if len(contacts) != len(c.new.contacts) or not low <= len(contacts) <= high:
        return c.violation(
            "DEV-CONTACTS",
            gettext_noop(
                "An activist has {low} to {high} different cultivation contacts, not {count}."
            ),
            low=low,
            high=high,
            count=len(c.new.contacts),
        )
    for member in c.new.contacts:
        problem = _member_problem(c, member, sanction_matters=False)
        if problem:
            return c.violation(
                "DEV-CONTACTS",
                CONTACT_MESSAGES[problem],
                member=member,
                problem=problem,
            )
    return None


def check_assess(c: Ctx) -> Violation | None:
    start = c.history.first(c.config.activist_start_step) if c.new.step == 7 else None
    if start is None:
        return None
    months = c.version.activist_assessment_months
    previous = start.date
    for record in [*c.history.of(6), c.new]:
        due = add_months(previous, months)
        if record.date > due:
            return c.violation(
                "DEV-ASSESS",
                gettext_noop(
                    "No assessment of the activist between {from_date} and {due_date} "
                    "(one is due every {months} months)."
                ),
                dates={"from_date": previous, "due_date": due},
                severity=Severity.WARN,
                months=months,
            )
        previous = max(previous, record.date)
    return None


def check_one_year(c: Ctx) -> Violation | None:
    start = c.history.first(c.config.activist_start_step) if c.new.step == 7 else None
    if start is None:
        return None
    earliest = add_months(start.date, c.version.activist_min_months)
    if c.new.date < earliest:
        return c.violation(
            "DEV-1YEAR",
            gettext_noop(
                "A development object is selected after at least one year as an activist: "
                "activist since {activist_date}, earliest {earliest_date}, not {date}."
            ),
            dates={"activist_date": start.date, "earliest_date": earliest},
        )
    return None


def check_notice(c: Ctx) -> Violation | None:
    days = notice_days(c.version, c.config).get(c.new.step, 0)
    if not days:
        return None
    start, end = c.new.notice_start, c.new.notice_end
    if start is None or end is None:
        return c.violation(
            "DEV-NOTICE",
            gettext_noop(
                "Step {step} needs a public notice of at least {days} working days "
                "(notice_start and notice_end)."
            ),
            days=days,
        )
    if end < start:
        return c.violation(
            "DEV-NOTICE",
            gettext_noop("The notice ends on {notice_end} before it starts on {notice_start}."),
            dates={"notice_start": start, "notice_end": end},
        )
    counted = c.calendar.working_days_between(start, end)
    if counted.days < days:
        last = c.calendar.last_of_working_days(start, days)
        return c.violation(
            "DEV-NOTICE",
            gettext_noop(
                "The notice from {notice_start} to {notice_end} lasts {counted} working days, "
                "not the {days} required (it could end on {earliest_end} at the earliest)."
            ),
            dates={"notice_start": start, "notice_end": end, "earliest_end": last.date},
            provisional=counted.provisional or last.provisional,
            days=days,
            counted=counted.days,
        )
    if c.new.date <= end:
        return c.violation(
            "DEV-NOTICE",
            gettext_noop(
                "Step {step} on {date} must follow the end of the notice on {notice_end}."
            ),
            dates={"notice_start": start, "notice_end": end},
            provisional=counted.provisional,
        )
    return None


def check_sponsors(c: Ctx) -> Violation | None:
    if c.new.step != 9 or not c.new.sponsors:
        return None
    required = c.version.sponsors_required
    if len(set(c.new.sponsors)) != required or len(c.new.sponsors) != required:
        return c.violation(
            "DEV-SPONSOR",
            gettext_noop(
                "A development object has exactly {required} different sponsors, not {count}."
            ),
            required=required,
            count=len(c.new.sponsors),
        )
    for member in c.new.sponsors:
        problem = _member_problem(c, member, sanction_matters=True)
        if problem:
            return c.violation(
                "DEV-SPONSOR", SPONSOR_MESSAGES[problem], member=member, problem=problem
            )
    return None


def check_political_review(c: Ctx) -> Violation | None:
    if not 12 <= c.new.step <= 15:
        return None
    review = c.history.last(10)
    if review is None:
        return c.violation(
            "DEV-PV", gettext_noop("No political review is recorded before step {step}.")
        )
    if review.review_conclusion != QUALIFIED:
        return c.violation(
            "DEV-PV",
            gettext_noop("The political review of {review_date} did not conclude qualified."),
            dates={"review_date": review.date},
        )
    return None


def check_training(c: Ctx) -> Violation | None:
    if c.new.step != 15:
        return None
    days, hours = c.version.training_min_days, c.version.training_min_hours
    best_days = max((_decimal(r.training_days) for r in c.history.of(11)), default=Decimal(0))
    best_hours = max((_decimal(r.training_hours) for r in c.history.of(11)), default=Decimal(0))
    if best_days >= days or best_hours >= hours:
        return None
    return c.violation(
        "DEV-TRAIN",
        gettext_noop(
            "The intensive training recorded ({training_days} days, {training_hours} hours) is "
            "less than {days} days or {hours} hours."
        ),
        training_days=str(best_days),
        training_hours=str(best_hours),
        days=days,
        hours=hours,
    )


def check_leave(c: Ctx) -> Violation | None:
    leave = c.history.expected_leave_date
    if c.new.step != 13 or leave is None:
        return None
    horizon = add_months(c.new.date, c.version.leave_within_months)
    if leave <= horizon:
        return c.violation(
            "DEV-LEAVE3M",
            gettext_noop(
                "The development object leaves the unit on {leave_date}, within {months} months "
                "of the pre-review on {date}: normally not admitted."
            ),
            dates={"leave_date": leave},
            severity=Severity.WARN,
            months=c.version.leave_within_months,
        )
    return None


def check_prereview_to_branch(c: Ctx) -> Violation | None:
    months = prereview_months(c.version, c.config)
    prereview = c.history.last(13)
    if c.new.step != 15 or months is None or prereview is None:
        return None
    latest = add_months(prereview.date, months)
    if c.new.date > latest:
        return c.violation(
            "DEV-PRE2BR",
            gettext_noop(
                "The branch meeting on {date} is later than {months} month(s) after the "
                "pre-review on {prereview_date} (last day {latest_date})."
            ),
            dates={"prereview_date": prereview.date, "latest_date": latest},
            months=months,
        )
    return None


def check_vote_counts(c: Ctx) -> Violation | None:
    if c.new.step not in (15, 23):
        return None
    vote = c.new.vote
    if vote is None:
        return c.violation(
            "DEV-VOTE-COUNTS",
            gettext_noop("Step {step} needs the vote of the branch general meeting."),
        )
    numbers = (vote.entitled, vote.present, vote.yes, vote.written_yes)
    if (
        min(numbers) < 0
        or vote.entitled < 1
        or vote.present > vote.entitled
        or vote.yes > vote.present
        or vote.written_yes > vote.entitled - vote.present
    ):
        return c.violation(
            "DEV-VOTE-COUNTS",
            gettext_noop(
                "The vote counts do not add up: entitled {entitled}, present {present}, "
                "yes {yes}, written yes {written_yes}."
            ),
            entitled=vote.entitled,
            present=vote.present,
            yes=vote.yes,
            written_yes=vote.written_yes,
        )
    return None


def check_quorum(c: Ctx) -> Violation | None:
    vote = c.new.vote if c.new.step in (15, 23) else None
    if vote is None:
        return None
    if vote.present * 2 <= vote.entitled:
        return c.violation(
            "DEV-QUORUM",
            gettext_noop(
                "{present} voting members present is not more than half of the {entitled} "
                "entitled to attend."
            ),
            present=vote.present,
            entitled=vote.entitled,
        )
    return None


# The majority refusal in the words of each version (``RuleVersion.majority_denominator``); a
# denominator not listed is named through the ``{denominator}`` placeholder.
MAJORITY_MESSAGES: dict[str, str] = {
    ENTITLED_FULL: gettext_noop(
        "{yes} yes votes (written opinions included) is not more than half of the {entitled} "
        "entitled voting full members (应到会有表决权的正式党员)."
    ),
    ENTITLED_VOTING: gettext_noop(
        "{yes} yes votes (written opinions included) is not more than half of the {entitled} "
        "entitled voting members (应到会有表决权的党员)."
    ),
}


def check_majority(c: Ctx) -> Violation | None:
    vote = c.new.vote if c.new.step in (15, 23) else None
    if vote is None:
        return None
    if vote.total_yes * 2 <= vote.entitled:
        return c.violation(
            "DEV-MAJORITY",
            MAJORITY_MESSAGES.get(
                c.version.majority_denominator,
                gettext_noop(
                    "{yes} yes votes (written opinions included) is not more than half of the "
                    "{entitled} {denominator}."
                ),
            ),
            yes=vote.total_yes,
            entitled=vote.entitled,
            denominator=c.version.majority_denominator,
        )
    return None


def check_approver(c: Ctx) -> Violation | None:
    code = c.new.approver_org if c.new.step in (13, 17, 24) else None
    if code is None:
        return None
    org = c.facts.orgs.get(code)
    if org is None or not org.can_approve_members or org.kind in NON_APPROVING_KINDS:
        return c.violation(
            "DEV-APPROVER",
            gettext_noop("Organization {org} has no authority to approve new members."),
            org=code,
        )
    return None


def check_approval(c: Ctx) -> Violation | None:
    meeting = c.history.last(15)
    if c.new.step != 17 or meeting is None:
        return None
    latest = add_months(meeting.date, c.version.approval_months)
    limit = add_months(meeting.date, c.version.approval_max_months)
    if c.new.date > limit:
        return c.violation(
            "DEV-APPR",
            gettext_noop(
                "The approval on {date} is later than {max_months} months after the branch "
                "meeting on {meeting_date} (last day {limit_date})."
            ),
            dates={"meeting_date": meeting.date, "limit_date": limit},
            exceptable=False,
            max_months=c.version.approval_max_months,
        )
    if c.new.date > latest:
        return c.violation(
            "DEV-APPR",
            gettext_noop(
                "The approval on {date} is later than {months} months after the branch meeting "
                "on {meeting_date} (due by {latest_date}): record the reason."
            ),
            dates={"meeting_date": meeting.date, "latest_date": latest},
            severity=Severity.WARN,
            months=c.version.approval_months,
        )
    return None


def check_probation(c: Ctx) -> Violation | None:
    if c.new.step != 23 or c.new.outcome not in (CONVERT, EXTEND) or not c.history.has(15):
        return None
    end = probation_end(c.history, c.version, c.config)
    if c.new.date < end:
        return c.violation(
            "DEV-PROB",
            gettext_noop(
                "The conversion meeting on {date} is before the probation ends on {probation_end}."
            ),
            dates={"probation_end": end},
        )
    return None


def check_extension(c: Ctx) -> Violation | None:
    if c.new.step != 23 or c.new.outcome != EXTEND:
        return None
    done = sum(1 for r in c.history.of(23) if r.outcome == EXTEND)
    if done >= c.version.extensions_max:
        return c.violation("DEV-EXT", gettext_noop("Probation can be extended only once."))
    months = c.new.extension_months
    low, high = c.version.extension_min_months, c.version.extension_max_months
    if months is None or not low <= months <= high:
        return c.violation(
            "DEV-EXT",
            gettext_noop("An extension of probation lasts {low} to {high} months, not none.")
            if months is None
            else gettext_noop(
                "An extension of probation lasts {low} to {high} months, not {months}."
            ),
            low=low,
            high=high,
            months="none" if months is None else months,
        )
    return None


def check_conversion_approval(c: Ctx) -> Violation | None:
    meeting = c.history.last(23)
    if c.new.step != 24 or meeting is None:
        return None
    if c.new.outcome and meeting.outcome and c.new.outcome != meeting.outcome:
        return c.violation(
            "DEV-CONV-APPR",
            gettext_noop(
                "The approval decides on what the branch meeting of {meeting_date} resolved "
                "({resolved}), not {outcome}: to disagree, return the case to the branch."
            ),
            dates={"meeting_date": meeting.date},
            exceptable=False,
            resolved=meeting.outcome,
            outcome=c.new.outcome,
        )
    latest = add_months(meeting.date, c.version.conversion_approval_months)
    if c.new.date > latest:
        return c.violation(
            "DEV-CONV-APPR",
            gettext_noop(
                "The approval on {date} is later than {months} months after the conversion "
                "meeting on {meeting_date} (last day {latest_date})."
            ),
            dates={"meeting_date": meeting.date, "latest_date": latest},
            months=c.version.conversion_approval_months,
        )
    return None


Check = Callable[[Ctx], Violation | None]

RULES: tuple[tuple[str, Check], ...] = (
    ("DEV-FIELDS", check_fields),
    ("DEV-ORDER", check_order),
    ("DEV-AGE", check_age),
    ("DEV-TALK", check_talk),
    ("DEV-CONTACTS", check_contacts),
    ("DEV-ASSESS", check_assess),
    ("DEV-1YEAR", check_one_year),
    ("DEV-NOTICE", check_notice),
    ("DEV-SPONSOR", check_sponsors),
    ("DEV-PV", check_political_review),
    ("DEV-TRAIN", check_training),
    ("DEV-LEAVE3M", check_leave),
    ("DEV-PRE2BR", check_prereview_to_branch),
    ("DEV-VOTE-COUNTS", check_vote_counts),
    ("DEV-QUORUM", check_quorum),
    ("DEV-MAJORITY", check_majority),
    ("DEV-APPROVER", check_approver),
    ("DEV-APPR", check_approval),
    ("DEV-PROB", check_probation),
    ("DEV-EXT", check_extension),
    ("DEV-CONV-APPR", check_conversion_approval),
)
