"""API: the caller's own inbox, and marking messages read."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from dangjian.accounts.models import User
from dangjian.lib.pagination import paginate
from dangjian.notifications import selectors, services
from dangjian.notifications.models import Delivery

router = Router(tags=["notifications"])

MAX_IDS = 500


class MessageOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read: bool
    read_at: dt.datetime | None

    @staticmethod
    def build(delivery: Delivery) -> MessageOut:
        notification = delivery.notification
        return MessageOut(
            id=delivery.pk,
            kind=notification.kind,
            title=notification.title,
            body=notification.body,
            link=notification.link,
            created_at=notification.created_at,
            read=delivery.is_read,
            read_at=delivery.read_at,
        )


class MessagePage(Schema):
    count: int
    count_capped: bool
    page: int
    pages: int
    unread: int
    results: list[MessageOut]


class ReadIn(Schema):
    ids: list[int] | None = None
    all: bool = False


class ReadOut(Schema):
    marked: int
    unread: int


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


@router.get("", response=MessagePage, summary="My messages, newest first, and the unread count")
def message_list(
    request: HttpRequest, unread: bool = False, page: int = 1, page_size: int = 20
) -> MessagePage:
    user = _user(request)
    deliveries = selectors.inbox(user)
    if unread:
        deliveries = deliveries.filter(read_at__isnull=True)
    meta, rows = paginate(deliveries, page, page_size)
    return MessagePage(
        **meta, unread=selectors.unread_count(user), results=[MessageOut.build(d) for d in rows]
    )


@router.post("/read", response=ReadOut, summary="Mark some of my messages read, or all of them")
def message_read(request: HttpRequest, payload: ReadIn) -> ReadOut:
    user = _user(request)
    if payload.all == (payload.ids is not None):
        raise ValidationError(
            {"ids": _("Send either the ids of the messages to mark read, or “all”: true.")}
        )
    if payload.ids is not None and len(payload.ids) > MAX_IDS:
        message = _("At most %(max)s messages at a time.") % {"max": MAX_IDS}
        raise ValidationError({"ids": message})
    marked = services.mark_read(user, services.ALL if payload.all else payload.ids or [])
    return ReadOut(marked=marked, unread=selectors.unread_count(user))
