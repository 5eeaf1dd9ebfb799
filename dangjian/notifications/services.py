"""Writes to the inbox: send a notification, mark messages read.

Other apps call `notify` (inside their own transaction, if they have one: the messages
appear when it commits). Neither write is member data, so neither is audited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import User
from dangjian.lib import bulk
from dangjian.notifications import selectors
from dangjian.notifications.models import Delivery, Notification

KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
ALL: Literal["all"] = "all"


def _check_link(link: str) -> None:
    """A link is a path on this site: "/members/42/", never another host or a scheme."""
    if not link:
        return
    if (
        not link.startswith("/")
        or link.startswith("//")
        or "\\" in link
        or any(ch.isspace() or ord(ch) < 32 for ch in link)
    ):
        message = _("A message links to a page of this site, starting with “/”: %(link)s")
        raise ValidationError({"link": message % {"link": link}})


def _recipient_ids(recipients: Iterable[User]) -> list[int]:
    """The active recipients' ids, each once, in the order given."""
    seen: dict[int, None] = {}
    for user in recipients:
        if user.pk is not None and user.is_active:
            seen.setdefault(user.pk, None)
    return list(seen)


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    actor: User | None = None,
) -> Notification:
    """Put one message into the inbox of each active recipient, once each.

    `kind` is a dotted code naming what happened ("moderation.rejected"); `link` a path on
    this site that the message opens. Inactive accounts and repeats are skipped; with no one
    left the notification is still recorded, with no deliveries.
    """
    title = title.strip()
    if not KIND.match(kind) or len(kind) > 64:
        message = _("Not a notification kind: %(kind)s")
        raise ValidationError({"kind": message % {"kind": kind}})
    if not title:
        raise ValidationError({"title": _("A message needs a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("A message title has at most 200 characters.")})
    _check_link(link)
    recipient_ids = _recipient_ids(recipients)
    with transaction.atomic():
        notification = Notification.objects.create(
            kind=kind, title=title, body=body, link=link, created_by=actor
        )
        bulk.create(
            Delivery,
            [Delivery(notification=notification, recipient_id=pk) for pk in recipient_ids],
        )
        selectors.forget_unread_counts(recipient_ids)
    return notification


def mark_read(user: User, delivery_ids: Iterable[int] | Literal["all"]) -> int:
    """Mark some of the user's messages read (or all of them); return how many were unread.

    Ids of messages in other people's inboxes, or already read, are passed over.
    """
    unread = Delivery.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if delivery_ids != ALL:
        ids = list(delivery_ids)
        if not ids:
            return 0
        unread = unread.filter(pk__in=ids)
    with transaction.atomic():
        changed = unread.update(read_at=timezone.now())
        if changed:
            selectors.forget_unread_counts([user.pk])
    return int(changed)
