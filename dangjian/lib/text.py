"""Normalization of text typed or pasted by people: full-width forms, stray spaces."""

from __future__ import annotations

import unicodedata

_FULLWIDTH_OFFSET = 0xFEE0


def to_halfwidth(value: str) -> str:
    """Turn full-width ASCII (ＡＢＣ１２３) and the ideographic space into their ASCII forms."""
    out = []
    for char in value:
        code = ord(char)
        if code == 0x3000:
            out.append(" ")
        elif 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - _FULLWIDTH_OFFSET))
        else:
            out.append(char)
    return "".join(out)


def clean_text(value: object) -> str:
    """Return a trimmed, NFC-normalized single-line string for any cell or form value."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = text.replace("\u200b", "").replace("\ufeff", "")
    return " ".join(text.split())
