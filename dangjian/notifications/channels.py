"""Channels: the ways a notification reaches its recipients.

`notify(..., channels=("inapp", "email"))` names them by code. A channel is an object with a
`code` and `deliver(notification, recipients) -> list[Result]`, one result per recipient, put
in the registry with `register`:

- "inapp" (always on) writes the `Delivery` rows the inbox reads, in the caller's transaction.
- "email" sends one message per recipient with an address through Django's mail backend.

Channels with `queued = True` (all but in-app) are not called by `notify`: it writes a queued
`ChannelDelivery` row per recipient, and after the commit `channel_send_task` hands them to
`deliver` in batches of `batch_size` and records each result (services.channel_send). Another
app adds a channel (WeChat, SMS) by subclassing `Channel` and calling `register(...)` from its
AppConfig.ready(). `deliver` must not raise for one recipient's failure: it reports it as a
failed result, and the row is retried a bounded number of times.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext as _

from dangjian.accounts.models import User
from dangjian.lib import bulk
from dangjian.notifications import selectors
from dangjian.notifications.models import ChannelDelivery, Delivery, Notification

INAPP = "inapp"
EMAIL = "email"
CODE = re.compile(r"^[a-z][a-z0-9_]{0,15}$")  # fits ChannelDelivery.channel
ERROR_LENGTH = 1000

Status = ChannelDelivery.Status


@dataclasses.dataclass(frozen=True)
class Result:
    """How sending to one recipient went: sent, skipped (no address) or failed (with why)."""

    recipient_id: int
    status: str
    error: str = ""

    @classmethod
    def failed(cls, recipient_id: int, exc: BaseException) -> Result:
        return cls(recipient_id, Status.FAILED, f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH])


class Channel(ABC):
    code: ClassVar[str]
    # Sent by the outbox task after the commit; False only for in-app, written in place.
    queued: ClassVar[bool] = True
    batch_size: ClassVar[int] = 100

    @abstractmethod
    def deliver(self, notification: Notification, recipients: Sequence[User]) -> list[Result]:
        """Send the notification to each recipient; one result for each."""


_registry: dict[str, Channel] = {}


def register(channel: Channel) -> Channel:
    """Add a channel under its code; registering the same kind again replaces it."""
    if not CODE.match(channel.code):
        raise ImproperlyConfigured(f"Not a channel code: {channel.code!r}")
    existing = _registry.get(channel.code)
    if existing is not None and type(existing) is not type(channel):
        raise ImproperlyConfigured(
            f"Channel {channel.code!r} is already registered by {type(existing).__name__}"
        )
    _registry[channel.code] = channel
    return channel


def get(code: str) -> Channel | None:
    return _registry.get(code)


def codes() -> list[str]:
    return sorted(_registry)


class InAppChannel(Channel):
    """The inbox: one Delivery row per recipient, in the caller's transaction."""

    code = INAPP
    queued = False

    def deliver(self, notification: Notification, recipients: Sequence[User]) -> list[Result]:
        ids = [user.pk for user in recipients]
        self.deliver_to(notification, ids)
        return [Result(pk, Status.SENT) for pk in ids]

    def deliver_to(self, notification: Notification, ids: Sequence[int]) -> None:
        """The same, by account id: a notice to a whole university needs no User objects."""
        bulk.create(Delivery, [Delivery(notification=notification, recipient_id=pk) for pk in ids])
        selectors.forget_unread_counts(ids)


def absolute_url(path: str) -> str:
    """The address of a path of this site, for messages read outside it."""
    return settings.SITE_URL.rstrip("/") + path


def email_message(notification: Notification, address: str, **kwargs: Any) -> mail.EmailMessage:
    """The plain-text e-mail of a notification, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[%(site)s] %(title)s") % {
            "site": _("Smart Party Building"),
            "title": notification.title,
        }
        body = notification.body.strip()
        if notification.link:
            link = _("Open it on the site: %(url)s") % {"url": absolute_url(notification.link)}
            body = f"{body}\n\n{link}" if body else link
    return mail.EmailMessage(
        subject=" ".join(subject.split()),  # a header is one line
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        **kwargs,
    )


class EmailChannel(Channel):
    """One message per recipient with an address, over one connection per batch."""

    code = EMAIL

    def deliver(self, notification: Notification, recipients: Sequence[User]) -> list[Result]:
        results: list[Result] = []
        to_send: list[User] = []
        for user in recipients:
            if user.is_active and user.email.strip():
                to_send.append(user)
            else:
                results.append(Result(user.pk, Status.SKIPPED))
        if not to_send:
            return results
        connection = mail.get_connection(fail_silently=False)
        try:
            connection.open()
        except Exception as exc:
            return results + [Result.failed(user.pk, exc) for user in to_send]
        try:
            results.extend(self._send(connection, notification, user) for user in to_send)
        finally:
            with contextlib.suppress(Exception):
                connection.close()
        return results

    def _send(self, connection: Any, notification: Notification, user: User) -> Result:
        message = email_message(notification, user.email.strip(), connection=connection)
        try:
            if not connection.send_messages([message]):
                raise RuntimeError("the mail backend sent nothing")
        except Exception as exc:
            return Result.failed(user.pk, exc)
        return Result(user.pk, Status.SENT)


register(InAppChannel())
register(EmailChannel())
