from __future__ import annotations

import datetime as dt

import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.comments import services
from dangjian.comments.models import Comment, CommentLike, CommentReport
from dangjian.comments.tests.base import CLEAN, CommentsTestCase
from dangjian.comments.tests.factories import published_item
from dangjian.notifications.models import Delivery

State = Comment.State


def audit(action: str, comment: Comment) -> AuditEntry:
    return AuditEntry.objects.get(action=action, target_id=str(comment.pk))


class PostTestCase(CommentsTestCase):
    def test_it_posts_clean_text_as_written(self):
        result = services.comment_post(
            actor=self.user("member1"), item=self.item, text=f"  {CLEAN}\r\n\r\n\r\n第二行 "
        )
        comment = self.fresh(result.comment)
        self.assertEqual(result.action, "pass")
        self.assertEqual(result.message, "Your comment has been posted.")
        self.assertEqual(comment.state, State.VISIBLE)
        self.assertEqual(comment.text, f"{CLEAN}\n\n第二行")
        self.assertEqual(comment.held_text, "")
        entry = audit("comments.comment.posted", comment)
        self.assertEqual(entry.actor_username, "member1")
        self.assertEqual(entry.org_code, "B11")
        self.assertEqual(entry.changes["text"], [None, comment.text])
        self.assertEqual(entry.detail["moderation"], "pass")

    def test_it_refuses_an_empty_or_too_long_text(self):
        for text, words in (("  \n ", "Write something"), ("长" * 1001, "at most 1000")):
            with self.subTest(text=text[:5]), self.assertRaises(ValidationError) as caught:
                services.comment_post(actor=self.user("member1"), item=self.item, text=text)
            self.assertIn(words, caught.exception.message_dict["text"][0])
        self.assertFalse(Comment.objects.exists())

    def test_it_refuses_readers_of_other_organizations(self):
        with self.assertRaises(PermissionDenied):
            services.comment_post(actor=self.user("secretary2"), item=self.item, text=CLEAN)
        self.assertFalse(Comment.objects.exists())

    def test_it_refuses_comments_where_they_are_closed(self):
        closed = published_item(self.uni, title="不开放评论的通知", comments=False)
        with self.assertRaises(ValidationError) as caught:
            services.comment_post(actor=self.user("member1"), item=closed, text=CLEAN)
        self.assertEqual(
            caught.exception.message_dict["text"], ["Comments are closed on this item."]
        )

    def test_a_reply_to_a_reply_hangs_under_the_top_comment_and_names_whom_it_answers(self):
        top = self.post("member1")
        reply = self.post("secretary1", "说得好", parent=top)
        answer = self.post("committee_member", "同意楼上", parent=reply)
        self.assertEqual((reply.parent_id, reply.reply_to_id), (top.pk, top.pk))
        self.assertEqual((answer.parent_id, answer.reply_to_id), (top.pk, reply.pk))
        # Each answered author is told, once.
        told = Delivery.objects.filter(notification__kind="comments.replied")
        self.assertEqual(
            sorted(told.values_list("recipient__username", flat=True)), ["member1", "secretary1"]
        )

    def test_it_refuses_a_reply_to_a_comment_not_shown_or_of_another_item(self):
        top = self.post("member1")
        services.comment_delete(actor=self.user("member1"), comment=top)
        other = published_item(self.uni, title="另一条新闻")
        elsewhere = self.post("member1", item=other)
        for parent in (top, elsewhere):
            with self.subTest(parent=parent.pk), self.assertRaises(ValidationError) as caught:
                self.post("secretary1", "回复", parent=self.fresh(parent))
            self.assertIn("parent", caught.exception.message_dict)

    @override_settings(COMMENTS_PER_MINUTE=3)
    def test_it_limits_how_many_comments_one_posts_a_minute(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            for n in range(3):
                self.post("member1", f"第{n}条评论")
            with self.assertRaises(ValidationError) as caught:
                self.post("member1", "第四条评论")
            self.assertIn("at most 3 comments a minute", caught.exception.message_dict["text"][0])
            self.post("secretary1", "别人不受影响")
        with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
            self.post("member1", "一分钟后可以再发")
        self.assertEqual(Comment.objects.filter(author=self.user("member1")).count(), 4)


class EditTestCase(CommentsTestCase):
    def test_the_author_changes_a_comment_within_the_window(self):
        comment = self.post("member1")
        result = services.comment_edit(actor=self.user("member1"), comment=comment, text="改过的")
        comment = self.fresh(comment)
        self.assertEqual(result.message, "Your comment has been changed.")
        self.assertEqual(comment.text, "改过的")
        self.assertIsNotNone(comment.edited_at)
        entry = audit("comments.comment.edited", comment)
        self.assertEqual(entry.changes, {"text": [CLEAN, "改过的"]})

    def test_the_edit_window_ends_after_the_configured_minutes(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            comment = self.post("member1")
        with time_machine.travel(start + dt.timedelta(minutes=30), tick=False):
            services.comment_edit(actor=self.user("member1"), comment=comment, text="刚好30分钟")
        late = start + dt.timedelta(minutes=30, seconds=1)
        with time_machine.travel(late, tick=False), self.assertRaises(ValidationError) as caught:
            services.comment_edit(
                actor=self.user("member1"), comment=self.fresh(comment), text="超时了"
            )
        self.assertEqual(
            caught.exception.message_dict["text"],
            ["A comment can be changed only within 30 minutes of posting."],
        )
        self.assertEqual(self.fresh(comment).text, "刚好30分钟")

    @override_settings(COMMENTS_EDIT_MINUTES=5)
    def test_the_window_is_a_setting(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            comment = self.post("member1")
        with time_machine.travel(start + dt.timedelta(minutes=5, seconds=1), tick=False):
            self.assertFalse(services.may_edit(comment, self.user("member1")))
            with self.assertRaises(ValidationError):
                services.comment_edit(actor=self.user("member1"), comment=comment, text="晚了")

    def test_only_the_author_changes_a_comment(self):
        comment = self.post("member1")
        with self.assertRaises(PermissionDenied):
            services.comment_edit(actor=self.user("secretary1"), comment=comment, text="改")

    def test_a_hidden_comment_cannot_be_changed(self):
        comment = self.post("member1")
        services.comment_hide(actor=self.user("committee1"), comment=comment, reason="不文明")
        with self.assertRaises(ValidationError):
            services.comment_edit(actor=self.user("member1"), comment=self.fresh(comment), text="x")


class DeleteTestCase(CommentsTestCase):
    def test_the_author_deletes_softly_and_replies_stay(self):
        top = self.post("member1")
        reply = self.post("secretary1", "回复一下", parent=top)
        services.comment_delete(actor=self.user("member1"), comment=top)
        top = self.fresh(top)
        self.assertEqual(top.state, State.DELETED)
        self.assertIsNotNone(top.deleted_at)
        self.assertEqual(self.fresh(reply).state, State.VISIBLE)
        entry = audit("comments.comment.deleted", top)
        self.assertEqual(entry.changes, {"state": ["visible", "deleted"]})
        # Deleting again changes nothing and writes nothing.
        services.comment_delete(actor=self.user("member1"), comment=top)
        self.assertEqual(AuditEntry.objects.filter(action="comments.comment.deleted").count(), 1)

    def test_no_one_else_deletes_it(self):
        comment = self.post("member1")
        for persona in ("secretary1", "orgdept"):
            with self.subTest(persona=persona), self.assertRaises(PermissionDenied):
                services.comment_delete(actor=self.user(persona), comment=comment)


class LikeTestCase(CommentsTestCase):
    def test_likes_are_idempotent(self):
        comment = self.post("member1")
        for _ in range(3):
            count = services.comment_like(actor=self.user("secretary1"), comment=comment)
        self.assertEqual(count, 1)
        self.assertEqual(services.comment_like(actor=self.user("member1"), comment=comment), 2)
        self.assertEqual(CommentLike.objects.filter(comment=comment).count(), 2)
        for _ in range(2):
            count = services.comment_unlike(actor=self.user("secretary1"), comment=comment)
        self.assertEqual(count, 1)
        self.assertEqual(self.fresh(comment).like_count, 1)
        self.assertEqual(AuditEntry.objects.filter(action="comments.comment.liked").count(), 2)
        self.assertEqual(AuditEntry.objects.filter(action="comments.comment.unliked").count(), 1)

    def test_a_comment_not_shown_cannot_be_liked(self):
        comment = self.post("member1")
        services.comment_delete(actor=self.user("member1"), comment=comment)
        with self.assertRaises(ValidationError):
            services.comment_like(actor=self.user("secretary1"), comment=comment)


class ReportTestCase(CommentsTestCase):
    def test_a_reader_reports_once_and_no_one_is_messaged(self):
        comment = self.post("member1")
        report = services.comment_report(
            actor=self.user("secretary1"), comment=comment, reason="  人身攻击 "
        )
        self.assertEqual(report.reason, "人身攻击")
        with self.assertRaises(ValidationError) as caught:
            services.comment_report(actor=self.user("secretary1"), comment=comment, reason="再报")
        self.assertIn("already reported", caught.exception.message_dict["reason"][0])
        self.assertEqual(CommentReport.objects.count(), 1)
        self.assertFalse(Delivery.objects.exists())
        entry = audit("comments.comment.reported", comment)
        self.assertEqual(entry.detail["reason"], "人身攻击")

    def test_a_report_needs_a_reason_and_not_ones_own_comment(self):
        comment = self.post("member1")
        with self.assertRaises(ValidationError) as caught:
            services.comment_report(actor=self.user("secretary1"), comment=comment, reason=" ")
        self.assertIn("Say what is wrong", caught.exception.message_dict["reason"][0])
        with self.assertRaises(ValidationError) as caught:
            services.comment_report(actor=self.user("member1"), comment=comment, reason="测试")
        self.assertIn("your own comment", caught.exception.message_dict["reason"][0])


class HideTestCase(CommentsTestCase):
    def test_a_moderator_hides_with_a_reason_and_the_author_is_told(self):
        comment = self.post("member1")
        services.comment_report(actor=self.user("secretary1"), comment=comment, reason="广告")
        services.comment_hide(actor=self.user("committee1"), comment=comment, reason="含广告")
        comment = self.fresh(comment)
        self.assertEqual(comment.state, State.HIDDEN)
        self.assertEqual(comment.hidden_reason, "含广告")
        self.assertEqual(comment.hidden_by, self.user("committee1"))
        report = CommentReport.objects.get()
        self.assertEqual(report.resolution, CommentReport.Resolution.HIDDEN)
        told = Delivery.objects.get(notification__kind="comments.hidden")
        self.assertEqual(told.recipient, self.user("member1"))
        self.assertIn("含广告", told.notification.body)
        self.assertEqual(told.notification.link, f"/comments/{comment.pk}/")
        entry = audit("comments.comment.hidden", comment)
        self.assertEqual(entry.actor_username, "committee1")
        self.assertEqual(entry.changes["state"], ["visible", "hidden"])

        services.comment_unhide(actor=self.user("editor1"), comment=comment)
        comment = self.fresh(comment)
        self.assertEqual((comment.state, comment.hidden_reason), (State.VISIBLE, ""))
        self.assertTrue(Delivery.objects.filter(notification__kind="comments.restored").exists())
        self.assertTrue(AuditEntry.objects.filter(action="comments.comment.unhidden").exists())

    def test_only_moderators_of_the_items_organization_hide(self):
        comment = self.post("member1")
        for persona in ("secretary1", "member1", "secretary2", "committee_member"):
            with self.subTest(persona=persona), self.assertRaises(PermissionDenied):
                services.comment_hide(actor=self.user(persona), comment=comment, reason="x")
        with self.assertRaises(ValidationError) as caught:
            services.comment_hide(actor=self.user("orgdept"), comment=comment, reason="")
        self.assertIn("reason", caught.exception.message_dict)

    def test_a_moderator_keeps_a_reported_comment(self):
        comment = self.post("member1")
        services.comment_report(actor=self.user("secretary1"), comment=comment, reason="广告")
        closed = services.comment_reports_dismiss(actor=self.user("orgdept"), comment=comment)
        self.assertEqual(closed, 1)
        self.assertEqual(CommentReport.objects.get().resolution, "dismissed")
        self.assertEqual(self.fresh(comment).state, State.VISIBLE)
        self.assertTrue(AuditEntry.objects.filter(action="comments.reports.dismissed").exists())
