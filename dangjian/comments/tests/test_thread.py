"""The thread as each viewer sees it, and the template tag that renders it in the item page."""

from __future__ import annotations

from django.template import RequestContext, Template
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from dangjian.comments import selectors, services
from dangjian.comments.models import Comment
from dangjian.comments.tests.base import REVIEW_WORD, CommentsTestCase
from dangjian.comments.tests.factories import published_item
from dangjian.content.services import ItemInput, item_publish, item_save
from dangjian.orgs import permissions as perms

TAG = Template("{% load comments %}{% comment_thread item %}")


def university_item(uni, title="学校党委召开理论学习中心组学习会"):
    """An item of the whole university: every persona reads it; orgdept and editor1 moderate."""
    data = ItemInput(section="news", title=title, owner=uni.root, comments_enabled=True)
    item = item_save(actor=uni.user("editor1"), data=data)
    return item_publish(actor=uni.user("editor1"), item=item)


class ThreadTestCase(CommentsTestCase):
    def render(self, persona: str, item=None, path: str | None = None) -> str:
        item = item or self.item
        request = RequestFactory().get(path or f"/content/{item.pk}/")
        request.user = self.user(persona)
        request.htmx = HtmxDetails(request)
        return TAG.render(RequestContext(request, {"item": item}))

    def test_it_reads_the_thread_in_two_queries_with_the_viewers_likes(self):
        tops = [self.post("member1", f"评论{n}") for n in range(3)]
        for top in tops:
            self.post("secretary1", "回复", parent=top)
        services.comment_like(actor=self.user("committee_member"), comment=tops[1])
        viewer = self.user("committee_member")
        perms.grants(viewer)  # the request has its grants already
        with self.assertNumQueries(2):
            thread = selectors.thread(self.item, viewer, readable=True, moderator=False)
        self.assertEqual(thread.count, 3)
        self.assertEqual([e.text for e in thread.entries], ["评论2", "评论1", "评论0"])
        self.assertEqual([len(e.replies) for e in thread.entries], [1, 1, 1])
        self.assertEqual([e.liked for e in thread.entries], [False, True, False])

    def test_it_shows_twenty_top_comments_at_a_time(self):
        for n in range(23):
            Comment.objects.create(item=self.item, author=self.user("member1"), text=f"第{n}条")
        thread = selectors.thread(self.item, self.user("secretary1"))
        self.assertEqual((len(thread.entries), thread.count, thread.has_more), (20, 23, True))
        more = selectors.thread(self.item, self.user("secretary1"), limit=40)
        self.assertEqual((len(more.entries), more.has_more), (23, False))

    def test_a_deleted_or_hidden_top_comment_with_replies_stays_as_a_placeholder(self):
        answered = self.post("member1", "有人回复的评论")
        self.post("secretary1", "回复", parent=answered)
        alone = self.post("member1", "没人回复的评论")
        services.comment_delete(actor=self.user("member1"), comment=answered)
        services.comment_delete(actor=self.user("member1"), comment=alone)
        [entry] = selectors.thread(self.item, self.user("committee_member")).entries
        self.assertEqual((entry.placeholder, entry.text), ("deleted", ""))
        self.assertEqual([r.text for r in entry.replies], ["回复"])

        hidden = self.post("committee_member", "将被隐藏的评论")
        self.post("secretary1", "回复它", parent=hidden)
        services.comment_hide(actor=self.user("orgdept"), comment=hidden, reason="不文明")
        entries = selectors.thread(self.item, self.user("secretary1")).entries
        self.assertEqual([e.placeholder for e in entries], ["hidden", "deleted"])
        own = selectors.thread(self.item, self.user("committee_member")).entries[0]
        self.assertEqual((own.placeholder, own.text), ("", "将被隐藏的评论"))

    def test_the_tag_renders_the_thread_with_the_viewers_controls(self):
        mine = self.post("member1", "我的评论")
        theirs = self.post("secretary1", "书记的评论")
        html = self.render("member1")
        self.assertIn('id="comments"', html)
        self.assertIn(f'action="/comments/items/{self.item.pk}/post/"', html)
        self.assertIn(f'hx-post="/comments/{mine.pk}/edit/"', html)
        self.assertIn(f'hx-post="/comments/{mine.pk}/delete/"', html)
        self.assertNotIn(f"/comments/{mine.pk}/report/", html)
        self.assertIn(f'hx-post="/comments/{theirs.pk}/report/"', html)
        self.assertNotIn(f"/comments/{theirs.pk}/edit/", html)
        self.assertNotIn("/hide/", html)
        self.assertIn("comments/comments.css", html)
        self.assertIn(f'name="next" value="/content/{self.item.pk}/"', html)

    def test_the_tag_renders_nothing_for_those_who_do_not_read_the_item(self):
        self.post("member1", "B11 的评论")
        for persona in ("secretary2", "outsider", "orgdept"):
            with self.subTest(persona=persona):
                self.assertEqual(self.render(persona).strip(), "")

    def test_moderators_reading_the_item_get_hide_and_unhide(self):
        item = university_item(self.uni)
        shown = self.post("member1", "全校新闻下的评论", item=item)
        hidden = self.post("secretary2", "将被隐藏", item=item)
        services.comment_hide(actor=self.user("editor1"), comment=hidden, reason="离题")
        html = self.render("orgdept", item=item)
        self.assertIn(f'hx-post="/comments/{shown.pk}/hide/"', html)
        self.assertIn(f'hx-post="/comments/{hidden.pk}/unhide/"', html)
        self.assertIn("离题", html)
        plain = self.render("committee1", item=item)  # reviews C1's content, not the university's
        self.assertNotIn("/hide/", plain)
        self.assertNotIn("将被隐藏", plain)

    def test_comments_closed(self):
        closed = published_item(self.uni, title="不开放评论", comments=False)
        self.assertEqual(self.render("member1", item=closed).strip(), "")
        Comment.objects.create(item=closed, author=self.user("secretary1"), text="关闭前的评论")
        html = self.render("member1", item=closed)
        self.assertIn("Comments are closed on this item.", html)
        self.assertIn("关闭前的评论", html)
        self.assertNotIn("/post/", html)
        self.assertNotIn("Reply", html)

    def test_the_author_sees_a_held_comment_marked_as_waiting(self):
        self.add_term(REVIEW_WORD, "political", "review")
        self.post("member1", f"待审{REVIEW_WORD}")
        html = self.render("member1")
        self.assertIn("Awaiting review", html)
        self.assertIn("Only you can see this comment", html)
        self.assertNotIn(REVIEW_WORD, self.render("secretary1"))

    def test_the_page_of_comments_follows_the_page_asked_for(self):
        for n in range(25):
            Comment.objects.create(item=self.item, author=self.user("member1"), text=f"第{n}条")
        first = self.render("secretary1")
        self.assertIn(f"/content/{self.item.pk}/?cpage=2#comments", first)
        self.assertNotIn("第0条", first)
        second = self.render("secretary1", path=f"/content/{self.item.pk}/?cpage=2")
        self.assertIn("第0条", second)
        self.assertNotIn("Show more comments", second)

    def test_relative_times(self):
        self.post("member1", "刚刚发的")
        self.assertIn("just now", self.render("secretary1"))
