"""The tag cloud of the feeds (the most used tags among what the reader may see, in one query)
and the {% guide_link %} tag (a procedure's page links to its live guide, looked up once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from dangjian.content import services, statistics
from dangjian.content.models import Item, Section
from dangjian.content.services import ItemInput
from dangjian.orgs import permissions as perms
from dangjian.testing.base import BaseTestCase


class ContentTestCase(BaseTestCase):
    def publish(self, title: str, *, by: str = "editor1", **fields: Any) -> Item:
        data: dict[str, Any] = {"section": Section.NEWS, "title": title, "owner": self.uni.root}
        data.update(fields)
        actor = self.uni.user(by)
        item = services.item_save(actor=actor, data=ItemInput(**data))
        return services.item_publish(actor=actor, item=item, publish_at=fields.get("publish_at"))


class TagCloudTests(ContentTestCase):
    def setUp(self) -> None:
        self.publish("一", tags=["学习", "主题党日"])
        self.publish("二", tags=["学习"])
        self.publish("三", tags=["学习", "志愿服务"], section=Section.ACTIVITY)
        # Only B21's people read this one.
        self.publish(
            "四",
            tags=["材料学院", "学习"],
            owner=self.uni.b21,
            target_all=False,
            targets=[self.uni.b21],
        )

    def test_it_counts_the_tags_of_what_the_reader_may_see(self):
        member = self.uni.user("member1")
        self.assertEqual(
            statistics.popular_tags(member),
            [("学习", 3), ("主题党日", 1), ("志愿服务", 1)],
        )
        self.assertEqual(
            statistics.popular_tags(member, section=Section.NEWS), [("学习", 2), ("主题党日", 1)]
        )
        other = self.uni.user("secretary2")
        self.assertIn(("材料学院", 1), statistics.popular_tags(other, section=Section.NEWS))

    def test_it_keeps_the_top_twelve_in_one_query(self):
        for n in range(14):
            self.publish(f"标签{n}", tags=[f"标签{n:02d}"])
        member = self.uni.user("member1")
        perms.grants(member)  # resolved once per request, by the feed itself
        with self.assertNumQueries(1):
            tags = statistics.popular_tags(member, section=Section.NEWS)
        self.assertEqual(len(tags), 12)
        self.assertEqual(tags[:2], [("学习", 2), ("主题党日", 1)])

    def test_the_section_feed_links_each_tag_to_its_filter(self):
        client = self.client_for("member1")
        page = client.get("/content/news/")
        self.assertContains(page, 'id="tag-cloud"')
        self.assertContains(page, 'href="/content/news/?tag=%E5%AD%A6%E4%B9%A0"')
        self.assertNotContains(page, "材料学院")
        filtered = client.get("/content/news/", {"tag": "主题党日"})
        self.assertContains(filtered, 'aria-current="true">#主题党日')
        self.assertContains(filtered, ">一<", html=False)
        self.assertNotContains(filtered, ">二<", html=False)

    def test_a_feed_without_tags_shows_no_cloud(self):
        page = self.client_for("member1").get("/content/research/")
        self.assertNotContains(page, 'id="tag-cloud"')


class GuideLinkTests(ContentTestCase):
    TEMPLATE = Template(
        '{% load content %}<p>{% guide_link "development.application" %}</p>'
        '<p>{% guide_link "development.application" %}</p>'
    )

    def render(self) -> str:
        request = RequestFactory().get("/development/")
        request.user = self.uni.user("member1")
        return self.TEMPLATE.render(Context({"request": request}))

    def guide(self, **fields: Any) -> Item:
        return self.publish(
            "入党申请办事指南",
            section=Section.GUIDE,
            procedure="development.application",
            **fields,
        )

    def test_it_links_the_live_guide_once_looked_up_for_two_uses(self):
        guide = self.guide()
        with self.assertNumQueries(1):
            html = self.render()
        link = (
            f'<a class="btn btn-sm btn-light dj-guide-link" href="/content/{guide.pk}/" '
            'title="入党申请办事指南"><i class="bi bi-signpost-split me-1" aria-hidden="true"></i>'
            "Procedure guide</a>"
        )
        self.assertEqual(html, f"<p>{link}</p><p>{link}</p>")

    def test_it_renders_nothing_without_a_live_guide_and_asks_once(self):
        with self.assertNumQueries(1):
            self.assertEqual(self.render(), "<p></p><p></p>")
        # A scheduled guide is not live yet; another procedure's guide is not this one's.
        self.guide(publish_at=timezone.now() + dt.timedelta(days=1))
        self.publish("转接指南", section=Section.GUIDE, procedure="transfers.out")
        self.assertEqual(self.render(), "<p></p><p></p>")

    def test_a_withdrawn_guide_is_not_linked(self):
        guide = self.guide()
        services.item_withdraw(actor=self.uni.user("editor1"), item=guide)
        self.assertEqual(self.render(), "<p></p><p></p>")
