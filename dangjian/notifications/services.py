"""Writes to the inbox: send a notification, mark messages read, send the outside channels.

Other apps call `notify` (inside their own transaction, if they have one: the messages
appear when it commits, and the outside channels send after it). None of these writes is
member data, so none is audited.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.models import User
from dangjian.lib import bulk
from dangjian.lib.queries import get_or_none
from dangjian.notifications import channels as channel_registry
from dangjian.notifications import selectors, stream
from dangjian.notifications.models import ChannelDelivery, Delivery, Notification

KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
ALL: Literal["all"] = "all"
Status = ChannelDelivery.Status


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


def _active_recipients(recipients: Iterable[User]) -> list[User]:
    """The active recipients, each once, in the order given."""
    seen: dict[int, User] = {}
    for user in recipients:
        if user.pk is not None and user.is_active:
            seen.setdefault(user.pk, user)
    return list(seen.values())


def _queued_channels(channels: Iterable[str]) -> list[str]:
    """The outside channels named, each once; in-app is always on. Unknown codes are refused."""
    if isinstance(channels, str):
        raise TypeError("channels is a list of channel codes, not one string")
    queued: dict[str, None] = {}
    for code in channels:
        channel = channel_registry.get(code)
        if channel is None:
            message = _("Not a notification channel: %(channel)s")
            raise ValidationError({"channels": message % {"channel": code}})
        if channel.queued:
            queued.setdefault(code, None)
    return list(queued)


def _active_recipient_ids(recipients: Iterable[User] | QuerySet[User]) -> list[int]:
    """The ids of the active recipients, each once: read straight from a query when given one
    (tens of thousands of members, no objects), else from the objects, in the order given."""
    if isinstance(recipients, QuerySet):
        return list(
            recipients.filter(is_active=True).order_by("pk").values_list("pk", flat=True).distinct()
        )
    return [user.pk for user in _active_recipients(recipients)]


def notify(
    recipients: Iterable[User] | QuerySet[User],
    *,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    actor: User | None = None,
    channels: Iterable[str] = (channel_registry.INAPP,),
) -> Notification:
    """Put one message into the inbox of each active recipient, once each.

    `kind` is a dotted code naming what happened ("moderation.rejected"); `link` a path on
    this site that the message opens. Inactive accounts and repeats are skipped; with no one
    left the notification is still recorded, with no deliveries.

    `channels` names the channels ("inapp", "email", ...; see channels.py). In-app is always
    delivered; each other channel gets a queued row per recipient, sent by a task after the
    commit, so the caller never waits for it and is never broken by its failure.
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
    queued = _queued_channels(channels)
    ids = _active_recipient_ids(recipients)
    inapp = channel_registry.get(channel_registry.INAPP)
    assert isinstance(inapp, channel_registry.InAppChannel)
    with transaction.atomic():
        notification = Notification.objects.create(
            kind=kind, title=title, body=body, link=link, created_by=actor
        )
        inapp.deliver_to(notification, ids)
        if ids:  # the live push of the notification stream (with Redis; see stream.py)
            transaction.on_commit(_stream_publish_later(notification.pk), robust=True)
        if queued and ids:
            bulk.create(
                ChannelDelivery,
                [
                    ChannelDelivery(notification=notification, recipient_id=pk, channel=code)
                    for code in queued
                    for pk in ids
                ],
            )
            for code in queued:
                # Robust: a broker that is down leaves the rows queued for the sweep
                # (send_queued_notifications) rather than failing the caller after its commit.
                transaction.on_commit(_channel_send_later(notification.pk, code), robust=True)
    return notification


def _stream_publish_later(notification_id: int) -> Callable[[], None]:
    def stream_publish() -> None:
        stream.publish(notification_id)

    return stream_publish


def _channel_send_later(notification_id: int, channel: str) -> Callable[[], None]:
    def channel_send_enqueue() -> None:
        from dangjian.notifications.tasks import channel_send_task

        channel_send_task.delay(notification_id, channel)

    return channel_send_enqueue


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


# Each row is tried at most this often; a run that died mid-batch releases its claim after
# CLAIM_TIMEOUT, so its rows are sent again (at least once, not exactly once, after a crash).
MAX_ATTEMPTS = 3
CLAIM_TIMEOUT = timedelta(minutes=15)


def _claimable(notification: Notification, channel: str) -> Q:
    stale = timezone.now() - CLAIM_TIMEOUT
    return Q(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale),
        notification=notification,
        channel=channel,
        status=ChannelDelivery.Status.QUEUED,
    )


