from __future__ import annotations

import datetime as dt

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.notifications.models import Delivery
from dangjian.notifications.services import mark_read, notify
from dangjian.testing.base import BaseTestCase


class InboxPageTestCase(BaseTestCase):
    def setUp(self):
        self.member1 = self.uni.user("member1")
        self.client = self.client_for("member1")

    def send(self, title: str, **kwargs) -> Delivery:
        kwargs.setdefault("kind", "test.sent")
        return notify([self.member1], title=title, **kwargs).deliveries.get()

    def test_it_shows_the_users_messages_with_unread_ones_marked(self):
        read = self.send("已读的消息", body="正文一")
        unread = self.send("未读的消息", body="正文二", link="/members/")
        mark_read(self.member1, [read.pk])
        page = self.client.get("/notifications/")
        self.assertContains(page, "已读的消息")
        self.assertContains(page, "正文二")
        self.assertContains(page, f'id="n{unread.pk}" class="dj-notice is-unread"')
        self.assertContains(page, f'id="n{read.pk}" class="dj-notice"')
        self.assertContains(page, "Unread:", count=1)  # for screen readers, not color alone
        self.assertContains(page, "1 unread")
        self.assertContains(page, f'href="/notifications/{unread.pk}/open/"')
        self.assertContains(page, "Mark all read")

    def test_it_shows_times_relative_to_now(self):
        with time_machine.travel(timezone.now() - dt.timedelta(minutes=3), tick=False):
            self.send("三分钟前的消息")
        page = self.client.get("/notifications/")
        self.assertContains(page, "3 min ago")

    def test_the_body_is_plain_text(self):
        self.send("t", body="<script>alert(1)</script>\n第二行")
        page = self.client.get("/notifications/")
        self.assertNotContains(page, "<script>alert(1)")
        self.assertContains(page, "&lt;script&gt;alert(1)&lt;/script&gt;<br>第二行")

    def test_it_pages_the_messages(self):
        for i in range(25):
            self.send(f"消息{i:02d}")
        first = self.client.get("/notifications/")
        self.assertContains(first, "消息24")
        self.assertNotContains(first, "消息04")
        self.assertContains(first, "25 in total")
        self.assertContains(first, "page 1 of 2")
        second = self.client.get("/notifications/", {"page": 2})
        self.assertContains(second, "消息04")
        self.assertNotContains(second, "消息05")
        self.assertEqual(self.client.get("/notifications/", {"page": "x"}).status_code, 200)

    def test_an_empty_inbox_says_what_would_appear(self):
        page = self.client.get("/notifications/")
        self.assertContains(page, "No messages yet")
        self.assertContains(page, "reminders of meetings")
        self.assertNotContains(page, "Mark all read")
        self.assertNotContains(page, "dj-chips")  # nothing to filter yet

    def test_it_filters_unread_messages(self):
        read = self.send("读过了")
        self.send("还没读")
        mark_read(self.member1, [read.pk])
        page = self.client.get("/notifications/", {"show": "unread"})
        self.assertContains(page, "还没读")
        self.assertNotContains(page, "读过了")
        mark_read(self.member1, "all")
        page = self.client.get("/notifications/", {"show": "unread"})
        self.assertContains(page, "No unread messages")
        self.assertContains(page, "Show all messages")

    def test_mark_all_read(self):
        self.send("一")
        self.send("二")
        response = self.client.post("/notifications/read-all/")
        self.assertRedirects(response, "/notifications/", fetch_redirect_response=False)
        self.assertFalse(Delivery.objects.filter(read_at__isnull=True).exists())
        page = self.client.get("/notifications/")
        self.assertContains(page, "All your messages are marked as read.")
        self.assertEqual(self.client.get("/notifications/read-all/").status_code, 405)

    def test_mark_all_read_returns_to_the_page_it_came_from_but_never_elsewhere(self):
        self.send("一")
        back = self.client.post("/notifications/read-all/", {"next": "/notifications/?page=2"})
        self.assertEqual(back["Location"], "/notifications/?page=2")
        for next_url in ["https://evil.example/notifications/", "/members/", "//evil.example"]:
            response = self.client.post("/notifications/read-all/", {"next": next_url})
            self.assertEqual(response["Location"], "/notifications/")

    def test_opening_a_message_marks_it_read_and_follows_its_link(self):
        delivery = self.send("去看看", link="/members/42/")
        response = self.client.get(f"/notifications/{delivery.pk}/open/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/members/42/")
        delivery.refresh_from_db()
        self.assertIsNotNone(delivery.read_at)
        # Opening it again changes nothing and still follows the link.
        read_at = delivery.read_at
        again = self.client.post(f"/notifications/{delivery.pk}/open/")
        self.assertEqual(again["Location"], "/members/42/")
        delivery.refresh_from_db()
        self.assertEqual(delivery.read_at, read_at)

    def test_a_message_without_a_link_is_marked_read_in_place(self):
        delivery = self.send("没有链接", body="全文在此")
        page = self.client.get("/notifications/")
        self.assertContains(page, f'hx-post="/notifications/{delivery.pk}/open/"')
        response = self.client.post(
            f"/notifications/{delivery.pk}/open/",
            {"next": "/notifications/?page=1"},
            HTTP_HX_REQUEST="true",
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertContains(response, f'id="n{delivery.pk}" class="dj-notice"')
        self.assertContains(response, 'id="inbox-head" hx-swap-oob="true"')
        self.assertContains(response, 'id="dj-bell"')
        self.assertContains(response, "No unread messages")
        delivery.refresh_from_db()
        self.assertIsNotNone(delivery.read_at)

    def test_without_htmx_a_message_without_a_link_returns_to_the_inbox(self):
        delivery = self.send("没有链接")
        response = self.client.post(
            f"/notifications/{delivery.pk}/open/", {"next": "/notifications/?page=1"}
        )
        self.assertEqual(response["Location"], f"/notifications/?page=1#n{delivery.pk}")

    def test_the_inbox_takes_a_fixed_number_of_queries(self):
        for i in range(5):
            self.send(f"m{i}", link="/")
        self.client.get("/notifications/")
        # Account, grants (for the menu), the count of the page, the unread count (which the
        # bell reuses), the page of messages with their notifications.
        with self.assertNumQueries(5):
            self.client.get("/notifications/")


class BellTestCase(BaseTestCase):
    def test_the_top_bar_shows_the_unread_count_on_every_page(self):
        member1 = self.uni.user("member1")
        client = self.client_for("member1")
        home = client.get("/")
        self.assertContains(home, 'id="dj-bell"')
        self.assertNotContains(home, "dj-bell-count")
        for i in range(3):
            notify([member1], kind="test.sent", title=f"m{i}")
        home = client.get("/")
        self.assertContains(home, '<span class="dj-bell-count num" aria-hidden="true">3</span>')
        self.assertContains(home, "Messages, 3 unread")
        self.assertContains(home, "My messages")  # the sidebar's entry under Me
        profile = client.get("/accounts/me/")
        self.assertContains(profile, 'href="/notifications/"')

    def test_the_badge_reads_99_plus_beyond_99(self):
        member1 = self.uni.user("member1")
        for i in range(100):
            notify([member1], kind="test.sent", title=f"m{i}")
        self.assertContains(self.client_for("member1").get("/"), ">99+</span>")

    def test_the_bell_costs_one_query_then_none(self):
        client = self.client_for("secretary1")
        with CaptureQueriesContext(connection) as first:
            client.get("/accounts/me/")
        with CaptureQueriesContext(connection) as then:
            client.get("/accounts/me/")
            client.get("/")
        counts = [q["sql"] for q in first if "notifications_delivery" in q["sql"]]
        self.assertEqual(len(counts), 1)
        self.assertIn("LIMIT 100", counts[0])
        self.assertFalse([q for q in then if "notifications_delivery" in q["sql"]])

    def test_anonymous_visitors_see_no_bell(self):
        page = Client().get("/accounts/login/")
        self.assertNotContains(page, "dj-bell")

    def test_the_me_tab_is_active_in_the_inbox(self):
        page = self.client_for("member1").get("/notifications/")
        self.assertContains(page, 'class="dj-tab active" href="/accounts/me/" aria-current="page"')
