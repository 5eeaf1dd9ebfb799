"""Nobody sees or marks another person's messages, whatever roles they hold."""

from __future__ import annotations

from dangjian.notifications.models import Delivery
from dangjian.notifications.services import ALL, mark_read, notify
from dangjian.testing.base import BaseTestCase


class IsolationTestCase(BaseTestCase):
    def setUp(self):
        self.theirs = notify(
            [self.uni.user("member1")], kind="test.sent", title="李党员的私信", link="/members/"
        ).deliveries.get()
        self.mine = notify(
            [self.uni.user("orgdept")], kind="test.sent", title="组织部的消息"
        ).deliveries.get()

    def assert_theirs_unread(self):
        self.theirs.refresh_from_db()
        self.assertIsNone(self.theirs.read_at)

    def test_the_inbox_shows_only_ones_own_messages(self):
        # The organization department sees every member's record, but not their messages.
        page = self.client_for("orgdept").get("/notifications/")
        self.assertContains(page, "组织部的消息")
        self.assertNotContains(page, "李党员的私信")
        data = self.client_for("orgdept").get("/api/v1/notifications").json()
        self.assertEqual([m["title"] for m in data["results"]], ["组织部的消息"])
        self.assertEqual(data["unread"], 1)

    def test_anothers_message_cannot_be_opened(self):
        for persona in ("orgdept", "sysadmin", "secretary1", "outsider"):
            client = self.client_for(persona)
            with self.subTest(persona=persona):
                self.assertEqual(
                    client.get(f"/notifications/{self.theirs.pk}/open/").status_code, 404
                )
                self.assertEqual(
                    client.post(
                        f"/notifications/{self.theirs.pk}/open/", HTTP_HX_REQUEST="true"
                    ).status_code,
                    404,
                )
        self.assert_theirs_unread()

    def test_anothers_message_cannot_be_marked_read(self):
        client = self.client_for("orgdept")
        response = client.post(
            "/api/v1/notifications/read",
            {"ids": [self.theirs.pk, self.mine.pk]},
            content_type="application/json",
        )
        self.assertEqual(response.json(), {"marked": 1, "unread": 0})
        client.post("/api/v1/notifications/read", {"all": True}, content_type="application/json")
        client.post("/notifications/read-all/")
        self.assertEqual(mark_read(self.uni.user("orgdept"), [self.theirs.pk]), 0)
        self.assertEqual(mark_read(self.uni.user("orgdept"), ALL), 0)
        self.assert_theirs_unread()

    def test_the_badge_counts_only_ones_own(self):
        page = self.client_for("outsider").get("/")
        self.assertNotContains(page, "dj-bell-count")
        self.assertEqual(Delivery.objects.filter(read_at__isnull=True).count(), 2)
