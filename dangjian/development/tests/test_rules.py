"""The development rules engine: every rule broken, and at its boundary. No database."""

from __future__ import annotations

import ast
import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from dangjian.development.rules.engine import evaluate as _evaluate
from dangjian.development.rules.engine import (
    first_blocking,
    next_assessment,
    next_step,
    version_for,
)
from dangjian.development.rules.model import (
    CaseHistory,
    Facts,
    MemberFacts,
    OrgFacts,
    RulesConfig,
    Severity,
    StepRecord,
    Vote,
)
from dangjian.development.rules.steps import STAGE_NAMES, STEPS, Stage
from dangjian.lib.workdays import WorkdayCalendar

D = dt.date
FACTS = Facts(
    members={
        10: MemberFacts(full_member=True),
        11: MemberFacts(full_member=True),
        12: MemberFacts(full_member=True),
        20: MemberFacts(full_member=False),  # probationary
        21: MemberFacts(full_member=True, sanction_unrestored=True),  # 留党察看
    },
    orgs={
        "U": OrgFacts(can_approve_members=True, kind="committee"),
        "GB": OrgFacts(can_approve_members=False, kind="general_branch"),
        "T": OrgFacts(can_approve_members=True, kind="temporary"),
    },
)
NATIONAL_DAY = WorkdayCalendar.from_data(
    holidays=[D(2026, 10, d) for d in range(1, 8)], working_weekends=[D(2026, 10, 10)]
)
VOTE = Vote(entitled=10, present=8, yes=7)


def rec(step, date, **fields) -> StepRecord:
    return StepRecord(step=step, date=date, **fields)


# A complete, valid case under the 2014 rules.
CASE_2014 = (
    rec(1, D(2019, 3, 1)),
    rec(2, D(2019, 3, 20), talker=10),
    rec(3, D(2019, 4, 10)),
    rec(4, D(2019, 4, 20)),
    rec(5, D(2019, 4, 20), contacts=(10, 11)),
    rec(6, D(2019, 10, 1)),
    rec(6, D(2020, 3, 15)),
    rec(7, D(2020, 4, 10)),
    rec(8, D(2020, 4, 20)),
    rec(9, D(2020, 5, 1), sponsors=(10, 11)),
    rec(10, D(2020, 5, 10), review_conclusion="qualified"),
    rec(11, D(2020, 5, 15), training_days=Decimal(3)),
    rec(12, D(2020, 6, 1)),
    rec(13, D(2020, 6, 5), approver_org="U"),
    rec(14, D(2020, 6, 10)),
    rec(15, D(2020, 6, 20), vote=VOTE),
    rec(16, D(2020, 7, 1), talker=12),
    rec(17, D(2020, 7, 15), approver_org="U"),
    rec(18, D(2020, 7, 20)),
    rec(19, D(2020, 7, 20)),
    rec(20, D(2020, 7, 25)),
    rec(21, D(2020, 10, 1)),
    rec(22, D(2021, 6, 1)),
    rec(23, D(2021, 6, 20), vote=VOTE, outcome="convert"),
    rec(24, D(2021, 7, 1), approver_org="U"),
    rec(25, D(2021, 7, 10)),
)
BIRTH = D(2000, 1, 1)


def evaluate(history, new, *, config=None, calendar=NATIONAL_DAY, facts=FACTS):
    return _evaluate(history, new, calendar=calendar, config=config, facts=facts)


def upto(step, case=CASE_2014, **extra) -> CaseHistory:
    """The case's history before its first record of ``step``."""
    index = next(i for i, r in enumerate(case) if r.step == step)
    return CaseHistory(birth_date=BIRTH, steps=tuple(case[:index]), **extra)


def record(step, case=CASE_2014):
    return next(r for r in case if r.step == step)


def judge(step, case=CASE_2014, *, history=None, config=None, calendar=NATIONAL_DAY, **changes):
    new = replace(record(step, case), **changes)
    return evaluate(history or upto(step, case), new, config=config, calendar=calendar)


