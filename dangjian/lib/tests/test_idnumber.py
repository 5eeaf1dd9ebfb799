from __future__ import annotations

import datetime as dt

import pytest

from dangjian.lib import idnumber

# A published GB 11643 example and numbers built by the same algorithm.
VALID = "11010519491231002X"


def test_it_accepts_a_valid_number_and_derives_birth_and_gender():
    info = idnumber.parse(VALID)
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.gender == "F"  # 17th digit 2 is even


def test_it_derives_male_from_an_odd_sequence():
    number = idnumber.make("440106", dt.date(2001, 2, 3), 13)
    assert idnumber.parse(number).gender == "M"


@pytest.mark.parametrize(
    "value",
    ["11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ", " 110105 19491231 002X "],
)
def test_it_normalizes_lower_case_full_width_and_spaces(value):
    assert idnumber.parse(value).number == VALID


def test_it_rejects_a_wrong_check_character():
    with pytest.raises(idnumber.IdNumberError, match="check"):
        idnumber.parse("110105194912310021")


def test_it_rejects_every_single_digit_typo():
    for position in range(17):
        digit = int(VALID[position])
        typo = VALID[:position] + str((digit + 1) % 10) + VALID[position + 1 :]
        with pytest.raises(idnumber.IdNumberError):
            idnumber.parse(typo)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("11010519491231002", "18 characters"),
        ("110105491231002", "15-digit"),
        ("99010519491231002X", "region"),
        ("11010519491331002X", "not a valid date"),
        ("1101051949123100AX", "only digits"),
    ],
)
def test_it_explains_each_problem(value, fragment):
    with pytest.raises(idnumber.IdNumberError, match=fragment):
        idnumber.parse(value)


def test_it_rejects_a_birth_date_in_the_future():
    future = idnumber.make("110101", dt.date(2030, 1, 1), 11)
    with pytest.raises(idnumber.IdNumberError, match="plausible"):
        idnumber.parse(future, today=dt.date(2026, 1, 1))
