"""Calendar helpers: Chinese date forms, calendar months, ages.

"N months" means calendar months clamped to the month's end (2024-01-31 + 1 month =
2024-02-29), as DESIGN.md section 4.5 decides.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from dangjian.lib.text import to_halfwidth

# Excel's day zero is 1899-12-30 once its fictitious 1900-02-29 is accounted for.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_RE = re.compile(
    r"^\s*(\d{4})\s*(?:[-./年]|\s)\s*(\d{1,2})\s*(?:[-./月]|\s)\s*(\d{1,2})\s*日?\s*$"
)
_COMPACT_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_MONTH_RE = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*$")


class DateParseError(ValueError):
    pass


def today() -> dt.date:
    """Today in the configured time zone (Asia/Shanghai), not UTC."""
    # Imported here: the rest of this module is plain Python, used by the pure rule engines.
    from django.utils import timezone

    return timezone.localdate()


def parse_date(value: object, *, allow_month_only: bool = False) -> dt.date:
    """Read a date as people write it in Chinese forms and spreadsheets.

    Accepts date objects, Excel serial numbers, 2019-07-01, 2019.07.01, 2019/7/1,
    2019年7月1日, 20190701 and full-width digits; with allow_month_only, 2019.07 or
    2019年7月 means the first of that month.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise DateParseError(str(value))
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = to_halfwidth(str(value or "")).strip()
    if not text:
        raise DateParseError(text)
    match = _DATE_RE.match(text) or _COMPACT_RE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    elif allow_month_only and (month_match := _MONTH_RE.match(text)):
        year, month, day = int(month_match.group(1)), int(month_match.group(2)), 1
    elif text.isdigit() and 4 < len(text) < 8:
        return parse_date(int(text))
    else:
        raise DateParseError(text)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateParseError(text) from None


def add_months(start: dt.date, months: int) -> dt.date:
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def age_on(birth: dt.date, on: dt.date) -> int:
    """Whole years of age on a date (周岁)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def years_between(start: dt.date, end: dt.date) -> int:
    return age_on(start, end)
