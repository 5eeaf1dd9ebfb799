"""The daily deadline warnings of member development: to whom, once, and again when moved."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.test import override_settings

from dangjian.development import services, tasks, warnings
from dangjian.development.models import Case, WarningSent
from dangjian.development.rules import engine
from dangjian.development.tests.test_deadlines import DeadlineTestCase, on
from dangjian.notifications.models import Delivery, Notification

D = dt.date


class WarningJobTests(DeadlineTestCase):
    def inbox(self, persona: str, kind: str = "") -> list[Notification]:
        deliveries = Delivery.objects.filter(recipient=self.uni.user(persona))
        if kind:
            deliveries = deliveries.filter(notification__kind=kind)
        return [d.notification for d in deliveries.select_related("notification")]

    def test_a_talk_due_in_five_days_warns_the_secretary_once(self):
        with on(D(2024, 3, 27)):
            case = self.open_case(1, D(2024, 3, 1))  # talk due by 2024-04-01
            counts = warnings.send_warnings()
            self.assertEqual(counts, {"cases": 1, "due_soon": 1, "overdue": 0, "no_recipient": 0})
            [message] = self.inbox("secretary1")
            self.assertEqual(message.kind, "development.due_soon")
            self.assertIn(case.name, message.title)
            self.assertIn("2024-04-01", message.title)
            self.assertIn("5 day(s)", message.body)
            self.assertEqual(message.link, f"/development/cases/{case.pk}/")
            self.assertEqual(self.inbox("committee1"), [])
            again = warnings.send_warnings()
            self.assertEqual((again["due_soon"], again["overdue"]), (0, 0))
            self.assertEqual(len(self.inbox("secretary1")), 1)
            sent = WarningSent.objects.get()
            self.assertEqual(
                (sent.case, sent.step, sent.kind, sent.latest_date),
                (case, 2, "due_soon", D(2024, 4, 1)),
            )
        with on(D(2024, 4, 2)):  # the deadline passed: one overdue warning, once
            self.assertEqual(warnings.send_warnings()["overdue"], 1)
            self.assertEqual(warnings.send_warnings()["overdue"], 0)
        self.assertEqual(len(self.inbox("secretary1", "development.overdue")), 1)
        self.assertEqual(len(self.inbox("secretary1")), 2)

    def test_nothing_is_sent_outside_the_window(self):
        with on(D(2024, 3, 20)):
            self.open_case(1, D(2024, 3, 1))  # 12 days left
            self.assertEqual(warnings.send_warnings()["due_soon"], 0)
            with override_settings(DEVELOPMENT_WARN_DAYS=15):
                self.assertEqual(warnings.send_warnings()["due_soon"], 1)
        self.assertEqual(len(self.inbox("secretary1")), 1)

    def test_a_missed_deadline_warns_once_as_overdue(self):
        with on(D(2024, 4, 10)):
            self.open_case(1, D(2024, 3, 1))
            counts = warnings.send_warnings()
            self.assertEqual((counts["due_soon"], counts["overdue"]), (0, 1))
            self.assertEqual(warnings.send_warnings()["overdue"], 0)
        [message] = self.inbox("secretary1")
        self.assertEqual(message.kind, "development.overdue")
        self.assertIn("9 day(s) ago", message.body)

    def test_an_approval_step_warns_the_committee_organizer(self):
        with on(D(2025, 7, 2)):
            case = self.new_case()
            self.record_until(case, 17)
        deadline = engine.next_step(services.history_of(case), config=services.RULES_CONFIG)
        assert deadline is not None and deadline.latest is not None
        self.assertEqual((deadline.step, deadline.latest), (17, D(2025, 9, 20)))
        with on(D(2025, 9, 16)):
            self.assertEqual(warnings.send_warnings()["due_soon"], 1)
        self.assertEqual(len(self.inbox("committee1", "development.due_soon")), 1)
        self.assertEqual(self.inbox("secretary1", "development.due_soon"), [])

    def test_closed_and_cancelled_cases_are_ignored(self):
        with on(D(2024, 4, 10)):
            closed = self.open_case(1, D(2024, 3, 1))
            cancelled = self.open_case(2, D(2024, 3, 2))
        Case.objects.filter(pk=closed.pk).update(status="closed")
        Case.objects.filter(pk=cancelled.pk).update(status="cancelled")
        with on(D(2024, 4, 10)):
            counts = warnings.send_warnings()
        self.assertEqual(counts, {"cases": 0, "due_soon": 0, "overdue": 0, "no_recipient": 0})
        self.assertFalse(Notification.objects.exists())

    def test_a_moved_deadline_warns_again(self):
        with on(D(2024, 3, 27)):
            case = self.open_case(1, D(2024, 3, 1))
            WarningSent.objects.create(
                case=case, step=2, kind="due_soon", latest_date=D(2024, 3, 30)
            )
            self.assertEqual(warnings.send_warnings()["due_soon"], 1)
            self.assertEqual(warnings.send_warnings()["due_soon"], 0)
        self.assertEqual(WarningSent.objects.count(), 2)

    def test_a_branch_without_secretary_warns_the_committee(self):
        with on(D(2024, 3, 27)):
            self.open_case(1, D(2024, 3, 1), self.uni.b12, "committee1")
            self.assertEqual(warnings.send_warnings()["due_soon"], 1)
        self.assertEqual(len(self.inbox("committee1")), 1)
        self.assertEqual(self.inbox("secretary1"), [])

    def test_the_task_and_the_command_run_the_job(self):
        with on(D(2024, 3, 27)):
            self.open_case(1, D(2024, 3, 1))
            self.assertEqual(tasks.send_warnings_task()["due_soon"], 1)
            call_command("send_development_warnings", stdout=(out := io.StringIO()))
        self.assertIn("0 due-soon", out.getvalue())
        call_command(
            "send_development_warnings", "--date", "2024-04-05", stdout=(out := io.StringIO())
        )
        self.assertIn("1 overdue", out.getvalue())


class AssessmentAndLimitWarningTests(DeadlineTestCase):
    def inbox(self, persona: str, kind: str = "") -> list[Notification]:
        return WarningJobTests.inbox(self, persona, kind)  # type: ignore[arg-type]

    def test_an_activists_six_monthly_assessment_is_watched(self):
        with on(D(2024, 4, 25)):
            case = self.new_case()
            self.record_until(case, 6)  # activist from 2024-04-10: assessed by 2024-10-10
        assessment = engine.next_assessment(services.history_of(case))
        self.assertEqual(assessment, D(2024, 10, 10))
        with on(D(2024, 10, 5)):
            counts = warnings.send_warnings()
        self.assertEqual(counts["due_soon"], 1)
        [message] = self.inbox("secretary1")
        self.assertIn("2024-10-10", message.title)
        self.assertIn("DEV-ASSESS", message.body)
        self.assertTrue(WarningSent.objects.filter(case=case, step=6, kind="due_soon").exists())
        with on(D(2024, 10, 11)):
            self.assertEqual(warnings.send_warnings()["overdue"], 1)
            self.assertEqual(warnings.send_warnings()["overdue"], 0)

    def test_the_six_month_limit_of_an_approval_warns_after_the_due_date(self):
        with on(D(2025, 7, 2)):
            case = self.new_case()
            self.record_until(case, 17)  # branch meeting 2025-06-20: limit 2025-12-20
        with on(D(2025, 12, 15)):
            counts = warnings.send_warnings()
        # the usual date (2025-09-20) is past: overdue; the limit is 5 days away: due soon
        self.assertEqual((counts["overdue"], counts["due_soon"]), (1, 1))
        titles = sorted(m.title for m in self.inbox("committee1"))
        self.assertTrue(any("2025-12-20" in t for t in titles), titles)
        limit = WarningSent.objects.get(case=case, kind="due_soon")
        self.assertEqual((limit.step, limit.latest_date), (17, D(2025, 12, 20)))
