"""The moderation pages as their users see them: the queue with highlighted hits, deciding a
held text, the dictionary and its import report, re-scans, and monitoring in scope."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone

from dangjian.lib import screening as contract
from dangjian.lib.excel import read_rows
from dangjian.moderation import services
from dangjian.moderation.models import Category, Screening, Term
from dangjian.moderation.tests.test_service import FakeSource
from dangjian.testing.base import BaseTestCase


class PageTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.source = FakeSource()
        contract.register(self.source)
        with self.captureOnCommitCallbacks(execute=True):
            services.term_save(
                actor=None,
                text="页面审核词",
                category=Category.objects.get(code="political"),
                action="review",
            )

    def write(self, text: str, org_path: str, object_id: str, persona: str = "member1"):
        return self.source.write(
            text, author=self.uni.user(persona), org_path=org_path, object_id=object_id
        )


class QueuePageTests(PageTestCase):
    def test_the_queue_shows_held_texts_in_scope_with_hits_highlighted(self):
        self.write("B11 的留言含页面审核词", self.uni.b11.path, "1")
        self.write("B21 的留言含页面审核词", self.uni.b21.path, "2")
        page = self.client_for("committee1").get("/moderation/")
        self.assertContains(page, '<mark class="dj-hit"', count=1)
        self.assertContains(page, "B11 的留言含")
        self.assertNotContains(page, "B21 的留言")
        everything = self.client_for("editor1").get("/moderation/")
        self.assertContains(everything, "B21 的留言含")

    def test_a_held_text_outside_scope_is_404(self):
        self.write("B21 的留言含页面审核词", self.uni.b21.path, "2")
        screening = Screening.objects.get(object_id="2")
        assert self.client_for("committee1").get(f"/moderation/{screening.pk}/").status_code == 404

    def test_reject_from_the_page_needs_a_reason(self):
        self.write("含页面审核词", self.uni.b11.path, "1")
        screening = Screening.objects.get(object_id="1")
        client = self.client_for("committee1")
        refused = client.post(f"/moderation/{screening.pk}/reject/", {"reject-reason": ""})
        assert refused.status_code == 422
        self.assertContains(refused, "invalid-feedback", status_code=422)
        done = client.post(
            f"/moderation/{screening.pk}/reject/", {"reject-reason": "不符合发布要求"}
        )
        assert done.status_code == 302
        screening.refresh_from_db()
        assert screening.state == "rejected" and screening.reason == "不符合发布要求"
        rejected = client.get("/moderation/?state=rejected")
        self.assertContains(rejected, "不符合发布要求")

    def test_approve_from_the_page(self):
        self.write("含页面审核词", self.uni.b11.path, "1")
        screening = Screening.objects.get(object_id="1")
        response = self.client_for("editor1").post(f"/moderation/{screening.pk}/approve/", {})
        assert response.status_code == 302
        assert self.source.shown["1"] == "含页面审核词"

    def test_a_refused_decision_comes_back_beside_the_form(self):
        self.write("我自己写的页面审核词", self.uni.b11.path, "7", persona="committee1")
        screening = Screening.objects.get(object_id="7")
        response = self.client_for("committee1").post(f"/moderation/{screening.pk}/approve/", {})
        self.assertContains(response, "another moderator", status_code=422)
        screening.refresh_from_db()
        assert screening.state == "held"

    def test_the_empty_queue_says_what_would_appear(self):
        page = self.client_for("editor1").get("/moderation/")
        self.assertContains(page, "dj-empty")


class DictionaryPageTests(PageTestCase):
    def test_add_a_term_and_try_a_text(self):
        client = self.client_for("editor1")
        response = client.post(
            "/moderation/dictionary/terms/new/",
            {"text": "页面新增词", "category": "fraud", "action": ""},
        )
        assert response.status_code == 302
        term = Term.objects.get(text="页面新增词")
        assert term.action == "review"  # fraud's default
        tried = client.post("/moderation/dictionary/try/", {"text": "有人在卖页面新增词"})
        self.assertContains(tried, "页面新增词")

    def test_the_import_page_reports_problems_by_line(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("words.txt", "好词\tpolitical\n坏行\t没有这类\n".encode())
        response = self.client_for("editor1").post(
            "/moderation/dictionary/import/", {"kind": "terms", "file": upload}
        )
        assert response.status_code == 422
        self.assertContains(response, "没有这类", status_code=422)
        assert not Term.objects.filter(text="好词").exists()

    def test_a_committee_organizer_may_review_but_not_edit_the_dictionary(self):
        client = self.client_for("committee1")
        assert client.get("/moderation/dictionary/").status_code == 404
        assert client.get("/moderation/").status_code == 200

    def test_a_rescan_from_the_page_shows_its_result(self):
        self.source.shown = {"5": "以前发的页面审核词"}
        self.source.path = self.uni.b11.path
        client = self.client_for("editor1")
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post("/moderation/rescans/new/")
        assert response.status_code == 302
        result = client.get(response["Location"])
        self.assertContains(result, 'id="rescan-result"')
        assert "5" not in self.source.shown


class MonitoringPageTests(PageTestCase):
    def test_figures_by_category_term_organization_and_author_in_scope(self):
        for n in range(3):
            self.write(f"第{n}条页面审核词", self.uni.b11.path, f"a{n}")
        self.write("别处的页面审核词", self.uni.b21.path, "b1")
        old = self.write("旧的页面审核词", self.uni.b11.path, "old")
        Screening.objects.filter(pk=old.screening_id).update(
            created_at=timezone.now() - dt.timedelta(days=40)
        )
        from dangjian.moderation.models import ScreeningHit

        ScreeningHit.objects.filter(screening_id=old.screening_id).update(
            created_at=timezone.now() - dt.timedelta(days=40)
        )
        response = self.client_for("committee1").get("/moderation/monitoring/?days=30")
        figures = response.context["figures"]
        assert figures.total_hits == 3  # B21 is outside, the old one before the period
        assert figures.top_terms[0]["term"] == "页面审核词" and figures.top_terms[0]["n"] == 3
        assert figures.repeat_authors[0]["n"] == 3
        assert figures.held == 4  # the queue's age counts every held text in scope
        assert [(org.code, n) for org, n in figures.by_org] == [("B11", 3)]
        assert sum(figures.daily["political"]) == 3
        assert (
            self.client_for("orgdept")
            .get("/moderation/monitoring/?days=90")
            .context["figures"]
            .total_hits
            == 5
        )

    def test_the_export_lists_every_hit(self):
        self.write("第一条页面审核词", self.uni.b11.path, "a1")
        response = self.client_for("orgdept").get("/moderation/monitoring/export/?days=7")
        content = b"".join(response.streaming_content)
        rows = [values for _, values in read_rows(io.BytesIO(content), max_rows=100)]
        assert len(rows) == 2 and rows[1][2] == "页面审核词"


class HomeQueueTests(PageTestCase):
    def test_a_reviewer_sees_the_queue_on_the_home_page_and_others_do_not(self):
        self.write("B11 的留言含页面审核词", self.uni.b11.path, "1")
        self.write("B21 的留言含页面审核词", self.uni.b21.path, "2")

        def moderation_queues(persona: str) -> list[Any]:
            queues = self.client_for(persona).get("/").context["queues"]
            return [q for q in queues if q.key == "moderation"]

        [queue] = moderation_queues("committee1")
        assert queue.count == 1
        self.assertContains(self.client_for("committee1").get("/"), 'id="queue-moderation"')
        assert moderation_queues("editor1")[0].count == 2
        assert moderation_queues("secretary1") == []
