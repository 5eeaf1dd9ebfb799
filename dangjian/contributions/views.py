"""Contribution pages: the author's form and list, and the editors' desk."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.typing import AuthedRequest
from dangjian.content import services as content
from dangjian.content.models import Upload
from dangjian.contributions import selectors, services
from dangjian.contributions.forms import (
    ArticleForm,
    CommentForm,
    PublishForm,
    RejectForm,
    ReturnForm,
)
from dangjian.contributions.models import MAX_PICTURES, Contribution
from dangjian.lib import richtext
from dangjian.lib.forms import apply_errors
from dangjian.members.models import Member

PAGE_SIZE = 20
State = Contribution.State
DESK_TABS = [
    State.SUBMITTED,
    State.ACCEPTED,
    State.RETURNED,
    State.PUBLISHED,
    State.REJECTED,
]


def _author(request: AuthedRequest) -> Member:
    member = selectors.author_record(request.user)
    if member is None:
        raise Http404
    return member


def _require_desk(request: AuthedRequest) -> None:
    if not selectors.may_edit_desk(request.user):
        raise Http404


# -- The author -------------------------------------------------------------------------------


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    _author(request)
    page = Paginator(selectors.mine(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "contributions/mine.html", {"page": page})


def _kept_pictures(request: AuthedRequest, contribution: Contribution | None) -> list[Upload]:
    """The pictures the form carries over (already uploaded), in the author's order."""
    keys = []
    for value in request.POST.getlist("picture"):
        try:
            keys.append(uuid.UUID(value))
        except ValueError:
            continue
    found = {u.key: u for u in Upload.objects.filter(key__in=keys)}
    return [found[k] for k in dict.fromkeys(keys) if k in found]


def _store_uploads(request: AuthedRequest, form: ArticleForm, kept: list[Upload]) -> list[Upload]:
    """Store the pictures sent with this request; a refused file is named beside the field."""
    pictures = list(kept)
    for file in request.FILES.getlist("new_pictures"):
        if len(pictures) >= MAX_PICTURES:
            message = _("At most %(max)d pictures; the rest were not added.")
            form.add_error("new_pictures", message % {"max": MAX_PICTURES})
            break
        try:
            pictures.append(content.upload_create(actor=request.user, file=file, kind="image"))
        except ValidationError as exc:
            for messages_ in exc.message_dict.values():
                for message in messages_:
                    form.add_error("new_pictures", message)
    return pictures


def _article(form: ArticleForm, pictures: list[Upload]) -> services.ArticleInput:
    data = form.cleaned_data
    return services.ArticleInput(
        title=data["title"],
        text=data["text"],
        section=data["section"],
        note=data.get("note", ""),
        desk=data["desk"],
        pictures=pictures,
    )


def _form_page(
    request: AuthedRequest,
    form: ArticleForm,
    pictures: list[Upload],
    contribution: Contribution | None,
    status: int = 200,
) -> HttpResponse:
    member = _author(request)
    desks = {value: services.target_for(member, value) for value, _label in services.Desk.CHOICES}
    return render(
        request,
        "contributions/form.html",
        {
            "form": form,
            "pictures": pictures,
            "contribution": contribution,
            "max_pictures": MAX_PICTURES,
            "desks": desks,
        },
        status=status,
    )


@login_required
def submit(request: AuthedRequest) -> HttpResponse:
    _author(request)
    if request.method != "POST":
        return _form_page(request, ArticleForm(), [], None)
    form = ArticleForm(request.POST, request.FILES)
    valid = form.is_valid()
    pictures = _store_uploads(request, form, _kept_pictures(request, None))
    if valid and not form.errors:
        try:
            result = services.contribution_submit(actor=request.user, data=_article(form, pictures))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            _tell(request, result)
            return redirect("contributions:mine-detail", result.contribution.pk)
    return _form_page(request, form, pictures, None, status=422)


def _tell(request: AuthedRequest, result: services.Result) -> None:
    if result.held:
        messages.warning(request, result.message)
    else:
        messages.success(request, result.message)


@login_required
def mine_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    contribution = selectors.mine_get(request.user, pk)
    return render(
        request,
        "contributions/mine_detail.html",
        {
            "contribution": contribution,
            "pictures": selectors.pictures(contribution),
            "events": contribution.events.select_related("actor"),
        },
    )


@login_required
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    _author(request)
    contribution = selectors.mine_get(request.user, pk)
    if not contribution.editable:
        messages.info(request, _("This contribution can be changed only when it is returned."))
        return redirect("contributions:mine-detail", contribution.pk)
    if request.method != "POST":
        desk = (
            services.Desk.UNIVERSITY
            if contribution.target.parent_id is None
            else services.Desk.COMMITTEE
        )
        initial = {
            "title": contribution.title,
            "section": contribution.section,
            "desk": desk,
            "text": contribution.text,
            "note": contribution.note,
        }
        pictures = selectors.pictures(contribution)
        return _form_page(request, ArticleForm(initial=initial), pictures, contribution)
    form = ArticleForm(request.POST, request.FILES)
    valid = form.is_valid()
    pictures = _store_uploads(request, form, _kept_pictures(request, contribution))
    if valid and not form.errors:
        try:
            result = services.contribution_update(
                actor=request.user, contribution=contribution, data=_article(form, pictures)
            )
            if request.POST.get("send") and result.contribution.state == State.RETURNED:
                services.contribution_resubmit(actor=request.user, contribution=contribution)
                if not result.held:
                    result = services.Result(
                        result.contribution, result.action, _("Sent to the editors again.")
                    )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            _tell(request, result)
            return redirect("contributions:mine-detail", contribution.pk)
    return _form_page(request, form, pictures, contribution, status=422)


