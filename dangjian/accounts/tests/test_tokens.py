from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.utils import timezone

from dangjian.accounts.models import ApiToken, User
from dangjian.testing.base import BaseTestCase
from dangjian.testing.personas import PASSWORD


class TokenTestCase(BaseTestCase):
    def issue(self, username: str, password: str = PASSWORD, otp: str = "") -> tuple[int, dict]:
        response = Client().post(
            "/api/v1/auth/token",
            data=json.dumps({"username": username, "password": password, "otp": otp}),
            content_type="application/json",
        )
        return response.status_code, response.json()

    def test_a_token_is_issued_and_works_as_a_bearer(self):
        status, body = self.issue("secretary1")
        self.assertEqual(status, 201)
        me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
        self.assertEqual(me.status_code, 200)
        self.assertEqual(me.json()["username"], "secretary1")
        self.assertIn("branch_secretary", me.json()["roles"])
        self.assertEqual(ApiToken.objects.get().key_hash != body["token"], True)

    def test_a_wrong_password_gets_401_with_the_error_format(self):
        status, body = self.issue("secretary1", "wrong")
        self.assertEqual(status, 401)
        self.assertIn("error", body)
        self.assertIn("fields", body)

    def test_an_account_needing_two_factor_must_send_the_code(self):
        status, body = self.issue("orgdept")
        self.assertEqual(status, 401)
        self.assertIn("otp", body["error"])

    def test_revoked_expired_and_disabled_tokens_stop_working(self):
        _, body = self.issue("member1")
        header = {"Authorization": f"Bearer {body['token']}"}
        self.assertEqual(Client().delete("/api/v1/auth/token", headers=header).status_code, 204)
        self.assertEqual(Client().get("/api/v1/me", headers=header).status_code, 401)
        _, body = self.issue("member1")
        header = {"Authorization": f"Bearer {body['token']}"}
        ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        self.assertEqual(Client().get("/api/v1/me", headers=header).status_code, 401)
        _, body = self.issue("member1")
        header = {"Authorization": f"Bearer {body['token']}"}
        User.objects.filter(username="member1").update(is_active=False)
        self.assertEqual(Client().get("/api/v1/me", headers=header).status_code, 401)

    def test_the_session_api_needs_the_csrf_token_for_writes(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.uni.user("secretary1"))
        response = client.patch(
            f"/api/v1/members/{self.uni.members['member1'].pk}",
            data=json.dumps({"grade": "2020"}),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 403)
