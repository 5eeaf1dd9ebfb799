"""Working days (工作日) under a holiday calendar given as data. Pure Python: no Django.

China's public holidays move every year, and some weekends become working days to make up
for them (调休). Neither can be computed, so the calendar is data an administrator maintains:
the days off that fall on weekdays, the weekend days that are worked, and the years that
have been configured. Without that data a Monday-to-Friday week is assumed, and every
result that touched an unconfigured year says so (``provisional``), as domain-rules.md
section 0.1 item 3 advises.

Conventions:

- ``add_working_days(start, n)`` is the n-th working day *after* ``start`` (``start`` itself
  is not counted; n = 0 gives ``start`` back, a negative n counts backwards).
- ``working_days_between(start, end)`` counts the working days from ``start`` to ``end``
  with both ends included (a notice from Monday to Friday of a plain week is 5 days).
- ``last_of_working_days(start, n)`` is the day on which a period of n working days that
  begins on ``start`` ends, counting ``start`` when it is a working day (inclusive count).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class DateResult:
    date: dt.date
    provisional: bool


@dataclass(frozen=True)
class CountResult:
    days: int
    provisional: bool


@dataclass(frozen=True)
class WorkdayCalendar:
    """Holidays on weekdays, worked weekend days (调休), and the years configured."""

    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    working_weekends: frozenset[dt.date] = field(default_factory=frozenset)
    configured_years: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def from_data(
        cls,
        *,
        holidays: Iterable[dt.date] = (),
        working_weekends: Iterable[dt.date] = (),
        years: Iterable[int] | None = None,
    ) -> WorkdayCalendar:
        """Build a calendar; without ``years``, every year that has a date is configured."""
        off = frozenset(holidays)
        worked = frozenset(working_weekends)
        both = off & worked
        if both:
            raise ValueError(f"days both off and worked: {sorted(both)}")
        configured = (
            frozenset(years) if years is not None else frozenset(d.year for d in off | worked)
        )
        return cls(holidays=off, working_weekends=worked, configured_years=configured)

    def is_configured(self, year: int) -> bool:
        return year in self.configured_years

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.working_weekends:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def _provisional(self, start: dt.date, end: dt.date) -> bool:
        low, high = min(start, end), max(start, end)
        return any(not self.is_configured(y) for y in range(low.year, high.year + 1))

    def add_working_days(self, start: dt.date, days: int) -> DateResult:
        step = _DAY if days >= 0 else -_DAY
        day, left = start, abs(days)
        while left:
            day += step
            if self.is_working_day(day):
                left -= 1
        return DateResult(day, self._provisional(start, day))

    def last_of_working_days(self, start: dt.date, days: int) -> DateResult:
        """The last day of a period of ``days`` working days beginning on ``start``."""
        if days < 1:
            raise ValueError("a period has at least one working day")
        result = self.add_working_days(start - _DAY, days)
        return DateResult(result.date, self._provisional(start, result.date))

    def working_days_between(self, start: dt.date, end: dt.date) -> CountResult:
        """Working days from ``start`` to ``end``, both included; 0 when ``end < start``."""
        count, day = 0, start
        while day <= end:
            count += self.is_working_day(day)
            day += _DAY
        return CountResult(count, self._provisional(start, max(start, end)))
