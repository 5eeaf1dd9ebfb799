"""Citizen ID numbers (公民身份号码) under GB 11643-1999.

An ID number has 18 characters: a 6-digit region code, the birth date as YYYYMMDD, a 3-digit
sequence whose last digit is odd for men and even for women, and a check character computed
with ISO 7064 MOD 11-2.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangjian.lib.checkdigits import gb11643_check_char
from dangjian.lib.text import to_halfwidth

# Province-level codes (GB/T 2260), plus 71 Taiwan and 81/82 Hong Kong and Macao, and 83 for
# the residence permits of Taiwan residents.
_PROVINCES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    }
)


class IdNumberError(ValueError):
    """The ID number is not valid; the message says why, in the user's language."""


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: dt.date
    gender: str  # "M" or "F"


def normalize(value: str) -> str:
    return to_halfwidth(value).strip().replace(" ", "").upper()


check_char = gb11643_check_char


def parse(value: str, *, today: dt.date | None = None) -> IdInfo:
    """Validate an ID number and return it normalized, with the birth date and gender."""
    number = normalize(value)
    if len(number) == 15:
        raise IdNumberError(
            _(
                "The ID number must have 18 characters; convert an old 15-digit number "
                "to 18 digits first."
            )
        )
    if len(number) != 18:
        raise IdNumberError(
            _("The ID number must have 18 characters, not %(n)d.") % {"n": len(number)}
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError(
            _("The ID number may contain only digits, and X as its last character.")
        )
    if number[:2] not in _PROVINCES:
        raise IdNumberError(
            _("The ID number's region code %(code)s does not exist.") % {"code": number[:2]}
        )
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(
            _("The birth date %(d)s in the ID number is not a valid date.") % {"d": number[6:14]}
        ) from None
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date, not an instant
    if birth > today or birth.year < 1900:
        raise IdNumberError(
            _("The birth date %(d)s in the ID number is not plausible.") % {"d": birth.isoformat()}
        )
    expected = check_char(number[:17])
    if number[17] != expected:
        raise IdNumberError(
            _("The ID number's check character is wrong; check the number for a typing error.")
        )
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return IdInfo(number=number, birth_date=birth, gender=gender)


def make(region: str, birth: dt.date, sequence: int) -> str:
    """Build a valid ID number (for demo data and tests): 6-digit region, date, 3-digit seq."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
