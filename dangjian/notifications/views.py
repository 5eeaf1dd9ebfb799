"""The inbox pages: the signed-in user's messages, opening one, marking all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.accounts.typing import AuthedRequest
from dangjian.lib.pagination import CappedPaginator
from dangjian.notifications import selectors, services

PAGE_SIZE = 20


def _inbox_url(request: AuthedRequest) -> str:
    """Back to the inbox page the user came from (its filter and page), or the inbox."""
    inbox = reverse("notifications:inbox")
    back = request.POST.get("next") or request.GET.get("next") or ""
    if back.startswith(inbox) and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return back
    return inbox


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    deliveries = selectors.inbox(request.user)
    if unread_only:
        deliveries = deliveries.filter(read_at__isnull=True)
    page = CappedPaginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    unread = selectors.unread_count(request.user)
    selectors.remember_for_request(request, unread)
    context = {
        "page": page,
        "unread": unread,
        "unread_only": unread_only,
        "has_messages": unread_only or page.paginator.count > 0,
        "here": request.get_full_path(),
    }
    return render(request, "notifications/inbox.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def delivery_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark one message read and go where it points (or back to the inbox)."""
    delivery = selectors.delivery_get_for_user(request.user, pk)
    if delivery.read_at is None:
        services.mark_read(request.user, [delivery.pk])
        delivery.refresh_from_db(fields=["read_at"])
    link = delivery.notification.link
    if request.htmx and request.method == "POST":
        # Marked read in place: the message, the page head and the bell, all re-rendered.
        here = _inbox_url(request)
        unread = selectors.unread_count(request.user)
        selectors.remember_for_request(request, unread)
        context = {
            "delivery": delivery,
            "here": here,
            "unread": unread,
            "unread_only": "show=unread" in here,
            "has_messages": True,
        }
        return render(request, "notifications/_delivery_read.html", context)
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return redirect(link)
    return redirect(f"{_inbox_url(request)}#n{delivery.pk}")


@login_required
@require_POST
def mark_all_read(request: AuthedRequest) -> HttpResponse:
    changed = services.mark_read(request.user, services.ALL)
    if changed:
        messages.success(request, _("All your messages are marked as read."))
    return redirect(_inbox_url(request))


# Read receipts: what the user sent, who has read it, and a reminder for the rest.


@login_required
def sent(request: AuthedRequest) -> HttpResponse:
    page = CappedPaginator(selectors.sent_by(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/sent.html", {"page": page})


@login_required
def receipts(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = selectors.sent_get(request.user, pk)
    return render(
        request,
        "notifications/receipts.html",
        {"notification": notification, "receipts": selectors.receipts(notification)},
    )


@login_required
@require_POST
def remind(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = selectors.sent_get(request.user, pk)
    try:
        count = services.remind(notification, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "A reminder was sent to the %(n)d person who has not read it.",
                "A reminder was sent to the %(n)d people who have not read it.",
                count,
            )
            % {"n": count},
        )
    return redirect("notifications:receipts", pk=notification.pk)
