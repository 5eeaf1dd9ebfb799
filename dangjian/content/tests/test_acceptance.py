"""The propaganda platform's acceptance checks that cross apps: every XSS payload inert where
readers meet it (body, title, comment), and what targets another organization reaches no one
else, not even on the notification stream."""

from __future__ import annotations

import re

from django.test import override_settings

from dangjian.comments import services as comments
from dangjian.content.models import Section
from dangjian.content.tests.test_services import ContentTestCase
from dangjian.lib.tests.test_richtext import XSS_PAYLOADS
from dangjian.notifications.tests.test_stream import _events, drain

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)
EVENT_ATTRIBUTE = re.compile(r"<[^>]*\s(on[a-z]+)\s*=", re.I)
ACTIVE_URL = re.compile(
    r"""<[^<>]*\s(href|src|action|formaction|data)\s*=\s*["']?\s*(javascript|vbscript|data):""",
    re.I,
)
FOREIGN_ELEMENT = re.compile(
    r"<(iframe|object|embed|svg|math|base|meta\s+http-equiv|form\s+action=\"http)", re.I
)


@override_settings(COMMENTS_PER_MINUTE=1000)
class XssAcceptanceTestCase(ContentTestCase):
    def assert_page_inert(self, html: str, baseline_scripts: list[str], payload: str) -> None:
        self.assertEqual(SCRIPT_TAG.findall(html), baseline_scripts, payload)
        self.assertIsNone(EVENT_ATTRIBUTE.search(html), payload)
        self.assertIsNone(ACTIVE_URL.search(html), payload)
        self.assertIsNone(FOREIGN_ELEMENT.search(html), payload)

    def test_every_payload_is_inert_in_body_title_and_comments(self):
        self.assertGreaterEqual(len(XSS_PAYLOADS), 30)
        reader = self.client_for("member1")
        plain = self.published(title="普通新闻", comments_enabled=True)
        baseline = {
            "item": SCRIPT_TAG.findall(reader.get(f"/content/{plain.pk}/").content.decode()),
            "feed": SCRIPT_TAG.findall(reader.get("/content/news/").content.decode()),
            "home": SCRIPT_TAG.findall(reader.get("/").content.decode()),
            "search": SCRIPT_TAG.findall(
                reader.get("/content/search/", {"q": "普通"}).content.decode()
            ),
        }
        member = self.uni.user("member1")
        for payload in XSS_PAYLOADS:
            item = self.published(
                title=payload[:120], body=f"<p>前文{payload}后文</p>", comments_enabled=True
            )
            comments.comment_post(actor=member, item=item, text=payload[:1000])
            with self.subTest(payload=payload):
                page = reader.get(f"/content/{item.pk}/")
                self.assertEqual(page.status_code, 200)
                self.assert_page_inert(page.content.decode(), baseline["item"], payload)
                search = reader.get("/content/search/", {"q": "前文"})
                self.assert_page_inert(search.content.decode(), baseline["search"], payload)
        # Every title is on the feed and on the home page at once.
        self.assert_page_inert(reader.get("/content/news/").content.decode(), baseline["feed"], "")
        self.assert_page_inert(reader.get("/").content.decode(), baseline["home"], "")


class StreamIsolationTestCase(ContentTestCase):
    def test_a_notice_for_another_branch_never_reaches_a_members_stream(self):
        self.published(
            section=Section.NOTICE, title="材料学院的通知", target_all=False, targets=[self.uni.b21]
        )
        mine = self.published(
            section=Section.NOTICE,
            title="教工一支部的通知",
            target_all=False,
            targets=[self.uni.b11],
        )
        response = self.client_for("member1").get(
            "/notifications/stream?once=1", HTTP_LAST_EVENT_ID="0"
        )
        events = _events(drain(response))
        self.assertEqual([e["title"] for e in events], ["教工一支部的通知"])
        self.assertEqual(events[0]["link"], f"/content/{mine.pk}/")
        other = _events(
            drain(
                self.client_for("secretary2").get(
                    "/notifications/stream?once=1", HTTP_LAST_EVENT_ID="0"
                )
            )
        )
        self.assertEqual([e["title"] for e in other], ["材料学院的通知"])
