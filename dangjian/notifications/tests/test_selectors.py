from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from dangjian.notifications import selectors
from dangjian.notifications.services import mark_read, notify
from dangjian.testing.base import BaseTestCase


class InboxTestCase(BaseTestCase):
    def test_it_lists_the_users_messages_newest_first(self):
        member1, outsider = self.uni.user("member1"), self.uni.user("outsider")
        notify([member1], kind="test.sent", title="first")
        notify([outsider], kind="test.sent", title="not yours")
        notify([member1, outsider], kind="test.sent", title="second")
        titles = [d.notification.title for d in selectors.inbox(member1)]
        self.assertEqual(titles, ["second", "first"])

    def test_it_reads_each_notification_with_its_delivery(self):
        member1 = self.uni.user("member1")
        for i in range(3):
            notify([member1], kind="test.sent", title=f"m{i}")
        with self.assertNumQueries(1):
            titles = [d.notification.title for d in selectors.inbox(member1)]
        self.assertEqual(len(titles), 3)

    def test_it_counts_unread_messages(self):
        member1 = self.uni.user("member1")
        self.assertEqual(selectors.unread_count(member1), 0)
        first = notify([member1], kind="test.sent", title="a").deliveries.get()
        notify([member1], kind="test.sent", title="b")
        notify([self.uni.user("outsider")], kind="test.sent", title="c")
        self.assertEqual(selectors.unread_count(member1), 2)
        mark_read(member1, [first.pk])
        self.assertEqual(selectors.unread_count(member1), 1)

    def test_one_delivery_is_found_only_for_its_recipient(self):
        delivery = notify([self.uni.user("member1")], kind="test.sent", title="a").deliveries.get()
        self.assertEqual(
            selectors.delivery_get_for_user(self.uni.user("member1"), delivery.pk), delivery
        )
        with self.assertRaises(Http404):
            selectors.delivery_get_for_user(self.uni.user("outsider"), delivery.pk)
        with self.assertRaises(Http404):
            selectors.delivery_get_for_user(self.uni.user("member1"), delivery.pk + 1000)


class BadgeTestCase(BaseTestCase):
    def test_anonymous_visitors_cost_no_query(self):
        with self.assertNumQueries(0):
            self.assertEqual(selectors.unread_badge(AnonymousUser()), 0)

    def test_it_counts_once_then_reads_the_cache(self):
        member1 = self.uni.user("member1")
        notify([member1], kind="test.sent", title="a")
        with self.assertNumQueries(1):
            self.assertEqual(selectors.unread_badge(member1), 1)
        with self.assertNumQueries(0):
            self.assertEqual(selectors.unread_badge(member1), 1)

    def test_it_stops_counting_past_the_cap(self):
        member1 = self.uni.user("member1")
        for i in range(selectors.BADGE_CAP + 5):
            notify([member1], kind="test.sent", title=f"m{i}")
        self.assertEqual(selectors.unread_badge(member1), selectors.BADGE_CAP + 1)
        self.assertEqual(selectors.unread_count(member1), selectors.BADGE_CAP + 5)
