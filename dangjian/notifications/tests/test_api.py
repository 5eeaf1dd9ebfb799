from __future__ import annotations

from dangjian.notifications.models import Delivery
from dangjian.notifications.services import mark_read, notify
from dangjian.testing.base import BaseTestCase


class NotificationsApiTestCase(BaseTestCase):
    def setUp(self):
        self.member1 = self.uni.user("member1")
        self.client = self.client_for("member1")

    def send(self, title: str, **kwargs) -> Delivery:
        return notify([self.member1], kind="test.sent", title=title, **kwargs).deliveries.get()

    def read(self, body):
        return self.client.post("/api/v1/notifications/read", body, content_type="application/json")

    def test_it_lists_my_messages_with_their_read_flag_and_the_unread_count(self):
        first = self.send("一", body="正文", link="/members/")
        second = self.send("二")
        mark_read(self.member1, [first.pk])
        data = self.client.get("/api/v1/notifications").json()
        self.assertEqual(data["count"], 2)
        self.assertEqual(data["unread"], 1)
        self.assertEqual([m["id"] for m in data["results"]], [second.pk, first.pk])
        message = data["results"][1]
        self.assertEqual(message["kind"], "test.sent")
        self.assertEqual(message["title"], "一")
        self.assertEqual(message["body"], "正文")
        self.assertEqual(message["link"], "/members/")
        self.assertTrue(message["read"])
        self.assertIsNotNone(message["read_at"])
        self.assertFalse(data["results"][0]["read"])

    def test_it_pages_and_filters(self):
        for i in range(5):
            self.send(f"m{i}")
        data = self.client.get("/api/v1/notifications", {"page_size": 2, "page": 3}).json()
        self.assertEqual((data["page"], data["pages"], data["count"]), (3, 3, 5))
        self.assertEqual([m["title"] for m in data["results"]], ["m0"])
        mark_read(self.member1, "all")
        self.send("new")
        data = self.client.get("/api/v1/notifications", {"unread": "true"}).json()
        self.assertEqual([m["title"] for m in data["results"]], ["new"])

    def test_it_marks_some_messages_read(self):
        first, second = self.send("一"), self.send("二")
        response = self.read({"ids": [first.pk]})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"marked": 1, "unread": 1})
        second.refresh_from_db()
        self.assertIsNone(second.read_at)

    def test_it_marks_all_read(self):
        self.send("一")
        self.send("二")
        self.assertEqual(self.read({"all": True}).json(), {"marked": 2, "unread": 0})
        self.assertEqual(self.read({"all": True}).json(), {"marked": 0, "unread": 0})

    def test_it_wants_ids_or_all_but_not_both(self):
        delivery = self.send("一")
        for body in [{}, {"all": False}, {"ids": [delivery.pk], "all": True}]:
            with self.subTest(body=body):
                response = self.read(body)
                self.assertEqual(response.status_code, 422)
                self.assertIn("ids", response.json()["fields"])
        response = self.read({"ids": ["x"]})
        self.assertEqual(response.status_code, 422)
        response = self.read({"ids": list(range(1, 502))})
        self.assertEqual(response.status_code, 422)
        self.assertIn("500", response.json()["error"])
        delivery.refresh_from_db()
        self.assertIsNone(delivery.read_at)

    def test_it_is_in_the_openapi_document(self):
        paths = self.client.get("/api/v1/openapi.json").json()["paths"]
        self.assertIn("/api/v1/notifications", paths)
        self.assertIn("/api/v1/notifications/read", paths)

    def test_it_needs_a_signed_in_caller(self):
        from django.test import Client

        self.assertEqual(Client().get("/api/v1/notifications").status_code, 401)
