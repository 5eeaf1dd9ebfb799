"""The development step of `seed_demo`: cases at every stage, recorded through the services,
some converted, a few extended, some past a deadline, and the daily warnings find them."""

from __future__ import annotations

import io
from unittest import mock

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.development import deadlines, warnings
from dangjian.development import demo as development_demo
from dangjian.development.models import STAGE_CHOICES, Case, CaseStatus, StepEvent
from dangjian.orgs.models import Organization, Role, RoleAssignment


class DevelopmentDemoTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        out = io.StringIO()
        # Only this app's step after the roster, so the test does not depend on the others.
        steps = [("development", development_demo.seed)]
        with mock.patch("dangjian.lib.demo.steps", return_value=steps):
            call_command("seed_demo", "--members", "400", "--branches", "40", "--seed", "3",
                         stdout=out)  # fmt: skip
        cls.output = out.getvalue()
        cls.today = timezone.localdate()

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def test_every_stage_has_cases_and_some_are_converted_or_extended(self):
        self.assertIn("development:", self.output)
        for stage, _label in STAGE_CHOICES:
            self.assertTrue(Case.objects.filter(stage=stage).exists(), stage)
        converted = Case.objects.filter(status=CaseStatus.CLOSED, steps__step=25)
        self.assertTrue(converted.exists())
        self.assertTrue(StepEvent.objects.filter(step=23, outcome="extend").exists())
        self.assertFalse(StepEvent.objects.filter(date__gt=self.today).exists())
        oldest = Case.objects.order_by("application_date").first()
        assert oldest is not None
        self.assertLessEqual((self.today - oldest.application_date).days, 3 * 366)
        self.assertGreater((self.today - oldest.application_date).days, 700)
        # Cases in many branches under several committees, not blocked by any rule.
        self.assertGreaterEqual(Case.objects.values("organization").distinct().count(), 10)
        parents = Organization.objects.filter(development_cases__isnull=False).values("parent")
        self.assertGreaterEqual(parents.distinct().count(), 5)
        self.assertFalse(StepEvent.objects.filter(is_exception=True).exists())

    def test_secretary1s_branch_has_cases_some_overdue(self):
        grant = RoleAssignment.objects.get(user__username="secretary1", role=Role.BRANCH_SECRETARY)
        branch = grant.organization
        self.assertGreaterEqual(Case.objects.filter(organization=branch).count(), 5)
        due = deadlines.due_list(self.user("secretary1"), org=branch, today=self.today)
        self.assertGreaterEqual(len(due.overdue), 2)

    def test_the_warnings_find_every_overdue_case_once(self):
        overdue = deadlines.due_list(self.user("orgdept"), today=self.today).overdue
        self.assertGreaterEqual(len(overdue), 3)
        # Computed directly, without a viewer's scope: the same cases.
        every = list(Case.objects.filter(status=CaseStatus.OPEN).select_related("organization"))
        late = [r for r in deadlines.next_steps(every, today=self.today) if r.status == "overdue"]
        self.assertEqual({r.case.pk for r in late}, {r.case.pk for r in overdue})
        counts = warnings.send_warnings(today=self.today)
        self.assertEqual(counts["overdue"], len(overdue))
        again = warnings.send_warnings(today=self.today)
        self.assertEqual((again["overdue"], again["due_soon"]), (0, 0))
