"""The content API: readers see only what targets them; writers' errors name the field."""

from __future__ import annotations

import json

from dangjian.content.models import Item, Section, State
from dangjian.content.tests.test_services import ContentTestCase


class ContentApiTestCase(ContentTestCase):
    def test_a_reader_lists_searches_and_opens_only_what_targets_them(self):
        b11 = self.published(title="教工一支部学习", target_all=False, targets=[self.uni.b11])
        b21 = self.published(title="材料学院学习", target_all=False, targets=[self.uni.b21])
        client = self.client_for("member1")
        listed = client.get("/api/v1/content/items?section=news").json()
        self.assertEqual([r["id"] for r in listed["results"]], [b11.pk])
        found = client.get("/api/v1/content/items", {"q": "学习"}).json()
        self.assertEqual([r["id"] for r in found["results"]], [b11.pk])
        self.assertEqual(client.get(f"/api/v1/content/items/{b21.pk}").status_code, 404)
        detail = client.get(f"/api/v1/content/items/{b11.pk}").json()
        self.assertEqual(detail["body"], "<p>全体党员参加。</p>")
        self.assertEqual(Item.objects.get(pk=b11.pk).views, 1)
        other = self.client_for("secretary2").get("/api/v1/content/items").json()
        self.assertEqual([r["id"] for r in other["results"]], [b21.pk])

    def test_a_secretary_writes_and_submits_and_an_organizer_approves(self):
        body = {"section": "notice", "title": "支部通知", "owner": "B11", "targets": ["B11"]}
        secretary = self.client_for("secretary1")
        created = secretary.post(
            "/api/v1/content/manage", json.dumps(body), content_type="application/json"
        )
        self.assertEqual(created.status_code, 201, created.content)
        item_id = created.json()["id"]
        self.assertTrue(created.json()["send_notification"])
        self.assertEqual(
            secretary.post(
                f"/api/v1/content/manage/{item_id}/publish", "{}", "application/json"
            ).status_code,
            403,
        )
        secretary.post(f"/api/v1/content/manage/{item_id}/submit")
        queue = self.client_for("committee1").get("/api/v1/content/review").json()
        self.assertEqual([r["id"] for r in queue], [item_id])
        with self.captureOnCommitCallbacks(execute=True):
            approved = self.client_for("committee1").post(
                f"/api/v1/content/manage/{item_id}/approve"
            )
        self.assertEqual(approved.json()["state"], State.PUBLISHED)
        inbox = self.client_for("member1").get("/api/v1/notifications").json()
        self.assertEqual(inbox["results"][0]["title"], "支部通知")

    def test_errors_name_the_field(self):
        secretary = self.client_for("secretary1")
        cases = [
            ({"section": "news", "title": "", "owner": "B11", "targets": ["B11"]}, "title"),
            ({"section": "news", "title": "x", "owner": "B21", "targets": ["B21"]}, "owner"),
            ({"section": "news", "title": "x", "owner": "B11", "targets": ["B21"]}, "targets"),
            ({"section": "nope", "title": "x", "owner": "B11", "targets": ["B11"]}, "section"),
            ({"section": "news", "title": "x", "owner": "B11"}, "targets"),
        ]
        for body, field in cases:
            response = secretary.post(
                "/api/v1/content/manage", json.dumps(body), content_type="application/json"
            )
            with self.subTest(field=field):
                self.assertEqual(response.status_code, 422)
                self.assertIn(field, response.json()["fields"])
        self.assertFalse(Item.objects.filter(section=Section.NEWS).exists())


class ApiQueryCountTestCase(ContentTestCase):
    def queries_for(self, url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = self.client_for("editor1")
        client.get(url)  # warm the session and grants
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(client.get(url).status_code, 200)
        return len(captured)

    def test_the_writers_list_costs_the_same_for_2_or_12_items(self):
        for i in range(2):
            self.published(
                title=f"第{i}条", tags=["学习"], target_all=False, targets=[self.uni.b11]
            )
        few = self.queries_for("/api/v1/content/manage")
        for i in range(10):
            self.published(
                title=f"又{i}条", tags=["党课"], target_all=False, targets=[self.uni.b21]
            )
        self.assertEqual(self.queries_for("/api/v1/content/manage"), few)
