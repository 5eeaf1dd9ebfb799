from __future__ import annotations

import time

from django.conf import settings

from dangjian.accounts.models import User
from dangjian.audit.models import AuditEntry
from dangjian.testing.base import BaseTestCase


class SessionLimitsTestCase(BaseTestCase):
    def test_the_idle_limit_is_thirty_minutes(self):
        self.assertEqual(settings.SESSION_COOKIE_AGE, 1800)

    def test_a_session_older_than_the_absolute_limit_ends(self):
        client = self.client_for("member1")
        session = client.session
        session["login_at"] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 5
        session.save()
        response = client.get("/")
        self.assertRedirects(response, "/accounts/login/?next=/", fetch_redirect_response=False)
        self.assertEqual(client.get("/").status_code, 302)
        self.assertTrue(AuditEntry.objects.filter(action="accounts.session.expired").exists())

    def test_a_young_session_goes_on(self):
        client = self.client_for("member1")
        session = client.session
        session["login_at"] = time.time() - 60
        session.save()
        self.assertEqual(client.get("/").status_code, 200)


class IdleLimitTestCase(BaseTestCase):
    def test_a_session_idle_for_thirty_minutes_ends(self):
        client = self.client_for("member1")
        session = client.session
        session["login_at"] = time.time() - 3600
        session["seen_at"] = time.time() - settings.SESSION_COOKIE_AGE - 5
        session.save()
        self.assertRedirects(
            client.get("/"), "/accounts/login/?next=/", fetch_redirect_response=False
        )

    def test_activity_renews_the_session_at_most_once_a_minute(self):
        client = self.client_for("member1")
        session = client.session
        session["login_at"] = time.time() - 600
        session["seen_at"] = time.time() - 120
        session.save()
        client.get("/")
        renewed = client.session["seen_at"]
        self.assertGreater(renewed, time.time() - 5)
        client.get("/")
        self.assertEqual(client.session["seen_at"], renewed)


class LoadedAccountTestCase(BaseTestCase):
    def test_views_get_the_account_itself_with_its_second_factor_state(self):
        for persona in ("secretary1", "orgdept"):
            response = self.client_for(persona).get("/")
            user = response.wsgi_request.user
            self.assertIs(type(user), User, persona)
            self.assertEqual(user.get_username(), persona)
            self.assertTrue(user.is_verified() or persona != "orgdept")

    def test_anonymous_requests_stay_anonymous(self):
        response = self.client.get("/accounts/login/")
        self.assertFalse(response.wsgi_request.user.is_authenticated)