def rules(violations, *, blocking_only=True):
    return [v.rule for v in violations if v.blocking or not blocking_only]


def refused(violations, rule):
    first = first_blocking(violations)
    assert first is not None and first.rule == rule, [v.render() for v in violations]
    assert first.article and first.source and first.dates
    first.render()  # every placeholder is filled
    return first


def accepted(violations):
    assert rules(violations) == [], [v.render() for v in violations]


def shifted(case, years) -> tuple[StepRecord, ...]:
    def move(d):
        return d if d is None else d.replace(year=d.year + years)

    return tuple(
        replace(
            r, date=move(r.date), notice_start=move(r.notice_start), notice_end=move(r.notice_end)
        )
        for r in case
    )


# A complete, valid case whose later steps fall under 2026.05 (notice before step 7).
CASE_2026 = tuple(
    replace(r, notice_start=D(2027, 3, 29), notice_end=D(2027, 4, 2)) if r.step == 7 else r
    for r in shifted(CASE_2014, 7)
)


# --- the catalog and versions ---------------------------------------------------------------


def test_the_catalog_has_5_stages_and_25_steps_in_order():
    assert [s.number for s in STEPS] == list(range(1, 26))
    assert {s.stage for s in STEPS} == set(Stage) and set(STAGE_NAMES) == set(Stage)
    assert all(s.name_zh and s.name_en for s in STEPS)
    assert all(set(s.required) <= set(s.fields) for s in STEPS)
    assert all(all(n < s.number for n in s.requires) for s in STEPS)


def test_versions_by_date_and_configurable_effective_dates():
    assert version_for(D(2010, 1, 1)).key == "2014.06"  # the earliest encoded version
    assert version_for(D(2014, 5, 28)).key == "2014.06"
    assert version_for(D(2026, 5, 10)).key == "2014.06"
    assert version_for(D(2026, 5, 11)).key == "2026.05"
    later = RulesConfig(effective={"2026.05": D(2026, 7, 1)})
    assert version_for(D(2026, 6, 30), later).key == "2014.06"


@pytest.mark.parametrize("case", [CASE_2014, CASE_2026], ids=["2014", "2026"])
def test_a_complete_valid_case_passes_every_step(case):
    for index, new in enumerate(case):
        history = CaseHistory(birth_date=BIRTH, steps=tuple(case[:index]))
        assert evaluate(history, new) == [], (new, [v.render() for v in evaluate(history, new)])


def test_a_2014_history_stays_valid_after_2026_and_new_steps_follow_their_date():
    # Re-judging every stored 2014 step, with 2026 in the table, finds nothing.
    for index, new in enumerate(CASE_2014):
        history = CaseHistory(birth_date=BIRTH, steps=tuple(CASE_2014[:index]))
        assert all(v.version == "2014.06" for v in evaluate(history, new))
        assert evaluate(history, new) == []
    # A case begun under 2014 (steps 1-6 in 2025) lists its development object in June 2026:
    # that step is judged by 2026.05 and needs the public notice.
    case = shifted(CASE_2014, 6)  # activist 2025-04-10, step 7 on 2026-04-10
    new = replace(record(7, case), date=D(2026, 6, 1))
    history = upto(7, case)
    violation = refused(evaluate(history, new), "DEV-NOTICE")
    assert violation.version == "2026.05" and violation.article == "细则2026 Art 13"
    # The same step dated before 2026-05-11 is judged by 2014.06: no notice needed.
    accepted(evaluate(history, replace(new, date=D(2026, 5, 10))))
    # Configured to judge a case by the version of its start, the 2026 step follows 2014.
    accepted(evaluate(history, new, config=RulesConfig(version_by="case_start")))


# --- DEV-AGE ----------------------------------------------------------------------------------


