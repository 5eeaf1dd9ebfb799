"""The moderation service reads every contribution before an editor does."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from dangjian.contributions import selectors, services
from dangjian.contributions.models import Contribution, Event
from dangjian.contributions.tests.base import ContributionTestCase
from dangjian.lib import screening
from dangjian.moderation.models import Screening
from dangjian.moderation.services import rescan_start, screening_approve, screening_reject
from dangjian.notifications.models import Delivery

# Invented words, listed by each test: no default term or clean text contains them.
REVIEW_WORD = "甲乙审核词"
MASK_WORD = "丙丁粗口词"
BLOCK_WORD = "戊己禁止词"


class ModerationTestCase(ContributionTestCase):
    def screenings(self, contribution: Contribution, **filters):
        return Screening.objects.filter(
            source=services.SOURCE, object_id=str(contribution.pk), **filters
        )

    def test_the_source_is_registered(self):
        source = screening.source("contributions.article")
        self.assertIsNotNone(source)
        self.assertEqual(str(source.label), "Contribution")

    def test_a_held_contribution_is_invisible_on_the_desk_until_a_moderator_approves_it(self):
        self.add_term(REVIEW_WORD, "political", "review")
        result = services.contribution_submit(
            actor=self.user("member1"),
            data=services.ArticleInput(title="一篇稿件", text=f"正文里有{REVIEW_WORD}。"),
        )
        self.assertTrue(result.held)
        self.assertIn("moderator", result.message)
        contribution = result.contribution
        self.assertEqual(contribution.moderation, Contribution.Moderation.HELD)
        held = self.screenings(contribution, state=Screening.State.HELD).get()
        self.assertEqual(held.org_path, self.uni.members["member1"].org_path)

        editor = self.client_for("editor1")
        self.assertNotContains(editor.get("/contributions/desk/"), "一篇稿件")
        self.assertEqual(editor.get(f"/contributions/desk/{contribution.pk}/").status_code, 404)
        response = editor.post(
            f"/api/v1/contributions/{contribution.pk}/accept", {}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(selectors.desk_counts(self.user("editor1"))["submitted"], 0)
        # The author sees where it is.
        page = self.client_for("member1").get(f"/contributions/{contribution.pk}/")
        self.assertContains(page, "Awaiting moderation")

        screening_approve(held, actor=self.user("orgdept"))
        contribution = self.fresh(contribution)
        self.assertEqual(contribution.moderation, Contribution.Moderation.CLEAR)
        self.assertContains(editor.get("/contributions/desk/"), "一篇稿件")
        self.assertEqual(editor.get(f"/contributions/desk/{contribution.pk}/").status_code, 200)
        self.assertIn(Event.Kind.CLEARED, contribution.events.values_list("kind", flat=True))
        # The moderation service told the author, with a link to their contribution.
        told = Delivery.objects.filter(recipient=self.user("member1")).get().notification
        self.assertEqual(told.kind, "moderation.approved")
        self.assertEqual(told.link, f"/contributions/{contribution.pk}/")

    def test_a_rejected_held_contribution_comes_back_to_its_author(self):
        self.add_term(REVIEW_WORD, "political", "review")
        contribution = self.submit(text=f"正文里有{REVIEW_WORD}。")
        held = self.screenings(contribution).get()
        screening_reject(held, actor=self.user("orgdept"), reason="含不当内容。")
        contribution = self.fresh(contribution)
        self.assertEqual(contribution.moderation, Contribution.Moderation.REFUSED)
        self.assertTrue(contribution.editable)
        self.assertEqual(
            self.client_for("editor1").get(f"/contributions/desk/{contribution.pk}/").status_code,
            404,
        )
        # The author revises it; clean now, it reaches the desk.
        result = services.contribution_update(
            actor=self.user("member1"),
            contribution=contribution,
            data=services.ArticleInput(title=contribution.title, text="改过的正文。"),
        )
        self.assertEqual(result.action, "pass")
        contribution = self.fresh(contribution)
        self.assertEqual(contribution.moderation, Contribution.Moderation.CLEAR)
        self.assertEqual(contribution.state, Contribution.State.SUBMITTED)
        self.assertEqual(
            self.client_for("editor1").get(f"/contributions/desk/{contribution.pk}/").status_code,
            200,
        )

    def test_a_blocked_contribution_is_refused_with_the_message(self):
        self.add_term(BLOCK_WORD, "political", "block")
        response = self.client_for("member1").post(
            "/contributions/new/",
            {"title": "标题", "section": "news", "desk": "committee", "text": f"正文{BLOCK_WORD}"},
        )
        self.assertContains(response, "cannot be published here", status_code=422)
        self.assertFalse(Contribution.objects.exists())
        # The refusal is recorded for the monitoring counts all the same.
        self.assertTrue(
            Screening.objects.filter(source=services.SOURCE, state=Screening.State.REFUSED).exists()
        )
        response = self.client_for("member1").post(
            "/api/v1/contributions",
            {"title": f"{BLOCK_WORD}", "text": "正文"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("cannot be published here", response.json()["error"])

    def test_words_to_hide_are_stored_masked(self):
        self.add_term(MASK_WORD, "vulgar", "mask")
        result = services.contribution_submit(
            actor=self.user("member1"),
            data=services.ArticleInput(
                title=f"标题{MASK_WORD}",
                text=f"第一段。\n第二段{MASK_WORD}。",
                note=f"备注{MASK_WORD}",
            ),
        )
        contribution = self.fresh(result.contribution)
        self.assertEqual(result.action, "mask")
        self.assertEqual(contribution.moderation, Contribution.Moderation.CLEAR)
        stars = "*" * len(MASK_WORD)
        self.assertEqual(contribution.title, f"标题{stars}")
        self.assertEqual(contribution.text, f"第一段。\n第二段{stars}。")
        self.assertEqual(contribution.note, f"备注{stars}")
        self.assertNotIn(MASK_WORD, contribution.body)

    def test_a_returned_contribution_changed_to_held_text_leaves_the_desk(self):
        contribution = self.submit()
        services.contribution_return(
            actor=self.user("editor1"), contribution=contribution, comment="请修改。"
        )
        self.add_term(REVIEW_WORD, "political", "review")
        result = services.contribution_update(
            actor=self.user("member1"),
            contribution=self.fresh(contribution),
            data=services.ArticleInput(title="新标题", text=f"新正文{REVIEW_WORD}"),
        )
        self.assertTrue(result.held)
        services.contribution_resubmit(actor=self.user("member1"), contribution=contribution)
        self.assertEqual(
            self.client_for("editor1").get(f"/contributions/desk/{contribution.pk}/").status_code,
            404,
        )
        # Changing it again closes the older text still waiting, so no one approves it.
        services.contribution_withdraw(actor=self.user("member1"), contribution=contribution)
        self.assertFalse(self.screenings(contribution, state=Screening.State.HELD).exists())

    def test_a_rescan_hides_a_contribution_the_dictionary_now_flags(self):
        contribution = self.submit(text="这里有一个新词语。")
        source = screening.source(services.SOURCE)
        stored = list(source.published())
        self.assertEqual([s.object_id for s in stored], [str(contribution.pk)])
        self.assertEqual(source.count(), 1)
        self.assertTrue(
            source.withdraw(str(contribution.pk), contribution.screened_text, actor=None)
        )
        contribution = self.fresh(contribution)
        self.assertEqual(contribution.moderation, Contribution.Moderation.HELD)
        self.assertEqual(source.count(), 0)
        # A stale decision changes nothing.
        self.assertFalse(source.publish(str(contribution.pk), "x", replaces="y", actor=None))
        self.assertTrue(
            source.publish(
                str(contribution.pk),
                contribution.screened_text,
                replaces=contribution.screened_text,
                actor=self.user("orgdept"),
            )
        )
        self.assertEqual(self.fresh(contribution).moderation, Contribution.Moderation.CLEAR)

    def test_the_rescan_reads_contributions_editors_can_see(self):
        self.submit(text="干净的正文。")
        with self.captureOnCommitCallbacks(execute=True):
            rescan = rescan_start(actor=self.user("orgdept"))
        self.assertIsNotNone(rescan)

    def test_a_refused_text_is_not_stored_on_edit_either(self):
        contribution = self.submit()
        services.contribution_return(
            actor=self.user("editor1"), contribution=contribution, comment="请修改。"
        )
        self.add_term(BLOCK_WORD, "political", "block")
        with self.assertRaises(ValidationError):
            services.contribution_update(
                actor=self.user("member1"),
                contribution=self.fresh(contribution),
                data=services.ArticleInput(title="标题", text=BLOCK_WORD),
            )
        self.assertEqual(self.fresh(contribution).text, contribution.text)
