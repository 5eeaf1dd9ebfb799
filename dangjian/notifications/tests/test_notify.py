from __future__ import annotations

from unittest import mock

from django.core.exceptions import ValidationError

from dangjian.notifications import selectors
from dangjian.notifications.models import Delivery, Notification
from dangjian.notifications.services import notify
from dangjian.testing.base import BaseTestCase


class NotifyTestCase(BaseTestCase):
    def test_it_delivers_one_notification_to_each_recipient(self):
        member1, outsider = self.uni.user("member1"), self.uni.user("outsider")
        notification = notify(
            [member1, outsider],
            kind="moderation.rejected",
            title="投稿未通过",
            body="第一行\n第二行",
            link="/members/1/",
            actor=self.uni.user("secretary1"),
        )
        notification.refresh_from_db()
        self.assertEqual(notification.kind, "moderation.rejected")
        self.assertEqual(notification.title, "投稿未通过")
        self.assertEqual(notification.body, "第一行\n第二行")
        self.assertEqual(notification.link, "/members/1/")
        self.assertEqual(notification.created_by, self.uni.user("secretary1"))
        deliveries = Delivery.objects.filter(notification=notification)
        self.assertEqual({d.recipient_id for d in deliveries}, {member1.pk, outsider.pk})
        self.assertTrue(all(d.read_at is None for d in deliveries))

    def test_it_skips_repeats_and_inactive_accounts(self):
        member1, outsider = self.uni.user("member1"), self.uni.user("outsider")
        outsider.is_active = False
        notification = notify(
            [member1, member1, outsider, self.uni.user("member1")], kind="test.sent", title="t"
        )
        self.assertEqual(
            list(notification.deliveries.values_list("recipient_id", flat=True)), [member1.pk]
        )

    def test_it_records_a_notification_nobody_receives(self):
        notification = notify([], kind="test.sent", title="t")
        self.assertIsNotNone(notification.pk)
        self.assertEqual(notification.deliveries.count(), 0)

    def test_it_writes_all_deliveries_at_once(self):
        from dangjian.accounts.models import User

        users = User.objects.filter(username__in=["member1", "secretary1", "outsider"])
        # The users, the notification, the deliveries; a savepoint's two around the writes.
        with self.assertNumQueries(5):
            notification = notify(users, kind="test.sent", title="t")
        self.assertEqual(notification.deliveries.count(), 3)

    def test_it_refuses_a_bad_kind(self):
        for kind in ["", "rejected", "Moderation.Rejected", "a..b", "a.b c", "x." + "y" * 70]:
            with self.subTest(kind=kind), self.assertRaises(ValidationError) as caught:
                notify([self.uni.user("member1")], kind=kind, title="t")
            self.assertIn("kind", caught.exception.message_dict)
        self.assertFalse(Notification.objects.exists())

    def test_it_refuses_a_blank_or_long_title(self):
        for title in ["", "   ", "长" * 201]:
            with self.subTest(title=title), self.assertRaises(ValidationError) as caught:
                notify([self.uni.user("member1")], kind="test.sent", title=title)
            self.assertIn("title", caught.exception.message_dict)

    def test_it_refuses_links_to_other_sites(self):
        for link in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "javascript:alert(1)",
            "members/1/",
            "/members/\n1/",
        ]:
            with self.subTest(link=link), self.assertRaises(ValidationError) as caught:
                notify([self.uni.user("member1")], kind="test.sent", title="t", link=link)
            self.assertIn("link", caught.exception.message_dict)
        self.assertFalse(Notification.objects.exists())

    def test_it_writes_nothing_when_the_deliveries_fail(self):
        with (
            mock.patch("dangjian.lib.bulk.create", side_effect=RuntimeError("disk full")),
            self.assertRaises(RuntimeError),
        ):
            notify([self.uni.user("member1")], kind="test.sent", title="t")
        self.assertFalse(Notification.objects.exists())

    def test_it_updates_the_recipients_cached_badge(self):
        member1 = self.uni.user("member1")
        self.assertEqual(selectors.unread_badge(member1), 0)  # now cached
        notify([member1], kind="test.sent", title="t")
        self.assertEqual(selectors.unread_badge(member1), 1)


class NotifyQueryTestCase(BaseTestCase):
    def test_a_query_of_accounts_reaches_the_active_ones_without_loading_them(self):
        from dangjian.accounts.models import User

        member1 = self.uni.user("member1")
        User.objects.filter(pk=self.uni.user("secretary2").pk).update(is_active=False)
        everyone = User.objects.filter(username__in=["member1", "secretary1", "secretary2"])
        notification = notify(everyone, kind="test.query", title="全体")
        self.assertIsNone(everyone._result_cache)  # read as ids, never as User objects
        recipients = set(
            Delivery.objects.filter(notification=notification).values_list(
                "recipient__username", flat=True
            )
        )
        self.assertEqual(recipients, {"member1", "secretary1"})
        self.assertEqual(selectors.unread_count(member1), 1)
