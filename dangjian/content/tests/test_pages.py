"""The content pages as their users see them: feeds and search in the reader's scope, payloads
rendered inert, the writer's path through review, scheduling, the editor, uploads and media."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import tempfile
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from dangjian.content import services
from dangjian.content.models import Item, Read, Section, State, Upload
from dangjian.content.services import ItemInput
from dangjian.notifications.models import Delivery
from dangjian.testing.base import BaseTestCase

SHANGHAI = ZoneInfo("Asia/Shanghai")
XSS_TITLE = '<script>alert("t")</script>"><b>粗</b>'
XSS_BODY = (
    "<p>正文<script>alert(1)</script></p>"
    '<img src="x" onerror="alert(2)">'
    '<a href="javascript:alert(3)">链接</a>'
    '<a href="JaVaScRiPt&colon;alert(4)">链接</a>'
    '<svg onload="alert(5)"><circle r="1"></circle></svg>'
    '<iframe src="https://evil.example/"></iframe>'
    '<p style="background:url(javascript:alert(6))" onclick="alert(7)">样式</p>'
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(8)></style>"
    "</mglyph></table></mtext></math>"
    '<form action="/x"><button formaction="javascript:alert(9)">按钮</button></form>'
    '<details open ontoggle="alert(10)">细节</details>'
)


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 22, 29)).save(out, format="PNG")
    return out.getvalue()


class PagesTestCase(BaseTestCase):
    media_root: str

    @classmethod
    def setUpClass(cls) -> None:
        cls.media_root = tempfile.mkdtemp(prefix="content-pages-")
        cls._media = override_settings(MEDIA_ROOT=cls.media_root)
        cls._media.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls._media.disable()
        shutil.rmtree(cls.media_root, ignore_errors=True)

    def publish(self, *, by: str = "editor1", **fields: Any) -> Item:
        data: dict[str, Any] = {
            "section": Section.NEWS,
            "title": "学校党委召开党建工作会议",
            "owner": self.uni.root,
            "body": "<p>会议部署了下一阶段的工作。</p>",
        }
        data.update(fields)
        actor = self.uni.user(by)
        with self.captureOnCommitCallbacks(execute=True):
            item = services.item_save(actor=actor, data=ItemInput(**data))
            return services.item_publish(actor=actor, item=item)

    def form_data(self, **overrides: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "section": "news",
            "owner": str(self.uni.b11.pk),
            "category": "",
            "title": "教工第一党支部开展主题党日",
            "summary": "",
            "body": "<p>全体党员参加了<strong>主题党日</strong>。</p>",
            "byline": "",
            "tags": "主题党日，学习",
            "audience": "orgs",
            "targets": [str(self.uni.b11.pk)],
            "publish_at": "",
            "action": "save",
        }
        data.update(overrides)
        return data


class ReaderTests(PagesTestCase):
    def test_a_member_sees_their_branchs_items_and_never_another_branchs(self):
        mine = self.publish(title="教工第一党支部的新闻", target_all=False, targets=[self.uni.b11])
        other = self.publish(title="材料学院的新闻", target_all=False, targets=[self.uni.b21])
        client = self.client_for("member1")
        for url in ("/content/all/", "/content/news/", "/"):
            page = client.get(url)
            self.assertContains(page, "教工第一党支部的新闻")
            self.assertNotContains(page, "材料学院的新闻")
        self.assertEqual(client.get(f"/content/{mine.pk}/").status_code, 200)
        self.assertEqual(client.get(f"/content/{other.pk}/").status_code, 404)
        found = client.get("/content/search/", {"q": "新闻"})
        self.assertContains(found, f"/content/{mine.pk}/")
        self.assertNotContains(found, f"/content/{other.pk}/")
        self.assertNotContains(client.get("/content/search/", {"q": "材料学院"}), "材料学院的新闻")
        self.assertContains(
            self.client_for("secretary2").get(f"/content/{other.pk}/"), "材料学院的新闻"
        )

    def test_opening_an_item_counts_the_reader_and_ticks_the_read_receipt(self):
        notice = self.publish(section=Section.NOTICE, title="关于缴纳党费的通知")
        self.assertIsNotNone(Item.objects.get(pk=notice.pk).notification_id)
        client = self.client_for("member1")
        self.assertEqual(client.get(f"/content/{notice.pk}/").status_code, 200)
        client.get(f"/content/{notice.pk}/")
        read = Read.objects.get(item=notice, user=self.uni.user("member1"))
        self.assertEqual(read.count, 2)
        self.assertEqual(Item.objects.get(pk=notice.pk).views, 2)
        notice.refresh_from_db()
        assert notice.notification_id is not None
        delivery = Delivery.objects.get(
            notification_id=notice.notification_id,
            recipient=self.uni.user("member1"),
        )
        self.assertIsNotNone(delivery.read_at)

    def test_the_item_page_shows_its_facts(self):
        upload = services.upload_create(
            actor=self.uni.user("editor1"),
            file=SimpleUploadedFile("安排.pdf", b"%PDF-1.4 test" * 100),
            kind=Upload.Kind.FILE,
        )
        item = self.publish(
            section=Section.ACTIVITY,
            title="主题党日：参观党史馆",
            byline="宣传部 王编辑",
            location="校史馆二楼",
            starts_at=dt.datetime(2026, 7, 1, 9, 0, tzinfo=SHANGHAI),
            ends_at=dt.datetime(2026, 7, 1, 11, 30, tzinfo=SHANGHAI),
            tags=["主题党日", "党史"],
            attachments=[upload],
        )
        page = self.client_for("member1").get(f"/content/{item.pk}/")
        for text in ("宣传部 王编辑", "校史馆二楼", "2026-07-01 09:00", "2026-07-01 11:30"):
            self.assertContains(page, text)
        self.assertContains(page, "安排.pdf")
        self.assertContains(page, "1.3\xa0KB")
        self.assertContains(page, upload.url)
        self.assertContains(page, "?tag=%E4%B8%BB%E9%A2%98%E5%85%9A%E6%97%A5")
        self.assertContains(page, 'id="dj-new-content"')
        self.assertContains(page, "content/stream-banner.js")
        tagged = self.client_for("member1").get("/content/all/", {"tag": "党史"})
        self.assertContains(tagged, "主题党日：参观党史馆")
        self.assertNotContains(
            self.client_for("member1").get("/content/all/", {"tag": "别的"}), "参观党史馆"
        )

    def test_the_item_page_carries_its_comment_thread_when_comments_are_open(self):
        open_item = self.publish(title="欢迎评论", comments_enabled=True)
        closed = self.publish(title="不开评论")
        client = self.client_for("member1")
        self.assertContains(client.get(f"/content/{open_item.pk}/"), 'id="comments"')
        self.assertNotContains(client.get(f"/content/{closed.pk}/"), 'id="comments"')

    def test_research_shows_its_type_status_and_members(self):
        item = self.publish(
            section=Section.RESEARCH,
            title="高校党建研究课题",
            research_kind="project",
            research_status="ongoing",
            research_members="张三、李四",
        )
        page = self.client_for("member1").get(f"/content/{item.pk}/")
        self.assertContains(page, "Research project")
        self.assertContains(page, "Under way")
        self.assertContains(page, "张三、李四")

    def test_the_feed_loads_more_after_its_last_item_without_repeating(self):
        pinned = self.publish(title="置顶的通知 0")
        services.item_pin(actor=self.uni.user("editor1"), item=pinned, pinned=True)
        base = timezone.now() - dt.timedelta(days=1)
        for n in range(1, 13):
            item = self.publish(title=f"新闻第{n:02d}条")
            # Two share a publication time: the id breaks the tie.
            Item.objects.filter(pk=item.pk).update(publish_at=base + dt.timedelta(minutes=n // 2))
        client = self.client_for("member1")
        first = client.get("/content/news/")
        body = first.content.decode()
        self.assertLess(body.index("置顶的通知 0"), body.index("新闻第12条"))
        self.assertEqual(body.count('class="dj-feed-item"'), 10)
        self.assertContains(first, "Pinned")
        cursor = first.context["next_cursor"]
        self.assertTrue(cursor)
        more = client.get("/content/news/", {"after": cursor}, HTTP_HX_REQUEST="true")
        self.assertTemplateUsed(more, "content/_cards.html")
        self.assertTemplateNotUsed(more, "base.html")
        titles = [i.title for i in first.context["items"]] + [
            i.title for i in more.context["items"]
        ]
        self.assertEqual(len(titles), 13)
        self.assertEqual(len(set(titles)), 13)
        self.assertFalse(more.context["next_cursor"])
        self.assertContains(more, "That is everything.")
        # A broken cursor is the first page, not an error.
        self.assertEqual(client.get("/content/news/", {"after": "x.y"}).status_code, 200)

    def test_search_marks_the_words_found(self):
        self.publish(title="两学一做学习教育", body="<p>深入开展学习教育活动。</p>")
        page = self.client_for("member1").get("/content/search/", {"q": "学习"})
        self.assertContains(page, '<mark class="dj-hl">学习</mark>', count=2)
        self.assertContains(page, "1 in total")
        empty = self.client_for("member1").get("/content/search/", {"q": "不存在的词"})
        self.assertContains(empty, "Nothing found")

    def test_the_home_page_leads_with_notices_and_news_pinned_first(self):
        self.publish(section=Section.NOTICE, title="较早的通知")
        pinned = self.publish(section=Section.NOTICE, title="置顶的通知")
        Item.objects.filter(pk=pinned.pk).update(
            pinned=True, publish_at=timezone.now() - dt.timedelta(days=3)
        )
        self.publish(title="最新的新闻")
        home = self.client_for("member1").get("/")
        body = home.content.decode()
        self.assertLess(body.index("置顶的通知"), body.index("较早的通知"))
        self.assertContains(home, "最新的新闻")
        self.assertContains(home, 'href="/content/research/"')
        self.assertContains(home, 'href="/content/search/"')
        # Above the work tiles and the workbench of a secretary.
        secretary = self.client_for("secretary1").get("/").content.decode()
        self.assertLess(secretary.index("置顶的通知"), secretary.index("Workbench"))

    def test_an_empty_feed_says_what_will_appear(self):
        page = self.client_for("outsider").get("/content/showcase/")
        self.assertContains(page, "Nothing has been published here yet.")


class _Tags(HTMLParser):
    """Every element and attribute of a page, to check that nothing in it can run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


