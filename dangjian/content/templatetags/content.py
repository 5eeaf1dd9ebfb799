"""Template helpers of the content pages: section icons, dates of notices, state badges, the
search query highlighted in escaped text, and the link from a procedure's page to its guide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dangjian.content.models import Item, Section, State
from dangjian.content.selectors import fold, guide_for
from dangjian.lib import richtext

register = template.Library()

SECTION_ICONS: dict[str, str] = {
    Section.NEWS: "newspaper",
    Section.NOTICE: "megaphone",
    Section.ACTIVITY: "flag",
    Section.SHOWCASE: "award",
    Section.GUIDE: "signpost-split",
    Section.COMMITTEE: "bank",
    Section.RESEARCH: "journal-richtext",
}

STATE_BADGES: dict[str, str] = {
    State.DRAFT: "badge-muted",
    State.PENDING: "badge-warning",
    State.RETURNED: "badge-full",
    State.PUBLISHED: "badge-success",
    State.WITHDRAWN: "badge-muted",
}

SNIPPET_CHARS = 90


@register.filter
def section_icon(section: str) -> str:
    return SECTION_ICONS.get(section, "file-earmark-text")


@register.filter
def cn_day(value: dt.datetime | dt.date | None) -> str:
    """2026年11月25日, the date of a notice, in Beijing time."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


@register.simple_tag
def state_badge(item: Item) -> str:
    """The item's state as a badge with its name (never colour alone); scheduled items say so."""
    if item.state == State.PUBLISHED and item.is_scheduled:
        return format_html('<span class="badge badge-status badge-info">{}</span>', _("Scheduled"))
    css = STATE_BADGES.get(State(item.state), "badge-muted")
    return format_html(
        '<span class="badge badge-status {}">{}</span>', css, item.get_state_display()
    )


def _words(query: str) -> list[str]:
    """The query's words as search compares them (selectors.fold)."""
    return [w for w in fold(query or "").split() if w][:8]


def _spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where the query's words are in the text, as spans of the text itself.

    Search compares folded text (compatibility forms unified, case folded); the text is shown
    as written, so each character is folded on its own and the spans mapped back to it.
    """
    words = _words(query)
    if not words or not text:
        return []
    owner: list[int] = []
    pieces: list[str] = []
    for index, char in enumerate(text):
        piece = fold(char)
        pieces.append(piece)
        owner.extend([index] * len(piece))
    folded = "".join(pieces)
    spans = []
    for word in words:
        at = folded.find(word)
        while at != -1:
            spans.append((owner[at], owner[at + len(word) - 1] + 1))
            at = folded.find(word, at + len(word))
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(spans):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


@register.filter
def highlight(text: Any, query: str) -> SafeString:
    """The text, escaped, with each word of the query marked: <mark> only around escaped text."""
    text = str(text or "")
    parts: list[str] = []
    last = 0
    for begin, end in _spans(text, query):
        parts.append(escape(text[last:begin]))
        parts.append(f'<mark class="dj-hl">{escape(text[begin:end])}</mark>')
        last = end
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


@register.simple_tag
def snippet(item: Item, query: str) -> str:
    """The part of the item's text around the first word of the query found in it."""
    text = " ".join(p for p in (item.summary, richtext.to_text(item.body)) if p)
    spans = _spans(text, query)
    if not spans:
        return text[:SNIPPET_CHARS] + ("…" if len(text) > SNIPPET_CHARS else "")
    start = max(0, spans[0][0] - SNIPPET_CHARS // 3)
    end = start + SNIPPET_CHARS
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


# The guides a request has looked up, by procedure (None: no live guide).
GUIDES_ATTR = "_dangjian_guides"


def _guide(request: Any, procedure: str) -> Item | None:
    """The live guide of a procedure, looked up once per request (a page may link it twice)."""
    if request is None:
        return guide_for(procedure)
    found: dict[str, Item | None] | None = getattr(request, GUIDES_ATTR, None)
    if found is None:
        found = {}
        setattr(request, GUIDES_ATTR, found)
    if procedure not in found:
        found[procedure] = guide_for(procedure)
    return found[procedure]


@register.simple_tag(takes_context=True)
def guide_link(context: template.Context, procedure: str) -> str:
    """{% guide_link "development.application" %}: a small "办事指南" link to the live
    affairs-guide page of the procedure, or nothing when it has none."""
    guide = _guide(context.get("request"), procedure)
    if guide is None:
        return ""
    return format_html(
        '<a class="btn btn-sm btn-light dj-guide-link" href="{}" title="{}">'
        '<i class="bi bi-signpost-split me-1" aria-hidden="true"></i>{}</a>',
        reverse("content:item-detail", args=[guide.pk]),
        guide.title,
        _("Procedure guide"),
    )