def test_age_18th_birthday_accepted_the_day_before_refused():
    history = CaseHistory(birth_date=D(2007, 3, 15))
    accepted(evaluate(history, rec(1, D(2025, 3, 15))))
    v = refused(evaluate(history, rec(1, D(2025, 3, 14))), "DEV-AGE")
    assert v.dates["adult_date"] == D(2025, 3, 15) and "2025-03-15" in v.render()
    leap = CaseHistory(birth_date=D(2008, 2, 29))
    accepted(evaluate(leap, rec(1, D(2026, 2, 28))))
    refused(evaluate(leap, rec(1, D(2026, 2, 27))), "DEV-AGE")
    refused(evaluate(CaseHistory(), rec(1, D(2026, 2, 27))), "DEV-AGE")


# --- DEV-TALK ---------------------------------------------------------------------------------


def test_talk_within_one_calendar_month_clamped_to_month_end():
    history = CaseHistory(birth_date=BIRTH, steps=(rec(1, D(2025, 1, 31)),))
    accepted(evaluate(history, rec(2, D(2025, 2, 28), talker=10)))
    v = refused(evaluate(history, rec(2, D(2025, 3, 1), talker=10)), "DEV-TALK")
    assert v.dates == {
        "date": D(2025, 3, 1),
        "application_date": D(2025, 1, 31),
        "latest_date": D(2025, 2, 28),
    }
    assert v.article == "细则2014 Art 7" and "[V-page]" in v.source
    # A documented exception turns the refusal into a flag.
    late = rec(2, D(2025, 3, 1), talker=10, exceptions=frozenset({"DEV-TALK"}))
    flagged = evaluate(history, late)
    assert rules(flagged) == [] and flagged[0].excepted


# --- DEV-ORDER and DEV-FIELDS -------------------------------------------------------------------


def test_order_steps_need_their_predecessors_and_monotonic_dates():
    refused(judge(3, history=CaseHistory(BIRTH, (rec(1, D(2019, 3, 1)),))), "DEV-ORDER")
    refused(judge(3, date=D(2019, 3, 19)), "DEV-ORDER")  # before the talk
    accepted(judge(3, date=D(2019, 3, 20)))  # the same day as the talk
    refused(judge(1, history=CaseHistory(BIRTH, (rec(1, D(2019, 3, 1)),))), "DEV-ORDER")
    cancelled = (*CASE_2014[:23], rec(23, D(2021, 6, 20), vote=VOTE, outcome="cancel"))
    accepted(judge(24, history=CaseHistory(BIRTH, cancelled)))
    closed = CaseHistory(BIRTH, (*cancelled, rec(24, D(2021, 7, 1), approver_org="U")))
    refused(evaluate(closed, rec(21, D(2021, 7, 2))), "DEV-ORDER")
    refused(evaluate(closed, rec(25, D(2021, 7, 2))), "DEV-ORDER")


def test_fields_belong_to_their_step_and_take_known_values():
    refused(judge(2, sponsors=(10, 11)), "DEV-FIELDS")
    refused(judge(2, talker=None), "DEV-FIELDS")
    refused(judge(10, review_conclusion="maybe"), "DEV-FIELDS")
    refused(judge(11, training_days=None), "DEV-FIELDS")
    refused(judge(23, extension_months=6), "DEV-FIELDS")  # with the outcome convert
    refused(judge(23, outcome="later"), "DEV-FIELDS")


# --- DEV-CONTACTS, DEV-ASSESS, DEV-1YEAR ---------------------------------------------------------


def test_contacts_one_or_two_full_members():
    accepted(judge(5, contacts=(10,)))
    refused(judge(5, contacts=(10, 11, 12)), "DEV-CONTACTS")
    refused(judge(5, contacts=(10, 20)), "DEV-CONTACTS")


ACTIVIST_LEAP = (
    rec(1, D(2024, 1, 15)),
    rec(2, D(2024, 2, 1), talker=10),
    rec(3, D(2024, 2, 29)),
    rec(4, D(2024, 3, 5)),
    rec(5, D(2024, 3, 5), contacts=(10,)),
    rec(6, D(2024, 8, 20)),
    rec(6, D(2025, 2, 1)),
)


