"""The notification inbox: a message, and its delivery to each recipient's inbox.

A `Notification` is what was said, once; a `Delivery` is one recipient's copy of it and
whether they have read it: the in-app channel, always on, and the record of what each person
was told. Channels that push the same message elsewhere (e-mail; later WeChat, SMS) record each
attempt per recipient in a `ChannelDelivery` row (see channels.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("message title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class Delivery(models.Model):
    # No index of their own: the unique pair leads with the notification, and both indexes
    # below lead with the recipient.
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "recipient"], name="notifications_delivery_once"
            ),
        ]
        indexes = [
            # The unread count of the top bar, on every page.
            models.Index(fields=["recipient", "read_at"], name="notifications_unread"),
            # The inbox, newest first.
            models.Index(fields=["recipient", "-id"], name="notifications_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ChannelDelivery(models.Model):
    """One recipient's copy of a notification on one outside channel, and how its sending went.

    Rows are written queued with the notification and sent after the commit by
    `channel_send_task`; a run claims rows by setting `claim` (a conditional UPDATE), so two
    runs never send the same row, and a claim older than services.CLAIM_TIMEOUT is taken over.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("skipped (no address)")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="channel_deliveries", db_index=False
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    channel = models.CharField(_("channel"), max_length=16)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("channel delivery")
        verbose_name_plural = _("channel deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel", "recipient"],
                name="notifications_channel_delivery_once",
            ),
        ]
        indexes = [
            # The sweep of rows left queued (send_queued_notifications).
            models.Index(
                fields=["status"],
                name="notifications_channel_queued",
                condition=models.Q(status="queued"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.recipient_id} ({self.channel}: {self.status})"


class Broadcast(models.Model):
    """Something new for everyone it concerns (a content item went live), told live on the
    stream to the connected users it is meant for. Not an inbox message: nothing to read or
    replay; the pages show it on their next load. The stream's feeders read these rows in id
    order, as they read deliveries (see stream.py and broadcasts.py)."""

    kind = models.CharField(max_length=64)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
