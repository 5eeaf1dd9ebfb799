"""The applicant's own progress page, for a member and a non-member, and the applicant's
account: opened once by the branch, shown once, and carrying no capability."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from dangjian.accounts.models import User
from dangjian.audit.models import AuditEntry
from dangjian.development import applicants, services
from dangjian.development.models import Case
from dangjian.development.tests.matrix_committee import person_case, record_until
from dangjian.development.tests.test_services import DevelopmentTestCase
from dangjian.orgs import permissions as perms
from dangjian.testing.base import sign_in
from dangjian.testing.personas import make_user

ME = "/development/me/"


def account_url(case: Case) -> str:
    return f"/development/me/account/{case.pk}/"


class ApplicantTestCase(DevelopmentTestCase):
    def open_account(self, case: Case) -> User:
        user, _password = applicants.applicant_account_create(
            actor=self.uni.user("secretary1"), case=case
        )
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.refresh_from_db()
        return user


class ProgressTests(ApplicantTestCase):
    def test_a_non_member_sees_their_steps_people_and_next_step_only(self):
        case = record_until(self.uni, person_case(self.uni, 1), 7)
        other = person_case(self.uni, 2, name="别人的名字")
        user = self.open_account(case)
        page = sign_in(Client(), user).get(ME)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, case.name)
        self.assertContains(page, "王书记")  # the talker and a cultivation contact
        self.assertContains(page, "李党员")
        self.assertContains(page, "Next: Select development object")
        self.assertContains(page, "thought report")  # what they do themselves, as an activist
        self.assertContains(page, 'aria-current="step"')
        self.assertNotContains(page, other.name)
        self.assertNotContains(page, "DEV-")  # no internal warnings or rule codes

    def test_the_next_step_with_its_latest_date_in_plain_words(self):
        case = person_case(self.uni, 1, application_date=dt.date(2026, 1, 5))
        user = self.open_account(case)
        page = sign_in(Client(), user).get(ME)
        self.assertContains(
            page, "Next: Talk by the Party organization, to be done by 2026年2月5日."
        )
        self.assertNotContains(page, "DEV-TALK")  # overdue: the branch's warning, not theirs

    def test_a_member_sees_their_case_through_the_member_account(self):
        member = self.uni.members["b11_probationary"]
        account = make_user("probationary1")
        type(member).objects.filter(pk=member.pk).update(user=account)
        member.refresh_from_db()
        case = services.case_create(
            actor=self.uni.user("secretary1"), member=member, application_date=dt.date(2025, 1, 2)
        )
        page = sign_in(Client(), account).get(ME)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, case.name)
        with self.assertRaises(ValidationError):  # a member uses the member's account
            applicants.applicant_account_create(actor=self.uni.user("secretary1"), case=case)

    def test_nobody_else_sees_anything(self):
        person_case(self.uni, 1)
        for persona in ("secretary1", "committee1", "member1", "outsider"):
            self.assertEqual(self.client_for(persona).get(ME).status_code, 404, persona)
        self.assertEqual(Client().get(ME).status_code, 302)


class AccountTests(ApplicantTestCase):
    def test_the_branch_opens_the_account_and_sees_the_password_once(self):
        case = person_case(self.uni, 1)
        answer = self.client_for("secretary1").post(account_url(case))
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer["Cache-Control"], "no-store")
        case.refresh_from_db()
        user = case.user
        assert user is not None
        self.assertEqual(user.username, "13900139000")  # the phone number
        self.assertTrue(user.must_change_password)
        self.assertContains(answer, answer.context["password"])
        self.assertTrue(user.check_password(answer.context["password"]))
        entry = AuditEntry.objects.get(action="development.applicant.account_created")
        self.assertEqual(entry.changes, {"user": [None, "139****9000"]})  # the phone, masked
        again = self.client_for("secretary1").post(account_url(case))
        self.assertEqual(again.status_code, 422)
        second = person_case(self.uni, 2)  # the same phone: the case number instead
        user2, _ = applicants.applicant_account_create(
            actor=self.uni.user("committee1"), case=second
        )
        self.assertEqual(user2.username, f"dj{second.pk}")

    def test_who_may_open_it(self):
        case = person_case(self.uni, 1)
        self.assertEqual(
            self.client_for("committee_member").post(account_url(case)).status_code, 403
        )
        for persona in ("secretary2", "member1", "outsider"):
            self.assertEqual(self.client_for(persona).post(account_url(case)).status_code, 404)
        self.assertEqual(self.client_for("secretary1").get(account_url(case)).status_code, 405)
        with self.assertRaises(PermissionDenied):
            applicants.applicant_account_create(actor=self.uni.user("secretary2"), case=case)
        case.refresh_from_db()
        self.assertIsNone(case.user)

    def test_the_account_carries_no_capability(self):
        case = person_case(self.uni, 1)
        other = person_case(self.uni, 2)
        user = self.open_account(case)
        self.assertEqual(perms.grants(user), [])
        client = sign_in(Client(), user)
        self.assertEqual(client.get(ME).status_code, 200)
        for url in (
            "/members/",
            f"/development/cases/{other.pk}/",
            f"/development/cases/{case.pk}/",
            f"/development/committee/{other.pk}/approve/",
            "/development/committee/",
            f"/api/v1/development/cases/{case.pk}",
        ):
            self.assertEqual(client.get(url).status_code, 404, url)
