"""The comment actions behind the thread in the item page, and the moderators' pages.

Each action answers an htmx request with the thread re-rendered (or the like button alone),
and a plain form post with a redirect back to the page it came from; a comment that could not
be saved comes back in a page of its own with the text kept and the problem beside it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.accounts.typing import AuthedRequest
from dangjian.comments import fragments, selectors, services
from dangjian.comments.forms import CommentForm, ReasonForm
from dangjian.comments.models import Comment
from dangjian.comments.selectors import Access
from dangjian.content.models import Item

LIST_PAGE_SIZE = 20
LEVELS = {"review": messages.WARNING, "mask": messages.INFO}
TABS = ("reported", "hidden")


def _messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _thread(
    request: AuthedRequest,
    item: Item,
    *,
    readable: bool = True,
    moderator: bool | None = None,
    notice: str = "",
    level: str = "success",
    failed: fragments.Failed | None = None,
) -> HttpResponse:
    context = fragments.thread_context(
        request,
        item,
        readable=readable,
        moderator=moderator,
        notice=notice,
        notice_level=level,
        failed=failed,
    )
    return render(request, "comments/_thread.html", context)


def _done(
    request: AuthedRequest,
    access_or_item: Access | Item,
    message: str,
    *,
    level: int = messages.SUCCESS,
    anchor: str = "comments",
) -> HttpResponse:
    """After an action: the thread again (htmx), or back to where the form was."""
    if isinstance(access_or_item, Access):
        item, readable = access_or_item.comment.item, access_or_item.readable
        moderator: bool | None = access_or_item.moderator
    else:
        item, readable, moderator = access_or_item, True, None
    if request.htmx and readable:
        css = {messages.WARNING: "warning", messages.INFO: "info", messages.ERROR: "danger"}
        return _thread(
            request,
            item,
            readable=readable,
            moderator=moderator,
            notice=message,
            level=css.get(level, "success"),
        )
    if message:
        messages.add_message(request, level, message)
    back = fragments.here(request, item.pk)
    if not readable and back == fragments.item_url(item.pk):
        back = _reported_url()  # a moderator who does not read the item acts from their list
    return redirect(f"{back}#{anchor}")


def _reported_url() -> str:
    return reverse("comments:reported")


def _refused(
    request: AuthedRequest, access: Access, kind: str, exc: ValidationError
) -> HttpResponse:
    """A short form (a report, a reason to hide) was refused: say why where it was sent."""
    text = " ".join(_messages_of(exc))
    if request.htmx and access.readable and kind not in ("report", "hide"):
        return _thread(
            request, access.comment.item, moderator=access.moderator, notice=text, level="danger"
        )
    if request.htmx and access.readable:
        failed = fragments.Failed(
            kind=kind,
            pk=access.comment.pk,
            value=request.POST.get("reason", ""),
            errors=_messages_of(exc),
        )
        return _thread(request, access.comment.item, moderator=access.moderator, failed=failed)
    messages.error(request, text)
    back = fragments.here(request, access.comment.item_id)
    if not access.readable and back == fragments.item_url(access.comment.item_id):
        back = _reported_url()
    return redirect(f"{back}#c{access.comment.pk}")


@login_required
@require_GET
def thread(request: AuthedRequest, item_id: int) -> HttpResponse:
    """The thread fragment (htmx: showing more comments, refreshing)."""
    item = selectors.item_for_reader(request.user, item_id)
    return _thread(request, item)


@login_required
@require_POST
def comment_post(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = selectors.item_for_reader(request.user, item_id)
    form = CommentForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    parent_id = data.get("parent")
    parent: Comment | None = None
    try:
        if parent_id:
            parent = Comment.objects.filter(pk=parent_id).first()
            if parent is None or parent.item_id != item.pk:
                message = _("The comment you are replying to is no longer shown; reload the page.")
                raise ValidationError({"parent": message})
        result = services.comment_post(
            actor=request.user, item=item, text=data.get("text") or "", parent=parent
        )
    except ValidationError as exc:
        errors = _messages_of(exc)
        if request.htmx:
            failed = fragments.Failed(
                kind="reply" if parent_id else "post",
                pk=parent_id,
                value=request.POST.get("text", ""),
                errors=errors,
            )
            return _thread(request, item, failed=failed)
        return render(
            request,
            "comments/comment_form.html",
            {
                "item": item,
                "parent": parent,
                "form": form,
                "errors": errors,
                "here": fragments.here(request, item.pk),
                "action": "post",
            },
            status=422,
        )
    return _done(
        request,
        item,
        result.message,
        level=LEVELS.get(result.action, messages.SUCCESS),
        anchor=f"c{result.comment.pk}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The author changes their comment (a page of its own without JavaScript)."""
    access = selectors.comment_access(request.user, pk)
    comment = access.comment
    if not access.mine:
        raise PermissionDenied
    if not access.readable:
        raise PermissionDenied
    errors: list[str] = []
    if request.method == "POST":
        form = CommentForm(request.POST)
        form.is_valid()
        try:
            result = services.comment_edit(
                actor=request.user, comment=comment, text=form.cleaned_data.get("text") or ""
            )
        except ValidationError as exc:
            errors = _messages_of(exc)
            if request.htmx:
                failed = fragments.Failed(
                    kind="edit", pk=comment.pk, value=request.POST.get("text", ""), errors=errors
                )
                return _thread(request, comment.item, moderator=access.moderator, failed=failed)
        else:
            return _done(
                request,
                access,
                result.message,
                level=LEVELS.get(result.action, messages.SUCCESS),
                anchor=f"c{comment.pk}",
            )
    else:
        form = CommentForm(initial={"text": comment.held_text or comment.text})
    return render(
        request,
        "comments/comment_form.html",
        {
            "item": comment.item,
            "comment": comment,
            "form": form,
            "errors": errors,
            "here": fragments.here(request, comment.item_id),
            "action": "edit",
            "edit_minutes": services.edit_minutes(),
            "may_edit": services.may_edit(comment, request.user),
        },
        status=422 if errors else 200,
    )


