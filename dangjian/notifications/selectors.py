"""Reads of a user's own inbox, and of the read receipts of what they sent. Nobody reads
another person's messages, whatever their role."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from dangjian.lib.queries import get_or_none
from dangjian.notifications.models import ChannelDelivery, Delivery, Notification

# The top bar shows the unread count on every page; it is cached per user so most pages read
# no table for it. Writes forget the cached counts (see forget_unread_counts); the timeout
# bounds how stale a count can be where a forgetting is missed: a page that read the old count
# just before a write commits, or a local-memory cache in several processes.
BADGE_TIMEOUT = 60
BADGE_CAP = 99  # the badge reads "99+" beyond this
UNREAD_ATTR = "_notifications_unread"  # the count, once read, on the request


def _badge_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def inbox(user: Any) -> QuerySet[Delivery]:
    """The user's messages, newest first, each with its notification."""
    return (
        Delivery.objects.filter(recipient_id=user.pk).select_related("notification").order_by("-id")
    )


def unread_count(user: Any) -> int:
    """How many of the user's messages are unread."""
    return Delivery.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def delivery_get_for_user(user: Any, pk: int) -> Delivery:
    """One of the user's own messages; anyone else's answers 404, as if it did not exist."""
    delivery = get_or_none(
        Delivery.objects.select_related("notification"), pk=pk, recipient_id=user.pk
    )
    if delivery is None:
        raise Http404
    return delivery


def unread_badge(user: Any) -> int:
    """The unread count for the top bar, at most BADGE_CAP + 1, from the cache when it can.

    Anonymous visitors cost nothing. On a miss, one query that stops counting past the cap.
    """
    if not getattr(user, "is_authenticated", False):
        return 0
    key = _badge_key(user.pk)
    count = cache.get(key)
    if count is None:
        unread = Delivery.objects.filter(recipient_id=user.pk, read_at__isnull=True)
        count = unread.values("pk")[: BADGE_CAP + 1].count()
        cache.set(key, count, BADGE_TIMEOUT)
    return int(count)


def remember_for_request(request: Any, unread: int) -> None:
    """Give the top bar a count this request already knows, so it reads none."""
    setattr(request, UNREAD_ATTR, min(unread, BADGE_CAP + 1))


def forget_unread_counts(user_ids: Iterable[int]) -> None:
    """Drop cached badge counts now and again when the transaction commits.

    Now, so this request (and a test inside one transaction) sees the new count; again after
    the commit, so that no other request re-caches the count from before it.
    """
    keys = [_badge_key(pk) for pk in user_ids]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def channel_report(notification: Any) -> dict[str, dict[str, int]]:
    """How a notification went out on each outside channel: {channel: {status: count}}.

    For its sender and for operators; the in-app copies are the inbox's deliveries.
    """
    report: dict[str, dict[str, int]] = {}
    rows = (
        ChannelDelivery.objects.filter(notification_id=notification.pk)
        .values_list("channel", "status")
        .annotate(count=Count("pk"))
        .order_by("channel", "status")
    )
    for channel, status, count in rows:
        report.setdefault(channel, {})[status] = count
    return report


# Read receipts: the sender's view of who has read what they sent.


def sent_by(user: Any) -> QuerySet[Notification]:
    """What the user sent, newest first, with how many received it and how many read it."""
    return (
        Notification.objects.filter(created_by=user)
        .annotate(
            recipients=Count("deliveries"),
            readers=Count("deliveries", filter=Q(deliveries__read_at__isnull=False)),
        )
        .order_by("-created_at", "-id")
    )


# Apps that send on behalf of an object (content sends a notice for its item) register who
# else answers for it: those may see its read receipts and remind, like the sender.
ReceiptViewer = Callable[[Any, Notification], bool]
_receipt_viewers: list[ReceiptViewer] = []


def register_receipt_viewer(check: ReceiptViewer) -> None:
    if check not in _receipt_viewers:
        _receipt_viewers.append(check)


def sent_get(user: Any, pk: int) -> Notification:
    """One notification the user sent, or answers for (register_receipt_viewer); anyone
    else's does not exist for them."""
    notification = sent_by(user).filter(pk=pk).first()
    if notification is None:
        candidate = (
            Notification.objects.filter(pk=pk)
            .annotate(
                recipients=Count("deliveries"),
                readers=Count("deliveries", filter=Q(deliveries__read_at__isnull=False)),
            )
            .first()
        )
        if candidate is not None and any(check(user, candidate) for check in _receipt_viewers):
            return candidate
        raise Http404
    return notification


def may_see_receipts(user: Any, notification: Notification) -> bool:
    return notification.created_by_id == user.pk or any(
        check(user, notification) for check in _receipt_viewers
    )


@dataclass(frozen=True)
class Receipts:
    read: list[Delivery]  # earliest reader first
    unread: list[Delivery]  # by name


def receipts(notification: Notification) -> Receipts:
    deliveries = list(
        Delivery.objects.filter(notification=notification).select_related("recipient")
    )
    read = sorted((d for d in deliveries if d.read_at), key=lambda d: (d.read_at, d.pk))
    unread = sorted(
        (d for d in deliveries if not d.read_at), key=lambda d: (str(d.recipient), d.pk)
    )
    return Receipts(read=read, unread=unread)
