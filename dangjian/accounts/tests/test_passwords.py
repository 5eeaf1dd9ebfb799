from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from dangjian.accounts import services
from dangjian.accounts.models import User
from dangjian.testing.base import BaseTestCase
from dangjian.testing.personas import PASSWORD


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Ab1!short", "at least 10"),
        ("alllowercaseletters", "at least 3"),
        ("lowerUPPERonly", "at least 3"),
        ("Zhangsan2024!", "account name"),
        ("nasgnahz2024!X", "account name"),
        ("Password123", "too common"),
    ],
)
def test_the_policy_rejects_weak_passwords(password, fragment):
    user = User(username="zhangsan")
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    assert any(fragment in message for message in caught.value.messages)


@pytest.mark.django_db
def test_a_long_mixed_password_passes():
    validate_password("Hongqi-Piaopiao-2026", User(username="zhangsan"))


class PasswordChangeTestCase(BaseTestCase):
    def test_the_last_passwords_cannot_be_reused(self):
        user = self.uni.user("member1")
        services.user_set_password(user=user, password="Second-Pass-2026")
        services.user_set_password(user=user, password="Third-Pass-2026")
        with self.assertRaises(ValidationError):
            services.user_set_password(user=user, password="Second-Pass-2026")
        with self.assertRaises(ValidationError):
            services.user_set_password(user=user, password="Third-Pass-2026")

    def test_an_expired_password_forces_a_change_before_anything_else(self):
        user = self.uni.user("member1")
        User.objects.filter(pk=user.pk).update(
            password_changed_at=timezone.now() - dt.timedelta(days=91)
        )
        client = self.client_for("member1")
        self.assertRedirects(
            client.get("/members/"), "/accounts/password/", fetch_redirect_response=False
        )
        response = client.post(
            "/accounts/password/",
            {
                "old_password": PASSWORD,
                "new_password1": "New-Secret-2026",
                "new_password2": "New-Secret-2026",
            },
        )
        self.assertRedirects(response, "/accounts/me/", fetch_redirect_response=False)
        self.assertEqual(client.get("/").status_code, 200)

    @override_settings(PASSWORD_EXPIRY_DAYS=30)
    def test_the_expiry_is_configurable(self):
        user = self.uni.user("member1")
        user.password_changed_at = timezone.now() - dt.timedelta(days=31)
        self.assertTrue(user.password_expired())
        user.password_changed_at = timezone.now() - dt.timedelta(days=29)
        self.assertFalse(user.password_expired())

    def test_a_reset_password_must_be_changed_at_next_sign_in(self):
        user = self.uni.user("member1")
        temporary = services.user_reset_password(user=user, actor=self.uni.user("sysadmin"))
        user.refresh_from_db()
        self.assertTrue(user.must_change_password)
        self.assertTrue(user.check_password(temporary))
        validate_password(temporary, User(username="someone-else"))

    def test_the_change_form_names_the_broken_rule(self):
        client = self.client_for("member1")
        response = client.post(
            "/accounts/password/",
            {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
        )
        self.assertContains(response, "at least 10")
