"""Calendar months, clamped to the month's end (2024-01-31 + 1 month = 2024-02-29).

The same arithmetic as dangjian.lib.dates.add_months (DESIGN.md section 4 item 5), repeated
here because dangjian.lib.dates imports Django at module level and the rules stay pure.
"""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(start: dt.date, months: int) -> dt.date:
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)
