"""The comment actions from the thread (htmx and plain form posts) and the moderators' pages."""

from __future__ import annotations

from html.parser import HTMLParser

from django.test import override_settings

from dangjian.audit.models import AuditEntry
from dangjian.comments import services
from dangjian.comments.models import Comment, CommentLike, CommentReport
from dangjian.comments.tests.base import CLEAN, REVIEW_WORD, CommentsTestCase
from dangjian.lib import screening

HX = {"HX-Request": "true"}
State = Comment.State


class PagesTestCase(CommentsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.thread_url = f"/comments/items/{self.item.pk}/"
        self.post_url = f"/comments/items/{self.item.pk}/post/"
        self.item_url = f"/content/{self.item.pk}/"


class ThreadFragmentTestCase(PagesTestCase):
    def test_readers_get_the_fragment_and_others_404(self):
        self.post("member1", "支部内部的讨论")
        response = self.client_for("member1").get(self.thread_url, headers=HX)
        self.assertContains(response, "支部内部的讨论")
        self.assertContains(response, 'id="comments"')
        for persona in ("secretary2", "outsider", "orgdept", "editor1"):
            with self.subTest(persona=persona):
                response = self.client_for(persona).get(self.thread_url, headers=HX)
                self.assertEqual(response.status_code, 404)
                self.assertNotContains(response, "支部内部的讨论", status_code=404)
        self.assertEqual(self.client.get(self.thread_url).status_code, 302)

    def test_it_shows_more_comments(self):
        for n in range(21):
            Comment.objects.create(item=self.item, author=self.user("member1"), text=f"第{n}条")
        response = self.client_for("member1").get(f"{self.thread_url}?cpage=2", headers=HX)
        self.assertContains(response, "第0条")


class PostPageTestCase(PagesTestCase):
    def test_a_plain_post_comes_back_to_the_item_page(self):
        client = self.client_for("member1")
        response = client.post(self.post_url, {"text": CLEAN, "next": self.item_url})
        comment = Comment.objects.get()
        self.assertRedirects(
            response, f"{self.item_url}#c{comment.pk}", fetch_redirect_response=False
        )
        self.assertEqual((comment.text, comment.author), (CLEAN, self.user("member1")))
        self.assertTrue(AuditEntry.objects.filter(action="comments.comment.posted").exists())

    def test_it_never_returns_to_another_site(self):
        for bad in ("https://evil.example/", "//evil.example/", "/\\evil", "javascript:alert(1)"):
            with self.subTest(next=bad):
                response = self.client_for("member1").post(
                    self.post_url, {"text": f"{CLEAN}{bad}", "next": bad}
                )
                self.assertTrue(response["Location"].startswith(f"{self.item_url}#c"))

    def test_an_htmx_post_answers_with_the_thread(self):
        response = self.client_for("member1").post(
            self.post_url, {"text": "用 htmx 发的评论", "next": self.item_url}, headers=HX
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "用 htmx 发的评论")
        self.assertContains(response, "Your comment has been posted.")
        self.assertContains(response, f'name="next" value="{self.item_url}"')

    def test_a_refused_comment_keeps_its_text_beside_the_problem(self):
        client = self.client_for("member1")
        long = "长" * 1001
        response = client.post(self.post_url, {"text": long, "next": self.item_url})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "at most 1000 characters", status_code=422)
        self.assertContains(response, long, status_code=422)
        response = client.post(self.post_url, {"text": long}, headers=HX)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "at most 1000 characters")
        self.assertContains(response, 'aria-invalid="true"')
        self.assertFalse(Comment.objects.exists())

    def test_a_reply_that_fails_opens_its_own_form_again(self):
        top = self.post("secretary1")
        response = self.client_for("member1").post(
            self.post_url, {"text": " ", "parent": top.pk}, headers=HX
        )
        self.assertContains(response, f'id="reply-{top.pk}-error"')

    def test_a_reply_from_the_thread(self):
        top = self.post("secretary1")
        response = self.client_for("member1").post(
            self.post_url, {"text": "回复书记", "parent": top.pk, "next": self.item_url}, headers=HX
        )
        self.assertContains(response, "回复书记")
        self.assertEqual(Comment.objects.get(text="回复书记").parent, top)

    def test_members_of_other_branches_cannot_post(self):
        for persona in ("secretary2", "outsider", "orgdept"):
            with self.subTest(persona=persona):
                response = self.client_for(persona).post(self.post_url, {"text": CLEAN})
                self.assertEqual(response.status_code, 404)
        self.assertFalse(Comment.objects.exists())

    @override_settings(COMMENTS_PER_MINUTE=1)
    def test_the_rate_limit_is_said_plainly(self):
        client = self.client_for("member1")
        client.post(self.post_url, {"text": "第一条"}, headers=HX)
        response = client.post(self.post_url, {"text": "第二条"}, headers=HX)
        self.assertContains(response, "You are commenting too quickly: at most 1 comments a minute")
        self.assertContains(response, "第二条")  # kept in the form


