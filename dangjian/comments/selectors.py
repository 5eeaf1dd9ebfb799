"""Reads of comments that depend on who is asking: a thread as one viewer sees it, one
comment for an action, and the moderators' lists.

Readers of an item read its comments. Moderators of an item (those who review content or
texts for its publishing organization) act on them from their own pages, even when the item
is not shown to them as readers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Window
from django.http import Http404
from django.utils import timezone

from dangjian.comments.models import Comment, CommentLike, CommentReport
from dangjian.content import selectors as content
from dangjian.content.models import Item
from dangjian.orgs import permissions as perms

PAGE_SIZE = 20
MAX_PAGES = 50
State = Comment.State
MODERATING = (perms.CONTENT_REVIEW, perms.MODERATION_REVIEW)


def may_moderate(user: Any, item: Item) -> bool:
    """Whether the user may hide and show comments on the item."""
    return any(perms.has_capability(user, item.owner, cap) for cap in MODERATING)


def may_moderate_anywhere(user: Any) -> bool:
    return any(perms.has_any_scope(user, cap) for cap in MODERATING)


def moderated_q(user: Any, field: str = "item__owner_path") -> Q:
    """Comments on items whose publishing organization the user moderates."""
    q = Q(pk__in=[])
    for cap in MODERATING:
        q |= perms.scope_q(user, cap, field)
    return q


def readable(user: Any, item_id: int) -> bool:
    """Whether the user reads the item (and so its comments)."""
    return content.visible_items(user).filter(pk=item_id).exists()


def item_for_reader(user: Any, item_id: int) -> Item:
    item = content.visible_items(user).select_related("owner").filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def _edit_window() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "COMMENTS_EDIT_MINUTES", 30)))


@dataclass
class Access:
    """A comment as one user may act on it."""

    comment: Comment
    readable: bool  # the user reads its item
    moderator: bool  # the user moderates its item
    mine: bool


def comment_access(user: Any, pk: int) -> Access:
    """The comment, if the user can see it; otherwise 404.

    Readers of the item and its moderators see shown comments; a comment waiting for review
    or hidden is seen by its author and the moderators; a deleted one by no one.
    """
    comment = (
        Comment.objects.select_related("item__owner", "author", "reply_to__author")
        .filter(pk=pk)
        .first()
    )
    if comment is None or not getattr(user, "is_authenticated", False):
        raise Http404
    mine = comment.author_id == user.pk
    moderator = may_moderate(user, comment.item)
    can_read = readable(user, comment.item_id)
    seen = {
        State.VISIBLE: can_read or moderator,
        # Waiting for review: its author's alone in the thread; its reviewers open it from
        # the review queue.
        State.HELD: mine or moderator,
        State.HIDDEN: mine or moderator,
        State.DELETED: False,
    }[State(comment.state)]
    if not seen:
        raise Http404
    return Access(comment=comment, readable=can_read, moderator=moderator, mine=mine)


@dataclass
class Entry:
    """One comment as the viewer sees it, with what they may do with it."""

    comment: Comment
    text: str  # what the viewer reads ("" when only a placeholder is shown)
    placeholder: str  # "deleted" or "hidden" when the text is not shown
    mine: bool
    liked: bool
    reported: bool
    held: bool  # the viewer's own comment, waiting for review
    pending: str  # the viewer's newer text waiting for review, while the older one shows
    can_edit: bool
    can_delete: bool
    can_like: bool
    can_report: bool
    can_reply: bool
    can_hide: bool
    can_unhide: bool
    answers: str  # the name of whom a reply to a reply answers
    replies: list[Entry] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return int(self.comment.pk)


@dataclass
class Thread:
    item: Item
    entries: list[Entry]
    count: int  # top comments the viewer sees
    limit: int
    has_more: bool
    readable: bool
    moderator: bool
    can_post: bool
    edit_minutes: int

    @property
    def next_page(self) -> int:
        return self.limit // PAGE_SIZE + 1


def _viewer_id(viewer: Any) -> int:
    # Never None: "author is the viewer" must not match comments whose author is gone.
    return int(viewer.pk) if getattr(viewer, "is_authenticated", False) else -1


def entry(
    comment: Comment,
    viewer: Any,
    *,
    readable: bool,
    moderator: bool,
    now: dt.datetime | None = None,
) -> Entry:
    """What the viewer sees of one comment, and may do with it."""
    now = now or timezone.now()
    viewer_id = _viewer_id(viewer)
    mine = comment.author_id == viewer_id
    state = comment.state
    shows = (
        state == State.VISIBLE
        or (state == State.HELD and mine)
        or (state == State.HIDDEN and (mine or moderator))
    )
    held = state == State.HELD and mine
    text = ""
    if shows:
        text = comment.text or (comment.held_text if held else "")
    liked = getattr(comment, "liked", None)
    if liked is None:
        liked = CommentLike.objects.filter(comment=comment, user_id=viewer_id).exists()
    reported = getattr(comment, "reported", None)
    if reported is None:
        reported = CommentReport.objects.filter(comment=comment, reporter_id=viewer_id).exists()
    item_open = comment.item.comments_enabled
    answers = ""
    if comment.reply_to_id and comment.reply_to_id != comment.parent_id and comment.reply_to:
        answers = str(comment.reply_to.author or "")
    visible = state == State.VISIBLE
    return Entry(
        comment=comment,
        text=text,
        placeholder="" if shows else ("hidden" if state == State.HIDDEN else "deleted"),
        mine=mine,
        liked=bool(liked),
        reported=bool(reported),
        held=held,
        pending=comment.held_text if mine and comment.text and comment.held_text else "",
        can_edit=(
            mine
            and readable
            and item_open
            and state in (State.VISIBLE, State.HELD)
            and now <= comment.created_at + _edit_window()
        ),
        can_delete=mine and state != State.DELETED,
        can_like=readable and visible,
        can_report=readable and visible and not mine and not reported,
        can_reply=readable and visible and item_open,
        can_hide=moderator and visible,
        can_unhide=moderator and state == State.HIDDEN,
        answers=answers,
    )


def _annotated(viewer_id: int) -> QuerySet[Comment]:
    return Comment.objects.select_related("author", "reply_to__author").annotate(
        liked=Exists(CommentLike.objects.filter(comment=OuterRef("pk"), user_id=viewer_id)),
        reported=Exists(
            CommentReport.objects.filter(comment=OuterRef("pk"), reporter_id=viewer_id)
        ),
    )


def thread(
    item: Item,
    viewer: Any,
    *,
    limit: int = PAGE_SIZE,
    readable: bool = True,
    moderator: bool | None = None,
) -> Thread:
    """The item's comments as the viewer sees them: top comments newest first (`limit` of
    them), each with its replies oldest first. Two queries: the top comments (with how many
    there are), then their replies; each with the viewer's likes and reports.

    Shown comments are read by everyone; a comment waiting for review only by its author; a
    hidden one by its author and the moderators. A deleted or hidden top comment that has
    shown replies stays as a placeholder, so the replies keep their place.
    """
    if moderator is None:
        moderator = may_moderate(viewer, item)
    limit = max(PAGE_SIZE, min(limit, PAGE_SIZE * MAX_PAGES))
    viewer_id = _viewer_id(viewer)
    has_replies = Exists(Comment.objects.filter(parent=OuterRef("pk"), state=State.VISIBLE))
    seen = Q(state=State.VISIBLE) | Q(state=State.HELD, author_id=viewer_id)
    hidden = Q(state=State.HIDDEN) if moderator else Q(state=State.HIDDEN, author_id=viewer_id)
    top_seen = seen | hidden | Q(has_replies, state__in=[State.HIDDEN, State.DELETED])
    tops = list(
        _annotated(viewer_id)
        .filter(top_seen, item=item, parent=None)
        .annotate(total=Window(Count("pk")))
        .order_by("-created_at", "-pk")[: limit + 1]
    )
    count = int(getattr(tops[0], "total", 0)) if tops else 0
    has_more = len(tops) > limit
    tops = tops[:limit]
    now = timezone.now()
    entries = []
    by_pk: dict[int, Entry] = {}
    for comment in tops:
        comment.item = item
        made = entry(comment, viewer, readable=readable, moderator=moderator, now=now)
        entries.append(made)
        by_pk[comment.pk] = made
    if by_pk:
        replies = (
            _annotated(viewer_id)
            .filter(seen | hidden, parent_id__in=list(by_pk))
            .order_by("created_at", "pk")
        )
        for reply in replies:
            reply.item = item
            by_pk[reply.parent_id].replies.append(  # type: ignore[index]
                entry(reply, viewer, readable=readable, moderator=moderator, now=now)
            )
    return Thread(
        item=item,
        entries=entries,
        count=count,
        limit=limit,
        has_more=has_more,
        readable=readable,
        moderator=moderator,
        can_post=readable and item.comments_enabled,
        edit_minutes=int(_edit_window().total_seconds() // 60),
    )


def reported(user: Any) -> QuerySet[Comment]:
    """Comments with open reports on items the user moderates, most reported first."""
    open_reports = CommentReport.objects.filter(resolved_at=None)
    return (
        Comment.objects.filter(moderated_q(user))
        .filter(Exists(open_reports.filter(comment=OuterRef("pk"))))
        .exclude(state=State.DELETED)
        .select_related("item", "author")
        .annotate(
            open_reports=Count("reports", filter=Q(reports__resolved_at=None)),
            last_reported=Max("reports__created_at", filter=Q(reports__resolved_at=None)),
        )
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=open_reports.select_related("reporter").order_by("created_at"),
                to_attr="open_report_list",
            )
        )
        .order_by("-open_reports", "-last_reported", "-pk")
    )


def hidden(user: Any) -> QuerySet[Comment]:
    """Hidden comments on items the user moderates, most recently hidden first."""
    return (
        Comment.objects.filter(moderated_q(user), state=State.HIDDEN)
        .select_related("item", "author", "hidden_by")
        .order_by("-hidden_at", "-pk")
    )


def context_of(comment: Comment) -> list[Comment]:
    """The comment with its thread around it, for a moderator: the top comment and its
    replies (all of them, whatever their state)."""
    top_id = comment.parent_id or comment.pk
    rows = (
        Comment.objects.filter(Q(pk=top_id) | Q(parent_id=top_id))
        .select_related("author", "reply_to__author", "hidden_by")
        .order_by("created_at", "pk")
    )
    return sorted(rows, key=lambda c: c.parent_id is not None)