class XssTests(PagesTestCase):
    def assert_inert(self, content: bytes, *, typed: bool = True) -> None:
        text = content.decode()
        lowered = text.lower()
        self.assertNotIn("<script>", lowered)
        self.assertNotIn("onerror=", lowered)
        if typed:
            self.assertIn("&lt;script&gt;", text)  # the title is text, shown as typed
        parser = _Tags()
        parser.feed(text)
        for tag, attrs in parser.found:
            self.assertNotIn(tag, ("iframe", "svg", "math", "object", "embed", "style"))
            self.assertFalse(tag == "form" and dict(attrs).get("action") == "/x")
            if tag == "script":
                values = dict(attrs)
                self.assertTrue(
                    values.get("src") or values.get("type") == "application/json", attrs
                )
            for name, value in attrs:
                self.assertFalse(name.startswith("on"), (tag, name))
                self.assertNotIn("javascript:", (value or "").lower().replace(" ", ""), (tag, name))
                self.assertNotEqual(name, "formaction", tag)

    def test_payloads_in_title_and_body_render_inert_on_every_reading_page(self):
        item = self.publish(title=XSS_TITLE, body=XSS_BODY, summary="<script>alert(0)</script>")
        client = self.client_for("member1")
        for url in (f"/content/{item.pk}/", "/content/all/", "/content/news/", "/"):
            with self.subTest(url=url):
                self.assert_inert(client.get(url).content)
        found = client.get("/content/search/", {"q": "script"})
        self.assertContains(found, '&lt;<mark class="dj-hl">script</mark>&gt;')
        self.assert_inert(found.content, typed=False)
        self.assert_inert(self.client_for("editor1").get(f"/content/manage/{item.pk}/").content)

    def test_a_body_posted_through_the_editor_is_stored_sanitized(self):
        client = self.client_for("editor1")
        response = client.post(
            "/content/manage/new/",
            self.form_data(
                owner=str(self.uni.root.pk), audience="all", targets=[], body=XSS_BODY,
                title=XSS_TITLE, action="publish",
            ),
        )  # fmt: skip
        self.assertEqual(response.status_code, 302, response.content[:500])
        item = Item.objects.get(title__startswith="<script>")
        for marker in ("script", "onerror", "javascript", "iframe", "svg", "style", "onclick"):
            self.assertNotIn(marker, item.body.lower(), marker)
        self.assert_inert(self.client_for("member1").get(f"/content/{item.pk}/").content)

    def test_a_refused_form_shows_the_posted_body_sanitized(self):
        client = self.client_for("editor1")
        response = client.post("/content/manage/new/", self.form_data(title="", body=XSS_BODY))
        self.assertEqual(response.status_code, 422)
        text = response.content.decode().lower()
        for marker in ("<script>alert", "onerror", "javascript:", "<iframe", "<svg"):
            self.assertNotIn(marker, text, marker)
        self.assertIn("正文", text)


