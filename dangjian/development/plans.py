"""Writes behind the development reports: the admission plans (发展党员计划) and the working-day
calendar the notice rule DEV-NOTICE counts on. Every write is atomic and audited."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangjian.audit.services import log_action
from dangjian.development import reports
from dangjian.development.models import AdmissionPlan, Holiday
from dangjian.orgs.models import Organization

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_PLANNED = 100_000
MAX_IMPORT_LINES = 500
NAME_LENGTH = 50


# -- Admission plans --------------------------------------------------------------------------


def plan_set(*, actor: Any, org: Organization, year: int, planned: int) -> AdmissionPlan:
    """Set how many people an organization plans to admit in a year (create or change)."""
    if not reports.may_set_plan(actor, org):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        errors["year"] = _("The year must be between %(min)d and %(max)d.") % {
            "min": MIN_YEAR,
            "max": MAX_YEAR,
        }
    if not isinstance(planned, int) or not 0 <= planned <= MAX_PLANNED:
        errors["planned"] = _("The planned number must be between 0 and %(max)s.") % {
            "max": f"{MAX_PLANNED:,}"
        }
    if org.kind == Organization.Kind.GROUP:
        errors["org"] = _("Plans are set for committees and branches, not Party groups.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = AdmissionPlan.objects.select_for_update().filter(organization=org, year=year).first()
        before = plan.planned if plan is not None else None
        if plan is None:
            plan = AdmissionPlan(organization=org, year=year, planned=planned)
        plan.planned = planned
        plan.set_by = actor if getattr(actor, "pk", None) else None
        plan.save()
        log_action(
            actor,
            "development.plan.set",
            target=plan,
            target_label=f"{org.code} {year}",
            org_code=org.code,
            changes={"planned": [before, planned]},
            detail={"year": year},
        )
    return plan


# -- The working-day calendar -----------------------------------------------------------------


def _require_calendar(actor: Any) -> None:
    if not reports.may_edit_calendar(actor):
        raise PermissionDenied


@dataclass(frozen=True)
class Day:
    date: dt.date
    kind: str
    name: str = ""


def _check_day(day: Day) -> dict[str, str]:
    """The problems of one day of the calendar, by field."""
    errors: dict[str, str] = {}
    if not MIN_YEAR <= day.date.year <= MAX_YEAR:
        errors["date"] = _("The date must be in the years %(min)d to %(max)d.") % {
            "min": MIN_YEAR,
            "max": MAX_YEAR,
        }
    if day.kind not in Holiday.Kind.values:
        errors["kind"] = _(
            "The kind must be holiday (a day off) or workday (a weekend day worked)."
        )
    elif day.kind == Holiday.Kind.WORKDAY and day.date.weekday() < 5:
        errors["kind"] = _(
            "%(date)s is a weekday: only a Saturday or Sunday can be a working weekend day."
        ) % {"date": day.date.isoformat()}
    if len(day.name) > NAME_LENGTH:
        errors["name"] = _("The name is at most %(max)d characters.") % {"max": NAME_LENGTH}
    return errors


def _values(holiday: Holiday | None) -> dict[str, Any]:
    if holiday is None:
        return {}
    return {"kind": holiday.kind, "name": holiday.name}


def _store(actor: Any, day: Day) -> tuple[Holiday, bool]:
    """Create or change the row of a day and audit it; (row, whether anything changed)."""
    holiday = Holiday.objects.select_for_update().filter(date=day.date).first()
    before = _values(holiday)
    if holiday is None:
        holiday = Holiday(date=day.date)
    holiday.kind, holiday.name = day.kind, day.name
    after = _values(holiday)
    if before == after:
        return holiday, False
    holiday.save()
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    log_action(
        actor,
        "development.holiday.set",
        target=holiday,
        target_label=day.date.isoformat(),
        changes=changes,
    )
    return holiday, True


def holiday_set(*, actor: Any, date: dt.date, kind: str, name: str = "") -> Holiday:
    """Add a day to the calendar, or change the day's kind and name if it is there."""
    _require_calendar(actor)
    day = Day(date=date, kind=kind, name=(name or "").strip())
    errors = _check_day(day)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        holiday, _changed = _store(actor, day)
    return holiday


def holiday_delete(*, actor: Any, holiday: Holiday) -> None:
    _require_calendar(actor)
    with transaction.atomic():
        label = holiday.date.isoformat()
        changes = {"kind": [holiday.kind, None], "name": [holiday.name, None]}
        log_action(
            actor,
            "development.holiday.deleted",
            target=holiday,
            target_label=label,
            changes=changes,
        )
        holiday.delete()


_SEPARATORS = re.compile(r"\s*[,，\t]\s*")


def parse_schedule(text: str) -> list[Day]:
    """Read pasted lines "YYYY-MM-DD,holiday,国庆节" (the name may be left out; commas, Chinese
    commas or tabs between); refuses with every bad line named."""
    days: list[Day] = []
    problems: list[str] = []
    seen: dict[dt.date, int] = {}
    lines = (text or "").splitlines()
    if len([line for line in lines if line.strip()]) > MAX_IMPORT_LINES:
        raise ValidationError(
            {"lines": _("At most %(max)d lines at a time.") % {"max": MAX_IMPORT_LINES}}
        )
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = _SEPARATORS.split(line)
        if len(parts) < 2 or len(parts) > 3:
            problems.append(
                _('Line %(n)d: write "date,kind,name", e.g. %(example)s; not "%(line)s".')
                % {"n": number, "line": line, "example": "2026-10-01,holiday,国庆节"}
            )
            continue
        try:
            date = dt.date.fromisoformat(parts[0])
        except ValueError:
            problems.append(
                _('Line %(n)d: "%(value)s" is not a date (write YYYY-MM-DD).')
                % {"n": number, "value": parts[0]}
            )
            continue
        day = Day(date=date, kind=parts[1].lower(), name=parts[2] if len(parts) == 3 else "")
        problems.extend(
            _("Line %(n)d: %(message)s") % {"n": number, "message": message}
            for message in _check_day(day).values()
        )
        if date in seen:
            problems.append(
                _("Line %(n)d: %(date)s is already on line %(first)d.")
                % {"n": number, "date": date.isoformat(), "first": seen[date]}
            )
        seen.setdefault(date, number)
        days.append(day)
    if problems:
        raise ValidationError({"lines": problems})
    if not days:
        raise ValidationError({"lines": _("Paste at least one line.")})
    return days


def holiday_import(*, actor: Any, text: str) -> tuple[int, int]:
    """Add or change every day of a pasted schedule, all or nothing; (days read, changed)."""
    _require_calendar(actor)
    days = parse_schedule(text)
    changed = 0
    with transaction.atomic():
        for day in days:
            changed += _store(actor, day)[1]
        log_action(
            actor,
            "development.holiday.imported",
            target_label=_("%(count)d days") % {"count": len(days)},
            detail={
                "lines": len(days),
                "changed": changed,
                "years": ",".join(str(y) for y in sorted({d.date.year for d in days})),
            },
        )
    return len(days), changed
