"""The contributions API: the same services and scope as the pages, errors as JSON."""

from __future__ import annotations

from dangjian.contributions.models import Contribution
from dangjian.contributions.tests.base import ContributionTestCase, png
from dangjian.notifications.models import Delivery

URL = "/api/v1/contributions"


class ApiTestCase(ContributionTestCase):
    def post(self, persona, url, body=None):
        return self.client_for(persona).post(url, body or {}, content_type="application/json")

    def test_a_member_uploads_a_picture_and_sends_an_article(self):
        member = self.client_for("member1")
        response = member.post(f"{URL}/pictures", {"file": png()})
        self.assertEqual(response.status_code, 201, response.content)
        picture = response.json()
        self.assertTrue(picture["url"].startswith("/contributions/pictures/"))
        self.assertEqual(member.get(picture["url"]).status_code, 200)

        response = self.post(
            "member1",
            URL,
            {
                "title": "  接口投稿  ",
                "text": "第一段。\r\n第二段。",
                "section": "showcase",
                "desk": "university",
                "note": "谢谢",
                "pictures": [picture["key"]],
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(body["action"], "pass")
        self.assertEqual(body["message"], "Your contribution was sent to the editors.")
        detail = body["contribution"]
        self.assertEqual(detail["title"], "接口投稿")
        self.assertEqual(detail["target"], "U")
        self.assertEqual(detail["state"], "submitted")
        self.assertEqual(detail["body"], "<p>第一段。</p><p>第二段。</p>")
        self.assertEqual([p["key"] for p in detail["pictures"]], [picture["key"]])
        self.assertEqual([e["kind"] for e in detail["events"]], ["submitted"])

        mine = member.get(URL).json()
        self.assertEqual(mine["count"], 1)
        self.assertEqual(mine["results"][0]["id"], detail["id"])
        self.assertEqual(self.client_for("secretary1").get(URL).json()["count"], 0)

    def test_bad_input_is_named_field_by_field(self):
        response = self.post("member1", URL, {"title": "", "text": "正文"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["fields"], {"title": "Give the article a title."})
        response = self.post("member1", URL, {"title": "标题", "text": "正文", "section": "notice"})
        self.assertIn("section", response.json()["fields"])
        response = self.post("member1", URL, {"title": "标题", "text": "正文", "desk": "mars"})
        self.assertIn("desk", response.json()["fields"])
        response = self.post(
            "member1",
            URL,
            {"title": "标题", "text": "正文", "pictures": ["5e1f00d0-0000-4000-8000-000000000000"]},
        )
        self.assertIn("No such picture", response.json()["fields"]["pictures"])
        self.assertFalse(Contribution.objects.exists())

    def test_the_desk_decides_and_the_author_revises(self):
        contribution = self.submit()
        desk = self.client_for("editor1").get(f"{URL}/desk").json()
        self.assertEqual(desk["counts"]["submitted"], 1)
        self.assertEqual([r["id"] for r in desk["results"]], [contribution.pk])
        response = self.client_for("editor1").get(f"{URL}/desk?state=nonsense")
        self.assertEqual(response.status_code, 422)

        response = self.post("editor1", f"{URL}/{contribution.pk}/return", {"comment": " "})
        self.assertEqual(response.status_code, 422)
        self.assertIn("comment", response.json()["fields"])

        # Not returned yet: the author cannot change it.
        response = self.client_for("member1").patch(
            f"{URL}/{contribution.pk}", {"title": "新"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("can be changed only when returned", response.json()["error"])

        response = self.post("editor1", f"{URL}/{contribution.pk}/return", {"comment": "请补充。"})
        self.assertEqual(response.json()["state"], "returned")
        self.assertEqual(response.json()["comment"], "请补充。")
        response = self.client_for("member1").patch(
            f"{URL}/{contribution.pk}", {"text": "补充后的正文。"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["contribution"]["text"], "补充后的正文。")
        self.assertEqual(response.json()["contribution"]["state"], "returned")
        response = self.post("member1", f"{URL}/{contribution.pk}/resubmit")
        self.assertEqual(response.json()["state"], "submitted")
        self.assertEqual(response.json()["revision"], 2)

        response = self.post("editor1", f"{URL}/{contribution.pk}/accept", {"comment": "写得好"})
        self.assertEqual(response.json()["state"], "accepted")
        response = self.post("member1", f"{URL}/{contribution.pk}/withdraw")
        self.assertEqual(response.status_code, 422)
        response = self.post("editor1", f"{URL}/{contribution.pk}/reject", {"reason": "版面已满"})
        self.assertEqual(response.json()["state"], "rejected")
        kinds = list(
            Delivery.objects.filter(recipient=self.user("member1"))
            .order_by("id")
            .values_list("notification__kind", flat=True)
        )
        self.assertEqual(
            kinds, ["contributions.returned", "contributions.accepted", "contributions.rejected"]
        )

    def test_a_contribution_is_read_only_by_its_author_and_its_desk(self):
        contribution = self.submit()
        for persona, status in (
            ("member1", 200),
            ("committee1", 200),
            ("editor1", 200),
            ("secretary1", 404),
            ("secretary2", 404),
            ("outsider", 404),
        ):
            with self.subTest(persona=persona):
                response = self.client_for(persona).get(f"{URL}/{contribution.pk}")
                self.assertEqual(response.status_code, status)
        self.assertEqual(self.client_for("secretary1").get(f"{URL}/desk").status_code, 404)

    def test_a_held_contribution_says_so(self):
        self.add_term("甲乙审核词", "political", "review")
        response = self.post("member1", URL, {"title": "标题", "text": "甲乙审核词"})
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["action"], "review")
        self.assertEqual(response.json()["contribution"]["moderation"], "held")
        self.assertEqual(self.client_for("editor1").get(f"{URL}/desk").json()["count"], 0)
