from __future__ import annotations

import time

from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.accounts.models import User
from dangjian.audit.models import AuditEntry
from dangjian.testing.base import BaseTestCase
from dangjian.testing.personas import PASSWORD


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


class LoginTestCase(BaseTestCase):
    def post_login(self, username: str, password: str, *, ip: str = "10.0.0.1", client=None):
        client = client or Client(REMOTE_ADDR=ip)
        return client, client.post(
            "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
        )

    def test_it_signs_in_and_audits_the_success(self):
        client, response = self.post_login("secretary1", PASSWORD)
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(client.get("/").status_code, 200)
        entry = AuditEntry.objects.filter(action="accounts.login.succeeded").latest("id")
        self.assertEqual(entry.actor_username, "secretary1")
        self.assertEqual(entry.ip, "10.0.0.1")

    def test_it_gives_one_message_for_unknown_accounts_and_wrong_passwords(self):
        _, wrong_password = self.post_login("secretary1", "nope")
        _, unknown = self.post_login("nobody-here", "nope")
        self.assertContains(wrong_password, "account name or the password is wrong")
        self.assertContains(unknown, "account name or the password is wrong")
        failures = AuditEntry.objects.filter(action="accounts.login.failed")
        self.assertEqual(
            set(failures.values_list("actor_username", flat=True)), {"secretary1", "nobody-here"}
        )
        self.assertTrue(all(e.result == "failure" for e in failures))

    def test_five_failures_lock_the_account_from_that_address_for_thirty_minutes(self):
        for _ in range(4):
            _, response = self.post_login("secretary1", "wrong", ip="10.0.0.9")
            self.assertEqual(response.status_code, 200)
        _, response = self.post_login("secretary1", "wrong", ip="10.0.0.9")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "30 minutes", status_code=429)
        # The right password is refused too while locked.
        _, response = self.post_login("secretary1", PASSWORD, ip="10.0.0.9")
        self.assertEqual(response.status_code, 429)
        # The lock is keyed on account and address: the same account elsewhere still works,
        # and so does another account from the same address.
        _, elsewhere = self.post_login("secretary1", PASSWORD, ip="10.0.0.10")
        self.assertEqual(elsewhere.status_code, 302)
        _, other = self.post_login("member1", PASSWORD, ip="10.0.0.9")
        self.assertEqual(other.status_code, 302)
        self.assertTrue(AuditEntry.objects.filter(action="accounts.login.locked").exists())

    def test_the_forwarded_for_header_is_ignored_without_a_configured_proxy(self):
        client = Client()
        for n in range(5):
            client.post(
                "/accounts/login/",
                {"username": "member1", "password": "wrong"},
                REMOTE_ADDR="10.1.1.1",
                HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
            )
        response = client.post(
            "/accounts/login/",
            {"username": "member1", "password": PASSWORD},
            REMOTE_ADDR="10.1.1.1",
            HTTP_X_FORWARDED_FOR="192.0.2.99",
        )
        self.assertEqual(response.status_code, 429)

    def test_sign_out_ends_the_session_and_is_audited(self):
        client, _ = self.post_login("member1", PASSWORD)
        response = client.post("/accounts/logout/")
        self.assertEqual(response["Clear-Site-Data"], '"cache", "storage"')
        self.assertRedirects(client.get("/"), "/accounts/login/?next=/")
        self.assertTrue(AuditEntry.objects.filter(action="accounts.logout").exists())

    def test_sign_out_needs_post(self):
        client, _ = self.post_login("member1", PASSWORD)
        self.assertEqual(client.get("/accounts/logout/").status_code, 405)

    def test_the_session_key_changes_at_sign_in(self):
        client = Client()
        client.get("/accounts/login/")
        client.cookies["sessionid"] = "attacker-chosen"
        client.post("/accounts/login/", {"username": "member1", "password": PASSWORD})
        self.assertNotEqual(client.cookies["sessionid"].value, "attacker-chosen")

    def test_a_disabled_account_cannot_sign_in(self):
        User.objects.filter(username="member1").update(is_active=False)
        _, response = self.post_login("member1", PASSWORD)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "account name or the password is wrong")


