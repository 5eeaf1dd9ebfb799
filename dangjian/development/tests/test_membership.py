"""The roster follows the development steps: admission (17) enters a probationary member dated
from the branch meeting (15); the conversion approval (24) converts, extends or cancels."""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import ValidationError

from dangjian.development import services
from dangjian.development.models import Case
from dangjian.development.tests.test_services import D, DevelopmentTestCase, person
from dangjian.members.choices import Standing, Status
from dangjian.members.models import EventKind, Member


class AdmissionTests(DevelopmentTestCase):
    def test_approval_of_admission_puts_a_probationary_member_on_the_roster(self):
        case = self.new_case()
        self.record_until(case, 17)
        self.assertIsNone(Case.objects.get(pk=case.pk).member)
        self.record_until_including(case, 17)
        case.refresh_from_db()
        member = case.member
        self.assertIsNotNone(member)
        self.assertEqual(member.status, Status.PROBATIONARY)
        self.assertEqual(member.joined_on, D(2025, 6, 20))  # the branch meeting, step 15
        self.assertEqual(member.organization, self.uni.b11)
        self.assertEqual(member.id_number, case.id_number)
        self.assertEqual(member.ethnicity, "01")
        event = member.events.get()
        self.assertEqual((event.kind, event.effective_date), (EventKind.ADMISSION, D(2025, 6, 20)))

    def test_admission_is_refused_while_the_member_data_is_missing(self):
        who = services.Person(name="缺资料", id_number=person(7).id_number)
        case = self.new_case(who=who)
        self.record_until(case, 17)
        with self.assertRaises(ValidationError) as refused:
            self.record_until_including(case, 17)
        self.assertIn("ethnicity", refused.exception.message_dict)
        self.assertFalse(case.steps.filter(step=17).exists())  # nothing half-written
        self.assertFalse(Member.objects.filter(name="缺资料").exists())
        services.case_update(
            actor=self.uni.user("secretary1"),
            case=case,
            profile={"ethnicity": "01", "education": "bachelor", "category": "undergraduate"},
        )
        self.record_until_including(case, 17)
        self.assertTrue(Member.objects.filter(name="缺资料", status=Status.PROBATIONARY).exists())

    def record_until_including(self, case: Case, step: int) -> None:
        for number, day, fields, who in self.history():
            if case.steps.filter(step=number, date=day).exists():
                continue
            services.step_record(
                actor=self.uni.user(who), case=case, step=number, date=day, fields=fields
            )
            if number == step:
                return


class ConversionTests(DevelopmentTestCase):
    def test_conversion_makes_a_full_member_from_the_day_probation_expires(self):
        case = self.new_case()
        self.record_until(case, 99)
        case.refresh_from_db()
        member = Member.objects.get(pk=case.member_id or 0)
        self.assertEqual(member.status, Status.FULL)
        self.assertEqual(member.full_member_on, D(2026, 6, 20))  # a year after the meeting
        self.assertEqual(
            list(member.events.values_list("kind", flat=True)),
            [EventKind.ADMISSION, EventKind.CONVERSION],
        )

    def _until_conversion_meeting(self, outcome: str, **extra: object) -> Case:
        case = self.new_case()
        self.record_until(case, 23)
        vote = {"entitled": 10, "present": 8, "yes": 7}
        services.step_record(
            actor=self.uni.user("secretary1"),
            case=case,
            step=23,
            date=D(2026, 6, 22),
            fields={"vote": vote, "outcome": outcome, **extra},
        )
        services.step_record(
            actor=self.uni.user("committee1"),
            case=case,
            step=24,
            date=D(2026, 7, 1),
            fields={"approver_org": "U"},
        )
        case.refresh_from_db()
        return case

    def test_an_approved_extension_is_entered_once(self):
        case = self._until_conversion_meeting("extend", extension_months=6)
        member = Member.objects.get(pk=case.member_id or 0)
        self.assertEqual(member.status, Status.PROBATIONARY)
        extended = member.events.get(kind=EventKind.PROBATION_EXTENDED)
        self.assertEqual(extended.detail["months"], 6)
        self.assertEqual(case.status, "open")

    def test_an_approved_cancellation_takes_the_person_off_the_roster(self):
        case = self._until_conversion_meeting("cancel")
        member = Member.objects.get(pk=case.member_id or 0)
        self.assertEqual(member.standing, Standing.EXITED)
        self.assertTrue(member.events.filter(kind=EventKind.EXIT_PROBATION_CANCELLED).exists())
        self.assertEqual(case.status, "cancelled")


