from __future__ import annotations

import time

from django.conf import settings

from dangjian.audit.models import AuditEntry
from dangjian.testing.base import BaseTestCase


class SessionLimitsTestCase(BaseTestCase):
    def test_the_idle_limit_is_thirty_minutes_and_sliding(self):
        self.assertEqual(settings.SESSION_COOKIE_AGE, 1800)
        self.assertTrue(settings.SESSION_SAVE_EVERY_REQUEST)

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
