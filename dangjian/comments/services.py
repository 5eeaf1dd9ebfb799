"""Every write to comments: post, edit, delete, hide and unhide, like, report.

Every text passes the moderation service (dangjian.lib.screening) before the transaction that
stores it opens, so a refused text is recorded for the monitoring counts although nothing is
stored. Clean text is shown, text with words to hide is shown masked, text to review waits
in `held_text` (its author sees it marked as waiting; no one else sees it), and refused text
is not stored. The moderation service publishes or discards held text through
`dangjian.comments.source.CommentSource`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.models import User
from dangjian.audit.services import created, log_action
from dangjian.comments import selectors
from dangjian.comments.models import REASON_MAX_LENGTH, TEXT_MAX_LENGTH, Comment, CommentLike
from dangjian.comments.models import CommentReport as Report
from dangjian.content.models import Item
from dangjian.lib import richtext, screening
from dangjian.notifications.services import notify

SOURCE = "comments.comment"
State = Comment.State
HELD_AGAIN = gettext_lazy("This text is already waiting for review; it is shown once approved.")


def edit_minutes() -> int:
    """How long after posting its author may still change a comment."""
    return int(getattr(settings, "COMMENTS_EDIT_MINUTES", 30))


def per_minute() -> int:
    """How many comments one person may post in a minute."""
    return int(getattr(settings, "COMMENTS_PER_MINUTE", 5))


@dataclass(frozen=True)
class PostResult:
    """What became of a text the author sent."""

    comment: Comment
    action: str  # "pass", "mask" or "review"
    message: str  # for the author

    @property
    def held(self) -> bool:
        return self.action == "review"


def clean_text(text: str) -> str:
    """The text as stored: plain, line breaks kept (one blank line at most), trimmed."""
    text = richtext.plain(text or "", multiline=True)
    if not text:
        raise ValidationError({"text": _("Write something before sending the comment.")})
    if len(text) > TEXT_MAX_LENGTH:
        message = _("A comment can be at most %(max)d characters; this one has %(length)d.")
        raise ValidationError({"text": message % {"max": TEXT_MAX_LENGTH, "length": len(text)}})
    return text


def _clean_reason(reason: str, message: str) -> str:
    reason = richtext.plain(reason or "")
    if not reason:
        raise ValidationError({"reason": message})
    if len(reason) > REASON_MAX_LENGTH:
        too_long = _("A reason can be at most %(max)d characters; this one has %(length)d.")
        raise ValidationError(
            {"reason": too_long % {"max": REASON_MAX_LENGTH, "length": len(reason)}}
        )
    return reason


def _message(action: str, outcome: screening.Outcome) -> str:
    if action == "review":
        return outcome.message or _("Your comment will be shown after a moderator reviews it.")
    if action == "mask":
        return _("Your comment has been posted; some words in it are shown as *.")
    return _("Your comment has been posted.")


def _edit_message(action: str, outcome: screening.Outcome) -> str:
    if action == "review":
        return outcome.message or _("Your change will be shown after a moderator reviews it.")
    if action == "mask":
        return _("Your comment has been changed; some words in it are shown as *.")
    return _("Your comment has been changed.")


def link(comment: Comment) -> str:
    return reverse("comments:comment-detail", args=[comment.pk])


def _excerpt(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _check_rate(actor: User, now: dt.datetime) -> None:
    limit = per_minute()
    recent = Comment.objects.filter(author=actor, created_at__gt=now - dt.timedelta(minutes=1))
    if recent.count() >= limit:
        message = _(
            "You are commenting too quickly: at most %(n)d comments a minute. Wait a moment and "
            "try again."
        )
        raise ValidationError({"text": message % {"n": limit}})


def _org_code(item: Item) -> str:
    return item.owner.code


def comment_post(
    *, actor: User, item: Item, text: str, parent: Comment | None = None
) -> PostResult:
    """Post a comment on an item the author may read, or a reply under a shown comment.

    A reply to a reply hangs under the same top comment and names the one it answers.
    """
    if not selectors.readable(actor, item.pk):
        raise PermissionDenied
    if not item.comments_enabled:
        raise ValidationError({"text": _("Comments are closed on this item.")})
    text = clean_text(text)
    top_id: int | None = None
    if parent is not None:
        if parent.item_id != item.pk or parent.state != State.VISIBLE:
            message = _("The comment you are replying to is no longer shown; reload the page.")
            raise ValidationError({"parent": message})
        top_id = parent.parent_id or parent.pk
    _check_rate(actor, timezone.now())
    outcome = screening.screen(text, source=SOURCE, author=actor, org_path=item.owner_path)
    if outcome.refused:
        raise ValidationError({"text": outcome.message})
    with transaction.atomic():
        # One comment at a time per author, so the rate limit holds under concurrent posts.
        User.objects.select_for_update().filter(pk=actor.pk).values_list("pk").first()
        now = timezone.now()
        _check_rate(actor, now)
        comment = Comment(
            item=item, parent_id=top_id, reply_to=parent, author=actor, created_at=now
        )
        if outcome.held:
            comment.state, comment.held_text = State.HELD, text
        else:
            comment.state, comment.text = State.VISIBLE, outcome.text
        comment.save()
        screening.attach(outcome, str(comment.pk))
        log_action(
            actor,
            "comments.comment.posted",
            target=comment,
            target_label=item.title,
            org_code=_org_code(item),
            changes=created(
                {
                    "text": comment.text,
                    "held_text": comment.held_text,
                    "state": comment.state,
                    "parent": top_id,
                    "reply_to": parent.pk if parent is not None else None,
                }
            ),
            detail={
                "item": item.pk,
                "moderation": outcome.action,
                "screening": outcome.screening_id,
            },
        )
        if parent is not None and comment.state == State.VISIBLE:
            _tell_replied(comment, parent, actor)
    return PostResult(comment, outcome.action, _message(outcome.action, outcome))


def _tell_replied(comment: Comment, answered: Comment, actor: User) -> None:
    author = answered.author
    if author is None or author.pk == actor.pk or answered.state != State.VISIBLE:
        return
    notify(
        [author],
        kind="comments.replied",
        title=(_("%(name)s replied to your comment") % {"name": actor})[:200],
        body=_excerpt(comment.text, 200),
        link=link(comment),
        actor=actor,
    )


def may_edit(comment: Comment, user: Any, now: dt.datetime | None = None) -> bool:
    """Whether the user may still change the comment: its author, within the edit window."""
    now = now or timezone.now()
    return (
        comment.author_id == getattr(user, "pk", None)
        and comment.state in (State.VISIBLE, State.HELD)
        and now <= comment.created_at + dt.timedelta(minutes=edit_minutes())
    )


def _check_editable(actor: User, comment: Comment) -> None:
    if comment.author_id != actor.pk:
        raise PermissionDenied
    if comment.state == State.HIDDEN:
        raise ValidationError({"text": _("A comment hidden by a moderator cannot be changed.")})
    if comment.state == State.DELETED:
        raise ValidationError({"text": _("This comment has been deleted.")})
    if not may_edit(comment, actor):
        message = _("A comment can be changed only within %(n)d minutes of posting.")
        raise ValidationError({"text": message % {"n": edit_minutes()}})


def comment_edit(*, actor: User, comment: Comment, text: str) -> PostResult:
    """The author changes their comment within the edit window; the new text is screened."""
    _check_editable(actor, comment)
    item = comment.item
    if not selectors.readable(actor, item.pk):
        raise PermissionDenied
    if not item.comments_enabled:
        raise ValidationError({"text": _("Comments are closed on this item.")})
    text = clean_text(text)
    unchanged = screening.Outcome("pass", text, "")
    if text == comment.held_text:
        return PostResult(comment, "review", str(HELD_AGAIN))
    if text == comment.text and not comment.held_text:
        return PostResult(comment, "pass", _edit_message("pass", unchanged))
    outcome = screening.screen(
        text, source=SOURCE, author=actor, org_path=item.owner_path, object_id=str(comment.pk)
    )
    if outcome.refused:
        raise ValidationError({"text": outcome.message})
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        _check_editable(actor, locked)
        before = _snapshot(locked)
        if outcome.held:
            locked.held_text = text
        else:
            # A newer shown text replaces any older one still waiting for review.
            locked.text, locked.held_text = outcome.text, ""
            if locked.state == State.HELD:
                locked.state = State.VISIBLE
        locked.edited_at = timezone.now()
        # What waited for review before is not what the author wants shown any more.
        screening.supersede(SOURCE, str(locked.pk), keep=outcome.screening_id)
        locked.save(update_fields=["text", "held_text", "state", "edited_at"])
        log_action(
            actor,
            "comments.comment.edited",
            target=locked,
            target_label=item.title,
            org_code=_org_code(item),
            changes=_changes(before, _snapshot(locked)),
            detail={
                "item": item.pk,
                "moderation": outcome.action,
                "screening": outcome.screening_id,
            },
        )
    _copy(locked, comment)
    return PostResult(comment, outcome.action, _edit_message(outcome.action, outcome))


def _snapshot(comment: Comment) -> dict[str, Any]:
    return {
        "text": comment.text,
        "held_text": comment.held_text,
        "state": comment.state,
        "hidden_reason": comment.hidden_reason,
    }


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before[k], v] for k, v in after.items() if before[k] != v}


def _copy(source: Comment, target: Comment) -> None:
    for name in (
        "text",
        "held_text",
        "state",
        "edited_at",
        "deleted_at",
        "hidden_by_id",
        "hidden_reason",
        "hidden_at",
        "like_count",
    ):
        setattr(target, name, getattr(source, name))


def comment_delete(*, actor: User, comment: Comment) -> Comment:
    """The author deletes their comment. It stays on record; a thread that has replies shows
    it as deleted, without its text."""
    if comment.author_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("item__owner")
            .get(pk=comment.pk)
        )
        if locked.state == State.DELETED:
            _copy(locked, comment)
            return comment
        before = _snapshot(locked)
        locked.state, locked.held_text, locked.deleted_at = State.DELETED, "", timezone.now()
        screening.supersede(SOURCE, str(locked.pk))
        locked.save(update_fields=["state", "held_text", "deleted_at"])
        log_action(
            actor,
            "comments.comment.deleted",
            target=locked,
            target_label=locked.item.title,
            org_code=_org_code(locked.item),
            changes=_changes(before, _snapshot(locked)),
            detail={"item": locked.item_id},
        )
    _copy(locked, comment)
    return comment


def _check_moderator(actor: User, comment: Comment) -> None:
    if not selectors.may_moderate(actor, comment.item):
        raise PermissionDenied


def comment_hide(*, actor: User, comment: Comment, reason: str) -> Comment:
    """A moderator hides a shown comment, saying why; its author is told, and the open reports
    on it are closed."""
    _check_moderator(actor, comment)
    reason = _clean_reason(reason, _("Say why the comment is hidden; its author sees the reason."))
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("item__owner", "author")
            .get(pk=comment.pk)
        )
        if locked.state == State.HIDDEN:
            raise ValidationError({"reason": _("This comment is already hidden.")})
        if locked.state == State.HELD:
            message = _("This comment is waiting for review; decide on it in the review queue.")
            raise ValidationError({"reason": message})
        if locked.state == State.DELETED:
            raise ValidationError({"reason": _("Its author has deleted this comment.")})
        before = _snapshot(locked)
        now = timezone.now()
        locked.state, locked.hidden_by, locked.hidden_reason, locked.hidden_at = (
            State.HIDDEN,
            actor,
            reason,
            now,
        )
        locked.save(update_fields=["state", "hidden_by", "hidden_reason", "hidden_at"])
        closed = _close_reports(locked, actor, Report.Resolution.HIDDEN, now)
        log_action(
            actor,
            "comments.comment.hidden",
            target=locked,
            target_label=locked.item.title,
            org_code=_org_code(locked.item),
            changes=_changes(before, _snapshot(locked)),
            detail={"item": locked.item_id, "reports_closed": closed},
        )
        if locked.author is not None and locked.author_id != actor.pk:
            notify(
                [locked.author],
                kind="comments.hidden",
                title=_("Your comment was hidden by a moderator"),
                body=_("Your comment: %(text)s\nReason: %(reason)s")
                % {"text": _excerpt(locked.text), "reason": reason},
                link=link(locked),
                actor=actor,
            )
    _copy(locked, comment)
    return comment


def comment_unhide(*, actor: User, comment: Comment) -> Comment:
    """A moderator shows a hidden comment again; its author is told."""
    _check_moderator(actor, comment)
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("item__owner", "author")
            .get(pk=comment.pk)
        )
        if locked.state != State.HIDDEN:
            raise ValidationError({"comment": _("This comment is not hidden.")})
        before = _snapshot(locked)
        locked.state = State.VISIBLE
        locked.hidden_by, locked.hidden_reason, locked.hidden_at = None, "", None
        locked.save(update_fields=["state", "hidden_by", "hidden_reason", "hidden_at"])
        log_action(
            actor,
            "comments.comment.unhidden",
            target=locked,
            target_label=locked.item.title,
            org_code=_org_code(locked.item),
            changes=_changes(before, _snapshot(locked)),
            detail={"item": locked.item_id},
        )
        if locked.author is not None and locked.author_id != actor.pk:
            notify(
                [locked.author],
                kind="comments.restored",
                title=_("Your comment is shown again"),
                body=_excerpt(locked.text),
                link=link(locked),
                actor=actor,
            )
    _copy(locked, comment)
    return comment


def _close_reports(comment: Comment, actor: User, resolution: str, now: dt.datetime) -> int:
    return Report.objects.filter(comment=comment, resolved_at=None).update(
        resolved_at=now, resolved_by=actor, resolution=resolution
    )


def comment_reports_dismiss(*, actor: User, comment: Comment) -> int:
    """A moderator keeps a reported comment: its open reports are closed. How many."""
    _check_moderator(actor, comment)
    with transaction.atomic():
        closed = _close_reports(comment, actor, Report.Resolution.DISMISSED, timezone.now())
        if not closed:
            raise ValidationError({"comment": _("This comment has no open reports.")})
        log_action(
            actor,
            "comments.reports.dismissed",
            target=comment,
            target_label=comment.item.title,
            org_code=_org_code(comment.item),
            detail={"item": comment.item_id, "reports_closed": closed},
        )
    return closed


def _check_shown(comment: Comment, field: str, message: str) -> None:
    if comment.state != State.VISIBLE:
        raise ValidationError({field: message})


def comment_like(*, actor: User, comment: Comment) -> int:
    """Like a shown comment; liking it again changes nothing. The number of likes."""
    _check_shown(comment, "comment", _("Only a comment that is shown can be liked."))
    with transaction.atomic():
        if not CommentLike.objects.filter(comment=comment, user=actor).exists():
            try:
                with transaction.atomic():
                    CommentLike.objects.create(comment=comment, user=actor)
            except IntegrityError:  # the same like from two tabs at once
                pass
            else:
                Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
                log_action(
                    actor,
                    "comments.comment.liked",
                    target=comment,
                    target_label=comment.item.title,
                    org_code=_org_code(comment.item),
                    detail={"item": comment.item_id},
                )
        comment.like_count = Comment.objects.values_list("like_count", flat=True).get(pk=comment.pk)
    return comment.like_count


def comment_unlike(*, actor: User, comment: Comment) -> int:
    """Take a like back; taking it back again changes nothing. The number of likes."""
    with transaction.atomic():
        removed, _counts = CommentLike.objects.filter(comment=comment, user=actor).delete()
        if removed:
            Comment.objects.filter(pk=comment.pk, like_count__gt=0).update(
                like_count=F("like_count") - 1
            )
            log_action(
                actor,
                "comments.comment.unliked",
                target=comment,
                target_label=comment.item.title,
                org_code=_org_code(comment.item),
                detail={"item": comment.item_id},
            )
        comment.like_count = Comment.objects.values_list("like_count", flat=True).get(pk=comment.pk)
    return comment.like_count


def comment_report(*, actor: User, comment: Comment, reason: str) -> Report:
    """A reader reports an abusive comment, once; the moderators of the item see it in their
    list of reported comments (no message is sent per report)."""
    reason = _clean_reason(
        reason, _("Say what is wrong with the comment, so a moderator can judge it.")
    )
    if comment.author_id == actor.pk:
        message = _("You cannot report your own comment; you can change or delete it.")
        raise ValidationError({"reason": message})
    _check_shown(comment, "reason", _("Only a comment that is shown can be reported."))
    already = ValidationError(
        {"reason": _("You have already reported this comment; a moderator will look at it.")}
    )
    if Report.objects.filter(comment=comment, reporter=actor).exists():
        raise already
    try:
        with transaction.atomic():
            report = Report.objects.create(comment=comment, reporter=actor, reason=reason)
            log_action(
                actor,
                "comments.comment.reported",
                target=comment,
                target_label=comment.item.title,
                org_code=_org_code(comment.item),
                detail={"item": comment.item_id, "reason": reason},
            )
    except IntegrityError as exc:  # reported twice at the same moment
        raise already from exc
    return report