class WriterFlowTests(PagesTestCase):
    def test_a_secretary_submits_an_organizer_approves_and_the_member_reads_it(self):
        secretary = self.client_for("secretary1")
        response = secretary.post("/content/manage/new/", self.form_data(action="submit"))
        item = Item.objects.get(title="教工第一党支部开展主题党日")
        self.assertRedirects(response, f"/content/manage/{item.pk}/")
        self.assertEqual(item.state, State.PENDING)
        self.assertEqual(sorted(t.name for t in item.tags.all()), ["主题党日", "学习"])
        self.assertEqual([o.code for o in item.targets.all()], ["B11"])
        self.assertEqual(item.owner, self.uni.b11)
        manage = secretary.get(f"/content/manage/{item.pk}/")
        self.assertContains(manage, "Awaiting a second person")
        self.assertNotContains(manage, "Approve and publish")
        self.assertEqual(self.client_for("member1").get(f"/content/{item.pk}/").status_code, 404)
        # The writer cannot approve what they wrote.
        refused = secretary.post(f"/content/manage/{item.pk}/approve/")
        self.assertEqual(refused.status_code, 403)
        self.assertEqual(Item.objects.get(pk=item.pk).state, State.PENDING)

        # An editor who may publish reviews it like anyone else: approve, or return.
        as_editor = self.client_for("editor1").get(f"/content/manage/{item.pk}/")
        self.assertContains(as_editor, f'action="/content/manage/{item.pk}/approve/"')
        self.assertNotContains(as_editor, f'action="/content/manage/{item.pk}/publish/"')
        organizer = self.client_for("committee1")
        queue = organizer.get("/content/review/")
        self.assertContains(queue, "教工第一党支部开展主题党日")
        self.assertContains(organizer.get("/"), "Content awaiting review")
        page = organizer.get(f"/content/manage/{item.pk}/")
        self.assertContains(page, "Approve and publish")
        self.assertContains(page, "<strong>主题党日</strong>")
        with self.captureOnCommitCallbacks(execute=True):
            approved = organizer.post(f"/content/manage/{item.pk}/approve/")
        self.assertRedirects(approved, f"/content/manage/{item.pk}/")
        item.refresh_from_db()
        self.assertEqual(
            (item.state, item.reviewed_by), (State.PUBLISHED, self.uni.user("committee1"))
        )
        self.assertNotContains(organizer.get("/content/review/"), "教工第一党支部开展主题党日")

        member = self.client_for("member1")
        self.assertContains(member.get("/content/news/"), "教工第一党支部开展主题党日")
        self.assertContains(member.get(f"/content/{item.pk}/"), "<strong>主题党日</strong>")
        self.assertEqual(self.client_for("secretary2").get(f"/content/{item.pk}/").status_code, 404)

    def test_a_reviewer_returns_it_with_a_note_the_writer_reads(self):
        secretary = self.client_for("secretary1")
        secretary.post("/content/manage/new/", self.form_data(action="submit"))
        item = Item.objects.get(title="教工第一党支部开展主题党日")
        organizer = self.client_for("committee1")
        empty = organizer.post(f"/content/manage/{item.pk}/return/", {"note": " "})
        self.assertEqual(empty.status_code, 422)
        self.assertContains(empty, "Say what should change", status_code=422)
        organizer.post(f"/content/manage/{item.pk}/return/", {"note": "请补充活动照片"})
        item.refresh_from_db()
        self.assertEqual(item.state, State.RETURNED)
        page = secretary.get(f"/content/manage/{item.pk}/")
        self.assertContains(page, "请补充活动照片")
        self.assertContains(page, "Submit for review")
        edit = secretary.get(f"/content/manage/{item.pk}/edit/")
        self.assertContains(edit, "教工第一党支部开展主题党日")
        self.assertContains(edit, "主题党日, 学习")

    def test_the_services_refusals_appear_beside_their_fields(self):
        client = self.client_for("secretary1")
        whole = client.post("/content/manage/new/", self.form_data(audience="all", targets=[]))
        self.assertEqual(whole.status_code, 422)
        self.assertContains(
            whole, "Only the university&#x27;s own organization can publish", status_code=422
        )
        self.assertContains(whole, 'id="targets-error"', status_code=422)
        outside = client.post(
            "/content/manage/new/", self.form_data(targets=[str(self.uni.b21.pk)])
        )
        self.assertEqual(outside.status_code, 422)  # B21 is not among the choices
        self.assertFalse(Item.objects.exists())
        too_many = client.post(
            "/content/manage/new/", self.form_data(tags=",".join(f"标签{n}" for n in range(9)))
        )
        self.assertContains(too_many, "At most 8 tags.", status_code=422)

    def test_a_publisher_edits_pins_and_withdraws(self):
        item = self.publish(title="原标题")
        editor = self.client_for("editor1")
        edit = editor.get(f"/content/manage/{item.pk}/edit/")
        self.assertContains(edit, "Save changes")
        data = self.form_data(
            owner=str(self.uni.root.pk), audience="all", targets=[], title="新标题"
        )
        self.assertRedirects(
            editor.post(f"/content/manage/{item.pk}/edit/", data), f"/content/manage/{item.pk}/"
        )
        item.refresh_from_db()
        self.assertEqual((item.title, item.state), ("新标题", State.PUBLISHED))
        editor.post(f"/content/manage/{item.pk}/pin/")
        self.assertTrue(Item.objects.get(pk=item.pk).pinned)
        self.assertContains(editor.get(f"/content/manage/{item.pk}/"), "Unpin")
        editor.post(f"/content/manage/{item.pk}/unpin/")
        self.assertFalse(Item.objects.get(pk=item.pk).pinned)
        editor.post(f"/content/manage/{item.pk}/withdraw/")
        self.assertEqual(Item.objects.get(pk=item.pk).state, State.WITHDRAWN)
        self.assertEqual(self.client_for("member1").get(f"/content/{item.pk}/").status_code, 404)
        # A secretary may not pin, and may not open the university's items at all.
        self.assertEqual(
            self.client_for("secretary1").post(f"/content/manage/{item.pk}/pin/").status_code, 404
        )

    def test_a_refused_transition_says_why(self):
        item = self.publish()
        response = self.client_for("editor1").post(
            f"/content/manage/{item.pk}/submit/", follow=True
        )
        self.assertContains(response, "it cannot be submitted now")

    def test_the_writers_list_filters_and_counts(self):
        self.publish(title="已发布的新闻")
        self.client_for("secretary1").post("/content/manage/new/", self.form_data())
        editor = self.client_for("editor1")
        everything = editor.get("/content/manage/")
        self.assertContains(everything, "已发布的新闻")
        self.assertContains(everything, "教工第一党支部开展主题党日")
        self.assertContains(everything, "2 in total")
        drafts = editor.get("/content/manage/", {"state": "draft"})
        self.assertNotContains(drafts, "已发布的新闻")
        self.assertContains(drafts, "1 in total")
        # The secretary sees their branch's items, not the university's.
        mine = self.client_for("secretary1").get("/content/manage/")
        self.assertNotContains(mine, "已发布的新闻")
        self.assertEqual(self.client_for("member1").get("/content/manage/").status_code, 404)

    def test_the_manage_page_of_a_sent_notice_links_to_its_read_receipts(self):
        notice = self.publish(section=Section.NOTICE, title="关于开展学习的通知")
        notice.refresh_from_db()
        self.client_for("member1").get(f"/content/{notice.pk}/")
        page = self.client_for("editor1").get(f"/content/manage/{notice.pk}/")
        self.assertContains(page, f'href="/notifications/sent/{notice.notification_id}/"')
        self.assertContains(page, 'id="reading-stats"')
        self.assertContains(page, "教工第一党支部")  # the reader's organization
        receipts = self.client_for("editor1").get(f"/notifications/sent/{notice.notification_id}/")
        self.assertEqual(receipts.status_code, 200)
        # Another who manages the item answers for its notice too: receipts and reminders.
        other = self.client_for("orgdept").get(f"/content/manage/{notice.pk}/")
        self.assertContains(other, f'href="/notifications/sent/{notice.notification_id}/"')
        self.assertContains(other, 'id="receipts"')
        outsider = self.client_for("secretary2").get(
            f"/notifications/sent/{notice.notification_id}/"
        )
        self.assertEqual(outsider.status_code, 404)