def test_one_year_as_activist_from_a_leap_day():
    history = CaseHistory(BIRTH, ACTIVIST_LEAP)
    accepted(evaluate(history, rec(7, D(2025, 2, 28))))
    v = refused(evaluate(history, rec(7, D(2025, 2, 27))), "DEV-1YEAR")
    assert v.dates["earliest_date"] == D(2025, 2, 28)
    # Counted from the filing with the parent committee where a school says so [LOCAL].
    from_filing = RulesConfig(activist_start_step=4)
    refused(evaluate(history, rec(7, D(2025, 3, 4)), config=from_filing), "DEV-1YEAR")
    accepted(evaluate(history, rec(7, D(2025, 3, 5)), config=from_filing))
    assert next_step(history).earliest == D(2025, 2, 28)
    assert next_step(history).rule == "DEV-1YEAR"


def test_six_monthly_assessment_missing_warns():
    gap = CaseHistory(BIRTH, (*ACTIVIST_LEAP[:5], rec(6, D(2025, 2, 1))))
    found = evaluate(gap, rec(7, D(2025, 3, 1)))
    assert rules(found) == [] and rules(found, blocking_only=False) == ["DEV-ASSESS"]
    assert found[0].dates["due_date"] == D(2024, 8, 29)
    assert next_assessment(CaseHistory(BIRTH, ACTIVIST_LEAP)) == D(2025, 8, 1)


# --- DEV-NOTICE -------------------------------------------------------------------------------


NOTICE_CASE = shifted(CASE_2014, 7)  # step 7 in 2027; used with 2026 dates below


def test_notice_of_5_working_days_across_a_holiday_2026():
    history = upto(7, NOTICE_CASE)
    start = D(2026, 9, 29)  # Tue; Oct 1-7 off; Sat Oct 10 worked
    history = replace(
        history,
        steps=tuple(replace(r, date=r.date.replace(year=r.date.year - 1)) for r in history.steps),
    )
    step7 = rec(7, D(2026, 10, 11), notice_start=start, notice_end=D(2026, 10, 10))
    accepted(evaluate(history, step7))
    v = refused(evaluate(history, replace(step7, notice_end=D(2026, 10, 9))), "DEV-NOTICE")
    assert v.params["counted"] == 4 and v.dates["earliest_end"] == D(2026, 10, 10)
    assert not v.provisional
    # The listing follows the end of the notice: not on its last day.
    refused(evaluate(history, replace(step7, date=D(2026, 10, 10))), "DEV-NOTICE")
    refused(evaluate(history, replace(step7, notice_start=None, notice_end=None)), "DEV-NOTICE")
    # Without the year in the calendar, the count is provisional.
    short = rec(7, D(2027, 4, 10), notice_start=D(2027, 3, 29), notice_end=D(2027, 4, 1))
    assert refused(evaluate(upto(7, NOTICE_CASE), short), "DEV-NOTICE").provisional


def test_notice_not_required_under_2014_unless_configured():
    accepted(judge(7))  # 2020, no notice
    local = RulesConfig(notice_working_days={"2014.06": {7: 5}})
    refused(judge(7, config=local), "DEV-NOTICE")
    accepted(judge(7, config=local, notice_start=D(2020, 3, 30), notice_end=D(2020, 4, 3)))
    dropped = RulesConfig(notice_working_days={"2026.05": {}})
    accepted(judge(7, CASE_2026, config=dropped, notice_start=None, notice_end=None))


# --- DEV-SPONSOR, DEV-PV, DEV-TRAIN, DEV-LEAVE3M ------------------------------------------------


