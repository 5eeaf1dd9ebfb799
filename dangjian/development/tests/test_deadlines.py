"""Deadlines of member development: each open case's next step, and the due lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.development import deadlines, services
from dangjian.development.models import Case
from dangjian.development.tests.test_services import DevelopmentTestCase, person
from dangjian.orgs.models import Organization

D = dt.date
TODAY = D(2024, 3, 27)


def case_deadlines(
    user: Any, *, org: Organization | None = None, today: dt.date | None = None
) -> list[deadlines.CaseDeadline]:
    """Every open case in scope with its next step judged from its history by the engine,
    by latest date: what the dates kept on the cases must agree with."""
    rows = deadlines.next_steps(list(deadlines.open_cases(user, org)), today=today)
    return sorted(rows, key=lambda r: (r.latest is None, r.latest or dt.date.max, r.case.pk))


@contextmanager
def on(day: dt.date) -> Iterator[None]:
    moment = dt.datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        yield


class DeadlineTestCase(DevelopmentTestCase):
    def open_case(
        self, seq: int, applied: dt.date, org: Organization | None = None, who: str = "secretary1"
    ) -> Case:
        return services.case_create(
            actor=self.uni.user(who),
            person=person(seq),
            org=org or self.uni.b11,
            application_date=applied,
        )


class DeadlineListTests(DeadlineTestCase):
    def setUp(self) -> None:
        super().setUp()
        with on(TODAY):
            self.due_soon = self.open_case(1, D(2024, 3, 1))  # talk due by 04-01
            self.overdue = self.open_case(2, D(2024, 2, 20))  # talk was due by 03-20
            self.later = self.open_case(3, D(2024, 3, 27))  # talk due by 04-27: 31 days
            self.undated = self.open_case(4, D(2024, 1, 10))
            services.step_record(
                actor=self.uni.user("secretary1"),
                case=self.undated,
                step=2,
                date=D(2024, 1, 20),
                fields={"talker": self.m("secretary1")},
            )
            self.b12 = self.open_case(5, D(2024, 3, 10), self.uni.b12, "committee1")
            self.b21 = self.open_case(6, D(2024, 3, 5), self.uni.b21, "secretary2")
            self.closed = self.open_case(7, D(2024, 3, 2))
        Case.objects.filter(pk=self.closed.pk).update(status="cancelled")

    def test_a_secretary_sees_the_branch_cases_sorted_by_latest_date(self):
        rows = case_deadlines(self.uni.user("secretary1"), today=TODAY)
        self.assertEqual(
            [r.case.pk for r in rows],
            [self.overdue.pk, self.due_soon.pk, self.later.pk, self.undated.pk],
        )
        first = rows[1]
        self.assertEqual(
            (first.step, first.earliest, first.latest), (2, D(2024, 3, 1), D(2024, 4, 1))
        )
        self.assertEqual((first.days_left, first.status), (5, "due_soon"))
        self.assertEqual([r.status for r in rows], ["overdue", "due_soon", "open", "open"])
        self.assertEqual(rows[0].days_left, -7)
        self.assertEqual((rows[3].step, rows[3].latest, rows[3].days_left), (3, None, None))

    def test_a_committee_sees_its_subtree_grouped(self):
        committee1 = self.uni.user("committee1")
        rows = case_deadlines(committee1, today=TODAY)
        self.assertEqual(
            [r.case.pk for r in rows],
            [self.overdue.pk, self.due_soon.pk, self.b12.pk, self.later.pk, self.undated.pk],
        )
        due = deadlines.due_list(committee1, org=self.uni.c1, today=TODAY)
        self.assertEqual([r.case.pk for r in due.overdue], [self.overdue.pk])
        self.assertEqual([r.case.pk for r in due.due_soon], [self.due_soon.pk, self.b12.pk])
        self.assertEqual([r.case.pk for r in due.later], [self.later.pk])
        self.assertEqual([r.case.pk for r in due.undated], [self.undated.pk])
        branch = deadlines.due_list(committee1, org=self.uni.b12, today=TODAY)
        self.assertEqual([r.case.pk for r in branch.due_soon], [self.b12.pk])
        self.assertEqual(branch.overdue + branch.later + branch.undated, [])

    def test_out_of_scope_is_empty(self):
        secretary1 = self.uni.user("secretary1")
        due = deadlines.due_list(secretary1, org=self.uni.b21, today=TODAY)
        self.assertEqual(due.overdue + due.due_soon + due.later + due.undated, [])
        self.assertEqual(case_deadlines(self.uni.user("outsider"), today=TODAY), [])
        rows = case_deadlines(self.uni.user("secretary2"), today=TODAY)
        self.assertEqual([r.case.pk for r in rows], [self.b21.pk])


class DeadlineQueryCountTests(DeadlineTestCase):
    def test_the_number_of_queries_does_not_grow_with_the_cases(self):
        user = self.uni.user("committee1")
        with on(TODAY):
            for seq in range(1, 4):
                self.open_case(seq, D(2024, 3, seq))
        case_deadlines(user, today=TODAY)  # warm any per-user cache
        with CaptureQueriesContext(connection) as three:
            self.assertEqual(len(case_deadlines(user, today=TODAY)), 3)
        with CaptureQueriesContext(connection) as listed:
            deadlines.due_list(user, org=self.uni.c1, today=TODAY)
        with on(TODAY):
            for seq in range(4, 11):
                case = self.open_case(seq, D(2024, 3, seq), self.uni.b12, "committee1")
                services.step_record(
                    actor=user,
                    case=case,
                    step=2,
                    date=D(2024, 3, 20),
                    fields={"talker": self.m("committee1")},
                )
        with self.assertNumQueries(len(three.captured_queries)):
            rows = case_deadlines(user, today=TODAY)
        self.assertEqual(len(rows), 10)
        with self.assertNumQueries(len(listed.captured_queries)):
            deadlines.due_list(user, org=self.uni.c1, today=TODAY)


class KeptDatesTests(DevelopmentTestCase):
    def test_the_dates_kept_on_each_case_agree_with_the_engine_at_every_step(self):
        case = services.case_create(
            actor=self.uni.user("secretary1"), person=person(1), org=self.uni.b11,
            application_date=D(2024, 3, 1),
        )  # fmt: skip
        user = self.uni.user("secretary1")
        for number, day, fields, who in self.history():
            rows = case_deadlines(user, today=day)
            row = rows[0] if rows else None
            kept = Case.objects.get(pk=case.pk)
            if row is None:
                self.assertIsNone(kept.next_step)
            else:
                self.assertEqual(
                    (kept.next_step, kept.next_earliest, kept.next_latest),
                    (row.step, row.earliest, row.latest),
                    f"before step {number}",
                )
            services.step_record(
                actor=self.uni.user(who), case=case, step=number, date=day, fields=fields
            )
        case.refresh_from_db()
        self.assertEqual((case.status, case.next_step), ("closed", None))
