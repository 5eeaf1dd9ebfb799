from __future__ import annotations

import datetime as dt

import pytest

from dangjian.lib.dates import DateParseError, add_months, age_on, parse_date


@pytest.mark.parametrize(
    "value",
    [
        "2019-07-01",
        "2019.07.01",
        "2019/7/1",
        "2019年7月1日",
        "2019年07月01日",
        "20190701",
        "２０１９－０７－０１",
        "２０１９年７月１日",
        " 2019 - 7 - 1 ",
        43647,
        43647.0,
        dt.date(2019, 7, 1),
        dt.datetime(2019, 7, 1, 8, 30, tzinfo=dt.UTC),
    ],
)
def test_it_reads_the_usual_chinese_forms(value):
    assert parse_date(value) == dt.date(2019, 7, 1)


@pytest.mark.parametrize("value", ["", "2019-13-01", "2019-02-30", "七月一日", "abc", None, True])
def test_it_refuses_what_is_not_a_date(value):
    with pytest.raises(DateParseError):
        parse_date(value)


def test_month_only_means_the_first_when_allowed():
    assert parse_date("2019.07", allow_month_only=True) == dt.date(2019, 7, 1)
    with pytest.raises(DateParseError):
        parse_date("2019.07")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2024, 8, 31), -6, dt.date(2024, 2, 29)),
        (dt.date(2024, 11, 15), 3, dt.date(2025, 2, 15)),
    ],
)
def test_calendar_months_clamp_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_age_counts_whole_years():
    birth = dt.date(2005, 3, 1)
    assert age_on(birth, dt.date(2023, 2, 28)) == 17
    assert age_on(birth, dt.date(2023, 3, 1)) == 18