@pytest.mark.parametrize("sponsors", [(10,), (10, 11, 12), (10, 10), (10, 20), (10, 21), (10, 99)])
def test_sponsors_exactly_two_full_members_not_under_sanction(sponsors):
    refused(judge(9, sponsors=sponsors), "DEV-SPONSOR")


def test_political_review_qualified_before_admission():
    failed = tuple(
        replace(r, review_conclusion="unqualified") if r.step == 10 else r for r in CASE_2014
    )
    refused(judge(12, failed), "DEV-PV")
    refused(judge(15, failed), "DEV-PV")


@pytest.mark.parametrize(
    ("days", "hours", "ok"),
    [(3, None, True), (None, 24, True), (2, 23, False), (Decimal("2.5"), None, False)],
)
def test_training_three_days_or_24_hours_before_the_vote(days, hours, ok):
    case = tuple(
        replace(r, training_days=days, training_hours=hours) if r.step == 11 else r
        for r in CASE_2014
    )
    if ok:
        accepted(judge(15, case))
    else:
        refused(judge(15, case), "DEV-TRAIN")
        excepted = judge(15, case, exceptions=frozenset({"DEV-TRAIN"}))
        assert rules(excepted) == [] and excepted[0].excepted


def test_leaving_within_three_months_of_pre_review_warns():
    leaving = upto(13, expected_leave_date=D(2020, 9, 5))  # pre-review 2020-06-05
    found = judge(13, history=leaving)
    assert rules(found) == [] and rules(found, blocking_only=False) == ["DEV-LEAVE3M"]
    assert judge(13, history=upto(13, expected_leave_date=D(2020, 9, 6))) == []


# --- DEV-PRE2BR ---------------------------------------------------------------------------------


def test_branch_vote_within_one_month_of_pre_review_2026_only():
    case = tuple(
        replace(r, date=D(2027, 7, 31)) if r.step in (13, 14) else r
        for r in CASE_2026
        if r.step < 15
    )
    history = CaseHistory(BIRTH, case)
    accepted(evaluate(history, rec(15, D(2027, 8, 31), vote=VOTE)))
    v = refused(evaluate(history, rec(15, D(2027, 9, 1), vote=VOTE)), "DEV-PRE2BR")
    assert v.dates["latest_date"] == D(2027, 8, 31)
    assert next_step(history).latest == D(2027, 8, 31)
    # No such limit in 2014 (unless configured).
    old = CaseHistory(BIRTH, shifted(case, -7))
    accepted(evaluate(old, rec(15, D(2020, 9, 1), vote=VOTE)))
    assert next_step(old).latest is None
    local = RulesConfig(prereview_to_branch_months={"2014.06": 1})
    refused(evaluate(old, rec(15, D(2020, 9, 1), vote=VOTE), config=local), "DEV-PRE2BR")


# --- votes: DEV-VOTE-COUNTS, DEV-QUORUM, DEV-MAJORITY ---------------------------------------------


@pytest.mark.parametrize("case", [CASE_2014, CASE_2026], ids=["2014", "2026"])
@pytest.mark.parametrize("step", [15, 23])
def test_quorum_more_than_half_of_those_entitled(case, step):
    accepted(judge(step, case, vote=Vote(entitled=10, present=6, yes=6)))
    refused(judge(step, case, vote=Vote(entitled=10, present=5, yes=5)), "DEV-QUORUM")
    accepted(judge(step, case, vote=Vote(entitled=9, present=5, yes=5)))
    refused(judge(step, case, vote=Vote(entitled=9, present=4, yes=4)), "DEV-QUORUM")


@pytest.mark.parametrize(
    ("case", "wording"),
    [(CASE_2014, "voting full members"), (CASE_2026, "entitled voting members")],
    ids=["2014", "2026"],
)
@pytest.mark.parametrize("step", [15, 23])
def test_majority_counts_against_those_entitled_not_those_present(case, wording, step):
    accepted(judge(step, case, vote=Vote(entitled=10, present=6, yes=6)))
    # 5 of 6 present is a majority of those present, not of the 10 entitled.
    v = refused(judge(step, case, vote=Vote(entitled=10, present=6, yes=5)), "DEV-MAJORITY")
    assert wording in v.render() and v.version == ("2014.06" if case is CASE_2014 else "2026.05")
    # Written opinions handed in before the meeting count as votes (V-4).
    accepted(judge(step, case, vote=Vote(entitled=10, present=6, yes=5, written_yes=1)))


