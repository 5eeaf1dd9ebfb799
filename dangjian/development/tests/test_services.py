"""Member development services: cases, steps judged by the rules, batches, scope and audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.audit.models import AuditEntry
from dangjian.development import services
from dangjian.development.models import Case, CaseStatus, Holiday, StepEvent, calendar_for
from dangjian.lib import idnumber
from dangjian.members.choices import Gender
from dangjian.testing.base import BaseTestCase

D = dt.date
BIRTH = D(2003, 5, 6)
APPLIED = D(2024, 3, 1)
PROFILE = {"ethnicity": "01", "education": "bachelor", "category": "undergraduate"}


def person(seq: int = 1, birth: dt.date = BIRTH, name: str = "申请人") -> services.Person:
    return services.Person(
        name=name + "甲乙丙丁戊己庚辛壬癸"[seq % 10] + "子丑寅卯辰巳午未申酉戌亥"[seq // 10 % 12],
        id_number=idnumber.make("110101", birth, seq),
        phone="13800138000",
        profile=PROFILE,
    )


class DevelopmentTestCase(BaseTestCase):
    def m(self, name: str) -> int:
        return self.uni.members[name].pk

    def history(self) -> list[tuple[int, dt.date, dict[str, Any], str]]:
        """A complete valid history (step, date, fields, who records it): 2014 rules until
        2026-05-11, then the 2026 rules (conversion)."""
        vote = {"entitled": 10, "present": 8, "yes": 7}
        s, c = "secretary1", "committee1"
        return [
            (2, D(2024, 3, 20), {"talker": self.m("secretary1")}, s),
            (3, D(2024, 4, 10), {}, s),
            (4, D(2024, 4, 20), {}, s),
            (5, D(2024, 4, 20), {"contacts": [self.m("secretary1"), self.m("member1")]}, s),
            (6, D(2024, 10, 1), {}, s),
            (6, D(2025, 3, 15), {}, s),
            (7, D(2025, 4, 15), {}, s),
            (8, D(2025, 4, 20), {}, s),
            (9, D(2025, 5, 1), {"sponsors": [self.m("secretary1"), self.m("member1")]}, s),
            (10, D(2025, 5, 10), {"review_conclusion": "qualified"}, s),
            (11, D(2025, 5, 15), {"training_days": "3"}, s),
            (12, D(2025, 6, 1), {}, s),
            (13, D(2025, 6, 5), {"approver_org": "U"}, c),
            (14, D(2025, 6, 10), {}, s),
            (15, D(2025, 6, 20), {"vote": vote}, s),
            (16, D(2025, 7, 1), {"talker": self.m("committee1")}, c),
            (17, D(2025, 7, 15), {"approver_org": "U"}, c),
            (18, D(2025, 7, 20), {}, s),
            (19, D(2025, 7, 20), {}, s),
            (20, D(2025, 7, 25), {}, s),
            (21, D(2025, 10, 1), {}, s),
            (22, D(2026, 6, 1), {}, s),
            (23, D(2026, 6, 22), {"vote": vote, "outcome": "convert"}, s),
            (24, D(2026, 7, 1), {"approver_org": "U"}, c),
            (25, D(2026, 7, 10), {}, s),
        ]

    def new_case(self, seq: int = 1, application: dt.date = APPLIED, **kw: Any) -> Case:
        return services.case_create(
            actor=self.uni.user("secretary1"),
            person=kw.pop("who", None) or person(seq),
            org=self.uni.b11,
            application_date=application,
            **kw,
        )

    def record_until(self, case: Case, before_step: int) -> None:
        """Record the valid history up to (not including) the first record of a step."""
        for number, day, fields, who in self.history():
            if number == before_step:
                return
            services.step_record(
                actor=self.uni.user(who), case=case, step=number, date=day, fields=fields
            )


class CaseCreateTests(DevelopmentTestCase):
    def test_a_person_gets_gender_and_birth_from_the_id_number(self):
        case = self.new_case(who=person(3, birth=D(2004, 2, 29)))
        case.refresh_from_db()
        self.assertEqual((case.gender, case.birth_date), (Gender.MALE, D(2004, 2, 29)))
        self.assertEqual(case.org_path, self.uni.b11.path)
        self.assertEqual(case.rule_version, "2014.06")
        self.assertTrue(case.id_number_hash)
        self.assertEqual(list(case.steps.values_list("step", flat=True)), [1])
        entry = AuditEntry.objects.get(action="development.case.created")
        self.assertNotIn(case.id_number, str(entry.changes))

    def test_a_member_record_opens_a_case(self):
        probationary = self.uni.members["b11_probationary"]
        case = services.case_create(
            actor=self.uni.user("secretary1"), member=probationary, application_date=D(2025, 1, 2)
        )
        self.assertEqual((case.member, case.organization), (probationary, self.uni.b11))
        self.assertEqual(case.birth_date, probationary.birth_date)
        with self.assertRaises(ValidationError):  # a full member does not apply
            services.case_create(
                actor=self.uni.user("secretary1"),
                member=self.uni.members["member1"],
                application_date=D(2025, 1, 2),
            )

    def test_dev_age_refuses_with_the_rule_and_accepts_the_birthday(self):
        who = person(4, birth=D(2007, 3, 1))
        with self.assertRaises(services.RuleError) as refused:
            self.new_case(who=who, application=D(2025, 2, 28))
        self.assertEqual(refused.exception.rule, "DEV-AGE")
        self.assertIn("2025-03-01", refused.exception.text)
        self.assertFalse(Case.objects.exists())
        self.new_case(who=who, application=D(2025, 3, 1))

    def test_one_open_case_per_person_and_scope(self):
        self.new_case(1)
        with self.assertRaises(ValidationError):
            self.new_case(1)
        with self.assertRaises(PermissionDenied):
            services.case_create(
                actor=self.uni.user("secretary2"),
                person=person(2),
                org=self.uni.b11,
                application_date=D(2025, 1, 2),
            )


class StepRecordTests(DevelopmentTestCase):
    def test_a_full_history_converts_and_closes_the_case(self):
        case = self.new_case()
        self.record_until(case, 99)
        case.refresh_from_db()
        self.assertEqual((case.status, case.stage), (CaseStatus.CLOSED, 5))
        versions = dict(case.steps.values_list("step", "rule_version"))
        self.assertEqual((versions[17], versions[23]), ("2014.06", "2026.05"))
        self.assertEqual(AuditEntry.objects.filter(action="development.step.recorded").count(), 25)

    def test_approval_steps_need_the_approve_capability(self):
        case = self.new_case()
        self.record_until(case, 13)
        with self.assertRaises(PermissionDenied):
            services.step_record(
                actor=self.uni.user("secretary1"),
                case=case,
                step=13,
                date=D(2025, 6, 5),
                fields={"approver_org": "U"},
            )

    def test_an_exception_is_flagged_and_audited(self):
        case = self.new_case(application=D(2026, 1, 5))
        fields = {"talker": self.m("secretary1")}
        with self.assertRaises(services.RuleError):
            services.step_record(
                actor=self.uni.user("committee1"), case=case, step=2, date=D(2026, 2, 9),
                fields=fields,
            )  # fmt: skip
        exception = services.StepException(frozenset({"DEV-TALK"}), "申请人出国交流")
        with self.assertRaises(PermissionDenied):  # a secretary does not record exceptions
            services.step_record(
                actor=self.uni.user("secretary1"), case=case, step=2, date=D(2026, 2, 9),
                fields=fields, exception=exception,
            )  # fmt: skip
        event = services.step_record(
            actor=self.uni.user("committee1"), case=case, step=2, date=D(2026, 2, 9),
            fields=fields, exception=exception,
        )  # fmt: skip
        self.assertTrue(event.is_exception)
        self.assertEqual(event.exception_rules, ["DEV-TALK"])
        self.assertEqual(event.warnings[0]["rule"], "DEV-TALK")
        entry = AuditEntry.objects.filter(action="development.step.recorded").get()
        self.assertEqual(entry.detail["exception"], "DEV-TALK")

    def test_a_sponsor_must_be_a_full_member(self):
        case = self.new_case()
        self.record_until(case, 9)
        with self.assertRaises(services.RuleError) as refused:
            services.step_record(
                actor=self.uni.user("secretary1"), case=case, step=9, date=D(2025, 5, 1),
                fields={"sponsors": [self.m("secretary1"), self.m("b11_probationary")]},
            )  # fmt: skip
        self.assertEqual(refused.exception.rule, "DEV-SPONSOR")


class BatchTests(DevelopmentTestCase):
    def test_thirty_people_all_or_nothing_and_audited(self):
        cases = [self.new_case(i, application=D(2026, 2, 1)) for i in range(1, 30)]
        late = self.new_case(30, application=D(2026, 1, 5))
        cases.append(late)
        actor = self.uni.user("secretary1")
        fields = {"talker": self.m("secretary1")}
        with self.assertRaises(services.BatchError) as refused:
            services.step_record_batch(
                actor=actor, cases=cases, step=2, date=D(2026, 2, 10), fields=fields
            )
        self.assertEqual(refused.exception.rule, "DEV-TALK")
        self.assertEqual(list(refused.exception.failures), [late.pk])
        self.assertFalse(StepEvent.objects.filter(step=2).exists())
        self.assertFalse(AuditEntry.objects.filter(action="development.step.recorded").exists())
        events = services.step_record_batch(
            actor=actor, cases=cases, step=2, date=D(2026, 2, 5), fields=fields
        )
        self.assertEqual(len(events), 30)
        self.assertEqual(StepEvent.objects.filter(step=2).count(), 30)
        self.assertEqual(AuditEntry.objects.filter(action="development.step.recorded").count(), 30)
        batch = AuditEntry.objects.get(action="development.batch.recorded")
        self.assertEqual(
            batch.detail["cases"], ",".join(str(c.pk) for c in sorted(cases, key=lambda c: c.pk))
        )


class CalendarTests(DevelopmentTestCase):
    def test_the_calendar_is_built_from_the_rows_of_the_years(self):
        Holiday.objects.create(date=D(2026, 10, 1), kind=Holiday.Kind.HOLIDAY, name="国庆节")
        Holiday.objects.create(date=D(2026, 10, 10), kind=Holiday.Kind.WORKDAY, name="国庆调休")
        calendar = calendar_for([2026, 2027])
        self.assertFalse(calendar.is_working_day(D(2026, 10, 1)))
        self.assertTrue(calendar.is_working_day(D(2026, 10, 10)))
        self.assertEqual(calendar.configured_years, frozenset({2026}))
