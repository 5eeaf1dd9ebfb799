from __future__ import annotations

from django.core.exceptions import ValidationError

from dangjian.orgs import services
from dangjian.orgs.models import Role
from dangjian.testing.base import BaseTestCase


class SeparatedAdministratorsTestCase(BaseTestCase):
    def test_an_account_holds_at_most_one_administrator_role(self):
        secadmin = self.uni.user("secadmin")
        sysadmin = self.uni.user("sysadmin")
        services.admin_role_set(actor=secadmin, user=sysadmin, role="audit_admin")
        sysadmin.refresh_from_db()
        # Holding the audit role replaced the system role: one field, one role.
        self.assertEqual(sysadmin.admin_role, "audit_admin")

    def test_the_security_administrator_cannot_change_their_own_roles(self):
        secadmin = self.uni.user("secadmin")
        with self.assertRaises(ValidationError):
            services.admin_role_set(actor=secadmin, user=secadmin, role="system_admin")
        with self.assertRaises(ValidationError):
            services.role_grant(
                actor=secadmin, user=secadmin, org=self.uni.root, role=Role.ORG_DEPARTMENT
            )

    def test_only_the_security_administrator_grants_roles(self):
        for name in ("sysadmin", "auditor", "orgdept"):
            with self.assertRaises(ValidationError):
                services.role_grant(
                    actor=self.uni.user(name),
                    user=self.uni.user("outsider"),
                    org=self.uni.b11,
                    role=Role.BRANCH_COMMITTEE,
                )

    def test_administrator_accounts_hold_nothing_else(self):
        secadmin = self.uni.user("secadmin")
        with self.assertRaises(ValidationError):
            services.role_grant(
                actor=secadmin,
                user=self.uni.user("auditor"),
                org=self.uni.b11,
                role=Role.BRANCH_COMMITTEE,
            )
        with self.assertRaises(ValidationError):  # linked to a member record
            services.admin_role_set(
                actor=secadmin, user=self.uni.user("member1"), role="audit_admin"
            )
        with self.assertRaises(ValidationError):  # holds an organization role
            services.admin_role_set(
                actor=secadmin, user=self.uni.user("orgdept"), role="audit_admin"
            )

    def test_the_security_and_audit_administrators_see_no_member_data(self):
        member = self.uni.members["member1"]
        for name in ("secadmin", "auditor", "sysadmin"):
            client = self.client_for(name)
            self.assertEqual(client.get(f"/members/{member.pk}/").status_code, 404, name)
            self.assertEqual(client.get("/members/").status_code, 404, name)
            self.assertEqual(client.get(f"/api/v1/members/{member.pk}").status_code, 404, name)
            self.assertEqual(client.get("/api/v1/members").status_code, 403, name)
            home = client.get("/")
            self.assertNotContains(home, member.name)
