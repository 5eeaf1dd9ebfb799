"""The applicant's pages of member development: their own progress, phone first; and the
account a branch secretary opens for an applicant who has no member record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from dangjian.accounts.typing import AuthedRequest
from dangjian.development import applicants, selectors
from dangjian.orgs import permissions as perms


@login_required
def my_progress(request: AuthedRequest) -> HttpResponse:
    """The signed-in user's own case(s); 404 for anyone without one."""
    cases = applicants.my_cases(request.user)
    if not cases:
        raise Http404
    return render(
        request,
        "development/applicant/progress.html",
        {"progresses": [applicants.progress(case) for case in cases]},
    )


def _case_url(pk: int) -> str:
    try:
        return reverse("development:case", args=[pk])
    except NoReverseMatch:
        return ""


@login_required
@require_POST
def account_create(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    if not perms.has_capability(request.user, case.organization, perms.DEVELOPMENT_MANAGE):
        raise PermissionDenied
    try:
        user, password = applicants.applicant_account_create(actor=request.user, case=case)
    except ValidationError as error:
        return render(
            request,
            "development/applicant/account_refused.html",
            {"case": case, "errors": error.messages, "case_url": _case_url(case.pk)},
            status=422,
        )
    response = render(
        request,
        "development/applicant/account_created.html",
        {"case": case, "account": user, "password": password, "case_url": _case_url(case.pk)},
    )
    response["Cache-Control"] = "no-store"
    return response
