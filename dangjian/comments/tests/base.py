from __future__ import annotations

from typing import Any

from dangjian.comments import services
from dangjian.comments.models import Comment
from dangjian.comments.tests.factories import published_item
from dangjian.moderation import dictionary
from dangjian.moderation.models import Category
from dangjian.moderation.services import term_save
from dangjian.testing.base import BaseTestCase

CLEAN = "学习了，支部下周组织专题学习。"
# Invented words, added to the dictionary by the tests that need them.
REVIEW_WORD = "甲乙审核词"
MASK_WORD = "丙丁粗口词"
BLOCK_WORD = "戊己禁止词"


class CommentsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.item = published_item(cls.uni)

    def setUp(self) -> None:
        # Each test's dictionary is rolled back with it: the engine must not outlive the test.
        dictionary.forget()
        self.addCleanup(dictionary.forget)

    def user(self, persona: str) -> Any:
        return self.uni.user(persona)

    def add_term(self, text: str, category: str, action: str) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            term_save(
                actor=None, text=text, category=Category.objects.get(code=category), action=action
            )

    def post(
        self, persona: str = "member1", text: str = CLEAN, parent: Comment | None = None, item=None
    ) -> Comment:
        result = services.comment_post(
            actor=self.user(persona), item=item or self.item, text=text, parent=parent
        )
        return result.comment

    def fresh(self, comment: Comment) -> Comment:
        return Comment.objects.select_related("item__owner", "author").get(pk=comment.pk)
