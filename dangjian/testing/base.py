"""The base test case: a small university with named personas, and signed-in clients."""

from __future__ import annotations

from typing import Any

from django.test import Client, TestCase
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.accounts.models import User
from dangjian.testing.personas import TWO_FACTOR_PERSONAS, University, build_university


def sign_in(client: Client, user: User) -> Client:
    """Sign a test client in, with a verified second factor where the account needs one."""
    client.force_login(user, backend="dangjian.accounts.backends.AccountBackend")
    if user.username in TWO_FACTOR_PERSONAS or user.admin_role:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


class BaseTestCase(TestCase):
    uni: University

    @classmethod
    def setUpTestData(cls) -> None:
        cls.uni = build_university()

    def client_for(self, persona: str) -> Client:
        return sign_in(Client(), self.uni.user(persona))

    def api(self, persona: str) -> Any:
        return self.client_for(persona)