class EditDeletePagesTestCase(PagesTestCase):
    def test_the_author_edits_from_the_thread_or_a_page(self):
        comment = self.post("member1")
        client = self.client_for("member1")
        page = client.get(f"/comments/{comment.pk}/edit/")
        self.assertContains(page, CLEAN)
        response = client.post(
            f"/comments/{comment.pk}/edit/",
            {"text": "改过的评论", "next": self.item_url},
            headers=HX,
        )
        self.assertContains(response, "改过的评论")
        self.assertContains(response, "edited")
        response = client.post(f"/comments/{comment.pk}/edit/", {"text": ""})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(self.fresh(comment).text, "改过的评论")

    def test_others_may_not_edit_or_delete(self):
        comment = self.post("member1")
        for persona, status in (("secretary1", 403), ("orgdept", 403), ("secretary2", 404)):
            with self.subTest(persona=persona):
                client = self.client_for(persona)
                self.assertEqual(client.get(f"/comments/{comment.pk}/edit/").status_code, status)
                response = client.post(f"/comments/{comment.pk}/delete/")
                self.assertEqual(response.status_code, status)
        self.assertEqual(self.fresh(comment).state, State.VISIBLE)

    def test_deleting_a_comment_with_replies_leaves_a_placeholder(self):
        top = self.post("member1", "原评论内容")
        self.post("secretary1", "对原评论的回复", parent=top)
        response = self.client_for("member1").post(
            f"/comments/{top.pk}/delete/", {"next": self.item_url}, headers=HX
        )
        self.assertContains(response, "Your comment has been deleted.")
        self.assertContains(response, "This comment has been deleted.")
        self.assertContains(response, "对原评论的回复")
        self.assertNotContains(response, "原评论内容")


class LikeReportPagesTestCase(PagesTestCase):
    def test_liking_swaps_the_button_and_is_idempotent(self):
        comment = self.post("secretary1")
        client = self.client_for("member1")
        for _ in range(2):
            response = client.post(f"/comments/{comment.pk}/like/", {"like": "1"}, headers=HX)
        self.assertContains(response, 'aria-pressed="true"')
        self.assertContains(response, '<span class="num">1</span>')
        self.assertEqual(CommentLike.objects.count(), 1)
        response = client.post(f"/comments/{comment.pk}/like/", {"like": "0"})
        self.assertRedirects(
            response, f"{self.item_url}#c{comment.pk}", fetch_redirect_response=False
        )
        self.assertEqual(self.fresh(comment).like_count, 0)

    def test_a_reader_reports_a_comment(self):
        comment = self.post("secretary1")
        client = self.client_for("member1")
        response = client.post(
            f"/comments/{comment.pk}/report/", {"reason": "人身攻击"}, headers=HX
        )
        self.assertContains(response, "a moderator will look at it")
        self.assertContains(response, "Reported")
        self.assertEqual(CommentReport.objects.get().reporter, self.user("member1"))
        response = client.post(f"/comments/{comment.pk}/report/", {"reason": ""})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(CommentReport.objects.count(), 1)

    def test_a_report_without_a_reason_is_refused_beside_its_form(self):
        comment = self.post("secretary1")
        response = self.client_for("member1").post(
            f"/comments/{comment.pk}/report/", {"reason": " "}, headers=HX
        )
        self.assertContains(response, f'id="report-{comment.pk}-error"')
        self.assertFalse(CommentReport.objects.exists())