def channel_send(notification: Notification, *, channel: str) -> int:
    """Send a notification's queued rows on one channel; return how many wait for a retry.

    Safe to run twice, or twice at once: each row is sent by the run that claims it.
    1. Claim the next batch of queued rows (a conditional UPDATE with this batch's token).
    2. Hand their recipients to the channel, over one connection.
    3. Record each result; a failure with attempts left goes back to the queue, else fails.
    """
    handler = channel_registry.get(channel)
    if handler is None or not handler.queued:
        raise ValueError(f"Not an outside channel: {channel!r}")
    retry = 0
    after = 0
    while True:
        claimable = ChannelDelivery.objects.filter(_claimable(notification, channel))
        ids = list(
            claimable.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[: handler.batch_size]
        )
        if not ids:
            return retry
        after = ids[-1]
        token = uuid.uuid4().hex
        claimable.filter(pk__in=ids).update(
            claim=token, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
        rows = list(
            ChannelDelivery.objects.filter(pk__in=ids, claim=token).select_related("recipient")
        )
        if rows:
            retry += _send_batch(handler, notification, rows, token)


def _send_batch(
    handler: channel_registry.Channel,
    notification: Notification,
    rows: list[ChannelDelivery],
    token: str,
) -> int:
    """Send one claimed batch and record the results; return how many go back to the queue."""
    try:
        results = handler.deliver(notification, [row.recipient for row in rows])
    except Exception as exc:  # a channel that broke its contract fails the whole batch
        results = [channel_registry.Result.failed(row.recipient_id, exc) for row in rows]
    reported = {result.recipient_id: result for result in results}
    mine = ChannelDelivery.objects.filter(claim=token)  # unless a later run took it over
    released = {"claim": "", "claimed_at": None}
    sent: list[int] = []
    skipped: list[int] = []
    retry = 0
    for row in rows:
        result = reported.get(row.recipient_id)
        if result is None:
            result = channel_registry.Result(row.recipient_id, Status.FAILED, "no result")
        if result.status == Status.SENT:
            sent.append(row.pk)
        elif result.status == Status.SKIPPED:
            skipped.append(row.pk)
        else:
            status = Status.QUEUED if row.attempts < MAX_ATTEMPTS else Status.FAILED
            retry += status == Status.QUEUED
            mine.filter(pk=row.pk).update(status=status, error=result.error, **released)
    if sent:
        mine.filter(pk__in=sent).update(
            status=Status.SENT, error="", sent_at=timezone.now(), **released
        )
    if skipped:
        mine.filter(pk__in=skipped).update(status=Status.SKIPPED, error="", **released)
    return retry


def channel_send_queued(*, before: datetime) -> int:
    """Send the rows still queued of notifications made before a time; return how many runs.

    The sweep behind the tasks: a broker that was down, or a worker that died, leaves rows
    queued. Rows that fail again wait for the next sweep, until MAX_ATTEMPTS.
    """
    pending = (
        ChannelDelivery.objects.filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=timezone.now() - CLAIM_TIMEOUT),
            status=ChannelDelivery.Status.QUEUED,
            notification__created_at__lt=before,
        )
        .values_list("notification_id", "channel")
        .distinct()
        .order_by("notification_id", "channel")
    )
    runs = 0
    for notification_id, channel in list(pending):
        notification = get_or_none(Notification.objects, pk=notification_id)
        if notification is None or channel_registry.get(channel) is None:
            continue  # deleted since, or a channel no longer installed
        channel_send(notification, channel=channel)
        runs += 1
    return runs


REMIND_EVERY = timedelta(minutes=10)


def remind(notification: Notification, *, actor: User) -> int:
    """Send the notification again to everyone who has not read it; return how many.

    A reminder is a notification of its own, so its readers are counted apart. At most one
    reminder every ten minutes, so a double click does not message everyone twice.
    """
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        now = timezone.now()
        if locked.reminded_at and now - locked.reminded_at < REMIND_EVERY:
            raise ValidationError(
                _("A reminder went out at %(time)s; wait ten minutes before the next.")
                % {"time": timezone.localtime(locked.reminded_at).strftime("%H:%M")}
            )
        unread = [
            d.recipient
            for d in Delivery.objects.filter(notification=locked, read_at__isnull=True)
            .select_related("recipient")
            .order_by("pk")
        ]
        if not unread:
            raise ValidationError(_("Everyone has read it; there is no one to remind."))
        notify(
            unread,
            kind="notifications.reminder",
            title=_("Reminder: %(title)s") % {"title": locked.title},
            body=locked.body,
            link=locked.link,
            actor=actor,
        )
        locked.reminded_at = now
        locked.save(update_fields=["reminded_at"])
    return len(unread)
