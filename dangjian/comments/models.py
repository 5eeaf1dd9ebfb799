"""Comments and replies (跟帖) on content items.

A thread has one level of nesting on screen: a reply to a reply still hangs under the top
comment (`parent`), and names the comment it answers (`reply_to`). What others read is `text`
(as the moderation service let it through, possibly masked); a newer text waiting for a
moderator's review is `held_text`, seen only by its author until it is approved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEXT_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 200


class Comment(models.Model):
    class State(models.TextChoices):
        VISIBLE = "visible", _("Shown")
        HELD = "held", _("Awaiting review")
        HIDDEN = "hidden", _("Hidden by a moderator")
        DELETED = "deleted", _("Deleted")

    item = models.ForeignKey(
        "content.Item",
        verbose_name=_("content item"),
        on_delete=models.CASCADE,
        related_name="comments",
        db_index=False,  # the thread index below starts with the item
    )
    # The top comment of the thread; null for a top comment.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thread"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    # The comment this one answers (the top comment, or a reply under it).
    reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_index=False,  # the rate-limit index below starts with the author
    )
    text = models.TextField(_("text"), blank=True)
    held_text = models.TextField(_("text awaiting review"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.VISIBLE
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_reason = models.CharField(
        _("reason for hiding"), max_length=REASON_MAX_LENGTH, blank=True
    )
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            # A thread: the item's top comments newest first, and the replies under them.
            models.Index(fields=["item", "parent", "-created_at"], name="comments_thread"),
            # The rate limit: what the author wrote in the last minute.
            models.Index(fields=["author", "created_at"], name="comments_author"),
            models.Index(
                fields=["-hidden_at"], name="comments_hidden", condition=Q(state="hidden")
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None


class CommentLike(models.Model):
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="likes", db_index=False
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="comments_like_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.comment_id}"


class CommentReport(models.Model):
    """A reader's report of an abusive comment; open until a moderator hides the comment or
    keeps it."""

    class Resolution(models.TextChoices):
        HIDDEN = "hidden", _("Comment hidden")
        DISMISSED = "dismissed", _("Comment kept")

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports", db_index=False
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.CharField(
        _("outcome"), max_length=10, choices=Resolution.choices, blank=True
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="comments_report_once")
        ]
        indexes = [
            models.Index(
                fields=["comment"], name="comments_report_open", condition=Q(resolved_at=None)
            )
        ]

    def __str__(self) -> str:
        return self.reason