@login_required
@require_POST
def comment_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    access = selectors.comment_access(request.user, pk)
    services.comment_delete(actor=request.user, comment=access.comment)
    return _done(request, access, _("Your comment has been deleted."))


@login_required
@require_POST
def comment_like(request: AuthedRequest, pk: int) -> HttpResponse:
    """Like a comment (like=1, the default) or take the like back (like=0); both idempotent."""
    access = selectors.comment_access(request.user, pk)
    if not access.readable:
        raise PermissionDenied
    comment = access.comment
    try:
        if request.POST.get("like", "1") == "0":
            services.comment_unlike(actor=request.user, comment=comment)
        else:
            services.comment_like(actor=request.user, comment=comment)
    except ValidationError as exc:
        messages.error(request, " ".join(_messages_of(exc)))
        return redirect(f"{fragments.here(request, comment.item_id)}#c{comment.pk}")
    if request.htmx:
        entry = selectors.entry(comment, request.user, readable=True, moderator=access.moderator)
        return render(
            request,
            "comments/_like.html",
            {"e": entry, "here": fragments.here(request, comment.item_id)},
        )
    return redirect(f"{fragments.here(request, comment.item_id)}#c{comment.pk}")


@login_required
@require_POST
def comment_report(request: AuthedRequest, pk: int) -> HttpResponse:
    access = selectors.comment_access(request.user, pk)
    if not access.readable:
        raise PermissionDenied
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.comment_report(
            actor=request.user, comment=access.comment, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        return _refused(request, access, "report", exc)
    message = _("Thank you. The comment was reported; a moderator will look at it.")
    return _done(request, access, message, anchor=f"c{access.comment.pk}")


@login_required
@require_POST
def comment_hide(request: AuthedRequest, pk: int) -> HttpResponse:
    access = selectors.comment_access(request.user, pk)
    if not access.moderator:
        raise PermissionDenied
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.comment_hide(
            actor=request.user, comment=access.comment, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        return _refused(request, access, "hide", exc)
    message = _("The comment is hidden, and its author was told why.")
    return _done(request, access, message, anchor=f"c{access.comment.pk}")


@login_required
@require_POST
def comment_unhide(request: AuthedRequest, pk: int) -> HttpResponse:
    access = selectors.comment_access(request.user, pk)
    if not access.moderator:
        raise PermissionDenied
    try:
        services.comment_unhide(actor=request.user, comment=access.comment)
    except ValidationError as exc:
        return _refused(request, access, "unhide", exc)
    message = _("The comment is shown again, and its author was told.")
    return _done(request, access, message, anchor=f"c{access.comment.pk}")


@login_required
@require_POST
def comment_dismiss(request: AuthedRequest, pk: int) -> HttpResponse:
    """A moderator keeps a reported comment: its reports are closed."""
    access = selectors.comment_access(request.user, pk)
    if not access.moderator:
        raise PermissionDenied
    try:
        services.comment_reports_dismiss(actor=request.user, comment=access.comment)
    except ValidationError as exc:
        return _refused(request, access, "dismiss", exc)
    message = _("The comment is kept and its reports are closed.")
    return _done(request, access, message, anchor=f"c{access.comment.pk}")


@login_required
@require_GET
def comment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Where messages and the review queue point: a reader goes to the comment in its item's
    page; a moderator sees it with its thread, its reports and what they may do."""
    access = selectors.comment_access(request.user, pk)
    comment = access.comment
    if not access.moderator:
        return redirect(f"{fragments.item_url(comment.item_id)}#c{comment.pk}")
    reports = list(
        comment.reports.select_related("reporter", "resolved_by").order_by("-created_at")
    )
    return render(
        request,
        "comments/comment_detail.html",
        {
            "comment": comment,
            "item": comment.item,
            "access": access,
            "around": selectors.context_of(comment),
            "reports": reports,
            "open_reports": any(r.resolved_at is None for r in reports),
            "here": request.get_full_path(),
        },
    )


@login_required
@require_GET
def reported(request: AuthedRequest) -> HttpResponse:
    """The moderator's list: reported comments to judge, and the comments they have hidden."""
    if not selectors.may_moderate_anywhere(request.user):
        raise Http404
    tab = request.GET.get("tab", "reported")
    if tab not in TABS:
        tab = "reported"
    rows = selectors.reported(request.user) if tab == "reported" else selectors.hidden(request.user)
    page = Paginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "comments/reported.html",
        {
            "tab": tab,
            "page": page,
            "here": request.get_full_path(),
            "reported_count": selectors.reported(request.user).count()
            if tab != "reported"
            else page.paginator.count,
        },
    )
