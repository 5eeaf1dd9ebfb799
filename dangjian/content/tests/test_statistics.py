"""Reading statistics for the monitoring platform: per item views and unique readers in the
viewer's scope and period, totals by section counting each person once, readers of one
organization's subtree, the .xlsx export and the API, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.audit.models import AuditEntry
from dangjian.content import services, statistics
from dangjian.content.models import Item, Section
from dangjian.content.services import ItemInput
from dangjian.testing.base import BaseTestCase


class StatisticsTestCase(BaseTestCase):
    """Four published items and a draft; readers from B11 and B12 (under C1) and B21 (C2).

    | item | owner | published    | reads (person x times)                     | views |
    | A    | B11   | 3 days ago   | member1 x2, committee_member x1            | 3     |
    | B    | U     | 10 days ago  | member1, secretary2, committee1 (B12)      | 3     |
    | C    | B21   | 2 days ago   | secretary2 x4                              | 4     |
    | D    | U     | 100 days ago | member1                                    | 1     |
    """

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        uni = cls.uni
        editor = uni.user("editor1")
        now = timezone.now()

        def publish(title: str, owner: Any, days_ago: int, **fields: Any) -> Item:
            targets = {} if owner.parent_id is None else {"target_all": False, "targets": [owner]}
            data = ItemInput(
                title=title, owner=owner, **{"section": Section.NEWS, **targets, **fields}
            )
            item = services.item_save(actor=editor, data=data)
            return services.item_publish(
                actor=editor, item=item, publish_at=now - dt.timedelta(days=days_ago)
            )

        cls.a = publish("甲：教工第一党支部新闻", uni.b11, 3)
        cls.b = publish("乙：学校通知", uni.root, 10, section=Section.NOTICE)
        cls.c = publish("丙：材料学院新闻", uni.b21, 2)
        cls.d = publish("丁：一百天前的新闻", uni.root, 100)
        services.item_save(
            actor=editor, data=ItemInput(section=Section.NEWS, title="草稿", owner=uni.root)
        )
        reads = [
            (cls.a, "member1", 2),
            (cls.a, "committee_member", 1),
            (cls.b, "member1", 1),
            (cls.b, "secretary2", 1),
            (cls.b, "committee1", 1),
            (cls.c, "secretary2", 4),
            (cls.d, "member1", 1),
        ]
        for item, persona, times in reads:
            for _ in range(times):
                services.record_read(user=uni.user(persona), item=item)

    def rows(self, overview: statistics.ReadingOverview) -> list[tuple[str, int, int, Any]]:
        return [
            (i.title[0], i.views, i.readers, getattr(i, "org_readers", None))
            for i in overview.items
        ]


class OverviewTests(StatisticsTestCase):
    def test_each_item_has_its_views_and_unique_readers_sorted_by_either(self):
        editor = self.uni.user("editor1")
        by_views = statistics.reading_overview(editor, days=30)
        self.assertEqual(
            self.rows(by_views), [("丙", 4, 1, None), ("乙", 3, 3, None), ("甲", 3, 2, None)]
        )
        by_readers = statistics.reading_overview(editor, days=30, sort="readers")
        self.assertEqual([r[0] for r in self.rows(by_readers)], ["乙", "甲", "丙"])
        year = statistics.reading_overview(editor, days=365)
        self.assertEqual([r[0] for r in self.rows(year)], ["丙", "乙", "甲", "丁"])
        week = statistics.reading_overview(editor, days=7)
        self.assertEqual([r[0] for r in self.rows(week)], ["丙", "甲"])

    def test_totals_by_section_count_each_person_once(self):
        overview = statistics.reading_overview(self.uni.user("editor1"), days=30)
        sections = {s.section: (s.items, s.views, s.readers) for s in overview.sections}
        # News: A and C, read by member1, committee_member and secretary2.
        self.assertEqual(sections, {"news": (2, 7, 3), "notice": (1, 3, 3)})
        total = overview.total
        # member1 read both sections: four people in all, not six.
        self.assertEqual((total.items, total.views, total.readers), (3, 10, 4))

    def test_readers_of_an_organization_are_those_of_its_subtree(self):
        editor = self.uni.user("editor1")
        c1 = statistics.reading_overview(editor, days=30, organization=self.uni.c1)
        self.assertEqual(self.rows(c1), [("丙", 4, 1, 0), ("乙", 3, 3, 2), ("甲", 3, 2, 2)])
        self.assertEqual({s.section: s.org_readers for s in c1.sections}, {"news": 2, "notice": 2})
        self.assertEqual(c1.total.org_readers, 3)  # member1, committee_member, committee1
        c2 = statistics.reading_overview(editor, days=30, organization=self.uni.c2)
        self.assertEqual([r[3] for r in self.rows(c2)], [1, 1, 0])
        self.assertEqual(c2.total.org_readers, 1)
        b12 = statistics.reading_overview(editor, days=30, organization=self.uni.b12)
        self.assertEqual(b12.total.org_readers, 1)  # committee1, who is a member of B12

    def test_an_organizer_sees_the_items_of_their_committee_only(self):
        organizer = self.uni.user("committee1")
        overview = statistics.reading_overview(organizer, days=30)
        self.assertEqual(self.rows(overview), [("甲", 3, 2, None)])
        self.assertEqual((overview.total.items, overview.total.readers), (1, 2))
        codes = set(statistics.statistics_orgs(organizer).values_list("code", flat=True))
        self.assertEqual(codes, {"C1", "B11", "B12", "G111"})

    def test_it_costs_the_same_queries_however_many_items(self):
        editor = self.uni.user("editor1")

        page = self.client_for("editor1")
        page.get("/content/statistics/?organization=C1")
        with CaptureQueriesContext(connection) as before:
            page.get("/content/statistics/?organization=C1")
        for n in range(5):
            item = services.item_save(
                actor=editor,
                data=ItemInput(section=Section.RESEARCH, title=f"研究{n}", owner=self.uni.root),
            )
            services.item_publish(actor=editor, item=item)
            services.record_read(user=self.uni.user("member1"), item=item)
        with CaptureQueriesContext(connection) as after:
            page.get("/content/statistics/?organization=C1")
        self.assertEqual(len(before), len(after))
        # The items with their readers in one query; the totals in three.
        perms_ready = statistics.statistics_orgs(editor).exists()
        self.assertTrue(perms_ready)
        with self.assertNumQueries(3):
            overview = statistics.reading_overview(editor, days=30, organization=self.uni.c1)
        with self.assertNumQueries(1):
            self.assertEqual(len(list(overview.items)), 8)


class PageTests(StatisticsTestCase):
    def test_the_page_shows_the_figures(self):
        page = self.client_for("editor1").get(
            "/content/statistics/", {"days": "30", "organization": "C1", "sort": "readers"}
        )
        self.assertEqual(page.status_code, 200)
        body = page.content.decode()
        self.assertLess(body.index("乙：学校通知"), body.index("甲：教工第一党支部新闻"))
        # The tile, the two tables' headers and each item of the phones' list.
        self.assertContains(page, "Readers in 信息学院党委", count=6)
        self.assertContains(page, f'href="/content/manage/{self.a.pk}/"')
        self.assertNotContains(page, "丁：一百天前的新闻")
        self.assertNotContains(page, "草稿")

    def test_an_organization_outside_scope_is_ignored(self):
        page = self.client_for("committee1").get("/content/statistics/", {"organization": "C2"})
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Readers in 材料学院党委")
        self.assertNotContains(page, "丙：材料学院新闻")
        self.assertContains(page, "甲：教工第一党支部新闻")

    def test_those_without_a_reviewing_scope_find_nothing(self):
        for persona in ("secretary1", "member1", "outsider", "auditor"):
            with self.subTest(persona=persona):
                client = self.client_for(persona)
                self.assertEqual(client.get("/content/statistics/").status_code, 404)
                self.assertEqual(client.get("/content/statistics/export/").status_code, 404)

    def test_an_empty_period_says_what_would_appear(self):
        Item.objects.all().delete()
        page = self.client_for("editor1").get("/content/statistics/")
        self.assertContains(page, "No item was published in this period.")


class ExportTests(StatisticsTestCase):
    def workbook(self, persona: str, **params: Any) -> list[tuple[Any, ...]]:
        response = self.client_for(persona).get("/content/statistics/export/", params)
        self.assertEqual(response.status_code, 200)
        self.assertIn(".xlsx", response["Content-Disposition"])
        data = b"".join(response.streaming_content)
        sheet = load_workbook(io.BytesIO(data), read_only=True).active
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]

    def test_the_export_has_the_tables_rows_in_its_order(self):
        rows = self.workbook("editor1", days=30, organization="C1")
        self.assertEqual(
            rows[0],
            (
                "Title",
                "Section",
                "Column",
                "Publishing organization",
                "Publication time",
                "Views",
                "Unique readers",
                "Readers in 信息学院党委",
            ),
        )
        self.assertEqual(
            [(r[0], r[1], r[3], r[5], r[6], r[7]) for r in rows[1:]],
            [
                ("丙：材料学院新闻", "News", "教工党支部", 4, 1, 0),
                ("乙：学校通知", "Notices and announcements", "中共测试大学委员会", 3, 3, 2),
                ("甲：教工第一党支部新闻", "News", "教工第一党支部", 3, 2, 2),
            ],
        )
        published = rows[1][4]
        self.assertIsInstance(published, dt.datetime)
        self.assertEqual(published.date(), timezone.localtime(self.c.publish_at).date())
        [entry] = AuditEntry.objects.filter(action="content.statistics.exported")
        self.assertEqual(entry.detail, {"days": 30, "organization": "C1"})

    def test_an_organizer_exports_their_scope_only(self):
        rows = self.workbook("committee1", sort="readers")
        self.assertEqual(len(rows[0]), 7)
        self.assertEqual([r[0] for r in rows[1:]], ["甲：教工第一党支部新闻"])


class ApiTests(StatisticsTestCase):
    def test_it_answers_the_same_figures(self):
        response = self.api("editor1").get(
            "/api/v1/content/statistics", {"days": 30, "organization": "C1"}
        )
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["totals"], {"items": 3, "views": 10, "readers": 4, "org_readers": 3})
        self.assertEqual(
            [(r["id"], r["views"], r["readers"], r["org_readers"]) for r in data["results"]],
            [(self.c.pk, 4, 1, 0), (self.b.pk, 3, 3, 2), (self.a.pk, 3, 2, 2)],
        )
        self.assertEqual(
            data["sections"],
            [
                {"section": "news", "items": 2, "views": 7, "readers": 3, "org_readers": 2},
                {"section": "notice", "items": 1, "views": 3, "readers": 3, "org_readers": 2},
            ],
        )
        self.assertEqual(data["count"], 3)

    def test_it_refuses_bad_filters_by_name(self):
        client = self.api("committee1")
        outside = client.get("/api/v1/content/statistics", {"organization": "C2"})
        self.assertEqual(outside.status_code, 422)
        self.assertIn("organization", outside.json()["fields"])
        self.assertEqual(client.get("/api/v1/content/statistics", {"days": 12}).status_code, 422)
        self.assertEqual(client.get("/api/v1/content/statistics", {"sort": "x"}).status_code, 422)
        mine = client.get("/api/v1/content/statistics", {"sort": "readers"}).json()
        self.assertEqual([r["id"] for r in mine["results"]], [self.a.pk])
        self.assertIsNone(mine["totals"]["org_readers"])
        self.assertEqual(self.api("member1").get("/api/v1/content/statistics").status_code, 404)
