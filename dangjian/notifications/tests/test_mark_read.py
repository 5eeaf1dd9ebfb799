from __future__ import annotations

from dangjian.notifications import selectors
from dangjian.notifications.models import Delivery
from dangjian.notifications.services import ALL, mark_read, notify
from dangjian.testing.base import BaseTestCase


class MarkReadTestCase(BaseTestCase):
    def setUp(self):
        self.member1 = self.uni.user("member1")
        self.deliveries = [
            notify([self.member1], kind="test.sent", title=f"m{i}").deliveries.get()
            for i in range(3)
        ]

    def unread_ids(self) -> set[int]:
        return set(
            Delivery.objects.filter(recipient=self.member1, read_at__isnull=True).values_list(
                "pk", flat=True
            )
        )

    def test_it_marks_the_given_messages_read(self):
        first, second, third = self.deliveries
        self.assertEqual(mark_read(self.member1, [first.pk, second.pk]), 2)
        self.assertEqual(self.unread_ids(), {third.pk})
        first.refresh_from_db()
        self.assertIsNotNone(first.read_at)

    def test_it_counts_only_messages_that_were_unread(self):
        first = self.deliveries[0]
        mark_read(self.member1, [first.pk])
        first.refresh_from_db()
        read_at = first.read_at
        self.assertEqual(mark_read(self.member1, [first.pk]), 0)
        first.refresh_from_db()
        self.assertEqual(first.read_at, read_at)  # the first reading stands

    def test_it_marks_all(self):
        self.assertEqual(mark_read(self.member1, ALL), 3)
        self.assertEqual(self.unread_ids(), set())
        self.assertEqual(mark_read(self.member1, ALL), 0)

    def test_an_empty_list_marks_nothing_without_a_query(self):
        with self.assertNumQueries(0):
            self.assertEqual(mark_read(self.member1, []), 0)

    def test_it_updates_the_cached_badge(self):
        self.assertEqual(selectors.unread_badge(self.member1), 3)
        mark_read(self.member1, [self.deliveries[0].pk])
        self.assertEqual(selectors.unread_badge(self.member1), 2)
        mark_read(self.member1, ALL)
        self.assertEqual(selectors.unread_badge(self.member1), 0)
