"""Content pages. Readers: the feeds, an item, search. Writers: their items, the editor, an
item's management page with its actions, the review queue, uploads. And the media files."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from dangjian.accounts.typing import AuthedRequest
from dangjian.audit.services import log_action
from dangjian.content import columns, selectors, services, statistics
from dangjian.content.forms import (
    AUDIENCE_ALL,
    PERIOD_CHOICES,
    ColumnDeleteForm,
    ColumnForm,
    ColumnRenameForm,
    FeedFilterForm,
    ItemForm,
    ReturnForm,
    SearchForm,
    StatisticsFilterForm,
    UploadForm,
    WriterFilterForm,
    split_tags,
)
from dangjian.content.models import Category, Item, Section, State, Upload
from dangjian.lib import excel, richtext
from dangjian.lib.forms import apply_errors
from dangjian.notifications import selectors as inbox_selectors
from dangjian.notifications.models import Delivery
from dangjian.orgs import permissions as perms

FEED_PAGE = 10
LIST_PAGE = 20
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


# -- Readers ------------------------------------------------------------------------------


def _cursor(item: Item) -> str:
    """Where the next page of a feed starts: after this item, in the feed's order."""
    at = item.publish_at or EPOCH
    micros = (at - EPOCH) // dt.timedelta(microseconds=1)
    return f"{int(item.pinned)}.{micros}.{item.pk}"


def _after(cursor: str) -> Q | None:
    """The items after the cursor in the order pinned first, newest first, id descending."""
    try:
        pinned_text, micros_text, pk_text = cursor.split(".")
        pinned, pk = pinned_text == "1", int(pk_text)
        at = EPOCH + dt.timedelta(microseconds=int(micros_text))
    except (ValueError, OverflowError):
        return None
    # `publish_at <= at` on its own bounds the index scan, so a deep page seeks rather than
    # reading and discarding every row before it.
    same = Q(pinned=pinned, publish_at__lte=at)
    later = Q(publish_at__lt=at) | Q(pk__lt=pk)
    return (Q(pinned=False) | (same & later)) if pinned else (same & later)


def _feed_page(items: QuerySet[Item], cursor: str) -> tuple[list[Item], str]:
    after = _after(cursor) if cursor else None
    if after is not None:
        items = items.filter(after)
    rows = list(items[: FEED_PAGE + 1])
    more = len(rows) > FEED_PAGE
    rows = rows[:FEED_PAGE]
    return rows, (_cursor(rows[-1]) if more and rows else "")


@login_required
def feed(request: AuthedRequest, section: str | None = None) -> HttpResponse:
    form = FeedFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    items = (
        selectors.feed(request.user, section=section)
        .select_related("owner")
        .defer("body", "search_text")  # the cards show neither
    )
    tag = filters.get("tag", "")
    if tag:
        items = items.filter(tags__name=tag)
    cursor = filters.get("after", "")
    rows, next_cursor = _feed_page(items, cursor)
    context = {
        "section": section,
        "section_label": Section(section).label if section else _("All content"),
        "sections": Section.choices,
        "items": rows,
        "next_cursor": next_cursor,
        "tag": tag,
    }
    if request.htmx and cursor:
        return render(request, "content/_cards.html", context)
    context["popular_tags"] = statistics.popular_tags(request.user, section=section)
    return render(request, "content/feed.html", context)


@login_required
@cache_control(private=True, no_cache=True)
def item_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        selectors.visible_items(request.user).select_related("owner", "category", "cover"),
        pk=pk,
    )
    # Only a reader opening the page counts: not a picture or frame that fetches it (a
    # browser names the destination; old ones send nothing, and are counted).
    if request.headers.get("Sec-Fetch-Dest", "document") == "document":
        services.record_read(user=request.user, item=item)
    return render(
        request,
        "content/item_detail.html",
        {
            "item": item,
            "attachments": item.uploads.filter(is_attachment=True).order_by("pk"),
            "tags": list(item.tags.all()),
            "may_manage": selectors.may_manage(request.user, item),
        },
    )