class SchedulingTests(PagesTestCase):
    def test_a_scheduled_item_is_not_shown_until_its_time(self):
        editor = self.client_for("editor1")
        start = timezone.localtime().replace(second=0, microsecond=0)
        when = start + dt.timedelta(days=1)
        with time_machine.travel(start, tick=False):
            response = editor.post(
                "/content/manage/new/",
                self.form_data(
                    owner=str(self.uni.root.pk), audience="all", targets=[], action="publish",
                    section="notice", title="明天发布的通知",
                    publish_at=when.strftime("%Y-%m-%dT%H:%M"), send_notification="on",
                ),
            )  # fmt: skip
            item = Item.objects.get(title="明天发布的通知")
            self.assertRedirects(response, f"/content/manage/{item.pk}/")
            self.assertEqual((item.state, item.publish_at), (State.PUBLISHED, when))
            self.assertContains(editor.get(f"/content/manage/{item.pk}/"), "Scheduled")
            member = self.client_for("member1")
            self.assertEqual(member.get(f"/content/{item.pk}/").status_code, 404)
            self.assertNotContains(member.get("/content/notice/"), "明天发布的通知")
            self.assertNotContains(member.get("/"), "明天发布的通知")
        with time_machine.travel(when + dt.timedelta(minutes=1), tick=False):
            member = self.client_for("member1")
            self.assertEqual(member.get(f"/content/{item.pk}/").status_code, 200)
            self.assertContains(member.get("/content/notice/"), "明天发布的通知")
            self.assertContains(member.get("/"), "明天发布的通知")