class ModeratorPagesTestCase(PagesTestCase):
    def test_a_moderator_hides_and_shows_again(self):
        comment = self.post("member1", "需要处理的评论")
        services.comment_report(actor=self.user("secretary1"), comment=comment, reason="广告")
        client = self.client_for("committee1")
        page = client.get("/comments/reported/")
        self.assertContains(page, "需要处理的评论")
        self.assertContains(page, "广告")
        response = client.post(
            f"/comments/{comment.pk}/hide/", {"reason": "含广告", "next": "/comments/reported/"}
        )
        self.assertRedirects(
            response, f"/comments/reported/#c{comment.pk}", fetch_redirect_response=False
        )
        self.assertEqual(self.fresh(comment).state, State.HIDDEN)
        page = client.get("/comments/reported/")
        self.assertNotContains(page, "需要处理的评论")
        hidden = client.get("/comments/reported/?tab=hidden")
        self.assertContains(hidden, "需要处理的评论")
        self.assertContains(hidden, "含广告")
        client.post(f"/comments/{comment.pk}/unhide/", {"next": "/comments/reported/?tab=hidden"})
        self.assertEqual(self.fresh(comment).state, State.VISIBLE)

    def test_hiding_needs_a_reason(self):
        comment = self.post("member1")
        response = self.client_for("orgdept").post(f"/comments/{comment.pk}/hide/", {})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.fresh(comment).state, State.VISIBLE)

    def test_others_get_403_or_404(self):
        comment = self.post("member1")
        for persona, status in (
            ("secretary1", 403),
            ("committee_member", 403),
            ("member1", 403),
            ("secretary2", 404),
            ("outsider", 404),
        ):
            with self.subTest(persona=persona):
                client = self.client_for(persona)
                response = client.post(f"/comments/{comment.pk}/hide/", {"reason": "x"})
                self.assertEqual(response.status_code, status)
        self.assertEqual(self.fresh(comment).state, State.VISIBLE)
        for persona in ("secretary1", "member1", "secretary2"):
            with self.subTest(persona=persona):
                self.assertEqual(
                    self.client_for(persona).get("/comments/reported/").status_code, 404
                )

    def test_a_moderator_keeps_a_reported_comment(self):
        comment = self.post("member1")
        services.comment_report(actor=self.user("secretary1"), comment=comment, reason="广告")
        self.client_for("editor1").post(f"/comments/{comment.pk}/dismiss/")
        self.assertEqual(CommentReport.objects.get().resolution, "dismissed")

    def test_the_comment_page(self):
        comment = self.post("member1", "被举报的评论")
        services.comment_report(actor=self.user("secretary1"), comment=comment, reason="离题")
        page = self.client_for("committee1").get(f"/comments/{comment.pk}/")
        self.assertContains(page, "被举报的评论")
        self.assertContains(page, "离题")
        self.assertContains(page, f'action="/comments/{comment.pk}/hide/"')
        reader = self.client_for("member1").get(f"/comments/{comment.pk}/")
        self.assertRedirects(
            reader, f"{self.item_url}#c{comment.pk}", fetch_redirect_response=False
        )
        self.assertEqual(
            self.client_for("secretary2").get(f"/comments/{comment.pk}/").status_code, 404
        )

    def test_the_review_queue_links_a_held_comment_to_its_page(self):
        self.add_term(REVIEW_WORD, "political", "review")
        comment = self.post("member1", f"看法{REVIEW_WORD}")
        link = screening.source(services.SOURCE).link(str(comment.pk))
        self.assertEqual(link, f"/comments/{comment.pk}/")
        page = self.client_for("committee1").get(link)
        self.assertContains(page, "Waiting in the review queue.")
        self.assertNotContains(page, f'action="/comments/{comment.pk}/hide/"')
        self.assertEqual(self.client_for("secretary1").get(link).status_code, 404)

    def test_the_empty_lists_say_what_would_appear(self):
        client = self.client_for("orgdept")
        self.assertContains(client.get("/comments/reported/"), "No reported comments")
        self.assertContains(client.get("/comments/reported/?tab=hidden"), "No hidden comments")


class _Tags(HTMLParser):
    """Every tag and attribute in a page, and the text of each comment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.texts: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append((tag, name, value or ""))
        if self._depth and tag == "br":
            self.texts[-1] += "\n"
        if tag == "div" and ("class", "dj-comment-text") in attrs:
            self._depth = 1
            self.texts.append("")
        elif self._depth and tag == "div":
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "div":
            self._depth -= 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.texts[-1] += data


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '"><script>alert(document.cookie)</script>',
    '<a href="javascript:alert(1)">点我</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "'';!--\"<XSS>=&{()}",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "{{ request.user.password }}{% debug %}",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "javascript:alert(1)//\n<b onmouseover=alert(1)>第二行</b>",
]


@override_settings(COMMENTS_PER_MINUTE=100)
class XssTestCase(PagesTestCase):
    def test_comment_text_is_shown_as_text(self):
        client = self.client_for("member1")
        for payload in XSS:
            client.post(self.post_url, {"text": payload, "next": self.item_url})
        self.assertEqual(Comment.objects.filter(state=State.VISIBLE).count(), len(XSS))
        top = Comment.objects.order_by("pk").first()
        assert top is not None
        for payload in XSS[:3]:  # replies render through the same template
            services.comment_post(
                actor=self.user("secretary1"), item=self.item, text=payload, parent=top
            )
        pages = [
            client.get(f"{self.thread_url}?cpage=2", headers=HX).content.decode(),
            self.client_for("committee1").get(f"/comments/{top.pk}/").content.decode(),
            self.client_for("secretary1").get(f"/comments/{top.pk}/edit/").content.decode(),
        ]
        services.comment_report(actor=self.user("secretary1"), comment=top, reason=XSS[1])
        pages.append(self.client_for("committee1").get("/comments/reported/").content.decode())
        for page in pages:
            parsed = _Tags()
            parsed.feed(page)
            # The base page's own scripts load from static files; nothing else is a script.
            scripts = [v for t, n, v in parsed.attributes if t == "script" and n == "src"]
            self.assertEqual(parsed.tags.count("script"), len(scripts))
            self.assertTrue(all(src.startswith("/static/") for src in scripts), scripts)
            self.assertNotIn("iframe", parsed.tags)
            self.assertNotIn("svg", parsed.tags)
            for tag, name, value in parsed.attributes:
                self.assertFalse(name.startswith("on"), f"<{tag} {name}={value}>")
                self.assertNotIn("javascript:", value.lower(), f"<{tag} {name}={value}>")
        thread = _Tags()
        thread.feed(pages[0])
        for payload in XSS:
            self.assertIn(payload, thread.texts)
