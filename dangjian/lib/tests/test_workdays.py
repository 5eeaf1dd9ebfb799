from __future__ import annotations

import datetime as dt

import pytest

from dangjian.lib.workdays import WorkdayCalendar

D = dt.date
# National Day 2026 as data: Oct 1-7 off, Saturday Oct 10 worked (调休).
NATIONAL_DAY = WorkdayCalendar.from_data(
    holidays=[D(2026, 10, d) for d in range(1, 8)], working_weekends=[D(2026, 10, 10)]
)


def test_a_plain_week_without_data_is_monday_to_friday_and_provisional():
    plain = WorkdayCalendar()
    result = plain.add_working_days(D(2026, 3, 6), 1)  # Friday -> Monday
    assert result.date == D(2026, 3, 9) and result.provisional
    assert plain.working_days_between(D(2026, 3, 9), D(2026, 3, 13)).days == 5
    assert plain.working_days_between(D(2026, 3, 9), D(2026, 3, 15)).days == 5


def test_holidays_are_skipped_and_adjusted_weekends_are_worked():
    assert not NATIONAL_DAY.is_working_day(D(2026, 10, 1))
    assert NATIONAL_DAY.is_working_day(D(2026, 10, 10))  # a Saturday
    assert not NATIONAL_DAY.is_working_day(D(2026, 10, 11))  # a plain Sunday
    result = NATIONAL_DAY.add_working_days(D(2026, 9, 30), 1)
    assert result == type(result)(D(2026, 10, 8), provisional=False)
    assert NATIONAL_DAY.add_working_days(D(2026, 10, 9), 1).date == D(2026, 10, 10)


def test_counting_is_inclusive_at_both_ends():
    count = NATIONAL_DAY.working_days_between(D(2026, 9, 29), D(2026, 10, 10))
    assert count.days == 5 and not count.provisional  # 9-29, 9-30, 10-8, 10-9, 10-10
    assert NATIONAL_DAY.working_days_between(D(2026, 9, 29), D(2026, 10, 9)).days == 4
    assert NATIONAL_DAY.working_days_between(D(2026, 9, 29), D(2026, 9, 29)).days == 1
    assert NATIONAL_DAY.working_days_between(D(2026, 10, 2), D(2026, 10, 1)).days == 0


def test_the_last_day_of_a_period_counts_its_first_day():
    assert NATIONAL_DAY.last_of_working_days(D(2026, 9, 29), 5).date == D(2026, 10, 10)
    # A period starting on a holiday begins with the next working day.
    assert NATIONAL_DAY.last_of_working_days(D(2026, 10, 3), 1).date == D(2026, 10, 8)
    with pytest.raises(ValueError):
        NATIONAL_DAY.last_of_working_days(D(2026, 9, 29), 0)


def test_zero_and_negative_counts():
    assert NATIONAL_DAY.add_working_days(D(2026, 10, 3), 0).date == D(2026, 10, 3)
    assert NATIONAL_DAY.add_working_days(D(2026, 10, 8), -1).date == D(2026, 9, 30)


def test_results_touching_an_unconfigured_year_are_provisional():
    across = NATIONAL_DAY.working_days_between(D(2026, 12, 28), D(2027, 1, 5))
    assert across.provisional
    assert NATIONAL_DAY.add_working_days(D(2026, 12, 31), 1).provisional
    assert not NATIONAL_DAY.add_working_days(D(2026, 12, 28), 1).provisional
    explicit = WorkdayCalendar.from_data(years=[2027])
    assert not explicit.add_working_days(D(2027, 3, 1), 3).provisional
    assert explicit.is_configured(2027) and not explicit.is_configured(2026)


def test_a_day_cannot_be_both_off_and_worked():
    with pytest.raises(ValueError):
        WorkdayCalendar.from_data(holidays=[D(2026, 10, 1)], working_weekends=[D(2026, 10, 1)])
