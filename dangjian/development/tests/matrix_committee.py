"""The committee's review pages and the applicant's pages in the permission matrix.

Two cases of B11 wait for the pre-review (step 13); the second was returned to the branch. A
third, of a person without a member record, has no account yet. committee1 (C1) and orgdept
(U) approve; secretary1 sees and manages B11's cases but does not approve (403); the branch
committee member only sees them (403 on every write). None of the personas is an applicant,
so the applicant's own page answers 404 to all of them.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from dangjian.development import review, services
from dangjian.development.models import Case
from dangjian.lib import idnumber
from dangjian.testing.matrix import page

APPROVERS = ("orgdept", "committee1")
MANAGERS = (*APPROVERS, "secretary1")
SEE_ONLY = ("secretary1", "committee_member")


def history(uni: Any) -> list[tuple[int, dt.date, dict[str, Any], str]]:
    """The valid history of the services' tests (2014 rules, then 2026 at conversion)."""
    from dangjian.development.tests.test_services import DevelopmentTestCase

    return DevelopmentTestCase.history(SimpleNamespace(m=lambda name: uni.members[name].pk))  # type: ignore[arg-type]


def person_case(uni: Any, seq: int, *, birth: dt.date = dt.date(1999, 7, 8), **kw: Any) -> Case:
    from dangjian.development.tests.test_services import PROFILE

    return services.case_create(
        actor=uni.user(kw.pop("actor", "secretary1")),
        person=services.Person(
            name=kw.pop(
                "name", "审批申请人" + "甲乙丙丁戊己庚辛壬癸"[seq % 10] + "子丑寅卯"[seq // 10 % 4]
            ),
            id_number=idnumber.make("110101", birth, seq),
            phone=kw.pop("phone", "13900139000"),
            profile=PROFILE,
        ),
        org=kw.pop("org", uni.b11),
        application_date=kw.pop("application_date", dt.date(2024, 3, 1)),
    )


def record_until(uni: Any, case: Case, before_step: int, actor: str = "") -> Case:
    """Record the valid history up to (not including) the first record of a step; a case of
    B21 names B21's members where the history names B11's."""
    swap = {}
    if case.organization_id == uni.b21.pk:
        swap = {
            uni.members["secretary1"].pk: uni.members["secretary2"].pk,
            uni.members["member1"].pk: uni.members["b21_member"].pk,
        }
    for number, day, fields, who in history(uni):
        if number == before_step:
            break
        own = {
            key: (
                [swap.get(v, v) for v in value]
                if isinstance(value, list)
                else swap.get(value, value)
            )
            if key in ("talker", "contacts", "sponsors")
            else value
            for key, value in fields.items()
        }
        services.step_record(
            actor=uni.user(actor or who), case=case, step=number, date=day, fields=own
        )
    case.refresh_from_db()
    return case


def fixture(uni: Any) -> dict[str, Any]:
    waiting = record_until(uni, person_case(uni, 11), 13)
    returned = record_until(uni, person_case(uni, 13), 13)
    review.case_return(
        actor=uni.user("committee1"), case=returned, step=13, reason="请补充政治审查材料。"
    )
    applicant = person_case(uni, 15, application_date=dt.date(2026, 1, 5))
    return {
        "committee_waiting": waiting.pk,
        "committee_returned": returned.pk,
        "applicant_case": applicant.pk,
    }


def _c(key: str, suffix: str) -> Any:
    return lambda f: f"/development/committee/{f[key]}/{suffix}"


PAGES = [
    page("development:committee-queue", lambda f: "/development/committee/", who=APPROVERS),
    page(
        "development:committee-approve",
        _c("committee_waiting", "approve/"),
        who=APPROVERS,
        secretary1=403,
        committee_member=403,
    ),
    # Posted without the confirmation: the form comes back with the box marked.
    page(
        "development:committee-approve",
        _c("committee_waiting", "approve/"),
        method="post",
        ok=422,
        who=APPROVERS,
        secretary1=403,
        committee_member=403,
    ),
    # Posted without a reason: refused beside the field.
    page(
        "development:committee-return",
        _c("committee_waiting", "return/"),
        method="post",
        ok=422,
        who=APPROVERS,
        secretary1=403,
        committee_member=403,
    ),
    page(
        "development:committee-reject",
        _c("committee_waiting", "reject/"),
        method="post",
        ok=422,  # no reason given, and the case waits at 13, not 17
        who=APPROVERS,
        secretary1=403,
        committee_member=403,
    ),
    page(
        "development:case-resubmit",
        _c("committee_returned", "resubmit/"),
        who=MANAGERS,
        committee_member=403,
    ),
    page(
        "development:case-resubmit",
        _c("committee_returned", "resubmit/"),
        method="post",
        ok=422,
        who=MANAGERS,
        committee_member=403,
    ),
    page("development:my-progress", lambda f: "/development/me/"),
    page(
        "development:applicant-account",
        lambda f: f"/development/me/account/{f['applicant_case']}/",
        method="post",
        who=MANAGERS,
        committee_member=403,
    ),
]