class TwoFactorTestCase(BaseTestCase):
    def test_the_organization_department_must_enrol_then_verify(self):
        client = Client()
        response = client.post("/accounts/login/", {"username": "orgdept", "password": PASSWORD})
        self.assertRedirects(response, "/accounts/login/setup/", fetch_redirect_response=False)
        # Not signed in yet: the first factor alone opens nothing.
        self.assertEqual(client.get("/").status_code, 302)
        page = client.get("/accounts/login/setup/")
        self.assertContains(page, "<svg")
        device = TOTPDevice.objects.get(user__username="orgdept", confirmed=False)
        bad = client.post("/accounts/login/setup/", {"token": "000000"})
        self.assertContains(bad, "wrong or has expired")
        good = client.post("/accounts/login/setup/", {"token": current_code(device)})
        self.assertRedirects(good, "/accounts/backup-codes/", fetch_redirect_response=False)
        codes = client.get("/accounts/backup-codes/")
        self.assertEqual(codes.status_code, 200)
        self.assertEqual(client.get("/").status_code, 200)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)

    @override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
    def test_an_enrolled_administrator_needs_the_current_code(self):
        user = self.uni.user("auditor")
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        client = Client()
        response = client.post("/accounts/login/", {"username": "auditor", "password": PASSWORD})
        self.assertRedirects(response, "/accounts/login/verify/", fetch_redirect_response=False)
        wrong = client.post("/accounts/login/verify/", {"token": "123456"})
        self.assertContains(wrong, "wrong or has expired")
        self.assertTrue(
            AuditEntry.objects.filter(
                action="accounts.two_factor.failed", result="failure"
            ).exists()
        )
        right = client.post("/accounts/login/verify/", {"token": current_code(device)})
        self.assertEqual(right.status_code, 302)
        self.assertEqual(client.get("/audit/").status_code, 200)

    def test_a_code_cannot_be_used_twice(self):
        user = self.uni.user("secadmin")
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        code = current_code(device)
        first = Client()
        first.post("/accounts/login/", {"username": "secadmin", "password": PASSWORD})
        self.assertEqual(first.post("/accounts/login/verify/", {"token": code}).status_code, 302)
        second = Client()
        second.post("/accounts/login/", {"username": "secadmin", "password": PASSWORD})
        replay = second.post("/accounts/login/verify/", {"token": code})
        self.assertEqual(replay.status_code, 200)

    def test_a_branch_secretary_needs_no_second_factor(self):
        client = Client()
        response = client.post("/accounts/login/", {"username": "secretary1", "password": PASSWORD})
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    @override_settings(TWO_FACTOR_ROLES=["system_admin", "branch_secretary"])
    def test_the_roles_that_need_it_are_configurable(self):
        client = Client()
        response = client.post("/accounts/login/", {"username": "secretary1", "password": PASSWORD})
        self.assertRedirects(response, "/accounts/login/setup/", fetch_redirect_response=False)

    def test_a_session_without_second_factor_is_ended_when_the_role_needs_one(self):
        client = Client()
        client.force_login(self.uni.user("orgdept"))
        response = client.get("/members/")
        self.assertRedirects(response, "/accounts/login/", fetch_redirect_response=False)
        self.assertEqual(client.get("/").status_code, 302)


class SessionDeviceTestCase(BaseTestCase):
    """The account and the second-factor device are reloaded on every request."""

    def test_a_session_ends_with_its_account(self):
        client = self.client_for("secretary1")
        self.assertEqual(client.get("/").status_code, 200)
        User.objects.filter(username="secretary1").update(is_active=False)
        self.assertEqual(client.get("/").status_code, 302)

    def test_a_removed_device_unverifies_the_session(self):
        client = self.client_for("orgdept")
        self.assertEqual(client.get("/members/").status_code, 200)
        TOTPDevice.objects.filter(user__username="orgdept").delete()
        self.assertRedirects(
            client.get("/members/"), "/accounts/login/", fetch_redirect_response=False
        )

    def test_a_device_of_another_account_does_not_verify(self):
        from django_otp import DEVICE_ID_SESSION_KEY

        client = self.client_for("orgdept")
        other = TOTPDevice.objects.create(user=self.uni.user("auditor"), name="x", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = other.persistent_id
        session.save()
        self.assertRedirects(
            client.get("/members/"), "/accounts/login/", fetch_redirect_response=False
        )

    def test_a_garbled_device_id_does_not_verify(self):
        from django_otp import DEVICE_ID_SESSION_KEY

        client = self.client_for("orgdept")
        for value in ("otp_totp.totpdevice/abc", "nope.nothing/1", "accounts.user/1", "x"):
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = value
            session.save()
            response = client.get("/members/")
            self.assertRedirects(response, "/accounts/login/", fetch_redirect_response=False)
            client = self.client_for("orgdept")