class EditorPageTests(PagesTestCase):
    def test_the_editor_renders_quill_with_the_sanitizers_formats(self):
        page = self.client_for("editor1").get("/content/manage/new/?section=notice")
        self.assertContains(page, "vendor/quill/quill.js")
        self.assertContains(page, "vendor/quill/quill.snow.css")
        self.assertContains(page, "content/editor.js")
        self.assertContains(page, 'id="editor-area"')
        self.assertContains(page, 'id="editor-toolbar"')
        self.assertContains(page, 'name="body"')
        self.assertContains(page, 'class="ql-bold"')
        self.assertContains(page, 'data-upload-url="/content/upload/"')
        self.assertContains(page, 'id="editor-labels"')
        self.assertContains(page, '<option value="notice" selected>')
        # Notices go to the inboxes unless the writer says otherwise.
        self.assertContains(page, 'id="id_send_notification" checked')
        # Each column names its section, so the page offers only the chosen section's.
        self.assertContains(page, 'data-section="notice"')
        self.assertContains(page, 'data-section="news"')
        # No toolbar button for what the sanitizer drops (colours, alignment, code, video).
        for dropped in ("ql-color", "ql-align", "ql-code-block", "ql-video", "ql-font"):
            self.assertNotContains(page, dropped)

    def test_a_reviewer_who_may_not_write_for_the_owner_gets_403_on_edit(self):
        item = self.publish(title="全校新闻")
        # committee1 reviews and writes for C1 only: the university's item is out of scope.
        self.assertEqual(
            self.client_for("committee1").get(f"/content/manage/{item.pk}/edit/").status_code, 404
        )
        self.assertEqual(self.client_for("member1").get("/content/manage/new/").status_code, 404)


