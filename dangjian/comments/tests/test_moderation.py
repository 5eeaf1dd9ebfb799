"""Comments through the moderation service: what is held, masked or refused, and what a
reviewer's decision or a re-scan does to a comment (through CommentSource)."""

from __future__ import annotations

from unittest import mock

from django.core.exceptions import ValidationError

from dangjian.audit.models import AuditEntry
from dangjian.comments import selectors, services
from dangjian.comments.models import Comment
from dangjian.comments.services import SOURCE
from dangjian.comments.tests.base import (
    BLOCK_WORD,
    CLEAN,
    MASK_WORD,
    REVIEW_WORD,
    CommentsTestCase,
)
from dangjian.lib import screening
from dangjian.moderation.models import Screening
from dangjian.moderation.services import (
    rescan_run,
    rescan_start,
    screening_approve,
    screening_reject,
)

State = Comment.State


class ModerationTestCase(CommentsTestCase):
    def screenings(self, comment: Comment, **filters) -> list[Screening]:
        return list(Screening.objects.filter(source=SOURCE, object_id=str(comment.pk), **filters))

    def seen_by(self, persona: str) -> list[str]:
        thread = selectors.thread(self.item, self.user(persona))
        return [e.text for e in thread.entries] + [
            r.text for e in thread.entries for r in e.replies
        ]

    def test_the_source_is_registered(self):
        source = screening.source(SOURCE)
        self.assertIsNotNone(source)
        self.assertEqual(str(source.label), "Comments")

    def test_a_held_comment_is_seen_by_its_author_only(self):
        self.add_term(REVIEW_WORD, "political", "review")
        result = services.comment_post(
            actor=self.user("member1"), item=self.item, text=f"看法{REVIEW_WORD}"
        )
        comment = self.fresh(result.comment)
        self.assertTrue(result.held)
        self.assertIn("review", result.message)
        self.assertEqual((comment.state, comment.text), (State.HELD, ""))
        self.assertEqual(comment.held_text, f"看法{REVIEW_WORD}")
        held = self.screenings(comment, state=Screening.State.HELD)
        self.assertEqual(len(held), 1)  # attached to the comment it was written for
        self.assertEqual(held[0].org_path, self.item.owner_path)
        mine = selectors.thread(self.item, self.user("member1")).entries
        self.assertEqual(len(mine), 1)
        self.assertTrue(mine[0].held)
        self.assertEqual(mine[0].text, f"看法{REVIEW_WORD}")
        for persona in ("secretary1", "committee_member", "committee1", "orgdept"):
            with self.subTest(persona=persona):
                self.assertEqual(selectors.thread(self.item, self.user(persona)).entries, [])

    def test_approving_publishes_it_through_the_source(self):
        self.add_term(REVIEW_WORD, "political", "review")
        comment = self.post("member1", f"看法{REVIEW_WORD}")
        screening_approve(self.screenings(comment)[0], actor=self.user("committee1"))
        comment = self.fresh(comment)
        self.assertEqual((comment.state, comment.text, comment.held_text),
                         (State.VISIBLE, f"看法{REVIEW_WORD}", ""))  # fmt: skip
        self.assertEqual(self.seen_by("secretary1"), [f"看法{REVIEW_WORD}"])
        self.assertTrue(
            AuditEntry.objects.filter(
                action="comments.comment.published", target_id=str(comment.pk)
            ).exists()
        )

    def test_rejecting_discards_it(self):
        self.add_term(REVIEW_WORD, "political", "review")
        comment = self.post("member1", f"看法{REVIEW_WORD}")
        screening_reject(self.screenings(comment)[0], actor=self.user("editor1"), reason="不妥")
        comment = self.fresh(comment)
        self.assertEqual((comment.state, comment.text, comment.held_text),
                         (State.DELETED, "", ""))  # fmt: skip
        self.assertEqual(self.seen_by("member1"), [])
        self.assertTrue(AuditEntry.objects.filter(action="comments.comment.discarded").exists())

    def test_a_held_edit_keeps_the_shown_text_until_approved_or_rejected(self):
        comment = self.post("member1", CLEAN)
        self.add_term(REVIEW_WORD, "political", "review")
        result = services.comment_edit(
            actor=self.user("member1"), comment=comment, text=f"新看法{REVIEW_WORD}"
        )
        self.assertEqual(result.action, "review")
        self.assertEqual(self.seen_by("secretary1"), [CLEAN])
        mine = selectors.thread(self.item, self.user("member1")).entries[0]
        self.assertEqual((mine.text, mine.pending), (CLEAN, f"新看法{REVIEW_WORD}"))
        # Saving the same text again is not a second screening.
        again = services.comment_edit(
            actor=self.user("member1"), comment=self.fresh(comment), text=f"新看法{REVIEW_WORD}"
        )
        self.assertEqual(again.action, "review")
        self.assertEqual(len(self.screenings(comment)), 1)
        screening_reject(self.screenings(comment)[0], actor=self.user("orgdept"), reason="不妥")
        comment = self.fresh(comment)
        self.assertEqual((comment.state, comment.text, comment.held_text),
                         (State.VISIBLE, CLEAN, ""))  # fmt: skip

    def test_a_newer_clean_text_closes_the_one_waiting(self):
        self.add_term(REVIEW_WORD, "political", "review")
        comment = self.post("member1", f"看法{REVIEW_WORD}")
        services.comment_edit(actor=self.user("member1"), comment=comment, text=CLEAN)
        comment = self.fresh(comment)
        self.assertEqual((comment.state, comment.text), (State.VISIBLE, CLEAN))
        [old] = self.screenings(comment)
        self.assertEqual(old.state, Screening.State.SUPERSEDED)
        with self.assertRaises(ValidationError):
            screening_approve(old, actor=self.user("orgdept"))
        self.assertEqual(self.fresh(comment).text, CLEAN)

    def test_a_masked_comment_is_shown_masked(self):
        self.add_term(MASK_WORD, "vulgar", "mask")
        result = services.comment_post(
            actor=self.user("member1"), item=self.item, text=f"{CLEAN}{MASK_WORD}"
        )
        self.assertEqual(result.action, "mask")
        self.assertIn("*", result.message)
        text = self.fresh(result.comment).text
        self.assertNotIn(MASK_WORD, text)
        self.assertTrue(text.startswith(CLEAN))

    def test_a_refused_comment_is_not_stored(self):
        self.add_term(BLOCK_WORD, "violence", "block")
        with self.assertRaises(ValidationError) as caught:
            self.post("member1", f"看法{BLOCK_WORD}")
        self.assertIn("cannot be published", caught.exception.message_dict["text"][0])
        self.assertFalse(Comment.objects.exists())
        self.assertEqual(
            Screening.objects.filter(source=SOURCE, state=Screening.State.REFUSED).count(), 1
        )

    def test_deleting_closes_what_waits_for_review(self):
        self.add_term(REVIEW_WORD, "political", "review")
        comment = self.post("member1", f"看法{REVIEW_WORD}")
        services.comment_delete(actor=self.user("member1"), comment=comment)
        self.assertEqual(self.screenings(comment)[0].state, Screening.State.SUPERSEDED)

    def test_a_rescan_withdraws_a_shown_comment_that_now_needs_review(self):
        comment = self.post("member1", f"看法{REVIEW_WORD}")
        kept = self.post("secretary1", CLEAN)
        self.add_term(REVIEW_WORD, "political", "review")
        with self.captureOnCommitCallbacks(execute=False):
            rescan = rescan_start(actor=self.user("orgdept"))
        # Only this app's texts: other apps' sources are theirs to test.
        with mock.patch.object(screening, "sources", return_value=[screening.source(SOURCE)]):
            rescan_run(rescan)
        comment = self.fresh(comment)
        self.assertEqual((comment.state, comment.text), (State.HELD, ""))
        self.assertEqual(comment.held_text, f"看法{REVIEW_WORD}")
        self.assertEqual(self.seen_by("secretary1"), [CLEAN])
        self.assertEqual(self.fresh(kept).text, CLEAN)
        screening_approve(
            self.screenings(comment, state=Screening.State.HELD)[0], actor=self.user("orgdept")
        )
        self.assertEqual(self.fresh(comment).state, State.VISIBLE)
