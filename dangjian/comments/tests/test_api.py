from __future__ import annotations

import json
from typing import Any

from dangjian.comments import services
from dangjian.comments.models import Comment, CommentReport
from dangjian.comments.tests.base import CLEAN, REVIEW_WORD, CommentsTestCase

State = Comment.State


class ApiTestCase(CommentsTestCase):
    def call(self, persona: str, method: str, path: str, body: Any = None) -> Any:
        client = self.client_for(persona)
        kwargs = {}
        if body is not None:
            kwargs = {"data": json.dumps(body), "content_type": "application/json"}
        return getattr(client, method)(f"/api/v1/comments{path}", **kwargs)

    def test_the_thread_is_read_by_the_items_readers_only(self):
        top = self.post("member1", "第一条")
        self.post("secretary1", "回复", parent=top)
        response = self.call("committee_member", "get", f"/items/{self.item.pk}")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual((body["count"], body["can_post"], body["has_more"]), (1, True, False))
        [comment] = body["comments"]
        self.assertEqual((comment["text"], comment["author"]), ("第一条", "member1"))
        self.assertEqual([r["text"] for r in comment["replies"]], ["回复"])
        for persona in ("secretary2", "outsider", "orgdept", "committee1"):
            with self.subTest(persona=persona):
                response = self.call(persona, "get", f"/items/{self.item.pk}")
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response.json()["error"], "Not found.")
        self.assertEqual(self.client.get(f"/api/v1/comments/items/{self.item.pk}").status_code, 401)

    def test_posting_and_replying(self):
        response = self.call("member1", "post", f"/items/{self.item.pk}", {"text": CLEAN})
        self.assertEqual(response.status_code, 201)
        body = response.json()
        self.assertEqual((body["action"], body["comment"]["text"]), ("pass", CLEAN))
        self.assertTrue(body["comment"]["can_edit"])
        reply = self.call(
            "secretary1",
            "post",
            f"/items/{self.item.pk}",
            {"text": "回复", "parent": body["comment"]["id"]},
        ).json()
        self.assertEqual(reply["comment"]["parent"], body["comment"]["id"])
        response = self.call("secretary2", "post", f"/items/{self.item.pk}", {"text": CLEAN})
        self.assertEqual(response.status_code, 404)
        response = self.call("member1", "post", f"/items/{self.item.pk}", {"text": ""})
        self.assertEqual(response.status_code, 422)
        self.assertIn("text", response.json()["fields"])
        self.assertEqual(Comment.objects.count(), 2)

    def test_a_held_comment_is_said_to_wait(self):
        self.add_term(REVIEW_WORD, "political", "review")
        body = self.call(
            "member1", "post", f"/items/{self.item.pk}", {"text": f"看法{REVIEW_WORD}"}
        ).json()
        self.assertEqual(body["action"], "review")
        self.assertEqual(body["comment"]["state"], "held")
        self.assertEqual(body["comment"]["text"], f"看法{REVIEW_WORD}")  # to its author
        others = self.call("secretary1", "get", f"/items/{self.item.pk}").json()
        self.assertEqual(others["comments"], [])

    def test_edit_and_delete_are_the_authors(self):
        comment = self.post("member1")
        response = self.call("secretary1", "patch", f"/{comment.pk}", {"text": "改"})
        self.assertEqual(response.status_code, 403)
        response = self.call("member1", "patch", f"/{comment.pk}", {"text": "改过"})
        self.assertEqual(response.json()["comment"]["text"], "改过")
        self.assertIsNotNone(response.json()["comment"]["edited_at"])
        self.assertEqual(self.call("secretary2", "delete", f"/{comment.pk}").status_code, 404)
        self.assertEqual(self.call("secretary1", "delete", f"/{comment.pk}").status_code, 403)
        self.assertEqual(self.call("member1", "delete", f"/{comment.pk}").status_code, 204)
        self.assertEqual(self.fresh(comment).state, State.DELETED)
        self.assertEqual(self.call("member1", "delete", f"/{comment.pk}").status_code, 404)

    def test_likes_are_idempotent(self):
        comment = self.post("member1")
        for _ in range(2):
            body = self.call("secretary1", "post", f"/{comment.pk}/like").json()
        self.assertEqual(body, {"liked": True, "like_count": 1})
        for _ in range(2):
            body = self.call("secretary1", "delete", f"/{comment.pk}/like").json()
        self.assertEqual(body, {"liked": False, "like_count": 0})
        self.assertEqual(self.call("orgdept", "post", f"/{comment.pk}/like").status_code, 403)
        self.assertEqual(self.call("secretary2", "post", f"/{comment.pk}/like").status_code, 404)

    def test_report(self):
        comment = self.post("member1")
        path = f"/{comment.pk}/report"
        self.assertEqual(self.call("secretary1", "post", path, {"reason": "广告"}).status_code, 201)
        again = self.call("secretary1", "post", path, {"reason": "广告"})
        self.assertEqual(again.status_code, 422)
        self.assertIn("already reported", again.json()["error"])
        self.assertEqual(self.call("member1", "post", path, {"reason": "x"}).status_code, 422)
        self.assertEqual(self.call("secretary2", "post", path, {"reason": "x"}).status_code, 404)
        self.assertEqual(CommentReport.objects.count(), 1)

    def test_hide_and_unhide_are_the_moderators(self):
        comment = self.post("member1")
        path = f"/{comment.pk}/hide"
        self.assertEqual(self.call("secretary1", "post", path, {"reason": "x"}).status_code, 403)
        self.assertEqual(self.call("secretary2", "post", path, {"reason": "x"}).status_code, 404)
        response = self.call("committee1", "post", path, {"reason": ""})
        self.assertEqual(response.status_code, 422)
        response = self.call("committee1", "post", path, {"reason": "含广告"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual((response.json()["state"], response.json()["hidden_reason"]),
                         ("hidden", "含广告"))  # fmt: skip
        # Readers no longer find it; its author sees it hidden, with the reason.
        self.assertEqual(self.call("secretary1", "post", f"/{comment.pk}/like").status_code, 404)
        mine = self.call("member1", "get", f"/items/{self.item.pk}").json()["comments"][0]
        self.assertEqual((mine["state"], mine["hidden_reason"]), ("hidden", "含广告"))
        self.assertEqual(self.call("member1", "post", f"/{comment.pk}/unhide").status_code, 403)
        response = self.call("editor1", "post", f"/{comment.pk}/unhide")
        self.assertEqual(response.json()["state"], "visible")

    def test_the_openapi_document_lists_the_operations(self):
        paths = self.client_for("member1").get("/api/v1/openapi.json").json()["paths"]
        self.assertIn("/api/v1/comments/items/{item_id}", paths)
        self.assertIn("/api/v1/comments/{comment_id}/hide", paths)
        services.edit_minutes()  # the setting's default reads without configuration
