"""The moderation API: check a text (spans in the original text), and the queue operations."""

from __future__ import annotations

from dangjian.lib import screening as contract
from dangjian.moderation import services
from dangjian.moderation.models import Category, Screening
from dangjian.moderation.tests.test_service import FakeSource
from dangjian.testing.base import BaseTestCase


class ModerationApiTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        with self.captureOnCommitCallbacks(execute=True):
            services.term_save(
                actor=None,
                text="接口测试词",
                category=Category.objects.get(code="political"),
                action="review",
            )
        self.client = self.client_for("editor1")

    def post(self, path: str, body: dict):
        return self.client.post(f"/api/v1{path}", body, content_type="application/json")

    def test_check_answers_spans_in_the_original_text(self):
        text = "👍🏽 接̃口测试词"
        answer = self.post("/moderation/check", {"text": text}).json()
        assert answer["action"] == "review"
        [hit] = answer["hits"]
        assert (hit["term"], hit["category"], hit["action"]) == (
            "接口测试词",
            "political",
            "review",
        )
        assert text[hit["start"] : hit["end"]] == "接̃口测试词"

    def test_check_refuses_an_over_long_text_naming_the_field(self):
        response = self.post("/moderation/check", {"text": "字" * 20_001})
        assert response.status_code == 422
        assert "text" in response.json()["fields"]

    def test_the_queue_and_its_decisions(self):
        source = FakeSource()
        contract.register(source)
        source.write(
            "一条含接口测试词的评论",
            author=self.uni.user("member1"),
            org_path=self.uni.b11.path,
            object_id="3",
        )
        queue = self.client.get("/api/v1/moderation/queue").json()
        assert queue["count"] == 1
        item = queue["results"][0]
        assert item["state"] == "held" and item["hits"][0]["start"] == 3
        refused = self.post(f"/moderation/screenings/{item['id']}/reject", {"reason": ""})
        assert refused.status_code == 422 and "reason" in refused.json()["fields"]
        done = self.post(f"/moderation/screenings/{item['id']}/approve", {"reason": "可以发布"})
        assert done.status_code == 200 and done.json()["state"] == "approved"
        assert source.shown["3"] == "一条含接口测试词的评论"
        again = self.post(f"/moderation/screenings/{item['id']}/reject", {"reason": "不行"})
        assert again.status_code == 422
        assert Screening.objects.get(pk=item["id"]).state == "approved"
        assert self.client.get("/api/v1/moderation/queue?state=nonsense").status_code == 422
