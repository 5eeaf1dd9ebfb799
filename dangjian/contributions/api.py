"""API: a member's contributions, and the editors' desk, over the same services and scope
as the pages (see services.py for who sees what)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from dangjian.accounts.models import User
from dangjian.content import services as content
from dangjian.content.models import Upload
from dangjian.contributions import selectors, services
from dangjian.contributions.models import (
    COMMENT_MAX_LENGTH,
    MAX_PICTURES,
    NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Contribution,
    Event,
)
from dangjian.lib.pagination import paginate

router = Router(tags=["contributions"])


class PictureOut(Schema):
    key: uuid.UUID
    name: str
    url: str
    width: int | None
    height: int | None

    @staticmethod
    def build(upload: Upload) -> PictureOut:
        return PictureOut(
            key=upload.key,
            name=upload.name,
            url=reverse("contributions:picture", args=[upload.key]),
            width=upload.width,
            height=upload.height,
        )


class ContributionOut(Schema):
    id: int
    title: str
    section: str
    state: str
    moderation: str  # clear, held (waiting for a moderator) or refused
    target: str  # the code of the organization it is addressed to
    target_name: str
    author_name: str
    comment: str  # the editor's last word: what to change, or why it was not accepted
    revision: int
    submitted_at: dt.datetime
    updated_at: dt.datetime
    item_id: int | None  # the content item it was published as

    @staticmethod
    def build(c: Contribution) -> ContributionOut:
        return ContributionOut(
            id=c.pk,
            title=c.title,
            section=c.section,
            state=c.state,
            moderation=c.moderation,
            target=c.target.code,
            target_name=c.target.name,
            author_name=c.author_name,
            comment=c.comment,
            revision=c.revision,
            submitted_at=c.submitted_at,
            updated_at=c.updated_at,
            item_id=c.item_id,
        )


class EventOut(Schema):
    kind: str
    created_at: dt.datetime
    note: str


class ContributionDetail(ContributionOut):
    text: str
    body: str  # sanitized HTML
    note: str
    pictures: list[PictureOut]
    events: list[EventOut]

    @staticmethod
    def build_detail(c: Contribution) -> ContributionDetail:
        base = ContributionOut.build(c).dict()
        return ContributionDetail(
            **base,
            text=c.text,
            body=c.body,
            note=c.note,
            pictures=[PictureOut.build(u) for u in selectors.pictures(c)],
            events=[
                EventOut(kind=e.kind, created_at=e.created_at, note=e.note)
                for e in Event.objects.filter(contribution=c)
            ],
        )


class ContributionPage(Schema):
    count: int
    count_capped: bool
    page: int
    pages: int
    results: list[ContributionOut]


class DeskPage(ContributionPage):
    counts: dict[str, int]  # how many in each state on the caller's desk


class ArticleIn(Schema):
    title: str = Field(..., max_length=200)
    text: str = Field(..., max_length=TEXT_MAX_LENGTH * 2)
    section: str = "news"  # news, showcase or research
    note: str = Field("", max_length=NOTE_MAX_LENGTH * 2)
    desk: str = services.Desk.COMMITTEE  # committee (the default) or university
    pictures: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_PICTURES)


class ArticlePatch(Schema):
    title: str | None = Field(None, max_length=200)
    text: str | None = Field(None, max_length=TEXT_MAX_LENGTH * 2)
    section: str | None = None
    note: str | None = Field(None, max_length=NOTE_MAX_LENGTH * 2)
    desk: str | None = None
    pictures: list[uuid.UUID] | None = Field(None, max_length=MAX_PICTURES)


class ResultOut(Schema):
    action: str  # pass, mask, review (held for moderation) or unchanged
    message: str  # for the author: what became of it
    contribution: ContributionDetail


class CommentIn(Schema):
    comment: str = Field("", max_length=COMMENT_MAX_LENGTH)


class ReasonIn(Schema):
    reason: str = Field("", max_length=COMMENT_MAX_LENGTH)


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _pictures(user: User, keys: list[uuid.UUID]) -> list[Upload]:
    found = {u.key: u for u in Upload.objects.filter(key__in=keys)}
    missing = [str(k) for k in keys if k not in found]
    if missing:
        message = _("No such picture: %(key)s") % {"key": missing[0]}
        raise ValidationError({"pictures": message})
    return [found[k] for k in dict.fromkeys(keys)]


def _result(result: services.Result) -> ResultOut:
    return ResultOut(
        action=result.action,
        message=result.message,
        contribution=ContributionDetail.build_detail(result.contribution),
    )


def _author(request: HttpRequest) -> User:
    user = _user(request)
    if selectors.author_record(user) is None:
        raise Http404
    return user


@router.get("", response=ContributionPage, summary="My contributions, newest first")
def contribution_list(request: HttpRequest, page: int = 1, page_size: int = 20) -> ContributionPage:
    meta, rows = paginate(selectors.mine(_user(request)), page, page_size)
    return ContributionPage(**meta, results=[ContributionOut.build(c) for c in rows])


@router.post(
    "",
    response={201: ResultOut},
    summary="Send an article to the editors; it is screened before they see it",
)
def contribution_submit(request: HttpRequest, payload: ArticleIn) -> Status[ResultOut]:
    user = _author(request)
    result = services.contribution_submit(
        actor=user,
        data=services.ArticleInput(
            title=payload.title,
            text=payload.text,
            section=payload.section,
            note=payload.note,
            desk=payload.desk,
            pictures=_pictures(user, payload.pictures),
        ),
    )
    return Status(201, _result(result))


@router.post(
    "/pictures",
    response={201: PictureOut},
    summary="Upload a picture to send with a contribution (JPEG, PNG, GIF or WebP)",
)
def picture_upload(request: HttpRequest, file: File[UploadedFile]) -> Status[PictureOut]:
    user = _author(request)
    upload = content.upload_create(actor=user, file=file, kind=Upload.Kind.IMAGE)
    return Status(201, PictureOut.build(upload))


@router.get("/desk", response=DeskPage, summary="The editors' desk: contributions in one state")
def desk_list(
    request: HttpRequest,
    state: str = Contribution.State.SUBMITTED,
    page: int = 1,
    page_size: int = 20,
) -> DeskPage:
    user = _user(request)
    if not selectors.may_edit_desk(user):
        raise Http404
    if state not in Contribution.State.values:
        message = _("Not a state: %(value)s") % {"value": state}
        raise ValidationError({"state": message})
    meta, rows = paginate(selectors.desk_queue(user, state), page, page_size)
    return DeskPage(
        **meta,
        counts=selectors.desk_counts(user),
        results=[ContributionOut.build(c) for c in rows],
    )


@router.get(
    "/{contribution_id}",
    response=ContributionDetail,
    summary="One contribution: the author's own, or one on the caller's desk",
)
def contribution_get(request: HttpRequest, contribution_id: int) -> ContributionDetail:
    user = _user(request)
    contribution = selectors.mine(user).filter(pk=contribution_id).first()
    if contribution is None:
        contribution = selectors.desk_get(user, contribution_id)
    return ContributionDetail.build_detail(contribution)


@router.patch(
    "/{contribution_id}",
    response=ResultOut,
    summary="Change a returned contribution (screened again); send it again with /resubmit",
)
def contribution_update(
    request: HttpRequest, contribution_id: int, payload: ArticlePatch
) -> ResultOut:
    user = _author(request)
    contribution = selectors.mine_get(user, contribution_id)
    current = selectors.pictures(contribution)
    desk = (
        services.Desk.UNIVERSITY
        if contribution.target.parent_id is None
        else services.Desk.COMMITTEE
    )
    result = services.contribution_update(
        actor=user,
        contribution=contribution,
        data=services.ArticleInput(
            title=contribution.title if payload.title is None else payload.title,
            text=contribution.text if payload.text is None else payload.text,
            section=payload.section or contribution.section,
            note=contribution.note if payload.note is None else payload.note,
            desk=payload.desk or desk,
            pictures=current if payload.pictures is None else _pictures(user, payload.pictures),
        ),
    )
    return _result(result)


@router.post(
    "/{contribution_id}/resubmit",
    response=ContributionDetail,
    summary="Send a returned contribution to the editors again",
)
def contribution_resubmit(request: HttpRequest, contribution_id: int) -> ContributionDetail:
    user = _user(request)
    contribution = selectors.mine_get(user, contribution_id)
    done = services.contribution_resubmit(actor=user, contribution=contribution)
    return ContributionDetail.build_detail(done)


@router.post(
    "/{contribution_id}/withdraw",
    response=ContributionDetail,
    summary="Withdraw a contribution before it is accepted",
)
def contribution_withdraw(request: HttpRequest, contribution_id: int) -> ContributionDetail:
    user = _user(request)
    contribution = selectors.mine_get(user, contribution_id)
    done = services.contribution_withdraw(actor=user, contribution=contribution)
    return ContributionDetail.build_detail(done)


@router.post(
    "/{contribution_id}/accept",
    response=ContributionDetail,
    summary="Accept a contribution on your desk (never your own); the author is told",
)
def contribution_accept(
    request: HttpRequest, contribution_id: int, payload: CommentIn
) -> ContributionDetail:
    user = _user(request)
    contribution = selectors.desk_get(user, contribution_id)
    done = services.contribution_accept(
        actor=user, contribution=contribution, comment=payload.comment
    )
    return ContributionDetail.build_detail(done)


@router.post(
    "/{contribution_id}/return",
    response=ContributionDetail,
    summary="Return a contribution to its author with what to change",
)
def contribution_return(
    request: HttpRequest, contribution_id: int, payload: CommentIn
) -> ContributionDetail:
    user = _user(request)
    contribution = selectors.desk_get(user, contribution_id)
    done = services.contribution_return(
        actor=user, contribution=contribution, comment=payload.comment
    )
    return ContributionDetail.build_detail(done)


@router.post(
    "/{contribution_id}/reject",
    response=ContributionDetail,
    summary="Decline a contribution, with the reason its author reads",
)
def contribution_reject(
    request: HttpRequest, contribution_id: int, payload: ReasonIn
) -> ContributionDetail:
    user = _user(request)
    contribution = selectors.desk_get(user, contribution_id)
    done = services.contribution_reject(
        actor=user, contribution=contribution, reason=payload.reason
    )
    return ContributionDetail.build_detail(done)
