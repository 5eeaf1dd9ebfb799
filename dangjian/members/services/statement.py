"""A member's self-introduction (个人简介): the first text a user writes that others read.

Every text passes the moderation service (dangjian.lib.screening) before anyone else sees it:
clean text is published, text with words to hide is published masked, text to review waits in
`statement_held` while the published one stays as it was, and refused text is not stored.
`StatementSource` lets the moderation service publish what a reviewer approved, and re-scan
published texts when the dictionary changes.

A decision reaches the source by the member's id alone (`publish` carries the approved text,
`withdraw` carries nothing), so a held text is told apart by comparing it with that text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

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

    def publish(self, object_id: str, text: str) -> None:
        """Show the text: approved by a reviewer, or masked by a re-scan.

        A newer text the member wrote since stays held for its own review.
        """
        self._change(object_id, "members.statement.published", publish=text)

    def withdraw(self, object_id: str) -> None:
        """Hide the published text until a reviewer approves it (a re-scan found it)."""
        self._change(object_id, "members.statement.withdrawn")

    def discard(self, object_id: str, text: str) -> None:
        """A reviewer rejected `text`: drop it if it is the one still waiting."""
        self._change(object_id, "members.statement.discarded", discard=text)

    def link(self, object_id: str) -> str:
        return reverse("members:member-detail", args=[int(object_id)])

    def _change(
        self,
        object_id: str,
        action: str,
        *,
        publish: str | None = None,
        discard: str | None = None,
    ) -> None:
        with transaction.atomic():
            member = Member.objects.select_for_update().filter(pk=int(object_id)).first()
            if member is None:
                return
            before = {"statement": member.statement, "statement_held": member.statement_held}
            if publish is not None:
                member.statement = publish
                if member.statement_held == publish:
                    member.statement_held = ""
            elif discard is not None:
                if member.statement_held == discard:
                    member.statement_held = ""
            elif member.statement:
                member.statement, member.statement_held = "", member.statement
            after = {"statement": member.statement, "statement_held": member.statement_held}
            changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
            if not changes:
                return
            member.save(update_fields=["statement", "statement_held", "updated_at"])
            # The reviewer's decision or the re-scan is audited by the moderation service.
            log_action(
                None,
                action,
                target=member,
                org_code=member.audit_org_code(),
                changes=changes,
            )
