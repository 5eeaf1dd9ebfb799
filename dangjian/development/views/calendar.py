"""The working-day calendar the notice rule counts on: its days off and worked weekend days,
a year at a time; the organization department adds, deletes and imports them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from dangjian.accounts.typing import AuthedRequest
from dangjian.development import plans, reports
from dangjian.development.models import Holiday
from dangjian.lib.forms import apply_errors


class HolidayForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=pgettext_lazy("calendar", "Kind"), choices=Holiday.Kind.choices)
    name = forms.CharField(
        label=pgettext_lazy("calendar", "Name"),
        max_length=plans.NAME_LENGTH,
        required=False,
        help_text=gettext_lazy("The holiday's name, e.g. National Day."),
    )


class ImportForm(forms.Form):
    lines = forms.CharField(
        label=gettext_lazy("Official schedule"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "2026-10-01,holiday,国庆节"}),
        help_text=gettext_lazy(
            "One day a line: date, holiday or workday, name; e.g. 2026-10-10,workday,国庆节调休. "
            "Nothing is saved unless every line is right."
        ),
    )


def _require_view(request: AuthedRequest) -> bool:
    """Whether the user may edit; 404 for those who may not even see the calendar."""
    if not reports.may_see_calendar(request.user):
        raise Http404
    return reports.may_edit_calendar(request.user)


def _year(request: AuthedRequest) -> int:
    value = request.GET.get("year") or request.POST.get("year") or ""
    if value.isdigit() and plans.MIN_YEAR <= int(value) <= plans.MAX_YEAR:
        return int(value)
    return timezone.localdate().year


def _page(
    request: AuthedRequest,
    year: int,
    *,
    editable: bool,
    form: HolidayForm | None = None,
    import_form: ImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = list(reports.holidays_of_year(year))
    this_year = timezone.localdate().year
    years = sorted({*reports.calendar_years(), this_year - 1, this_year, this_year + 1, year})
    return render(
        request,
        "development/calendar/index.html",
        {
            "year": year,
            "years": years,
            "rows": rows,
            "off_count": sum(1 for r in rows if r.kind == Holiday.Kind.HOLIDAY),
            "worked_count": sum(1 for r in rows if r.kind == Holiday.Kind.WORKDAY),
            "editable": editable,
            "form": form or HolidayForm(initial={"kind": Holiday.Kind.HOLIDAY}),
            "import_form": import_form or ImportForm(),
        },
        status=status,
    )


def _back(year: int) -> HttpResponse:
    return redirect(reverse("development:holidays") + f"?year={year}")


@login_required
def holidays(request: AuthedRequest) -> HttpResponse:
    editable = _require_view(request)
    year = _year(request)
    if request.method != "POST":
        return _page(request, year, editable=editable)
    if not editable:
        raise PermissionDenied
    if request.POST.get("action") == "import":
        return _import(request, year)
    form = HolidayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            holiday = plans.holiday_set(
                actor=request.user, date=data["date"], kind=data["kind"], name=data["name"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(date)s is now in the calendar: %(kind)s.")
                % {"date": holiday.date.isoformat(), "kind": holiday.get_kind_display()},
            )
            return _back(holiday.date.year)
    return _page(request, year, editable=True, form=form, status=422)


def _import(request: AuthedRequest, year: int) -> HttpResponse:
    form = ImportForm(request.POST)
    if form.is_valid():
        try:
            read, changed = plans.holiday_import(
                actor=request.user, text=form.cleaned_data["lines"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(read)d days read, %(changed)d added or changed.")
                % {"read": read, "changed": changed},
            )
            first = plans.parse_schedule(form.cleaned_data["lines"])[0].date.year
            return _back(first)
    return _page(request, year, editable=True, import_form=form, status=422)


@login_required
@require_POST
def holiday_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    editable = _require_view(request)
    holiday = get_object_or_404(Holiday, pk=pk)
    if not editable:
        raise PermissionDenied
    year = holiday.date.year
    label = holiday.date.isoformat()
    plans.holiday_delete(actor=request.user, holiday=holiday)
    messages.success(request, _("%(date)s was removed from the calendar.") % {"date": label})
    return _back(year)
