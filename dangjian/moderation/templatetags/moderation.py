from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, key)


@register.filter
def waited(since: dt.datetime | None) -> str:
    """How long a held text has waited, in the largest whole unit."""
    if since is None:
        return ""
    seconds = max(0, int((timezone.now() - since).total_seconds()))
    if seconds < 3600:
        minutes = max(1, seconds // 60)
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    if seconds < 86400:
        hours = seconds // 3600
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = seconds // 86400
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


@register.filter
def share(value: int, total: int) -> int:
    """A percentage for a bar's width."""
    return round(value * 100 / total) if total else 0


@register.simple_tag
def age_bucket_label(key: str) -> str:
    return {"<1": _("under a day"), "1-3": _("1 to 3 days"), ">3": _("over 3 days")}.get(key, key)