def test_vote_counts_must_add_up():
    refused(judge(15, vote=Vote(entitled=10, present=11, yes=7)), "DEV-VOTE-COUNTS")
    refused(judge(15, vote=Vote(entitled=10, present=8, yes=9)), "DEV-VOTE-COUNTS")
    refused(judge(15, vote=Vote(entitled=10, present=8, yes=7, written_yes=3)), "DEV-VOTE-COUNTS")
    refused(judge(15, vote=None), "DEV-FIELDS")


# --- DEV-APPROVER, DEV-APPR -----------------------------------------------------------------------


@pytest.mark.parametrize("step", [13, 17, 24])
@pytest.mark.parametrize("org", ["GB", "T", "XX"])
def test_only_a_committee_with_approval_authority_approves(step, org):
    refused(judge(step, approver_org=org), "DEV-APPROVER")


def test_approval_three_months_warns_six_months_refuses():
    # Branch meeting 2020-06-20.
    assert judge(17, date=D(2020, 9, 20)) == []
    late = judge(17, date=D(2020, 9, 21))
    assert rules(late) == [] and late[0].rule == "DEV-APPR" and late[0].severity is Severity.WARN
    reason = judge(17, date=D(2020, 9, 21), exceptions=frozenset({"DEV-APPR"}))
    assert reason[0].excepted
    last = judge(17, date=D(2020, 12, 20))
    assert rules(last) == [] and rules(last, blocking_only=False) == ["DEV-APPR"]
    v = refused(judge(17, date=D(2020, 12, 21)), "DEV-APPR")
    assert v.dates["limit_date"] == D(2020, 12, 20)
    refused(judge(17, date=D(2020, 12, 21), exceptions=frozenset({"DEV-APPR"})), "DEV-APPR")
    deadline = next_step(upto(17))
    assert (deadline.step, deadline.latest, deadline.hard_latest) == (
        17,
        D(2020, 9, 20),
        D(2020, 12, 20),
    )


# --- DEV-PROB, DEV-EXT, DEV-CONV-APPR -------------------------------------------------------------


def test_conversion_meeting_not_before_probation_ends():
    # Admitted by the branch meeting of 2020-06-20: probation ends 2021-06-20.
    accepted(judge(23, date=D(2021, 6, 20)))
    v = refused(judge(23, date=D(2021, 6, 19)), "DEV-PROB")
    assert v.dates["probation_end"] == D(2021, 6, 20)
    next_day = RulesConfig(probation_end_next_day=True)
    refused(judge(23, date=D(2021, 6, 20), config=next_day), "DEV-PROB")
    accepted(judge(23, date=D(2021, 6, 19), outcome="cancel"))  # cancellation at any time
    assert next_step(upto(23)).earliest == D(2021, 6, 20)


EXTENDED = (
    *CASE_2014[:23],
    rec(23, D(2021, 6, 20), vote=VOTE, outcome="extend", extension_months=6),
    rec(24, D(2021, 7, 1), approver_org="U"),
)


@pytest.mark.parametrize(("months", "ok"), [(5, False), (6, True), (12, True), (13, False)])
def test_extension_six_to_twelve_months(months, ok):
    result = judge(23, outcome="extend", extension_months=months)
    if ok:
        accepted(result)
    else:
        refused(result, "DEV-EXT")