@login_required
def search(request: AuthedRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    query = (filters.get("q") or "").strip()
    section = filters.get("section") or None
    results = selectors.search(request.user, query, section=section).select_related("owner")
    page = Paginator(results, LIST_PAGE).get_page(request.GET.get("page")) if query else None
    return render(
        request,
        "content/search.html",
        {"form": form, "query": query, "page": page, "sections": Section.choices},
    )


# -- Writers -------------------------------------------------------------------------------


def _require_writer(request: AuthedRequest) -> None:
    user = request.user
    if not (
        perms.has_any_scope(user, perms.CONTENT_WRITE)
        or perms.has_any_scope(user, perms.CONTENT_REVIEW)
    ):
        raise Http404


def _writer_item(request: AuthedRequest, pk: int) -> Item:
    """An item of an organization in the user's writing or reviewing scope; others are 404."""
    return get_object_or_404(
        selectors.writer_items(request.user).select_related(
            "owner", "category", "cover", "author", "reviewed_by", "notification"
        ),
        pk=pk,
    )


@login_required
def manage_list(request: AuthedRequest) -> HttpResponse:
    _require_writer(request)
    user = request.user
    form = WriterFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    items = selectors.writer_items(user).select_related("owner", "author", "category")
    if filters.get("section"):
        items = items.filter(section=filters["section"])
    if filters.get("state"):
        items = items.filter(state=filters["state"])
    if filters.get("q"):
        items = items.filter(title__icontains=filters["q"])
    column = None
    if filters.get("column"):
        items = items.filter(category_id=filters["column"])
        column = Category.objects.filter(pk=filters["column"]).first()
    page = Paginator(items.order_by("-updated_at", "-id"), LIST_PAGE).get_page(
        request.GET.get("page")
    )
    reviewer = perms.has_any_scope(user, perms.CONTENT_REVIEW)
    return render(
        request,
        "content/manage_list.html",
        {
            "form": form,
            "page": page,
            "may_write": perms.has_any_scope(user, perms.CONTENT_WRITE),
            "review_count": selectors.review_queue(user).count() if reviewer else None,
            "sections": Section.choices,
            "column": column,
        },
    )


@login_required
def item_create(request: AuthedRequest) -> HttpResponse:
    if not perms.has_any_scope(request.user, perms.CONTENT_WRITE):
        raise Http404
    return _editor(request, None)


@login_required
def item_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _writer_item(request, pk)
    if not selectors.may_write(request.user, item.owner):
        raise PermissionDenied
    return _editor(request, item)


def _store_uploads(request: AuthedRequest, data: Any) -> dict[str, list[str]]:
    """Store the files sent with the form first, so that a refused save keeps them: their ids
    go into the form's data as the cover and attachments."""
    errors: dict[str, list[str]] = {}
    cover = request.FILES.get("cover_file")
    if cover is not None:
        try:
            upload = services.upload_create(actor=request.user, file=cover, kind=Upload.Kind.IMAGE)
        except ValidationError as exc:
            errors["cover_file"] = exc.messages
        else:
            data["cover"] = str(upload.pk)
            data.pop("remove_cover", None)
    for file in request.FILES.getlist("attachment_files"):
        try:
            upload = services.upload_create(actor=request.user, file=file, kind=Upload.Kind.FILE)
        except ValidationError as exc:
            errors.setdefault("attachment_files", []).extend(exc.messages)
        else:
            data.appendlist("attachments", str(upload.pk))
    return errors


def _item_input(form: ItemForm) -> services.ItemInput:
    data = form.cleaned_data
    section = data["section"]
    whole = data["audience"] == AUDIENCE_ALL
    activity, research = section == Section.ACTIVITY, section == Section.RESEARCH
    return services.ItemInput(
        section=section,
        title=data["title"],
        owner=data["owner"],
        body=data["body"],
        summary=data["summary"],
        category=data["category"],
        tags=split_tags(data["tags"]),
        cover=None if data["remove_cover"] else data["cover"],
        attachments=list(data["attachments"]),
        byline=data["byline"],
        target_all=whole,
        targets=[] if whole else list(data["targets"]),
        publish_at=data["publish_at"],
        comments_enabled=data["comments_enabled"],
        send_notification=data["send_notification"],
        # Fields of other sections, left over from switching sections, are not kept.
        starts_at=data["starts_at"] if activity else None,
        ends_at=data["ends_at"] if activity else None,
        location=data["location"] if activity else "",
        procedure=data["procedure"] if section == Section.GUIDE else "",
        research_kind=data["research_kind"] if research else "",
        research_status=data["research_status"] if research else "",
        research_members=data["research_members"] if research else "",
    )


def _editor(request: AuthedRequest, item: Item | None) -> HttpResponse:
    user = request.user
    status = 200
    if request.method == "POST":
        data = request.POST.copy()
        upload_errors = _store_uploads(request, data)
        form = ItemForm(data, user=user, item=item)
        if form.is_valid() and not upload_errors:
            try:
                saved = services.item_save(actor=user, data=_item_input(form), item=item)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return _after_save(request, saved, request.POST.get("action", "save"), form)
        for field, field_errors in upload_errors.items():
            for message in field_errors:
                form.add_error(field, message)
        status = 422
    else:
        initial = ItemForm.initial_for(item, user=user, section=request.GET.get("section", ""))
        form = ItemForm(initial=initial, user=user, item=item)
    publisher = perms.has_any_scope(user, perms.CONTENT_PUBLISH)
    locked = (
        item is not None
        and item.state in (State.PUBLISHED, State.PENDING)
        and not selectors.may_publish(user, item.owner)
    )
    return render(
        request,
        "content/item_form.html",
        {
            "form": form,
            "item": item,
            "publisher": publisher,
            "locked": locked,
            "body_html": _body_html(form),
            "target_choices": _target_choices(form),
            "cover_upload": next(iter(form.selected_uploads("cover")), None),
            "attachment_uploads": form.selected_uploads("attachments"),
            "upload_url": reverse("content:upload"),
            "editor_labels": _editor_labels(),
        },
        status=status,
    )


def _body_html(form: ItemForm) -> str:
    """The text to load into the editor: the stored body is sanitized already; a posted one
    (shown again beside its errors) is sanitized here before it goes back into the page."""
    if not form.is_bound:
        return str(form.initial.get("body") or "")
    try:
        return richtext.sanitize(str(form.data.get("body") or ""))
    except ValueError:
        return ""


def _target_choices(form: ItemForm) -> list[tuple[Any, int, bool]]:
    orgs = list(form.fields["targets"].queryset)  # type: ignore[attr-defined]
    if form.is_bound:
        data: Any = form.data
        chosen = set(data.getlist("targets"))
    else:
        chosen = {str(getattr(o, "pk", o)) for o in form.initial.get("targets") or []}
    top = min((o.depth for o in orgs), default=0)
    return [(o, min(o.depth - top, 4), str(o.pk) in chosen) for o in orgs]


def _editor_labels() -> dict[str, str]:
    return {
        "visit": _("Open the link:"),
        "enter": _("Link address:"),
        "edit": _("Edit"),
        "remove": _("Remove"),
        "save": _("Save"),
        "uploading": _("Uploading the picture…"),
        "uploaded": _("The picture was inserted."),
        "failed": _("The picture could not be uploaded."),
        "leave": _("The changes have not been saved."),
    }


def _after_save(request: AuthedRequest, item: Item, action: str, form: ItemForm) -> HttpResponse:
    user = request.user
    try:
        if action == "submit":
            services.item_submit(actor=user, item=item)
            messages.success(request, _("Submitted for review. A second person reviews it."))
        elif action == "publish":
            item = services.item_publish(
                actor=user, item=item, publish_at=form.cleaned_data["publish_at"]
            )
            messages.success(request, _published_message(item))
        elif item.state == State.PUBLISHED:
            messages.success(request, _("Changes saved; readers see them now."))
        else:
            messages.success(request, _("Saved. It is not shown to anyone until it is published."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("content:item-manage", pk=item.pk)


def _published_message(item: Item) -> str:
    if item.is_scheduled and item.publish_at is not None:
        when = timezone.localtime(item.publish_at).strftime("%Y-%m-%d %H:%M")
        return _("Scheduled: it goes out at %(time)s.") % {"time": when}
    return _("Published. The members it is shown to see it now.")


def _actions(user: Any, item: Item) -> dict[str, bool]:
    """Which buttons the management page offers; the services decide again on each."""
    state = item.state
    write = selectors.may_write(user, item.owner)
    publish = selectors.may_publish(user, item.owner)
    review = selectors.may_review(user, item)
    reopen = (State.DRAFT, State.RETURNED, State.WITHDRAWN)
    return {
        "edit": write and (state not in (State.PUBLISHED, State.PENDING) or publish),
        "submit": write and not publish and state in reopen,
        # A pending item's reviewer approves it; publishing directly is for the other states
        # (and for the item's own writer, who may not review it).
        "publish": publish and (state in reopen or (state == State.PENDING and not review)),
        "review": review and state == State.PENDING,
        "withdraw": state in (State.PUBLISHED, State.PENDING)
        and (publish or review or (item.author_id == user.pk and write)),
        "pin": publish and state == State.PUBLISHED,
    }


def _render_manage(
    request: AuthedRequest, item: Item, return_form: ReturnForm, status: int = 200
) -> HttpResponse:
    user = request.user
    receipts = None
    if item.notification_id is not None:
        deliveries = Delivery.objects.filter(notification_id=item.notification_id)
        receipts = {
            "sent": deliveries.count(),
            "read": deliveries.filter(read_at__isnull=False).count(),
            "mine": item.notification is not None
            and inbox_selectors.may_see_receipts(user, item.notification),
        }
    return render(
        request,
        "content/item_manage.html",
        {
            "item": item,
            "actions": _actions(user, item),
            "stats": selectors.reading_statistics(item) if item.state == State.PUBLISHED else None,
            "receipts": receipts,
            "targets": list(item.targets.all()),
            "tags": list(item.tags.all()),
            "attachments": item.uploads.filter(is_attachment=True).order_by("pk"),
            "return_form": return_form,
            "own_pending": item.state == State.PENDING and item.author_id == user.pk,
        },
        status=status,
    )


@login_required
def item_manage(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_manage(request, _writer_item(request, pk), ReturnForm())


@login_required
@require_POST
def item_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    item = _writer_item(request, pk)
    user = request.user
    if action in ("approve", "return") and not selectors.may_review(user, item):
        raise PermissionDenied  # the writer included: a second person reviews
    form = ReturnForm(request.POST if action == "return" else None)
    try:
        if action == "submit":
            services.item_submit(actor=user, item=item)
            done = _("Submitted for review. A second person reviews it.")
        elif action == "publish":
            item = services.item_publish(actor=user, item=item)
            done = _published_message(item)
        elif action == "approve":
            services.item_approve(actor=user, item=item)
            done = _("Approved and published.")
        elif action == "return":
            if not form.is_valid():
                return _render_manage(request, item, form, status=422)
            services.item_return(actor=user, item=item, note=form.cleaned_data["note"])
            done = _("Returned to the writer with your note.")
        elif action == "withdraw":
            services.item_withdraw(actor=user, item=item)
            done = _("Withdrawn. Readers no longer see it.")
        elif action in ("pin", "unpin"):
            services.item_pin(actor=user, item=item, pinned=action == "pin")
            done = (
                _("Pinned to the top of the lists.") if action == "pin" else _("No longer pinned.")
            )
        else:
            raise Http404
    except ValidationError as exc:
        if action == "return":
            apply_errors(form, exc)
            return _render_manage(request, item, form, status=422)
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("content:item-manage", pk=item.pk)


@login_required
def review_queue(request: AuthedRequest) -> HttpResponse:
    if not perms.has_any_scope(request.user, perms.CONTENT_REVIEW):
        raise Http404
    items = selectors.review_queue(request.user).select_related("category")
    page = Paginator(items, LIST_PAGE).get_page(request.GET.get("page"))
    return render(request, "content/review_queue.html", {"page": page})


@login_required
@require_POST
def upload(request: AuthedRequest) -> JsonResponse:
    """A picture for the editor's text (or an attachment): stored, answered with its URL."""
    if not perms.has_any_scope(request.user, perms.CONTENT_WRITE):
        raise Http404
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [str(m) for messages_ in form.errors.values() for m in messages_]
        return JsonResponse({"error": " ".join(errors)}, status=400)
    try:
        stored = services.upload_create(
            actor=request.user, file=form.cleaned_data["file"], kind=form.cleaned_data["kind"]
        )
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    return JsonResponse(
        {
            "id": stored.pk,
            "url": stored.url,
            "name": stored.name,
            "size": stored.size,
            "kind": stored.kind,
        },
        status=201,
    )


# -- Media ----------------------------------------------------------------------------------


STORED_NAME = re.compile(r"content/[0-9a-f]{2}/([0-9a-f]{32})\.[a-z0-9]{1,9}")


@login_required
@require_safe
def media(request: AuthedRequest, name: str) -> FileResponse:
    """An uploaded file, to those who may see an item that uses it (or who uploaded it)."""
    stored = STORED_NAME.fullmatch(name)
    if stored is None:
        raise Http404
    upload = (
        Upload.objects.filter(key=stored.group(1), file=name).select_related("item__owner").first()
    )
    if upload is None or not selectors.may_see_upload(request.user, upload):
        raise Http404
    try:
        handle = upload.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    attachment = upload.kind == Upload.Kind.FILE
    response = FileResponse(
        handle,
        content_type=upload.content_type,
        as_attachment=attachment,
        filename=upload.name if attachment else "",
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, max_age=3600)
    return response


# -- Columns -------------------------------------------------------------------------------


def _require_column_manager(request: AuthedRequest) -> None:
    """Columns are the whole university's: others find no such page (as the dictionary)."""
    if not statistics.may_manage_columns(request.user):
        raise Http404


def _render_columns(request: AuthedRequest, form: ColumnForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "content/column_list.html",
        {"sections": statistics.columns_by_section(), "form": form},
        status=status,
    )


@login_required
def column_list(request: AuthedRequest) -> HttpResponse:
    _require_column_manager(request)
    return _render_columns(request, ColumnForm(initial={"section": request.GET.get("section")}))


@login_required
@require_POST
def column_create(request: AuthedRequest) -> HttpResponse:
    _require_column_manager(request)
    form = ColumnForm(request.POST)
    if form.is_valid():
        try:
            column = columns.column_create(
                actor=request.user,
                section=form.cleaned_data["section"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Column “%(name)s” added.") % {"name": column.name})
            return redirect(f"{reverse('content:columns')}#section-{column.section}")
    return _render_columns(request, form, status=422)


def _column(request: AuthedRequest, pk: int) -> Category:
    _require_column_manager(request)
    return get_object_or_404(Category, pk=pk)


@login_required
def column_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    column = _column(request, pk)
    status = 200
    if request.method == "POST":
        form = ColumnRenameForm(request.POST)
        if form.is_valid():
            try:
                column = columns.column_rename(
                    actor=request.user, column=column, name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Renamed to “%(name)s”.") % {"name": column.name})
                return redirect(f"{reverse('content:columns')}#section-{column.section}")
        status = 422
    else:
        form = ColumnRenameForm(initial={"name": column.name})
    return render(
        request,
        "content/column_form.html",
        {"column": column, "form": form, "item_count": statistics.column_item_count(column)},
        status=status,
    )


@login_required
@require_POST
def column_move(request: AuthedRequest, pk: int, direction: str) -> HttpResponse:
    column = _column(request, pk)
    if not columns.column_move(actor=request.user, column=column, direction=direction):
        messages.info(
            request,
            _("“%(name)s” is first already.") % {"name": column.name}
            if direction == "up"
            else _("“%(name)s” is last already.") % {"name": column.name},
        )
    return redirect(f"{reverse('content:columns')}#column-{column.pk}")


@login_required
def column_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    column = _column(request, pk)
    status = 200
    if request.method == "POST":
        form = ColumnDeleteForm(request.POST, column=column)
        if form.is_valid():
            move_to = form.cleaned_data["move_to"]
            try:
                moved = columns.column_delete(actor=request.user, column=column, move_to=move_to)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if moved and move_to is not None:
                    done = _(
                        "Column “%(name)s” deleted; the items in it (%(count)d) are now in "
                        "“%(to)s”."
                    )
                    done %= {"name": column.name, "count": moved, "to": move_to.name}
                else:
                    done = _("Column “%(name)s” deleted.") % {"name": column.name}
                messages.success(request, done)
                return redirect(f"{reverse('content:columns')}#section-{column.section}")
        status = 422
    else:
        form = ColumnDeleteForm(column=column)
    return render(
        request,
        "content/column_delete.html",
        {
            "column": column,
            "form": form,
            "item_count": statistics.column_item_count(column),
            "has_other": form.fields["move_to"].queryset.exists(),  # type: ignore[attr-defined]
        },
        status=status,
    )


# -- Reading statistics ----------------------------------------------------------------------


def _statistics_filters(request: AuthedRequest) -> tuple[StatisticsFilterForm, dict[str, Any]]:
    user = request.user
    if not statistics.may_see_statistics(user):
        raise Http404
    data = request.GET.copy()
    data.setdefault("days", str(statistics.DEFAULT_PERIOD))
    data.setdefault("sort", "views")
    form = StatisticsFilterForm(
        data,
        orgs=statistics.statistics_orgs(user),
        top=statistics.statistics_top_depth(user),
    )
    return form, form.filters()


@login_required
def reading_statistics(request: AuthedRequest) -> HttpResponse:
    form, filters = _statistics_filters(request)
    overview = statistics.reading_overview(request.user, **filters)
    page = Paginator(overview.items, LIST_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "content/statistics.html",
        {"form": form, "overview": overview, "page": page, "period_choices": PERIOD_CHOICES},
    )


@login_required
def reading_statistics_export(request: AuthedRequest) -> FileResponse:
    _form, filters = _statistics_filters(request)
    overview = statistics.reading_overview(request.user, with_totals=False, **filters)
    org = overview.organization
    headers = [
        pgettext("content", "Title"),
        _("Section"),
        pgettext("content", "Column"),
        _("Publishing organization"),
        _("Publication time"),
        _("Views"),
        _("Unique readers"),
    ]
    if org is not None:
        headers.append(_("Readers in %(org)s") % {"org": org.display_name})
    workbook = excel.write_workbook(
        statistics.reading_rows(overview), headers=headers, sheet_name=_("Reading statistics")
    )
    log_action(
        request.user,
        "content.statistics.exported",
        target_label=_("Reading statistics"),
        detail={"days": overview.period.days, "organization": org.code if org else None},
    )
    stamp = timezone.localdate().isoformat()
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=f"reading-statistics-{overview.period.days}d-{stamp}.xlsx",
    )