class UploadAndMediaTests(PagesTestCase):
    def test_a_picture_uploaded_from_the_editor_is_served_to_those_who_may_see_it(self):
        editor = self.client_for("editor1")
        response = editor.post(
            "/content/upload/",
            {"kind": "image", "file": SimpleUploadedFile("图.png", png_bytes(), "image/png")},
        )
        self.assertEqual(response.status_code, 201)
        answer = json.loads(response.content)
        self.assertTrue(answer["url"].startswith("/media/content/"))
        own = editor.get(answer["url"])
        self.assertEqual(own.status_code, 200)
        self.assertEqual(own["Content-Type"], "image/png")
        self.assertEqual(own["X-Content-Type-Options"], "nosniff")
        self.assertIn("private", own["Cache-Control"])
        self.assertTrue(b"".join(own.streaming_content).startswith(b"\x89PNG"))
        member = self.client_for("member1")
        self.assertEqual(member.get(answer["url"]).status_code, 404)  # not in any item yet
        self.assertEqual(self.client.get(answer["url"]).status_code, 302)  # sign in first
        body = f'<p>图片：</p><p><img src="{answer["url"]}"></p>'
        item = self.publish(body=body, target_all=False, targets=[self.uni.b11])
        self.assertContains(member.get(f"/content/{item.pk}/"), f'<img src="{answer["url"]}"')
        self.assertEqual(member.get(answer["url"]).status_code, 200)
        self.assertEqual(self.client_for("secretary2").get(answer["url"]).status_code, 404)
        self.assertEqual(member.get("/media/content/00/nothing.png").status_code, 404)

    def test_an_attachment_is_downloaded_under_its_own_name(self):
        upload = services.upload_create(
            actor=self.uni.user("editor1"),
            file=SimpleUploadedFile("学习安排.docx", b"PK\x03\x04 docx"),
            kind=Upload.Kind.FILE,
        )
        self.publish(attachments=[upload])
        response = self.client_for("member1").get(upload.url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertIn("filename*=utf-8''%E5%AD%A6%E4%B9%A0", response["Content-Disposition"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_a_refused_upload_says_why(self):
        editor = self.client_for("editor1")
        bad = editor.post(
            "/content/upload/",
            {"kind": "image", "file": SimpleUploadedFile("x.png", b"<svg onload=1>")},
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("x.png", json.loads(bad.content)["error"])
        missing = editor.post("/content/upload/", {"kind": "image"})
        self.assertEqual(json.loads(missing.content)["error"], "Choose a file to upload.")
        self.assertEqual(
            self.client_for("member1").post("/content/upload/", {"kind": "image"}).status_code,
            404,
        )

    def test_the_form_keeps_its_uploads_when_the_save_is_refused(self):
        client = self.client_for("editor1")
        data = self.form_data(owner=str(self.uni.root.pk), audience="all", targets=[], title="")
        data["cover_file"] = SimpleUploadedFile("封面.png", png_bytes((300, 200)), "image/png")
        data["attachment_files"] = [
            SimpleUploadedFile("一.pdf", b"%PDF-1.4 a"),
            SimpleUploadedFile("二.txt", b"text"),
        ]
        refused = client.post("/content/manage/new/", data)
        self.assertEqual(refused.status_code, 422)
        cover = Upload.objects.get(name="封面.png")
        self.assertContains(refused, f'name="cover" value="{cover.pk}"', status_code=422)
        for name in ("一.pdf", "二.txt"):
            upload = Upload.objects.get(name=name)
            self.assertContains(
                refused, f'value="{upload.pk}" id="att-{upload.pk}" checked', status_code=422
            )
        again = {
            **self.form_data(owner=str(self.uni.root.pk), audience="all", targets=[]),
            "cover": str(cover.pk),
            "attachments": [str(u.pk) for u in Upload.objects.filter(kind="file")],
        }
        self.assertEqual(client.post("/content/manage/new/", again).status_code, 302)
        item = Item.objects.get()
        self.assertEqual(item.cover, cover)
        self.assertEqual(item.uploads.filter(is_attachment=True).count(), 2)


class HighlightTests(PagesTestCase):
    def test_marks_keep_the_text_as_written(self):
        from dangjian.content.templatetags.content import highlight

        text = "关于开展“两学一做”学习（第2期）的通知，ＰＤＦ附后"
        self.assertEqual(
            str(highlight(text, "学习 pdf")),
            '关于开展“两学一做”<mark class="dj-hl">学习</mark>（第2期）的通知，'
            '<mark class="dj-hl">ＰＤＦ</mark>附后',
        )
        self.assertEqual(
            str(highlight("<b>学习</b>", "b")),
            '&lt;<mark class="dj-hl">b</mark>&gt;学习&lt;/<mark class="dj-hl">b</mark>&gt;',
        )
