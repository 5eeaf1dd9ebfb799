"""API: comments and replies on content items, under the same services, scope and moderation
as the thread in the item's page."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from dangjian.accounts.models import User
from dangjian.comments import selectors, services
from dangjian.comments.models import Comment
from dangjian.comments.selectors import Access, Entry

router = Router(tags=["comments"])


class CommentOut(Schema):
    id: int
    item: int
    parent: int | None  # the top comment a reply hangs under
    reply_to: int | None  # the comment a reply answers
    reply_to_author: str  # whom a reply to a reply answers; blank otherwise
    author: str
    mine: bool
    state: str  # visible, held (the caller's own, awaiting review), hidden or deleted
    text: str  # what the caller reads; blank for a placeholder (deleted or hidden)
    pending_text: str  # the caller's newer text awaiting review, while the older one shows
    hidden_reason: str  # for the author and the moderators of a hidden comment
    created_at: dt.datetime
    edited_at: dt.datetime | None
    like_count: int
    liked: bool
    reported: bool
    can_edit: bool
    can_delete: bool
    can_reply: bool
    can_hide: bool
    replies: list[CommentOut] = []

    @staticmethod
    def build(entry: Entry) -> CommentOut:
        c = entry.comment
        return CommentOut(
            id=c.pk,
            item=c.item_id,
            parent=c.parent_id,
            reply_to=c.reply_to_id,
            reply_to_author=entry.answers,
            author=str(c.author) if c.author else "",
            mine=entry.mine,
            state=c.state,
            text=entry.text,
            pending_text=entry.pending,
            hidden_reason=c.hidden_reason if entry.text or entry.pending else "",
            created_at=c.created_at,
            edited_at=c.edited_at,
            like_count=c.like_count,
            liked=entry.liked,
            reported=entry.reported,
            can_edit=entry.can_edit,
            can_delete=entry.can_delete,
            can_reply=entry.can_reply,
            can_hide=entry.can_hide,
            replies=[CommentOut.build(r) for r in entry.replies],
        )


class ThreadOut(Schema):
    item: int
    comments_enabled: bool
    can_post: bool
    count: int  # top comments the caller sees
    has_more: bool
    comments: list[CommentOut]


class CommentIn(Schema):
    text: str
    parent: int | None = None  # reply to this comment (a top comment or a reply)


class TextIn(Schema):
    text: str


class ReasonIn(Schema):
    reason: str


class WrittenOut(Schema):
    action: str  # pass, mask (shown with some words as *) or review (shown once approved)
    message: str  # for the author: what became of the text
    comment: CommentOut


class LikeOut(Schema):
    liked: bool
    like_count: int


class ReportOut(Schema):
    reported: bool
    message: str


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _entry(request: HttpRequest, access: Access) -> Entry:
    return selectors.entry(
        access.comment, _user(request), readable=access.readable, moderator=access.moderator
    )


def _reader_access(request: HttpRequest, comment_id: int) -> Access:
    access = selectors.comment_access(_user(request), comment_id)
    if not access.readable:
        raise PermissionDenied
    return access


@router.get("/items/{item_id}", response=ThreadOut, summary="An item's comments, newest first")
def thread_get(request: HttpRequest, item_id: int, page: int = 1) -> ThreadOut:
    user = _user(request)
    item = selectors.item_for_reader(user, item_id)
    pages = max(1, min(page, selectors.MAX_PAGES))
    thread = selectors.thread(item, user, limit=selectors.PAGE_SIZE * pages)
    return ThreadOut(
        item=item.pk,
        comments_enabled=item.comments_enabled,
        can_post=thread.can_post,
        count=thread.count,
        has_more=thread.has_more,
        comments=[CommentOut.build(e) for e in thread.entries],
    )


@router.post(
    "/items/{item_id}",
    response={201: WrittenOut},
    summary="Comment on an item, or reply to a comment; the text is screened first",
)
def comment_post(request: HttpRequest, item_id: int, payload: CommentIn) -> Status[WrittenOut]:
    user = _user(request)
    item = selectors.item_for_reader(user, item_id)
    parent: Comment | None = None
    if payload.parent is not None:
        parent = Comment.objects.filter(pk=payload.parent, item=item).first()
        if parent is None:
            message = _("The comment you are replying to is no longer shown; reload the page.")
            raise ValidationError({"parent": message})
    result = services.comment_post(actor=user, item=item, text=payload.text, parent=parent)
    comment = result.comment
    comment.item = item
    entry = selectors.entry(
        comment, user, readable=True, moderator=selectors.may_moderate(user, item)
    )
    return Status(
        201,
        WrittenOut(action=result.action, message=result.message, comment=CommentOut.build(entry)),
    )


@router.patch(
    "/{comment_id}", response=WrittenOut, summary="Change your comment within the edit window"
)
def comment_edit(request: HttpRequest, comment_id: int, payload: TextIn) -> WrittenOut:
    user = _user(request)
    access = selectors.comment_access(user, comment_id)
    if not access.mine or not access.readable:
        raise PermissionDenied
    result = services.comment_edit(actor=user, comment=access.comment, text=payload.text)
    return WrittenOut(
        action=result.action,
        message=result.message,
        comment=CommentOut.build(_entry(request, access)),
    )


@router.delete("/{comment_id}", response={204: None}, summary="Delete your comment")
def comment_delete(request: HttpRequest, comment_id: int) -> Status[None]:
    access = selectors.comment_access(_user(request), comment_id)
    services.comment_delete(actor=_user(request), comment=access.comment)
    return Status(204, None)


@router.post("/{comment_id}/like", response=LikeOut, summary="Like a comment (idempotent)")
def comment_like(request: HttpRequest, comment_id: int) -> LikeOut:
    access = _reader_access(request, comment_id)
    count = services.comment_like(actor=_user(request), comment=access.comment)
    return LikeOut(liked=True, like_count=count)


@router.delete("/{comment_id}/like", response=LikeOut, summary="Take back a like (idempotent)")
def comment_unlike(request: HttpRequest, comment_id: int) -> LikeOut:
    access = _reader_access(request, comment_id)
    count = services.comment_unlike(actor=_user(request), comment=access.comment)
    return LikeOut(liked=False, like_count=count)


@router.post(
    "/{comment_id}/report",
    response={201: ReportOut},
    summary="Report an abusive comment to the moderators, once",
)
def comment_report(request: HttpRequest, comment_id: int, payload: ReasonIn) -> Status[ReportOut]:
    access = _reader_access(request, comment_id)
    services.comment_report(actor=_user(request), comment=access.comment, reason=payload.reason)
    message = _("Thank you. The comment was reported; a moderator will look at it.")
    return Status(201, ReportOut(reported=True, message=message))


@router.post(
    "/{comment_id}/hide",
    response=CommentOut,
    summary="Hide a comment, with a reason its author is told (moderators)",
)
def comment_hide(request: HttpRequest, comment_id: int, payload: ReasonIn) -> CommentOut:
    access = selectors.comment_access(_user(request), comment_id)
    if not access.moderator:
        raise PermissionDenied
    services.comment_hide(actor=_user(request), comment=access.comment, reason=payload.reason)
    return CommentOut.build(_entry(request, access))


@router.post(
    "/{comment_id}/unhide", response=CommentOut, summary="Show a hidden comment again (moderators)"
)
def comment_unhide(request: HttpRequest, comment_id: int) -> CommentOut:
    access = selectors.comment_access(_user(request), comment_id)
    if not access.moderator:
        raise PermissionDenied
    services.comment_unhide(actor=_user(request), comment=access.comment)
    return CommentOut.build(_entry(request, access))
