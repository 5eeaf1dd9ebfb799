"""The messages bell of the top bar, the sidebar entry, and relative times for messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.notifications.selectors import BADGE_CAP, UNREAD_ATTR, unread_badge

register = template.Library()


def _unread(context: template.Context) -> int:
    """The unread count once per request, however many places show it."""
    request = context.get("request")
    if request is None:
        return 0
    count = getattr(request, UNREAD_ATTR, None)
    if count is None:
        count = unread_badge(request.user)
        setattr(request, UNREAD_ATTR, count)
    return int(count)


def _badge(count: int) -> str:
    return f"{BADGE_CAP}+" if count > BADGE_CAP else str(count)


@register.simple_tag(takes_context=True)
def notifications_unread(context: template.Context) -> str:
    """The unread count as a badge shows it ("", "3", "99+")."""
    count = _unread(context)
    return _badge(count) if count else ""


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notifications_bell(context: template.Context, oob: bool = False) -> dict[str, Any]:
    count = _unread(context)
    url = reverse("notifications:inbox")
    return {"count": count, "badge": _badge(count), "url": url, "oob": oob}


@register.inclusion_tag("notifications/_nav_link.html", takes_context=True)
def notifications_nav_link(context: template.Context) -> dict[str, Any]:
    count = _unread(context)
    url = reverse("notifications:inbox")
    request = context.get("request")
    active = request is not None and request.path.startswith(url)
    return {"count": count, "badge": _badge(count), "url": url, "active": active}


def relative_time(value: dt.datetime, now: dt.datetime | None = None) -> str:
    """The time of a message as people say it.

    just now, 3 min ago, 5 h ago (today), yesterday 14:30, 11-25, 2025-11-25 (earlier years).
    """
    now = now or timezone.now()
    seconds = (now - value).total_seconds()
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        return _("%(n)s min ago") % {"n": int(seconds // 60)}
    local, today = timezone.localtime(value), timezone.localtime(now).date()
    if local.date() == today:
        return _("%(n)s h ago") % {"n": int(seconds // 3600)}
    if local.date() == today - dt.timedelta(days=1):
        return _("yesterday %(time)s") % {"time": local.strftime("%H:%M")}
    if local.year == today.year:
        return local.strftime("%m-%d")
    return local.strftime("%Y-%m-%d")


@register.filter
def since(value: dt.datetime | None) -> str:
    """A message's time as people say it (UI.md: relative times only for messages)."""
    return "" if value is None else relative_time(value)
