"""Check characters of national identifiers, with no other dependency (the moderation engine
uses them to recognize ID numbers in free text)."""

from __future__ import annotations

_GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_GB11643_CHECK_CHARS = "10X98765432"


def gb11643_check_char(first17: str) -> str:
    """The check character of a citizen ID number (ISO 7064 MOD 11-2) from its first 17 digits."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first17, _GB11643_WEIGHTS, strict=True)
    )
    return _GB11643_CHECK_CHARS[total % 11]
