from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from dangjian.comments import demo
from dangjian.comments.models import Comment, CommentLike, CommentReport
from dangjian.comments.tests.base import CommentsTestCase
from dangjian.comments.tests.factories import published_item
from dangjian.comments.tests.test_thread import university_item
from dangjian.content.models import Item
from dangjian.lib.demo import DemoContext, steps


class DemoTestCase(CommentsTestCase):
    def context(self, seed: int = 7) -> DemoContext:
        self.logged: list[str] = []
        return DemoContext(timezone.localdate(), random.Random(seed), self.logged.append)

    def test_it_is_a_registered_step(self):
        self.assertIn("comments", [name for name, _step in steps()])

    def test_it_does_nothing_without_items_that_take_comments(self):
        Item.objects.update(comments_enabled=False)
        demo.seed(self.context())
        self.assertFalse(Comment.objects.exists())
        self.assertIn("nothing written", self.logged[0])

    def test_it_writes_a_spread_of_comments_through_the_services(self):
        Item.objects.filter(pk=self.item.pk).update(
            publish_at=timezone.now() - dt.timedelta(days=5)
        )
        for n in range(6):
            item = university_item(self.uni, title=f"学校新闻{n}")
            Item.objects.filter(pk=item.pk).update(
                publish_at=timezone.now() - dt.timedelta(days=n + 1)
            )
        published_item(self.uni, title="不开放评论", comments=False)
        demo.seed(self.context())
        comments = Comment.objects.all()
        self.assertGreater(comments.count(), 15)
        self.assertTrue(comments.filter(parent__isnull=False).exists())
        self.assertTrue(CommentLike.objects.exists())
        self.assertFalse(comments.filter(item__comments_enabled=False).exists())
        self.assertTrue(comments.filter(state=Comment.State.DELETED).exists())
        # Dated after the item went out and before now, replies after what they answer.
        for comment in comments.select_related("item", "parent"):
            assert comment.item.publish_at is not None
            self.assertLessEqual(comment.item.publish_at, comment.created_at)
            self.assertLessEqual(comment.created_at, timezone.now())
            if comment.parent is not None:
                self.assertLessEqual(comment.parent.created_at, comment.created_at)
        self.assertEqual(
            comments.filter(state=Comment.State.HIDDEN).count(),
            CommentReport.objects.filter(resolution="hidden").values("comment").distinct().count(),
        )
        self.assertIn("comments:", self.logged[-1])
