"""Comments as the moderation service reads and decides on them (a dangjian.lib.screening
Source): it publishes what a reviewer approved, discards what a reviewer rejected, and
re-scans the comments others can read when the dictionary changes.

Every change names the text it expects to find and changes nothing if the author has written
another since (compare and set), so a decision never overwrites newer words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from dangjian.audit.services import log_action
from dangjian.comments.models import Comment
from dangjian.comments.services import SOURCE, link
from dangjian.lib import screening

READ_CHUNK = 2000
State = Comment.State


class CommentSource:
    code = SOURCE
    label = gettext_lazy("Comments")

    def _published(self) -> QuerySet[Comment]:
        return Comment.objects.filter(state=State.VISIBLE).exclude(text="").order_by()

    def published(self) -> Iterator[screening.StoredText]:
        rows = (
            self._published()
            .values_list("pk", "text", "author_id", "item__owner_path")
            .iterator(chunk_size=READ_CHUNK)
        )
        for pk, text, author_id, org_path in rows:
            yield screening.StoredText(str(pk), text, author_id, org_path)

    def count(self) -> int:
        return self._published().count()

    def publish(self, object_id: str, text: str, *, replaces: str, actor: Any) -> bool:
        """Show `text` in place of `replaces`: the held text a reviewer approved (a held comment
        is shown from now on), or the shown text a re-scan masks."""

        def apply(comment: Comment) -> bool:
            if comment.held_text and comment.held_text == replaces:
                comment.text, comment.held_text = text, ""
                if comment.state == State.HELD:
                    comment.state = State.VISIBLE
                return True
            if comment.text and comment.text == replaces:
                comment.text = text
                return True
            return False

        return self._change(object_id, "comments.comment.published", actor, apply)

    def withdraw(self, object_id: str, text: str, *, actor: Any) -> bool:
        """Hide `text` if it is still shown, until a reviewer approves it (a re-scan flagged
        it). Its author sees it as waiting for review unless a newer text waits."""

        def apply(comment: Comment) -> bool:
            if comment.state != State.VISIBLE or comment.text != text:
                return False
            comment.text, comment.state = "", State.HELD
            if not comment.held_text:
                comment.held_text = text
            return True

        return self._change(object_id, "comments.comment.withdrawn", actor, apply)

    def discard(self, object_id: str, text: str, *, actor: Any) -> bool:
        """A reviewer rejected `text`: drop it if it still waits. A comment that has nothing
        else to show is gone (as if deleted); a shown one keeps what it shows."""

        def apply(comment: Comment) -> bool:
            if not comment.held_text or comment.held_text != text:
                return False
            comment.held_text = ""
            if comment.state == State.HELD and not comment.text:
                comment.state, comment.deleted_at = State.DELETED, timezone.now()
            return True

        return self._change(object_id, "comments.comment.discarded", actor, apply)

    def link(self, object_id: str) -> str:
        comment = Comment(pk=int(object_id))
        return link(comment)

    def _change(
        self, object_id: str, action: str, actor: Any, apply: Callable[[Comment], bool]
    ) -> bool:
        if not object_id.isdigit():
            return False
        with transaction.atomic():
            comment = (
                Comment.objects.select_for_update(of=("self",))
                .select_related("item__owner")
                .filter(pk=int(object_id))
                .first()
            )
            if comment is None or comment.state == State.DELETED:
                return False
            before = {"text": comment.text, "held_text": comment.held_text, "state": comment.state}
            if not apply(comment):
                return False
            after = {"text": comment.text, "held_text": comment.held_text, "state": comment.state}
            changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
            if changes:
                comment.save(update_fields=["text", "held_text", "state", "deleted_at"])
                log_action(
                    actor,
                    action,
                    target=comment,
                    target_label=comment.item.title,
                    org_code=comment.item.owner.code,
                    changes=changes,
                    detail={"item": comment.item_id},
                    username="" if actor else "moderation",
                )
            return True
