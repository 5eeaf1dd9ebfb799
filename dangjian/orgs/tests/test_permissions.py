from __future__ import annotations

from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization
from dangjian.testing.base import BaseTestCase


class CapabilityTestCase(BaseTestCase):
    def test_a_role_covers_its_organization_and_everything_below(self):
        secretary = self.uni.user("secretary1")
        self.assertTrue(perms.has_capability(secretary, self.uni.b11, perms.MEMBERS_MANAGE))
        self.assertTrue(perms.has_capability(secretary, self.uni.g111, perms.MEMBERS_MANAGE))
        self.assertFalse(perms.has_capability(secretary, self.uni.c1, perms.MEMBERS_VIEW))
        self.assertFalse(perms.has_capability(secretary, self.uni.b12, perms.MEMBERS_VIEW))
        self.assertFalse(perms.has_capability(secretary, self.uni.b21, perms.MEMBERS_VIEW))

    def test_the_organization_department_covers_the_university(self):
        orgdept = self.uni.user("orgdept")
        for org in Organization.objects.all():
            self.assertTrue(perms.has_capability(orgdept, org, perms.MEMBERS_VIEW_SENSITIVE))

    def test_a_branch_committee_member_reads_but_does_not_write(self):
        user = self.uni.user("committee_member")
        self.assertTrue(perms.has_capability(user, self.uni.b11, perms.MEMBERS_VIEW))
        self.assertFalse(perms.has_capability(user, self.uni.b11, perms.MEMBERS_MANAGE))
        self.assertFalse(perms.has_capability(user, self.uni.b11, perms.MEMBERS_VIEW_SENSITIVE))

    def test_a_member_sees_their_branch_but_no_roster(self):
        member = self.uni.user("member1")
        self.assertTrue(perms.has_capability(member, self.uni.b11, perms.ORGS_VIEW))
        self.assertFalse(perms.has_capability(member, self.uni.b11, perms.MEMBERS_VIEW))
        self.assertFalse(perms.has_capability(member, self.uni.b12, perms.ORGS_VIEW))

    def test_administrators_hold_only_their_own_capability(self):
        self.assertTrue(perms.has_capability(self.uni.user("auditor"), None, perms.AUDIT_VIEW))
        self.assertFalse(
            perms.has_capability(self.uni.user("auditor"), self.uni.root, perms.ORGS_VIEW)
        )
        self.assertTrue(perms.has_capability(self.uni.user("secadmin"), None, perms.ROLES_MANAGE))
        self.assertFalse(
            perms.has_capability(self.uni.user("secadmin"), self.uni.b11, perms.MEMBERS_VIEW)
        )
        self.assertTrue(
            perms.has_capability(self.uni.user("sysadmin"), None, perms.ACCOUNTS_MANAGE)
        )

    def test_the_scope_filter_and_the_check_agree(self):
        for name in (
            "orgdept",
            "committee1",
            "secretary1",
            "committee_member",
            "member1",
            "outsider",
        ):
            user = self.uni.user(name)
            for capability in (perms.ORGS_VIEW, perms.MEMBERS_VIEW, perms.MEMBERS_MANAGE):
                in_scope = set(
                    Organization.objects.filter(perms.scope_q(user, capability)).values_list(
                        "pk", flat=True
                    )
                )
                by_check = {
                    org.pk
                    for org in Organization.objects.all()
                    if perms.has_capability(user, org, capability)
                }
                self.assertEqual(in_scope, by_check, (name, capability))

    def test_a_revoked_or_ended_role_grants_nothing(self):
        import datetime as dt

        from dangjian.orgs.models import RoleAssignment

        RoleAssignment.objects.filter(user=self.uni.user("secretary1")).update(
            ends_on=dt.date(2000, 1, 1)
        )
        user = type(self.uni.user("secretary1")).objects.get(username="secretary1")
        self.assertFalse(perms.has_capability(user, self.uni.b11, perms.MEMBERS_MANAGE))

    def test_a_role_ending_today_still_holds_and_yesterday_does_not(self):
        import datetime as dt

        from django.utils import timezone

        from dangjian.orgs.models import RoleAssignment

        today = timezone.localdate()
        secretary = self.uni.user("secretary1")
        RoleAssignment.objects.filter(user=secretary).update(ends_on=today)
        user = type(secretary).objects.get(pk=secretary.pk)
        self.assertTrue(perms.has_capability(user, self.uni.b11, perms.MEMBERS_MANAGE))
        RoleAssignment.objects.filter(user=secretary).update(ends_on=today - dt.timedelta(days=1))
        user = type(secretary).objects.get(pk=secretary.pk)
        self.assertFalse(perms.has_capability(user, self.uni.b11, perms.MEMBERS_MANAGE))

    def test_the_precompiled_grants_statement_answers_as_the_queryset(self):
        # grants() runs the UNION compiled once with placeholders; it must return exactly
        # what the ORM query for the same user and day returns.
        from django.utils import timezone

        today = timezone.localdate()
        for name in ("orgdept", "committee1", "secretary1", "committee_member", "member1"):
            user = self.uni.user(name)
            expected = sorted(perms._grants_query(user, today))
            self.assertEqual(sorted(perms._grant_rows(user)), expected, name)
            self.assertTrue(expected, name)
