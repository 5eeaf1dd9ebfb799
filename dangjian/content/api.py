"""API: what a reader may read (the feed, search, an item), and the writers' and reviewers'
operations on items, over the same selectors and services as the pages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from dangjian.accounts.models import User
from dangjian.content import selectors, services
from dangjian.content.models import Category, Item, Upload
from dangjian.lib.pagination import paginate
from dangjian.orgs.models import Organization

router = Router(tags=["content"])


class ItemSummaryOut(Schema):
    id: int
    section: str
    column: str | None
    title: str
    summary: str
    cover: str | None
    pinned: bool
    publish_at: dt.datetime | None
    owner: str
    byline: str
    comments_enabled: bool

    @staticmethod
    def build(item: Item) -> ItemSummaryOut:
        return ItemSummaryOut(
            id=item.pk,
            section=item.section,
            column=item.category.name if item.category else None,
            title=item.title,
            summary=item.summary,
            cover=item.cover.url if item.cover else None,
            pinned=item.pinned,
            publish_at=item.publish_at,
            owner=item.owner.code,
            byline=item.byline,
            comments_enabled=item.comments_enabled,
        )


class AttachmentOut(Schema):
    id: int
    name: str
    url: str
    size: int
    content_type: str


class ItemOut(ItemSummaryOut):
    body: str  # sanitized HTML
    tags: list[str]
    attachments: list[AttachmentOut]
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    location: str
    procedure: str
    research_kind: str
    research_status: str
    research_members: str

    @staticmethod
    def build(item: Item) -> ItemOut:
        summary = ItemSummaryOut.build(item)
        attachments = [
            AttachmentOut(id=u.pk, name=u.name, url=u.url, size=u.size, content_type=u.content_type)
            for u in sorted(item.uploads.all(), key=lambda u: u.pk)
            if u.is_attachment
        ]
        return ItemOut(
            **summary.dict(),
            body=item.body,
            tags=[t.name for t in item.tags.all()],
            attachments=attachments,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            location=item.location,
            procedure=item.procedure,
            research_kind=item.research_kind,
            research_status=item.research_status,
            research_members=item.research_members,
        )


class ManagedItemOut(ItemOut):
    state: str
    target_all: bool
    targets: list[str]
    send_notification: bool
    review_note: str
    author: str | None
    views: int
    notification_id: int | None

    @staticmethod
    def build(item: Item) -> ManagedItemOut:
        return ManagedItemOut(
            **ItemOut.build(item).dict(),
            state=item.state,
            target_all=item.target_all,
            targets=[row.organization.code for row in item.target_rows.all()],
            send_notification=item.send_notification,
            review_note=item.review_note,
            author=item.author.get_username() if item.author else None,
            views=item.views,
            notification_id=item.notification_id,
        )


class ItemPage(Schema):
    count: int
    count_capped: bool
    page: int
    pages: int
    results: list[ItemSummaryOut]


class ManagedPage(Schema):
    count: int
    count_capped: bool
    page: int
    pages: int
    results: list[ManagedItemOut]


class ItemIn(Schema):
    section: str
    title: str
    owner: str  # organization code
    body: str = ""
    summary: str = ""
    column: int | None = None
    tags: list[str] = []
    cover: int | None = None  # upload id
    attachments: list[int] = []
    byline: str = ""
    target_all: bool = False
    targets: list[str] = []  # organization codes
    publish_at: dt.datetime | None = None
    comments_enabled: bool = False
    send_notification: bool | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    location: str = ""
    procedure: str = ""
    research_kind: str = ""
    research_status: str = ""
    research_members: str = ""


class PublishIn(Schema):
    publish_at: dt.datetime | None = None


class NoteIn(Schema):
    note: str


class PinIn(Schema):
    pinned: bool


class ReaderCount(Schema):
    organization: str | None
    name: str | None
    readers: int


class StatisticsOut(Schema):
    views: int
    readers: int
    by_organization: list[ReaderCount]


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _org(user: User, code: str, field: str) -> Organization:
    org = selectors.writable_orgs(user).filter(code=code).first()
    if org is None:
        message = _("No organization with the code %(code)s that you may write for.")
        raise ValidationError({field: message % {"code": code}})
    return org


def _upload(user: User, pk: int | None, field: str) -> Upload | None:
    if pk is None:
        return None
    upload = Upload.objects.filter(pk=pk).first()
    if upload is None:
        raise ValidationError({field: _("No upload with the id %(id)s.") % {"id": pk}})
    return upload


def _input(user: User, payload: ItemIn) -> services.ItemInput:
    column = None
    if payload.column is not None:
        column = Category.objects.filter(pk=payload.column).first()
        if column is None:
            raise ValidationError(
                {"column": _("No column with the id %(id)s.") % {"id": payload.column}}
            )
    attachments = [_upload(user, pk, "attachments") for pk in payload.attachments]
    return services.ItemInput(
        section=payload.section,
        title=payload.title,
        owner=_org(user, payload.owner, "owner"),
        body=payload.body,
        summary=payload.summary,
        category=column,
        tags=payload.tags,
        cover=_upload(user, payload.cover, "cover"),
        attachments=[a for a in attachments if a is not None],
        byline=payload.byline,
        target_all=payload.target_all,
        targets=[_org(user, code, "targets") for code in payload.targets],
        publish_at=payload.publish_at,
        comments_enabled=payload.comments_enabled,
        send_notification=payload.send_notification,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        location=payload.location,
        procedure=payload.procedure,
        research_kind=payload.research_kind,
        research_status=payload.research_status,
        research_members=payload.research_members,
    )


MANAGED_RELATED = ("owner", "author", "category", "cover")
MANAGED_PREFETCH = ("tags", "uploads", "target_rows__organization")


def _managed(user: User, item_id: int) -> Item:
    return get_object_or_404(
        selectors.writer_items(user).select_related("owner", "author", "category", "cover"),
        pk=item_id,
    )


# -- Readers ---------------------------------------------------------------------------------


@router.get("/items", response=ItemPage, summary="What I may read: pinned first, newest first")
def item_list(
    request: HttpRequest,
    section: str = "",
    q: str = "",
    page: int = 1,
    page_size: int = 20,
) -> ItemPage:
    user = _user(request)
    items = selectors.search(user, q, section=section) if q.strip() else None
    if items is None:
        items = selectors.feed(user, section=section or None)
    meta, rows = paginate(
        items.select_related("owner").defer("body", "search_text"), page, page_size
    )
    return ItemPage(**meta, results=[ItemSummaryOut.build(i) for i in rows])


@router.get("/items/{item_id}", response=ItemOut, summary="An item I may read (counts my reading)")
def item_detail(request: HttpRequest, item_id: int) -> ItemOut:
    user = _user(request)
    item = get_object_or_404(
        selectors.visible_items(user).select_related("owner", "category", "cover"), pk=item_id
    )
    services.record_read(user=user, item=item)
    return ItemOut.build(item)


# -- Writers and reviewers -------------------------------------------------------------------


@router.get("/manage", response=ManagedPage, summary="Items of the organizations I write for")
def managed_list(
    request: HttpRequest, section: str = "", state: str = "", page: int = 1, page_size: int = 20
) -> ManagedPage:
    items = (
        selectors.writer_items(_user(request))
        .select_related(*MANAGED_RELATED)
        .prefetch_related(*MANAGED_PREFETCH)
    )
    if section:
        items = items.filter(section=section)
    if state:
        items = items.filter(state=state)
    meta, rows = paginate(items.order_by("-updated_at", "-id"), page, page_size)
    return ManagedPage(**meta, results=[ManagedItemOut.build(i) for i in rows])


@router.post("/manage", response={201: ManagedItemOut}, summary="Write an item (a draft)")
def managed_create(request: HttpRequest, payload: ItemIn) -> Status[ManagedItemOut]:
    user = _user(request)
    item = services.item_save(actor=user, data=_input(user, payload))
    return Status(201, ManagedItemOut.build(item))


@router.get("/manage/{item_id}", response=ManagedItemOut, summary="An item I write or review")
def managed_detail(request: HttpRequest, item_id: int) -> ManagedItemOut:
    return ManagedItemOut.build(_managed(_user(request), item_id))


@router.put("/manage/{item_id}", response=ManagedItemOut, summary="Change an item")
def managed_update(request: HttpRequest, item_id: int, payload: ItemIn) -> ManagedItemOut:
    user = _user(request)
    item = services.item_save(actor=user, item=_managed(user, item_id), data=_input(user, payload))
    return ManagedItemOut.build(item)


@router.post("/manage/{item_id}/submit", response=ManagedItemOut, summary="Ask for review")
def managed_submit(request: HttpRequest, item_id: int) -> ManagedItemOut:
    user = _user(request)
    return ManagedItemOut.build(services.item_submit(actor=user, item=_managed(user, item_id)))


@router.post(
    "/manage/{item_id}/publish", response=ManagedItemOut, summary="Publish now or at a time"
)
def managed_publish(request: HttpRequest, item_id: int, payload: PublishIn) -> ManagedItemOut:
    user = _user(request)
    item = services.item_publish(
        actor=user, item=_managed(user, item_id), publish_at=payload.publish_at
    )
    return ManagedItemOut.build(item)


@router.post("/manage/{item_id}/approve", response=ManagedItemOut, summary="Approve (review)")
def managed_approve(request: HttpRequest, item_id: int) -> ManagedItemOut:
    user = _user(request)
    return ManagedItemOut.build(services.item_approve(actor=user, item=_managed(user, item_id)))


@router.post(
    "/manage/{item_id}/return", response=ManagedItemOut, summary="Return to the writer (review)"
)
def managed_return(request: HttpRequest, item_id: int, payload: NoteIn) -> ManagedItemOut:
    user = _user(request)
    item = services.item_return(actor=user, item=_managed(user, item_id), note=payload.note)
    return ManagedItemOut.build(item)


@router.post("/manage/{item_id}/withdraw", response=ManagedItemOut, summary="Take it down")
def managed_withdraw(request: HttpRequest, item_id: int) -> ManagedItemOut:
    user = _user(request)
    return ManagedItemOut.build(services.item_withdraw(actor=user, item=_managed(user, item_id)))


@router.post("/manage/{item_id}/pin", response=ManagedItemOut, summary="Pin or unpin")
def managed_pin(request: HttpRequest, item_id: int, payload: PinIn) -> ManagedItemOut:
    user = _user(request)
    item = services.item_pin(actor=user, item=_managed(user, item_id), pinned=payload.pinned)
    return ManagedItemOut.build(item)


@router.get(
    "/manage/{item_id}/statistics",
    response=StatisticsOut,
    summary="Views and unique readers by organization",
)
def managed_statistics(request: HttpRequest, item_id: int) -> StatisticsOut:
    stats = selectors.reading_statistics(_managed(_user(request), item_id))
    return StatisticsOut(
        views=stats["views"],
        readers=stats["readers"],
        by_organization=[
            ReaderCount(
                organization=org.code if org else None, name=org.name if org else None, readers=n
            )
            for org, n in stats["by_organization"]
        ],
    )


@router.get("/review", response=list[ManagedItemOut], summary="Items waiting for my review")
def review_list(request: HttpRequest) -> list[ManagedItemOut]:
    queue = (
        selectors.review_queue(_user(request))
        .select_related(*MANAGED_RELATED)
        .prefetch_related(*MANAGED_PREFETCH)
    )
    return [ManagedItemOut.build(i) for i in queue[:200]]


# -- Reading statistics (the monitoring platform) ---------------------------------------------


class ReadingTotalsOut(Schema):
    items: int
    views: int
    readers: int  # distinct people
    org_readers: int | None  # distinct people of the chosen organization's subtree


class ReadingSectionOut(ReadingTotalsOut):
    section: str


class ReadingItemOut(Schema):
    id: int
    title: str
    section: str
    column: str | None
    owner: str
    publish_at: dt.datetime | None
    views: int
    readers: int
    org_readers: int | None


class ReadingOverviewOut(Schema):
    days: int
    start: dt.datetime
    end: dt.datetime
    organization: str | None
    sort: str
    totals: ReadingTotalsOut
    sections: list[ReadingSectionOut]
    count: int
    count_capped: bool
    page: int
    pages: int
    results: list[ReadingItemOut]


@router.get(
    "/statistics",
    response=ReadingOverviewOut,
    summary="Views and unique readers of the items I oversee, published in a period",
)
def reading_statistics(
    request: HttpRequest,
    days: int = 30,
    sort: str = "views",
    organization: str = "",
    page: int = 1,
    page_size: int = 50,
) -> ReadingOverviewOut:
    """For reviewers and publishers: the items owned in their scope and published in the last
    `days` days (7, 30, 90 or 365), sorted by `views` or `readers`; with `organization` (a
    code in scope), the unique readers whose organization is in its subtree as well."""
    from django.http import Http404

    from dangjian.content import statistics

    user = _user(request)
    if not statistics.may_see_statistics(user):
        raise Http404
    if days not in statistics.PERIODS:
        raise ValidationError({"days": _("The period is 7, 30, 90 or 365 days.")})
    if sort not in statistics.SORTS:
        raise ValidationError({"sort": _("Sort by views or readers.")})
    org = None
    if organization:
        org = statistics.statistics_orgs(user).filter(code=organization).first()
        if org is None:
            message = _("No organization with the code %(code)s whose readings you oversee.")
            raise ValidationError({"organization": message % {"code": organization}})
    overview = statistics.reading_overview(user, days=days, sort=sort, organization=org)
    meta, rows = paginate(overview.items, page, page_size)
    in_org = org is not None
    total = overview.total
    return ReadingOverviewOut(
        days=overview.period.days,
        start=overview.period.start,
        end=overview.period.end,
        organization=org.code if org else None,
        sort=overview.sort,
        totals=ReadingTotalsOut(
            items=total.items,
            views=total.views,
            readers=total.readers,
            org_readers=total.org_readers if in_org else None,
        ),
        sections=[
            ReadingSectionOut(
                section=s.section,
                items=s.items,
                views=s.views,
                readers=s.readers,
                org_readers=s.org_readers if in_org else None,
            )
            for s in overview.sections
        ],
        **meta,
        results=[
            ReadingItemOut(
                id=item.pk,
                section=item.section,
                column=item.category.name if item.category else None,
                title=item.title,
                owner=item.owner.code,
                publish_at=item.publish_at,
                views=item.views,
                readers=item.readers,  # type: ignore[attr-defined]
                org_readers=item.org_readers if in_org else None,  # type: ignore[attr-defined]
            )
            for item in rows
        ],
    )
