"""A member's self-introduction (个人简介): the first text a user writes that others read.

Every text passes the moderation service (dangjian.lib.screening) before anyone else sees it:
clean text is published, text with words to hide is published masked, text to review waits in
`statement_held` while the published one stays as it was, and refused text is not stored.
`StatementSource` lets the moderation service publish what a reviewer approved, and re-scan
published texts when the dictionary changes.

Every change the moderation service asks for names the text it expects (compare and set), so a
decision or a re-scan never overwrites what the member wrote since; saving a new text closes
the older one still waiting for review (`screening.supersede`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.models import User
from dangjian.audit.services import log_action
from dangjian.lib import screening
from dangjian.members.models import STATEMENT_MAX_LENGTH, Member

SOURCE = "members.statement"
READ_CHUNK = 2000
HELD_AGAIN = gettext_lazy("This text is already waiting for review; it is shown once approved.")


@dataclass(frozen=True)
class StatementResult:
    """What became of a text the member saved."""

    action: str  # "pass", "mask", "review" or "cleared"
    message: str  # for the author: what became of the text
    member: Member

    @property
    def held(self) -> bool:
        return self.action == "review"


def clean_statement(text: str) -> str:
    """The text as stored: line breaks as \\n, no space around it, at most 500 characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > STATEMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "statement": _(
                    "The self-introduction can be at most %(max)d characters; this one has "
                    "%(length)d."
                )
                % {"max": STATEMENT_MAX_LENGTH, "length": len(text)}
            }
        )
    return text


def _message(action: str, outcome: screening.Outcome | None) -> str:
    if action == "cleared":
        return _("Your self-introduction has been removed.")
    if action == "mask":
        return _("Your self-introduction has been published; some words in it are shown as *.")
    if action == "review" and outcome is not None and outcome.message:
        return outcome.message
    return _("Your self-introduction has been published.")


def statement_update(*, member: Member, actor: User, text: str) -> StatementResult:
    """Save the self-introduction the member wrote, as the moderation service decides.

    The text is screened before the transaction opens, so a refused text is recorded for the
    monitoring counts even though nothing is stored (dangjian.lib.screening).
    """
    text = clean_statement(text)
    if text and text == member.statement_held:
        return StatementResult(action="review", message=str(HELD_AGAIN), member=member)
    if text and text == member.statement and not member.statement_held:
        return StatementResult(action="pass", message=_message("pass", None), member=member)
    outcome: screening.Outcome | None = None
    if text:
        outcome = screening.screen(
            text,
            source=SOURCE,
            author=actor,
            org_path=member.org_path,
            object_id=str(member.pk),
        )
        if outcome.refused:
            raise ValidationError({"statement": outcome.message})
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        before = {"statement": locked.statement, "statement_held": locked.statement_held}
        if outcome is None:
            action = "cleared"
            locked.statement = locked.statement_held = ""
        elif outcome.held:
            action = outcome.action
            locked.statement_held = text
        else:
            # A newer published text replaces any older one still waiting for review.
            action = outcome.action
            locked.statement, locked.statement_held = outcome.text, ""
        after = {"statement": locked.statement, "statement_held": locked.statement_held}
        changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
        if changes:
            # What waited for review before is not what the member wants shown any more.
            screening.supersede(
                SOURCE, str(locked.pk), keep=outcome.screening_id if outcome else None
            )
            locked.save(update_fields=["statement", "statement_held", "updated_at"])
            log_action(
                actor,
                "members.statement.changed",
                target=locked,
                org_code=locked.audit_org_code(),
                changes=changes,
                detail={
                    "moderation": action,
                    "screening": outcome.screening_id if outcome else None,
                },
            )
    member.statement, member.statement_held = locked.statement, locked.statement_held
    return StatementResult(action=action, message=_message(action, outcome), member=member)


class StatementSource:
    """The self-introductions, as the moderation service reads and decides on them."""

    code = SOURCE
    label = gettext_lazy("Self-introduction")

    def _published(self) -> QuerySet[Member]:
        return Member.objects.exclude(statement="").order_by()

    def published(self) -> Iterator[screening.StoredText]:
        rows = (
            self._published()
            .values_list("pk", "statement", "user_id", "org_path")
            .iterator(chunk_size=READ_CHUNK)
        )
        for pk, text, user_id, org_path in rows:
            yield screening.StoredText(str(pk), text, user_id, org_path)

    def count(self) -> int:
        return self._published().count()

    def publish(self, object_id: str, text: str, *, replaces: str, actor: Any) -> bool:
        """Show `text` in place of `replaces`: the held text a reviewer approved, or the
        published text a re-scan masks. Nothing changes if the member has written since."""

        def apply(member: Member) -> bool:
            if member.statement_held == replaces:
                member.statement, member.statement_held = text, ""
                return True
            if member.statement == replaces:
                member.statement = text
                return True
            return False

        return self._change(object_id, "members.statement.published", actor, apply)

    def withdraw(self, object_id: str, text: str, *, actor: Any) -> bool:
        """Hide `text` if it is still published, until a reviewer approves it (a re-scan
        flagged it). The member sees it as waiting for review unless another text waits."""

        def apply(member: Member) -> bool:
            if member.statement != text:
                return False
            member.statement = ""
            if not member.statement_held:
                member.statement_held = text
            return True

        return self._change(object_id, "members.statement.withdrawn", actor, apply)

    def discard(self, object_id: str, text: str, *, actor: Any) -> bool:
        """A reviewer rejected `text`: drop it if it is the one still waiting."""

        def apply(member: Member) -> bool:
            if member.statement_held != text:
                return False
            member.statement_held = ""
            return True

        return self._change(object_id, "members.statement.discarded", actor, apply)

    def link(self, object_id: str) -> str:
        return reverse("members:member-detail", args=[int(object_id)])

    def _change(
        self, object_id: str, action: str, actor: Any, apply: Callable[[Member], bool]
    ) -> bool:
        with transaction.atomic():
            member = Member.objects.select_for_update().filter(pk=int(object_id)).first()
            if member is None:
                return False
            before = {"statement": member.statement, "statement_held": member.statement_held}
            if not apply(member):
                return False
            after = {"statement": member.statement, "statement_held": member.statement_held}
            changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
            if changes:
                member.save(update_fields=["statement", "statement_held", "updated_at"])
                log_action(
                    actor,
                    action,
                    target=member,
                    org_code=member.audit_org_code(),
                    changes=changes,
                    username="" if actor else "moderation",
                )
            return True
