"""A member's article sent to the editors (投稿), its pictures and its history.

The author's words are kept as written (`text`, plain paragraphs) beside the HTML the
editors read and publish (`body`, sanitized); the moderation service screens the title, the
text and the note together before any editor sees them (see services.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.content.models import TITLE_MAX_LENGTH, Section
from dangjian.orgs.models import Organization

TEXT_MAX_LENGTH = 20_000
NOTE_MAX_LENGTH = 500
COMMENT_MAX_LENGTH = 1000
MAX_PICTURES = 9


class Wish(models.TextChoices):
    """The sections a member may send an article to (a subset of the content sections)."""

    NEWS = Section.NEWS.value, _("News")
    SHOWCASE = Section.SHOWCASE.value, _("Member showcase")
    RESEARCH = Section.RESEARCH.value, _("Party-building research")


class Contribution(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Not accepted")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Moderation(models.TextChoices):
        CLEAR = "clear", _("Cleared")
        HELD = "held", _("Awaiting moderation")
        REFUSED = "refused", _("Not approved by moderation")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    # The member's name and branch when they sent it: the credit under the article.
    author_name = models.CharField(_("author's name"), max_length=50)
    author_org = models.ForeignKey(
        Organization,
        verbose_name=_("author's organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author_path = models.CharField(max_length=255)
    # Whose desk it is on: the author's secondary committee, or the university.
    target = models.ForeignKey(
        Organization,
        verbose_name=_("addressed to"),
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    target_path = models.CharField(max_length=255)
    section = models.CharField(_("section wished"), max_length=16, choices=Wish.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("text"))  # plain paragraphs, as the author wrote them
    body = models.TextField(_("body"))  # the same as sanitized HTML (dangjian.lib.richtext)
    note = models.CharField(_("note to the editors"), max_length=NOTE_MAX_LENGTH, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.SUBMITTED
    )
    moderation = models.CharField(
        _("moderation"), max_length=8, choices=Moderation.choices, default=Moderation.CLEAR
    )
    # The editor's last word to the author: what to change, or why it was not accepted.
    comment = models.CharField(_("editor's comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    item = models.ForeignKey(
        "content.Item",
        verbose_name=_("published as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revision = models.PositiveSmallIntegerField(_("times sent"), default=1)
    submitted_at = models.DateTimeField(_("sent at"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        indexes = [
            models.Index(fields=["author", "-submitted_at"], name="contribution_mine"),
            # The desk: a subtree of targets, cleared by moderation, by state.
            models.Index(
                fields=["target_path", "state", "submitted_at"],
                name="contribution_desk",
                condition=Q(moderation="clear"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def screened_text(self) -> str:
        """What the moderation service reads: title, text and note, one after the other."""
        return compose(self.title, self.text, self.note)

    @property
    def is_held(self) -> bool:
        return self.moderation == self.Moderation.HELD

    @property
    def editable(self) -> bool:
        """The author may change it: it came back from the editors or from moderation."""
        return self.state == self.State.RETURNED or (
            self.state == self.State.SUBMITTED and self.moderation == self.Moderation.REFUSED
        )

    @property
    def withdrawable(self) -> bool:
        return self.state in (self.State.SUBMITTED, self.State.RETURNED)

    @property
    def decidable(self) -> bool:
        """An editor may accept, return or reject it now."""
        return self.state == self.State.SUBMITTED and self.moderation == self.Moderation.CLEAR


def compose(title: str, text: str, note: str) -> str:
    return "\n".join((title, text, note))


def split(screened: str, *, like: Contribution) -> tuple[str, str, str]:
    """The title, text and note of a screened text (masking keeps every length), cut where
    the parts of `like` end."""
    a = len(like.title)
    b = a + 1 + len(like.text)
    if len(screened) == len(like.screened_text):
        return screened[:a], screened[a + 1 : b], screened[b + 1 :]
    title, _newline, rest = screened.partition("\n")
    return title, rest, ""


class Picture(models.Model):
    """A picture sent with a contribution, in the author's order."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="pictures"
    )
    upload = models.ForeignKey("content.Upload", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["upload"], name="contribution_picture_once"),
        ]

    def __str__(self) -> str:
        return f"{self.contribution_id}: {self.upload_id}"


class Event(models.Model):
    """One step in a contribution's history: what the author follows on its page."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Sent to the editors")
        HELD = "held", _("Waiting for moderation")
        CLEARED = "cleared", _("Cleared by moderation")
        REFUSED = "refused", _("Not approved by moderation")
        EDITED = "edited", _("Changed by the author")
        RESUBMITTED = "resubmitted", _("Sent again")
        RETURNED = "returned", _("Returned for changes")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Not accepted")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn by the author")

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.contribution_id}: {self.kind}"
