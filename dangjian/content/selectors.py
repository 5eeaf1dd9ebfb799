"""Reads of content that depend on who is asking.

Two views of the same items: a reader sees what is live and targets one of their
organizations (or the whole university); a writer sees what the organizations in their
`content.write` scope publish, in every state.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dangjian.content.models import Item, Read, Section, State, Target, Upload
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization


def audience_q(user: Any) -> Q:
    """Targeted at the whole university, or at one of the user's organizations' subtrees."""
    paths = sorted(perms.reader_paths(user))
    if not paths:
        return Q(target_all=True)
    targeted = Target.objects.filter(item=OuterRef("pk"), path__in=paths)
    return Q(target_all=True) | Q(Exists(targeted))


def live_q() -> Q:
    return Q(state=State.PUBLISHED, publish_at__lte=timezone.now())


def visible_items(user: Any) -> QuerySet[Item]:
    """What the user may read: live, and targeted at them. Nothing for the anonymous."""
    if not getattr(user, "is_authenticated", False):
        return Item.objects.none()
    return Item.objects.filter(live_q() & audience_q(user))


def feed(user: Any, *, section: str | None = None) -> QuerySet[Item]:
    """A reader's list: pinned first, then newest first."""
    items = visible_items(user)
    if section:
        items = items.filter(section=section)
    return items.select_related("cover", "category").order_by("-pinned", "-publish_at", "-id")


def fold(text: str) -> str:
    """The form search compares: compatibility forms unified, case folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def search(user: Any, query: str, *, section: str | None = None) -> QuerySet[Item]:
    """Items the user may read whose title, summary or body hold every word of the query.

    Chinese has no spaces between words, so each space-separated part is matched as a
    substring of the folded text (a phrase search), never split into characters.
    """
    words = [w for w in fold(query).split() if w][:8]
    items = feed(user, section=section)
    if not words:
        return items.none()
    for word in words:
        items = items.filter(search_text__contains=word)
    return items


def writer_items(user: Any) -> QuerySet[Item]:
    """Items of the organizations in the user's writing (or reviewing) scope, in every state."""
    q = perms.scope_q(user, perms.CONTENT_WRITE, "owner_path") | perms.scope_q(
        user, perms.CONTENT_REVIEW, "owner_path"
    )
    return Item.objects.filter(q)


def review_queue(user: Any) -> QuerySet[Item]:
    """Items awaiting a second person's review, in the user's reviewing scope, but those they
    wrote, changed or submitted."""
    return (
        Item.objects.filter(perms.scope_q(user, perms.CONTENT_REVIEW, "owner_path"))
        .filter(state=State.PENDING)
        .exclude(author=user)
        .exclude(submitted_by=user)
        .exclude(edited_by=user)
        .select_related("owner", "author")
        .order_by("submitted_at", "id")
    )


def may_write(user: Any, org: Organization) -> bool:
    return perms.has_capability(user, org, perms.CONTENT_WRITE)


def may_review(user: Any, item: Item) -> bool:
    return perms.has_capability(user, item.owner, perms.CONTENT_REVIEW) and not item.wrote(user.pk)


def may_publish(user: Any, org: Organization) -> bool:
    return perms.has_capability(user, org, perms.CONTENT_PUBLISH)


def may_manage(user: Any, item: Item) -> bool:
    """Whether the user may open the item's editing pages (write or review it)."""
    return perms.has_capability(user, item.owner, perms.CONTENT_WRITE) or perms.has_capability(
        user, item.owner, perms.CONTENT_REVIEW
    )


def writable_orgs(user: Any) -> QuerySet[Organization]:
    """Organizations the user may publish for, or target."""
    return Organization.objects.filter(
        perms.scope_q(user, perms.CONTENT_WRITE), is_active=True
    ).order_by("path")


def may_see_upload(user: Any, upload: Upload) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if upload.uploaded_by_id == user.pk:
        return True
    if upload.item_id is None:
        return False
    item = upload.item
    assert item is not None
    return may_manage(user, item) or visible_items(user).filter(pk=item.pk).exists()


def reading_statistics(item: Item) -> dict[str, Any]:
    """Views, unique readers, and unique readers by organization (the reader's organization
    when they first read it), for the monitoring platform."""
    reads = Read.objects.filter(item=item)
    by_path = dict(
        reads.values_list("org_path")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("org_path", "n")
    )
    orgs = {o.path: o for o in Organization.objects.filter(path__in=[p for p in by_path if p])}
    rows = sorted(
        ((orgs.get(path), count) for path, count in by_path.items()),
        key=lambda row: (-row[1], row[0].path if row[0] else "~"),
    )
    return {"views": item.views, "readers": sum(by_path.values()), "by_organization": rows}


def sections_with_counts(user: Any) -> list[tuple[str, str, int]]:
    """Each section the reader can see something in, with how many items."""
    counts = dict(visible_items(user).values_list("section").annotate(n=Count("id")).order_by())
    return [
        (value, str(label), counts[value]) for value, label in Section.choices if counts.get(value)
    ]


def guide_for(procedure: str) -> Item | None:
    """The live affairs-guide page for a procedure (guides are the whole university's)."""
    return (
        Item.objects.filter(live_q(), section=Section.GUIDE, procedure=procedure, target_all=True)
        .order_by("-publish_at")
        .first()
    )


def answers_for_notification(user: Any, notification: Any) -> bool:
    """Whether the user may see the read receipts of an item's notice: those who may manage
    the item answer for what it sent, not only its author (notifications' receipt viewer)."""
    if not str(notification.kind).startswith("content."):
        return False
    item = Item.objects.filter(notification=notification).select_related("owner").first()
    # Those who decide what goes out, not every writer of the organization: the receipts
    # name every member the notice reached.
    return item is not None and (
        may_publish(user, item.owner)
        or perms.has_capability(user, item.owner, perms.CONTENT_REVIEW)
    )
