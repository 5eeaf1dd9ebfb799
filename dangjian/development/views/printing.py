"""Printing in member development: the PDF dossier of a case, the public notices of a
development object (step 7) and of a conversion (step 23), and a branch's filing list of
activists or development objects. Everything is scoped by DEVELOPMENT_VIEW."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from dangjian.accounts.typing import AuthedRequest
from dangjian.dashboard.templatetags.ui import cn_date
from dangjian.development import dossier, selectors
from dangjian.development.models import Case, CaseStatus, StepEvent
from dangjian.development.rules import engine
from dangjian.development.rules.checks import probation_end
from dangjian.development.rules.steps import Stage
from dangjian.development.services import RULES_CONFIG, history_of
from dangjian.orgs import permissions as perms
from dangjian.orgs.models import Organization, subtree_q

BLANK_DATE = "____年__月__日"
BLANK = "________"


def _date_text(value: dt.date | None) -> str:
    """2026年11月25日, or a blank to fill in by hand."""
    return cn_date(value) if value else BLANK_DATE


def _field_date(event: StepEvent | None, key: str) -> dt.date | None:
    value = (event.fields or {}).get(key) if event is not None else None
    if not value:
        return None
    try:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _signature(org: Organization) -> str:
    """How the organization signs a notice (中共…党支部)."""
    if org.name.startswith(("中共", "中国共产党")):
        return org.name
    return _("CPC %(org)s") % {"org": org.name}


def _person(case: Case) -> dict[str, str]:
    birth = case.birth_date
    return {
        "name": case.name,
        "gender": case.get_gender_display() or BLANK,
        "ethnicity": dossier.ethnicity_of(case) or BLANK,
        "birth": f"{birth.year}年{birth.month}月" if birth else BLANK,  # as on official forms
        "org": case.organization.name,
        "applied": _date_text(case.application_date),
    }


def _notice_context(case: Case, event: StepEvent | None) -> dict[str, Any]:
    start, end = _field_date(event, "notice_start"), _field_date(event, "notice_end")
    org = case.organization
    return {
        "case": case,
        "person": _person(case),
        "notice_start": _date_text(start),
        "notice_end": _date_text(end),
        "signed_on": _date_text(start),
        "signature": _signature(org),
        "contact": org.contact_name or BLANK,
        "phone": org.contact_phone or BLANK,
    }


def _first(events: list[StepEvent], number: int) -> StepEvent | None:
    return next((e for e in events if e.step == number), None)


def _last(events: list[StepEvent], number: int) -> StepEvent | None:
    return next((e for e in reversed(events) if e.step == number), None)


@never_cache
@login_required
def dossier_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    built = dossier.export(case, actor=request.user)
    response = HttpResponse(built.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{built.filename}"'
    return response


@login_required
def notice_object(request: AuthedRequest, pk: int) -> HttpResponse:
    """发展对象公示: the branch proposes to list the activist as a development object."""
    case = selectors.case_for(request.user, pk)
    events = list(case.steps.select_related("approver_org").order_by("date", "step", "id"))
    context = _notice_context(case, _last(events, 7))
    activist = _first(events, 3)
    context["activist_on"] = _date_text(activist.date if activist else None)
    return render(request, "development/printing/notice_object.html", context)


@login_required
def notice_conversion(request: AuthedRequest, pk: int) -> HttpResponse:
    """预备党员转正公示: the branch proposes to convert the probationary member."""
    case = selectors.case_for(request.user, pk)
    events = list(case.steps.select_related("approver_org").order_by("date", "step", "id"))
    context = _notice_context(case, _last(events, 23))
    admitted, approved = _first(events, 15), _first(events, 17)
    applied = _last(events, 22)
    end = None
    if admitted is not None:
        history = history_of(case, events)
        version = engine.version_for(admitted.date, RULES_CONFIG)
        end = probation_end(history, version, RULES_CONFIG)
    context.update(
        admitted_on=_date_text(admitted.date if admitted else None),
        approved_on=_date_text(approved.date if approved else None),
        probation_end=_date_text(end),
        conversion_applied_on=_date_text(applied.date if applied else None),
    )
    return render(request, "development/printing/notice_conversion.html", context)


class FilingForm(forms.Form):
    stage = forms.TypedChoiceField(
        label=gettext_lazy("List"),
        choices=[
            (Stage.ACTIVIST.value, gettext_lazy("Activists")),
            (Stage.DEVELOPMENT_OBJECT.value, gettext_lazy("Development objects")),
        ],
        coerce=int,
        error_messages={
            "invalid_choice": gettext_lazy(
                "Choose activists (2) or development objects (3); %(value)s is not a list "
                "that can be filed."
            )
        },
    )


@login_required
def filing(request: AuthedRequest, code: str) -> HttpResponse:
    """备案表: the open cases at one stage in the organization's subtree that the user sees."""
    org = get_object_or_404(Organization, code=code)
    if not perms.has_capability(request.user, org, perms.DEVELOPMENT_VIEW):
        raise Http404
    form = FilingForm(request.GET or {"stage": Stage.ACTIVIST.value})
    rows: list[dict[str, Any]] = []
    stage = None
    if form.is_valid():
        stage = form.cleaned_data["stage"]
        cases = list(
            selectors.visible_cases(request.user)
            .filter(subtree_q(org.path, "org_path"), stage=stage, status=CaseStatus.OPEN)
            .select_related("organization")
            .order_by("org_path", "application_date", "id")
        )
        dates: dict[tuple[int, int], dt.date] = {}
        for case_id, number, day in (
            StepEvent.objects.filter(case__in=cases, step__in=(3, 7))
            .order_by("-date", "-id")
            .values_list("case_id", "step", "date")
        ):
            dates[(case_id, number)] = day  # the earliest record wins (ordered latest first)
        rows = [
            {
                "case": case,
                "activist_on": dates.get((case.pk, 3)),
                "object_on": dates.get((case.pk, 7)),
            }
            for case in cases
        ]
    status = 200 if form.is_valid() else 422
    context = {
        "org": org,
        "form": form,
        "stage": stage,
        "rows": rows,
        "signature": _signature(org),
        "today": timezone.localdate(),
    }
    return render(request, "development/printing/filing.html", context, status=status)
