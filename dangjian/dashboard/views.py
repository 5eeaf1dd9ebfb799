from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dangjian.accounts.models import User
from dangjian.accounts.typing import AuthedRequest
from dangjian.audit.models import AuditEntry
from dangjian.content import selectors as content
from dangjian.content.models import Item, Section
from dangjian.contributions import selectors as contributions
from dangjian.contributions.models import Contribution
from dangjian.dashboard import selectors
from dangjian.development import applicants
from dangjian.orgs import permissions as perms
from dangjian.orgs.selectors import org_roots_for_user


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    role = getattr(user, "admin_role", "")
    context: dict[str, object] = {"today": timezone.localdate()}
    if role == User.AdminRole.SYSTEM:
        context["accounts"] = {
            "total": User.objects.count(),
            "disabled": User.objects.filter(is_active=False).count(),
            "must_change": User.objects.filter(must_change_password=True).count(),
        }
        return render(request, "dashboard/home_sysadmin.html", context)
    if role == User.AdminRole.SECURITY:
        from axes.models import AccessAttempt

        from dangjian.orgs.models import RoleAssignment

        context["roles"] = RoleAssignment.objects.active().count()
        context["lockouts"] = AccessAttempt.objects.count()
        return render(request, "dashboard/home_secadmin.html", context)
    if role == User.AdminRole.AUDIT:
        since = timezone.now() - dt.timedelta(days=1)
        recent = AuditEntry.objects.filter(at__gte=since)
        context["entries_24h"] = recent.count()
        context["failures_24h"] = recent.exclude(result=AuditEntry.Result.SUCCESS).count()
        context["latest"] = AuditEntry.objects.order_by("-at", "-id")[:10]
        return render(request, "dashboard/home_auditor.html", context)
    roots = org_roots_for_user(user, perms.MEMBERS_VIEW)
    context["member_home"] = selectors.member_home(user)
    context["queues"] = selectors.work_queues(user)
    context["content_queues"] = _content_queues(user)
    context["notices"] = _latest(user, Section.NOTICE)
    context["news"] = _latest(user, Section.NEWS)
    context["sections"] = Section.choices
    context["benches"] = [selectors.workbench(user, org) for org in roots[:3]]
    context["development"] = [c for c in applicants.my_cases(user) if c.status == "open"]
    if not roots:
        context["org_roots"] = org_roots_for_user(user, perms.ORGS_VIEW)
    return render(request, "dashboard/home.html", context)


HOME_ITEMS = 5


def _latest(user: User, section: str) -> list[Item]:
    """The newest items of a section for the user, pinned first."""
    items = content.feed(user, section=section).select_related("owner")
    return list(items.defer("body", "search_text")[:HOME_ITEMS])


def _content_queues(user: User) -> list[selectors.WorkQueue]:
    """Content and contributions awaiting this person's decision, as tiles with counts."""
    if not perms.has_any_scope(user, perms.CONTENT_REVIEW):
        return []
    figures = (
        content.review_queue(user)
        .order_by()
        .aggregate(count=Count("id"), oldest=Min("submitted_at"))
    )
    waiting = (
        contributions.desk_queue(user, Contribution.State.SUBMITTED)
        .order_by()
        .aggregate(count=Count("id"), oldest=Min("submitted_at"))
    )
    return [
        selectors.WorkQueue(
            "content-review",
            _("Content awaiting review"),
            figures["count"],
            reverse("content:review"),
            "clipboard-check",
            figures["oldest"],
        ),
        selectors.WorkQueue(
            "contribution-desk",
            _("Contributions to decide on"),
            waiting["count"],
            reverse("contributions:desk"),
            "inboxes",
            waiting["oldest"],
        ),
    ]


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
