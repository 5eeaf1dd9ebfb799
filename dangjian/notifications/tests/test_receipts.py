"""Read receipts: the sender sees exactly who has read a message and who has not, and can
remind the rest (once every ten minutes)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dangjian.notifications import selectors, services
from dangjian.notifications.models import Delivery, Notification
from dangjian.testing.base import BaseTestCase
from dangjian.testing.personas import make_user


class ReceiptTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sender = self.uni.user("editor1")
        self.people = [make_user(f"reader{n:02d}") for n in range(50)]
        self.notice = services.notify(
            self.people,
            kind="test.notice",
            title="关于开展主题党日活动的通知",
            link="/notifications/",
            actor=self.sender,
        )
        for person in self.people[:40]:
            delivery = Delivery.objects.get(notification=self.notice, recipient=person)
            services.mark_read(person, [delivery.pk])

    def test_after_40_of_50_read_the_sender_sees_the_other_10(self):
        receipts = selectors.receipts(self.notice)
        assert [d.recipient for d in receipts.unread] == self.people[40:]
        assert {d.recipient for d in receipts.read} == set(self.people[:40])
        page = self.client_for("editor1").get(f"/notifications/sent/{self.notice.pk}/")
        self.assertContains(page, 'id="unread-count">10<')
        for person in self.people[40:]:
            self.assertContains(page, f'<li class="dj-list-item">{person.username}</li>')
        listing = self.client_for("editor1").get("/notifications/sent/")
        self.assertContains(listing, "40 / 50")

    def test_the_reminder_reaches_exactly_the_unread_and_not_twice_in_ten_minutes(self):
        assert services.remind(self.notice, actor=self.sender) == 10
        reminder = Notification.objects.get(kind="notifications.reminder")
        assert set(reminder.deliveries.values_list("recipient", flat=True)) == {
            p.pk for p in self.people[40:]
        }
        with pytest.raises(ValidationError, match="ten minutes"):
            services.remind(self.notice, actor=self.sender)

    def test_only_the_sender_sees_the_receipts(self):
        assert (
            self.client_for("orgdept").get(f"/notifications/sent/{self.notice.pk}/").status_code
            == 404
        )
        response = self.client_for("orgdept").post(f"/notifications/sent/{self.notice.pk}/remind/")
        assert response.status_code == 404
        assert not Notification.objects.filter(kind="notifications.reminder").exists()

    def test_the_remind_button_sends_and_says_how_many(self):
        client = self.client_for("editor1")
        response = client.post(f"/notifications/sent/{self.notice.pk}/remind/", follow=True)
        self.assertContains(response, "10")
        assert Notification.objects.filter(kind="notifications.reminder").count() == 1