def test_extension_once_only_and_it_moves_the_probation_end():
    refused(judge(23, outcome="extend", extension_months=None), "DEV-EXT")
    history = CaseHistory(BIRTH, EXTENDED)
    again = rec(23, D(2021, 12, 20), vote=VOTE, outcome="extend", extension_months=6)
    refused(evaluate(history, again), "DEV-EXT")
    accepted(evaluate(history, rec(23, D(2021, 12, 20), vote=VOTE, outcome="convert")))
    refused(evaluate(history, rec(23, D(2021, 12, 19), vote=VOTE, outcome="convert")), "DEV-PROB")
    assert next_step(history).step == 23 and next_step(history).earliest == D(2021, 12, 20)
    # Before the extension is approved, no second meeting.
    pending = CaseHistory(BIRTH, EXTENDED[:-1])
    refused(evaluate(pending, rec(23, D(2021, 12, 20), vote=VOTE, outcome="convert")), "DEV-ORDER")
    refused(evaluate(history, rec(25, D(2021, 7, 2))), "DEV-ORDER")


def test_conversion_approval_within_three_months():
    accepted(judge(24, date=D(2021, 9, 20)))
    v = refused(judge(24, date=D(2021, 9, 21)), "DEV-CONV-APPR")
    assert v.dates["meeting_date"] == D(2021, 6, 20)
    assert next_step(upto(24)).latest == D(2021, 9, 20)


# --- deadlines ------------------------------------------------------------------------------------


def test_next_step_through_the_case():
    assert next_step(CaseHistory()).step == 1
    after_application = CaseHistory(BIRTH, (rec(1, D(2025, 1, 31)),))
    talk = next_step(after_application)
    assert (talk.step, talk.earliest, talk.latest, talk.rule) == (
        2,
        D(2025, 1, 31),
        D(2025, 2, 28),
        "DEV-TALK",
    )
    assert talk.days_left(D(2025, 2, 20)) == 8
    assert talk.status(D(2025, 2, 20)) == "due_soon"
    assert talk.status(D(2025, 3, 1)) == "overdue"
    assert next_step(upto(4)).step == 4
    assert next_step(upto(25)).step == 25
    assert next_step(CaseHistory(BIRTH, CASE_2014)) is None
    cancelled = (*CASE_2014[:23], rec(23, D(2021, 6, 20), vote=VOTE, outcome="cancel"))
    assert next_step(CaseHistory(BIRTH, cancelled)).step == 24
    closed = (*cancelled, rec(24, D(2021, 7, 1), approver_org="U"))
    assert next_step(CaseHistory(BIRTH, closed)) is None
    assert next_step(upto(7, CASE_2026)).notice_working_days == 5


def test_every_violation_message_formats():
    for violation in [
        *judge(2, date=D(2019, 5, 1)),
        *judge(17, date=D(2021, 5, 1)),
        *judge(15, vote=Vote(entitled=10, present=2, yes=1)),
    ]:
        assert "{" not in violation.render()


# --- purity ---------------------------------------------------------------------------------------


def test_the_rules_import_no_django():
    """The rules and what they import of ours are plain Python (runnable outside Django)."""
    root = Path(__file__).resolve().parents[3]
    seen: set[str] = set()
    pending = ["dangjian.development.rules.engine", "dangjian.lib.workdays"]
    while pending:
        module = pending.pop()
        if module in seen:
            continue
        seen.add(module)
        path = root / (module.replace(".", "/") + ".py")
        if not path.exists():
            path = root / module.replace(".", "/") / "__init__.py"
        # What a module imports when it is loaded (a function may import Django when called).
        for node in ast.parse(path.read_text()).body:
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith("django"), (module, name)
                if name.startswith("dangjian.") and (root / name.replace(".", "/")).is_dir():
                    pending += [f"{name}.{alias.name}" for alias in node.names]
                    pending.append(name)
                elif name.startswith("dangjian."):
                    pending.append(name)
    assert {"dangjian.development.rules.checks", "dangjian.lib.workdays"} <= seen
    assert "dangjian.lib.dates" in seen  # calendar months: the project's one implementation
