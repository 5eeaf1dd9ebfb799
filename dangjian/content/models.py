"""The propaganda platform's content: news, notices, activities, showcase, the affairs guide,
committee information and research, each an `Item` in one table with its section.

An item belongs to the organization that publishes it (`owner`: the scope of who may edit it)
and is shown to the organizations it targets, each with its subtree, or to the whole
university. It is visible once published and its publication time has come; a notice also
goes to each targeted member's inbox then (`notification`), which gives its read receipts.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.orgs.models import Organization

TITLE_MAX_LENGTH = 120
SUMMARY_MAX_LENGTH = 300


class Section(models.TextChoices):
    NEWS = "news", _("News")
    NOTICE = "notice", _("Notices and announcements")
    ACTIVITY = "activity", _("Party activities")
    SHOWCASE = "showcase", _("Member showcase")
    GUIDE = "guide", _("Affairs guide")
    COMMITTEE = "committee", _("Committee information")
    RESEARCH = "research", _("Party-building research")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting review")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ResearchKind(models.TextChoices):
    TOPIC = "topic", _("Research topic")
    PROJECT = "project", _("Research project")
    PAPER = "paper", _("Paper")
    REPORT = "report", pgettext_lazy("research", "Report")


class ResearchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ONGOING = "ongoing", _("Under way")
    CONCLUDED = "concluded", _("Concluded")


class Category(models.Model):
    """A column within a section (for example 学院动态 under news)."""

    section = models.CharField(_("section"), max_length=16, choices=Section.choices)
    name = models.CharField(pgettext_lazy("content", "name"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("column")
        verbose_name_plural = _("columns")
        ordering = ["section", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["section", "name"], name="content_category_once")
        ]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(pgettext_lazy("content", "name"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    section = models.CharField(_("section"), max_length=16, choices=Section.choices)
    category = models.ForeignKey(
        Category,
        verbose_name=_("column"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="items")
    title = models.CharField(pgettext_lazy("content", "title"), max_length=TITLE_MAX_LENGTH)
    summary = models.CharField(_("summary"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    body = models.TextField(_("body"), blank=True)  # sanitized HTML (dangjian.lib.richtext)
    # Title, summary and body as plain text, folded for search (see search.py).
    search_text = models.TextField(blank=True, default="")
    cover = models.ForeignKey(
        "content.Upload",
        verbose_name=_("cover picture"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("publishing organization"),
        on_delete=models.PROTECT,
        related_name="content_items",
    )
    owner_path = models.CharField(max_length=255)
    byline = models.CharField(_("author credit"), max_length=60, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # Everyone in the university, or the organizations in `targets` with their subtrees.
    target_all = models.BooleanField(_("whole university"), default=True)
    targets: models.ManyToManyField[Organization, Target] = models.ManyToManyField(
        Organization,
        through="Target",
        verbose_name=_("shown to"),
        blank=True,
        related_name="+",
    )
    publish_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    comments_enabled = models.BooleanField(_("comments open"), default=False)
    send_notification = models.BooleanField(_("send to members' inboxes"), default=False)
    # The inbox message sent when the item went out; its deliveries are the read receipts.
    notification = models.ForeignKey(
        "notifications.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    announced_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Who wrote the version under review: the second person is neither of them, nor the author.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    # Activities: when and where.
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=100, blank=True)
    # The affairs guide: the procedure this page explains ("development.application"), so
    # the procedure's own pages link here.
    procedure = models.CharField(_("procedure"), max_length=64, blank=True)
    # Research.
    research_kind = models.CharField(
        _("research type"), max_length=10, choices=ResearchKind.choices, blank=True
    )
    research_status = models.CharField(
        _("research status"), max_length=10, choices=ResearchStatus.choices, blank=True
    )
    research_members = models.CharField(_("project members"), max_length=200, blank=True)
    views = models.PositiveIntegerField(_("views"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("content item")
        verbose_name_plural = _("content items")
        indexes = [
            # A section's feed: pinned first, newest first.
            models.Index(
                fields=["section", "-pinned", "-publish_at", "-id"],
                name="content_feed",
                condition=Q(state="published"),
            ),
            models.Index(
                fields=["-pinned", "-publish_at", "-id"],
                name="content_feed_all",
                condition=Q(state="published"),
            ),
            # Scheduled items waiting to go out (publish_due).
            models.Index(
                fields=["publish_at"],
                name="content_unannounced",
                condition=Q(state="published", announced_at__isnull=True),
            ),
            models.Index(fields=["owner_path", "state"], name="content_owner"),
            # The writers' list, last changed first.
            models.Index(fields=["-updated_at", "-id"], name="content_changed"),
            models.Index(
                fields=["procedure"], name="content_procedure", condition=~Q(procedure="")
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def wrote(self, user_id: int | None) -> bool:
        """Whether the user wrote or submitted what is under review (so may not approve it)."""
        return user_id is not None and user_id in (
            self.author_id,
            self.submitted_by_id,
            self.edited_by_id,
        )

    @property
    def is_live(self) -> bool:
        return (
            self.state == State.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.state == State.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )


class Target(models.Model):
    """An organization an item is shown to, with its whole subtree."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="target_rows")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "organization"], name="content_target_once")
        ]
        indexes = [models.Index(fields=["path", "item"], name="content_target_path")]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.path}"


def upload_path(upload: Upload, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"content/{upload.key.hex[:2]}/{upload.key.hex}{suffix}"


class Upload(models.Model):
    """An image or attachment uploaded by a writer; served only to those who may see an item
    that uses it (views.media)."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Picture")
        FILE = "file", _("Attachment")

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=upload_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # The item whose attachments list shows it, or whose body or cover uses it.
    item = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="uploads"
    )
    is_attachment = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        indexes = [
            # Each writer's uploads of the last hour (the limit), and the sweep of unused ones.
            models.Index(fields=["uploaded_by", "created_at"], name="content_upload_recent"),
            models.Index(
                fields=["created_at"], name="content_upload_loose", condition=Q(item__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return f"{settings.MEDIA_URL}{self.file.name}"


class Read(models.Model):
    """One reader of one item: when they first and last opened it, and how often."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reads", db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The reader's organization when they first read it, for the statistics by organization.
    org_path = models.CharField(max_length=255, blank=True)
    first_at = models.DateTimeField(default=timezone.now)
    last_at = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="content_read_once")]
        indexes = [models.Index(fields=["user", "item"], name="content_read_user")]

    def __str__(self) -> str:
        return f"{self.item_id} ← {self.user_id}"