class BatchPerPersonTests(DevelopmentTestCase):
    def test_each_person_has_their_own_vote_and_one_refusal_refuses_all(self):
        cases = [self.new_case(seq) for seq in (11, 12, 13)]
        for case in cases:
            self.record_until(case, 15)
        common = {"vote": {"entitled": 10, "present": 8, "yes": 0}}
        own = {
            cases[0].pk: {"vote": {"entitled": 10, "present": 8, "yes": 8}},
            cases[1].pk: {"vote": {"entitled": 10, "present": 8, "yes": 6}},
            cases[2].pk: {"vote": {"entitled": 10, "present": 8, "yes": 5}},  # 5 of 10: no majority
        }
        with self.assertRaises(services.BatchError) as refused:
            services.step_record_batch(
                actor=self.uni.user("secretary1"),
                cases=cases,
                step=15,
                date=D(2025, 6, 20),
                fields=common,
                per_case=own,
            )
        self.assertEqual(list(refused.exception.failures), [cases[2].pk])
        self.assertEqual(refused.exception.rule, "DEV-MAJORITY")
        self.assertFalse(any(c.steps.filter(step=15).exists() for c in cases))
        own[cases[2].pk] = {"vote": {"entitled": 10, "present": 8, "yes": 7}}
        services.step_record_batch(
            actor=self.uni.user("secretary1"),
            cases=cases,
            step=15,
            date=D(2025, 6, 20),
            fields=common,
            per_case=own,
        )
        yes = [c.steps.get(step=15).vote["yes"] for c in cases]
        self.assertEqual(yes, [8, 6, 7])

    def test_fields_for_a_case_outside_the_batch_are_refused(self):
        case = self.new_case(21)
        with self.assertRaises(ValidationError):
            services.step_record_batch(
                actor=self.uni.user("secretary1"),
                cases=[case],
                step=2,
                date=dt.date(2024, 3, 20),
                fields={"talker": self.m("secretary1")},
                per_case={case.pk + 1000: {}},
            )


class ReviewFindingsTests(DevelopmentTestCase):
    def test_the_conversion_approval_decides_on_the_branch_meetings_resolution(self):
        case = self.new_case()
        self.record_until(case, 24)
        with self.assertRaises(services.RuleError) as refused:
            services.step_record(
                actor=self.uni.user("committee1"),
                case=case,
                step=24,
                date=D(2026, 7, 1),
                fields={"approver_org": "U", "outcome": "cancel"},
            )
        self.assertEqual(refused.exception.rule, "DEV-CONV-APPR")
        member = Member.objects.get(pk=case.member_id or 0)
        self.assertEqual(member.standing, Standing.ACTIVE)  # nothing applied to the roster

    def test_the_approval_limit_shows_while_the_committees_talk_is_pending(self):
        case = self.new_case()
        self.record_until(case, 16)
        case.refresh_from_db()
        self.assertEqual((case.next_step, case.next_latest), (16, D(2025, 9, 20)))

    def test_a_step_names_only_members_of_the_cases_organization(self):
        case = self.new_case(application=D(2024, 3, 1))
        stranger = self.uni.members["b21_member"].pk
        with self.assertRaises(ValidationError) as refused:
            services.step_record(
                actor=self.uni.user("secretary1"),
                case=case,
                step=2,
                date=D(2024, 3, 20),
                fields={"talker": stranger},
            )
        self.assertIn("talker", refused.exception.message_dict)
        self.assertNotIn("吴党员", str(refused.exception))  # the stranger is not named

    def test_a_returned_case_is_not_approved_until_resubmitted(self):
        from dangjian.development import review

        case = self.new_case()
        self.record_until(case, 13)
        review.case_return(
            actor=self.uni.user("committee1"), case=case, step=13, reason="请补充政治审查材料。"
        )
        with self.assertRaises(ValidationError):
            self.record_until_step(case, 13)
        review.case_resubmit(
            actor=self.uni.user("secretary1"), case=case, resolution="已补充函调材料。"
        )
        self.record_until_step(case, 13)
        self.assertTrue(case.steps.filter(step=13).exists())

    def test_the_branch_hears_of_the_approval(self):
        from dangjian.notifications.models import Delivery

        case = self.new_case()
        self.record_until(case, 14)
        delivered = Delivery.objects.filter(
            recipient=self.uni.user("secretary1"), notification__kind="development.approved"
        )
        self.assertEqual(delivered.count(), 1)  # step 13

    def test_a_member_on_the_roster_does_not_apply_as_a_new_person(self):
        member = self.uni.members["member1"]
        with self.assertRaises(ValidationError) as refused:
            self.new_case(who=services.Person(name="王五", id_number=member.id_number))
        self.assertIn("id_number", refused.exception.message_dict)

    def record_until_step(self, case: Case, step: int) -> None:
        for number, day, fields, who in self.history():
            if number == step:
                services.step_record(
                    actor=self.uni.user(who), case=case, step=number, date=day, fields=fields
                )
                return


class RefreshTests(DevelopmentTestCase):
    def test_the_kept_dates_are_recomputed_from_the_history(self):
        from django.core.management import call_command

        case = self.new_case(application=D(2024, 3, 1))
        Case.objects.filter(pk=case.pk).update(next_step=9, next_latest=None)
        call_command("refresh_development_deadlines", stdout=io.StringIO())
        case.refresh_from_db()
        self.assertEqual((case.next_step, case.next_latest), (2, D(2024, 4, 1)))
