"""The development reports page, its workbook, and the admission plans set from it."""

from __future__ import annotations

import tempfile
from typing import IO, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dangjian.accounts.typing import AuthedRequest
from dangjian.audit.services import log_action
from dangjian.development import plans, reports
from dangjian.development.models import STAGE_CHOICES
from dangjian.lib.forms import apply_errors
from dangjian.orgs.models import Organization


class OrgChoiceField(forms.ModelChoiceField[Organization]):
    def label_from_instance(self, obj: Organization) -> str:
        return "\u3000" * obj.depth + obj.display_name


class ReportFilterForm(forms.Form):
    org = OrgChoiceField(
        label=gettext_lazy("Organization"),
        queryset=Organization.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All in my scope"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "No organization with this code in your scope; showing your whole scope."
            )
        },
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=plans.MIN_YEAR, max_value=plans.MAX_YEAR
    )
    stalled_days = forms.IntegerField(
        label=gettext_lazy("Stalled after (days)"), min_value=1, max_value=3650, required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = reports.report_orgs(user)  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    org = OrgChoiceField(
        label=gettext_lazy("Organization"),
        queryset=Organization.objects.none(),
        to_field_name="code",
    )
    year = forms.IntegerField(label=gettext_lazy("Year"))
    planned = forms.IntegerField(label=gettext_lazy("Planned admissions"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = reports.plan_orgs(user)  # type: ignore[attr-defined]


def _filters(request: AuthedRequest) -> tuple[ReportFilterForm, dict[str, Any]]:
    user = request.user
    if not reports.may_see_reports(user):
        raise Http404
    data = request.GET.copy()
    this_year = timezone.localdate().year
    data.setdefault("year", str(this_year))
    data.setdefault("stalled_days", str(reports.DEFAULT_STALLED_DAYS))
    form = ReportFilterForm(data, user=user)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    org = cleaned.get("org") or reports.default_org(user)
    year = cleaned.get("year") or this_year
    stalled = cleaned.get("stalled_days") or reports.DEFAULT_STALLED_DAYS
    return form, {"org": org, "year": year, "stalled_days": stalled}


def _plan_form(request: AuthedRequest, org: Organization | None, year: int) -> PlanForm | None:
    if not reports.plan_orgs(request.user).exists():
        return None
    initial: dict[str, Any] = {"year": year}
    if org is not None and reports.may_set_plan(request.user, org):
        initial["org"] = org.code
    return PlanForm(user=request.user, initial=initial)


def _page(
    request: AuthedRequest,
    form: ReportFilterForm,
    filters: dict[str, Any],
    plan_form: PlanForm | None,
    status: int = 200,
) -> HttpResponse:
    result = reports.report(request.user, **filters)
    params = {k: request.GET.get(k, "") for k in ("org", "year", "stalled_days")}
    query = urlencode({k: v for k, v in params.items() if v})
    export = reverse("development:reports-export") + "?" + query
    return render(
        request,
        "development/reports/index.html",
        {
            "form": form,
            "report": result,
            "plan_form": plan_form,
            "export_url": export,
            "stage_labels": [label for _value, label in STAGE_CHOICES],
            "list_limit": reports.LIST_LIMIT,
            "list_slice": f":{reports.LIST_LIMIT}",
        },
        status=status,
    )


@login_required
def report_page(request: AuthedRequest) -> HttpResponse:
    form, filters = _filters(request)
    return _page(request, form, filters, _plan_form(request, filters["org"], filters["year"]))


def _workbook(sections: list[tuple[str, list[str], list[list[Any]]]]) -> IO[bytes]:
    """The sections as sheets of a workbook written in openpyxl's write-only mode; text is
    always text (a value starting with "=" is never a formula)."""
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    used: set[str] = set()
    for title, headers, rows in sections:
        name = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Sheet"
        while name in used:
            name = name[:29] + f"_{len(used)}"
        used.add(name)
        sheet = book.create_sheet(title=name)
        header_cells = []
        for text in headers:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
                elif hasattr(value, "isoformat"):
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    book.save(handle)
    handle.seek(0)
    return handle


@login_required
def report_export(request: AuthedRequest) -> FileResponse:
    _form, filters = _filters(request)
    result = reports.report(request.user, limit=None, **filters)
    handle = _workbook(list(reports.rows_for_export(result)))
    org = result.org
    log_action(
        request.user,
        "development.report.exported",
        target_label=_("Development report %(year)d") % {"year": result.year},
        org_code=org.code if org else "",
        detail={
            "year": result.year,
            "organization": org.code if org else None,
            "stalled_days": result.stalled_days,
        },
    )
    code = org.code if org else "all"
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"development-report-{code}-{result.year}.xlsx",
    )


@login_required
@require_POST
def plan_set(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not reports.may_see_reports(user) or not reports.plan_orgs(user).exists():
        raise Http404
    plan_form = PlanForm(request.POST, user=user)
    if plan_form.is_valid():
        org = plan_form.cleaned_data["org"]
        year = plan_form.cleaned_data["year"]
        try:
            plans.plan_set(
                actor=user, org=org, year=year, planned=plan_form.cleaned_data["planned"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            apply_errors(plan_form, error)
        else:
            messages.success(
                request,
                _("The plan of %(org)s for %(year)d is now %(planned)s.")
                % {
                    "org": org.display_name,
                    "year": year,
                    "planned": f"{plan_form.cleaned_data['planned']:,}",
                },
            )
            query = urlencode({"org": org.code, "year": year})
            return redirect(reverse("development:reports") + "?" + query)
    filter_data = {
        "year": str(timezone.localdate().year),
        "stalled_days": str(reports.DEFAULT_STALLED_DAYS),
    }
    if plan_form.data.get("year", "").isdigit():
        filter_data["year"] = plan_form.data["year"]
    form = ReportFilterForm(filter_data, user=user)
    form.is_valid()
    filters = {
        "org": reports.default_org(user),
        "year": getattr(form, "cleaned_data", {}).get("year") or timezone.localdate().year,
        "stalled_days": reports.DEFAULT_STALLED_DAYS,
    }
    return _page(request, form, filters, plan_form, status=422)
