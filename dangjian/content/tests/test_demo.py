"""The content step of `seed_demo`: a year of items in every section, written through the
services by the demo accounts, with a review queue, inbox notices and read receipts."""

from __future__ import annotations

import datetime as dt
import io
import re
from unittest import mock

from django.core.management import call_command
from django.db.models import F
from django.test import TestCase
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.content import demo as content_demo
from dangjian.content import selectors
from dangjian.content.models import Item, Read, Section, State
from dangjian.lib import richtext
from dangjian.notifications.models import Delivery


class ContentDemoTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        out = io.StringIO()
        # Only this app's step after the roster, so the test does not depend on the others.
        with mock.patch("dangjian.lib.demo.steps", return_value=[("content", content_demo.seed)]):
            call_command("seed_demo", "--members", "400", "--branches", "40", "--seed", "3",
                         stdout=out)  # fmt: skip
        cls.output = out.getvalue()

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def test_every_section_has_live_items_over_the_year(self):
        self.assertIn("content:", self.output)
        now = timezone.now()
        live = Item.objects.filter(state=State.PUBLISHED, publish_at__lte=now)
        for section in Section.values:
            self.assertTrue(live.filter(section=section).exists(), section)
        # A small university publishes a third of the default's year (150 news, 60 notices).
        self.assertGreaterEqual(live.filter(section=Section.NEWS).count(), 40)
        self.assertGreaterEqual(live.filter(section=Section.NOTICE).count(), 15)
        oldest = live.order_by("publish_at").first()
        assert oldest is not None and oldest.publish_at is not None
        self.assertGreater((now - oldest.publish_at).days, 250)  # spread over the year
        self.assertFalse(live.filter(created_at__gt=now).exists())
        # Every item is in a column of its own section.
        self.assertFalse(Item.objects.filter(category__isnull=True).exists())
        self.assertFalse(Item.objects.exclude(category__section=F("section")).exists())
        # Some pinned, comments open on most news, and a couple scheduled for the coming days.
        self.assertTrue(live.filter(pinned=True, section=Section.NEWS).exists())
        news = live.filter(section=Section.NEWS)
        self.assertGreater(news.filter(comments_enabled=True).count(), news.count() // 2)
        scheduled = Item.objects.filter(state=State.PUBLISHED, publish_at__gt=now)
        self.assertGreaterEqual(scheduled.count(), 2)
        self.assertFalse(scheduled.filter(announced_at__isnull=False).exists())
        # Targeted items: to the first committee's subtree or a branch.
        self.assertTrue(Item.objects.filter(target_all=False, target_rows__isnull=False).exists())

    def test_section_fields_are_filled(self):
        activities = Item.objects.filter(section=Section.ACTIVITY, state=State.PUBLISHED)
        self.assertFalse(activities.filter(starts_at__isnull=True).exists())
        self.assertFalse(activities.filter(location="").exists())
        self.assertTrue(activities.filter(starts_at__gt=timezone.now()).exists())  # upcoming
        research = Item.objects.filter(section=Section.RESEARCH)
        self.assertEqual(research.count(), 15)
        self.assertFalse(research.filter(research_kind="").exists())
        self.assertFalse(research.filter(research_members="").exists())
        self.assertGreater(len(set(research.values_list("research_status", flat=True))), 1)
        for procedure in (
            "development.application",
            "dues.payment",
            "transfers.transfer",
            "orglife.meetings",
        ):
            self.assertIsNotNone(selectors.guide_for(procedure), procedure)

    def test_texts_are_chinese_and_sanitized(self):
        latin = re.compile(r"[A-Za-z]")
        for title, body in Item.objects.values_list("title", "body"):
            self.assertFalse(latin.search(title), title)
            self.assertEqual(richtext.sanitize(body), body)
            self.assertFalse(latin.search(richtext.to_text(body)), title)
            self.assertTrue(body.startswith("<p>"), title)
        self.assertEqual(
            Item.objects.count(), len(set(Item.objects.values_list("title", flat=True)))
        )

    def test_the_review_queue_has_work_and_the_writers_have_drafts_and_returns(self):
        editor1, committee1 = self.user("editor1"), self.user("committee1")
        self.assertGreaterEqual(selectors.review_queue(editor1).count(), 3)
        self.assertGreaterEqual(selectors.review_queue(committee1).count(), 1)
        authors = set(
            Item.objects.filter(state=State.PENDING).values_list("author__username", flat=True)
        )
        self.assertTrue({"secretary1", "secretary2"} <= authors, authors)
        returned = Item.objects.filter(state=State.RETURNED)
        self.assertTrue(returned.exists())
        self.assertFalse(returned.filter(review_note="").exists())
        self.assertTrue(Item.objects.filter(state=State.DRAFT).exists())
        # What the secretaries wrote went through a second person.
        approved = Item.objects.filter(
            state=State.PUBLISHED, author__username="secretary1", reviewed_by__isnull=False
        )
        self.assertTrue(approved.exists())
        self.assertFalse(approved.filter(reviewed_by__username="secretary1").exists())

    def test_recent_notices_reached_the_inboxes_with_read_and_unread_receipts(self):
        now = timezone.now()
        sent = Item.objects.filter(section=Section.NOTICE, notification__isnull=False)
        self.assertGreaterEqual(sent.count(), 5)
        for item in sent:
            assert item.publish_at is not None
            self.assertLess((now - item.publish_at).days, content_demo.NOTIFY_DAYS + 1)
        old = Item.objects.filter(
            section=Section.NOTICE, publish_at__lt=now - dt.timedelta(days=90)
        )
        self.assertTrue(old.exists())
        self.assertFalse(old.filter(notification__isnull=False).exists())
        mixed = 0
        for item in sent:
            deliveries = Delivery.objects.filter(notification=item.notification)
            read = deliveries.filter(read_at__isnull=False).count()
            if 0 < read < deliveries.count():
                mixed += 1
            # A read receipt is a reading: the reader's Read row exists.
            readers = set(deliveries.filter(read_at__isnull=False).values_list("recipient_id"))
            self.assertEqual(readers, set(Read.objects.filter(item=item).values_list("user_id")))
        self.assertGreaterEqual(mixed, 3)
        for username in ("member1", "secretary1"):
            inbox = Delivery.objects.filter(
                recipient__username=username, notification__kind="content.notice"
            )
            self.assertGreaterEqual(inbox.count(), 3, username)
            self.assertTrue(inbox.filter(read_at__isnull=True).exists(), username)
        member1_read = Delivery.objects.filter(
            recipient__username="member1", notification__kind="content.notice"
        ).filter(read_at__isnull=False)
        self.assertTrue(member1_read.exists())

    def test_members_see_only_what_targets_them(self):
        member1, secretary2 = self.user("member1"), self.user("secretary2")
        mine = selectors.feed(member1, section=Section.NEWS)
        theirs = selectors.feed(secretary2, section=Section.NEWS)
        self.assertTrue(mine.filter(target_all=False).exists())
        self.assertNotEqual(set(mine.values_list("pk")), set(theirs.values_list("pk")))
