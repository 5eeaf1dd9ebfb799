"""The notification inbox: a message, and its delivery to each recipient's inbox.

A `Notification` is what was said, once; a `Delivery` is one recipient's copy of it and
whether they have read it. Channels that push the same message elsewhere (the event stream,
e-mail, WeChat, SMS) will hang their own per-channel rows off `Delivery`, so the inbox stays
the record of what each person was told.
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