@login_required
@require_POST
def resubmit(request: AuthedRequest, pk: int) -> HttpResponse:
    contribution = selectors.mine_get(request.user, pk)
    try:
        services.contribution_resubmit(actor=request.user, contribution=contribution)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Sent to the editors again."))
    return redirect("contributions:mine-detail", contribution.pk)


@login_required
@require_POST
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    contribution = selectors.mine_get(request.user, pk)
    try:
        services.contribution_withdraw(actor=request.user, contribution=contribution)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Withdrawn: the editors no longer see it."))
    return redirect("contributions:mine-detail", contribution.pk)


@login_required
def picture(request: AuthedRequest, key: uuid.UUID) -> FileResponse:
    upload = selectors.picture_get(request.user, key)
    try:
        handle = upload.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=upload.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- The desk ---------------------------------------------------------------------------------


@login_required
def desk(request: AuthedRequest) -> HttpResponse:
    _require_desk(request)
    state = request.GET.get("state", State.SUBMITTED)
    if state not in DESK_TABS:
        state = State.SUBMITTED
    rows = selectors.desk_queue(request.user, state).prefetch_related("pictures")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.desk_counts(request.user)
    return render(
        request,
        "contributions/desk.html",
        {
            "page": page,
            "state": state,
            "tabs": [(s, State(s).label, counts[s]) for s in DESK_TABS],
        },
    )


def _desk_page(
    request: AuthedRequest,
    contribution: Contribution,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    bound = next(iter(forms.values()), None)
    return render(
        request,
        "contributions/desk_detail.html",
        {
            "contribution": contribution,
            "pictures": selectors.pictures(contribution),
            "events": contribution.events.select_related("actor"),
            "may_decide": selectors.may_decide(request.user, contribution),
            "may_publish": selectors.may_publish(request.user, contribution),
            "accept_form": forms.get("accept") or CommentForm(prefix="accept"),
            "return_form": forms.get("return") or ReturnForm(prefix="return"),
            "reject_form": forms.get("reject") or RejectForm(prefix="reject"),
            "open": next(iter(forms), ""),
            # What refused a decision for a reason no field names (its state, self-review).
            "refusals": bound.non_field_errors() if bound is not None else [],
        },
        status=status,
    )


@login_required
def desk_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_desk(request)
    return _desk_page(request, selectors.desk_get(request.user, pk))


def _decision(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    _require_desk(request)
    contribution = selectors.desk_get(request.user, pk)
    form: CommentForm | ReturnForm | RejectForm
    if kind == "accept":
        form = CommentForm(request.POST, prefix="accept")
    elif kind == "return":
        form = ReturnForm(request.POST, prefix="return")
    else:
        form = RejectForm(request.POST, prefix="reject")
    if form.is_valid():
        try:
            if kind == "accept":
                services.contribution_accept(
                    actor=request.user,
                    contribution=contribution,
                    comment=form.cleaned_data["comment"],
                )
                done = _("Accepted; the author was told.")
            elif kind == "return":
                services.contribution_return(
                    actor=request.user,
                    contribution=contribution,
                    comment=form.cleaned_data["comment"],
                )
                done = _("Returned to the author with your comments.")
            else:
                services.contribution_reject(
                    actor=request.user,
                    contribution=contribution,
                    reason=form.cleaned_data["reason"],
                )
                done = _("Not accepted; the author was told the reason.")
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("contributions:desk-detail", contribution.pk)
    return _desk_page(request, contribution, {kind: form}, status=422)


@login_required
@require_POST
def accept(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, "accept")


@login_required
@require_POST
def return_(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, "return")


@login_required
@require_POST
def reject(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, "reject")


@login_required
def publish(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_desk(request)
    contribution = selectors.desk_get(request.user, pk)
    owner = selectors.publishing_org(request.user, contribution)
    if owner is None or contribution.author_id == request.user.pk:
        raise PermissionDenied
    if contribution.state == State.PUBLISHED and contribution.item_id:
        return redirect("content:item-manage", contribution.item_id)
    if contribution.state != State.ACCEPTED:
        messages.info(request, _("Accept the contribution before publishing it."))
        return redirect("contributions:desk-detail", contribution.pk)
    pictures = selectors.pictures(contribution)
    choices = [(str(u.pk), u.name) for u in pictures]
    whole = owner.parent_id is None
    if request.method != "POST":
        initial = {
            "title": contribution.title,
            "section": contribution.section,
            "body": contribution.body,
            "pictures": [value for value, _label in choices],
            "cover": True,
            "whole_university": True,
        }
        form = PublishForm(initial=initial, pictures=choices, whole=whole)
        status = 200
    else:
        posted = request.POST.copy()
        # Shown again beside errors, the text goes back into the editor: sanitized first.
        try:
            posted["body"] = richtext.sanitize(posted.get("body", ""))
        except ValueError:
            posted["body"] = ""
        form = PublishForm(posted, pictures=choices, whole=whole)
        if form.is_valid():
            data = form.cleaned_data
            chosen = set(data.get("pictures") or [])
            try:
                item = services.contribution_publish(
                    actor=request.user,
                    contribution=contribution,
                    data=services.PublishInput(
                        title=data["title"],
                        body=data["body"],
                        section=data["section"],
                        summary=data["summary"],
                        whole_university=bool(data.get("whole_university")),
                        pictures=[u for u in pictures if str(u.pk) in chosen],
                        cover=bool(data.get("cover")),
                    ),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, _("Published, with %(name)s credited.") % {"name": item.byline}
                )
                return redirect(reverse("content:item-manage", args=[item.pk]))
        status = 422
    return render(
        request,
        "contributions/publish.html",
        {
            "contribution": contribution,
            "form": form,
            "owner": owner,
            "pictures": {str(u.pk): u for u in pictures},
        },
        status=status,
    )
