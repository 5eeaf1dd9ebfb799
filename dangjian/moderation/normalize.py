"""Text normalization for the sensitive-word engine: one table lookup per character.

Every character is folded through one table built at start-up: case, full and half width,
compatibility forms (① Ⓐ 𝐀 ⁹), traditional to simplified, look-alike letters from other
scripts and, where configured, Chinese numerals to digits. Characters that are neither letters
nor digits (spaces, punctuation, symbols, emoji, zero-width and combining characters) are noise
and are dropped, and runs of a repeated character are collapsed. Terms go through the same
folding, so what is compared is what a reader sees. The lookup runs in numpy over the text's
code points, and each character of the result remembers the span of the original it came from.

Pure Python and numpy: no Django here.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Codes = npt.NDArray[np.uint32]
Indexes = npt.NDArray[np.intp]

NOISE = 0
_TABLE_SIZE = 0x110000
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
_CJK_SUPPLEMENTARY = (0x20000, 0x40000)  # extensions B to H: ideographs, kept as they are
_FOLDED_ASTRAL = ((0x1D400, 0x1D800), (0x1F100, 0x1F200))  # 𝐀-style letters, 🄰-style letters

CHINESE_NUMERALS = {
    "〇": "0",
    "零": "0",
    "一": "1",
    "壹": "1",
    "二": "2",
    "贰": "2",
    "三": "3",
    "叁": "3",
    "四": "4",
    "肆": "4",
    "五": "5",
    "伍": "5",
    "六": "6",
    "陆": "6",
    "七": "7",
    "柒": "7",
    "八": "8",
    "捌": "8",
    "九": "9",
    "玖": "9",
}

# Letters of other scripts drawn like Latin ones (after case folding).
LOOKALIKES = {
    "а": "a",
    "в": "b",
    "е": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "α": "a",
    "β": "b",
    "ε": "e",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
}

# A run of a repeated character collapses to one when it is at least this long: any repeat of
# an ideograph (法法轮功), three or more of a Latin letter (fuuuck, but not the "ss" of class),
# and never digits, whose repeats carry meaning (1000, 13800138000).
_NEVER = np.iinfo(np.intp).max
_LETTER_RUN = 3
_OTHER_RUN = 2


def _is_word(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


@functools.cache
def _traditional_to_simplified() -> dict[str, str]:
    import opencc

    chars = [chr(c) for start, end in _CJK_RANGES for c in range(start, end)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    return {
        source: target
        for source, target in zip(chars, converted, strict=True)
        # A simplified form beyond the BMP (a few recent characters) would make plain texts
        # fold into supplementary characters; those keep their traditional form.
        if source != target and len(target) == 1 and ord(target) <= 0xFFFF
    }


def fold_char(char: str, *, chinese_numerals: bool) -> str:
    """The folded form of one character: one character, or "" for noise."""
    t2s = _traditional_to_simplified()
    folded = "".join(c for c in unicodedata.normalize("NFKC", char).casefold() if _is_word(c))
    if not folded:
        return ""
    if len(folded) > 1:  # ⑽, ﬁ, ß: compatibility forms of several letters stay as written
        return char if _is_word(char) else ""
    folded = t2s.get(folded, folded)
    folded = LOOKALIKES.get(folded, folded)
    if chinese_numerals:
        folded = CHINESE_NUMERALS.get(folded, folded)
    return folded


@functools.cache
def fold_table(*, chinese_numerals: bool) -> Codes:
    """Code point -> folded code point, or NOISE."""
    table = np.zeros(_TABLE_SIZE, dtype="<u4")
    low, high = _CJK_SUPPLEMENTARY
    table[low:high] = np.arange(low, high, dtype="<u4")
    singles = itertools.chain(
        range(0xD800), range(0xE000, 0x10000), *(range(*r) for r in _FOLDED_ASTRAL)
    )
    for code in singles:
        folded = fold_char(chr(code), chinese_numerals=chinese_numerals)
        if folded:
            table[code] = ord(folded)
    table.flags.writeable = False
    return table


@functools.cache
def _decorated_digits() -> npt.NDArray[np.bool_]:
    """Digits written as symbols (① ⑴ ⒈ ² ❶): between two ideographs they are noise, 法①轮②功,
    while plain, full-width and Chinese-numeral digits stay digits."""
    table = fold_table(chinese_numerals=False)
    codes = np.arange(_TABLE_SIZE, dtype="<u4")
    digit = (table >= 0x30) & (table <= 0x39)
    plain = ((codes >= 0x30) & (codes <= 0x39)) | ((codes >= 0xFF10) & (codes <= 0xFF19))
    return digit & ~plain


def _is_ideograph(codes: Codes) -> npt.NDArray[np.bool_]:
    return codes >= 0x2E80


_NUMERAL_CODES = np.array([ord(c) for c in CHINESE_NUMERALS], dtype="<u4")


@dataclass(eq=False)
class Normalized:
    """A text after folding, with the way back to the original.

    `starts[i]` is the original index of the first character behind normalized character i,
    `ends[i]` the index after the last (a collapsed run spans all its repeats, and noise between
    them).
    """

    codes: Codes
    _kept: Indexes = field(repr=False)
    _runs: Indexes | None = field(repr=False)  # positions in _kept that start a run, if collapsed
    _digits: Indexes | None = field(default=None, repr=False)  # found while normalizing

    @property
    def digits(self) -> Indexes:
        """Positions of the digits (personal data is digit runs of some lengths)."""
        if self._digits is None:
            self._digits = _digit_positions(self.codes)
        return self._digits

    @functools.cached_property
    def text(self) -> str:
        return self.codes.tobytes().decode("utf-32-le")

    @functools.cached_property
    def units(self) -> bytes | None:
        """The text as UTF-16 code units when it has no character beyond the BMP (the form the
        automata search fastest), else None."""
        return to_units(self.codes)

    @functools.cached_property
    def starts(self) -> Indexes:
        return self._kept if self._runs is None else self._kept[self._runs]

    @functools.cached_property
    def ends(self) -> Indexes:
        if self._runs is None:
            return self._kept + 1
        last = np.empty_like(self._runs)
        last[:-1] = self._runs[1:] - 1
        last[-1:] = len(self._kept) - 1
        return self._kept[last] + 1

    @functools.cached_property
    def run_lengths(self) -> Indexes:
        """How many characters of the original each normalized character stands for (2 for
        the 妈 of 妈妈), noise not counted."""
        if self._runs is None:
            return np.ones(len(self._kept), dtype=np.intp)
        return np.diff(self._runs, append=len(self._kept))

    @functools.cached_property
    def collapsed(self) -> Indexes:
        """Positions of the characters that stand for a run of two or more, in order."""
        if self._runs is None:
            return _EMPTY_INDEXES
        return np.flatnonzero(self.run_lengths > 1)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of normalized characters [start, end)."""
        return int(self.starts[start]), int(self.ends[end - 1])


_EMPTY_CODES: Codes = np.zeros(0, dtype="<u4")
_EMPTY_INDEXES: Indexes = np.zeros(0, dtype=np.intp)


def to_units(codes: Codes) -> bytes | None:
    if codes.size and int(codes.max()) > 0xFFFF:
        return None
    return codes.astype("<u2").tobytes()


def code_points(text: str) -> Codes:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def normalize(text: str, table: Codes) -> Normalized:
    if not text:
        return Normalized(_EMPTY_CODES, _EMPTY_INDEXES, None)
    original = code_points(text)
    folded = table.take(original)  # twice as fast as table[original]
    kept = np.flatnonzero(folded != NOISE)  # nonzero() is much faster over booleans
    codes = folded[kept]
    digits = _digit_positions(codes)
    if digits.size:
        decorated = digits[_decorated_digits()[original[kept[digits]]]]
        noise = _between_ideographs(decorated, codes, original, kept)
        if noise.size:
            keep = np.ones(codes.size, dtype=np.bool_)
            keep[noise] = False
            kept, codes = kept[keep], codes[keep]
            digits = _digit_positions(codes)
    runs = None
    if codes.size > 1:
        repeats = codes[1:] == codes[:-1]
        if repeats.any():
            runs = _run_heads(codes, repeats)
            if runs is not None:
                codes = codes[runs]
    # Positions move when runs collapse; the digits are then found again if asked for.
    return Normalized(codes, kept, runs, digits if runs is None else None)


def _digit_positions(codes: Codes) -> Indexes:
    return np.flatnonzero(codes - np.uint32(0x30) < 10)  # below "0" wraps around


def _between_ideographs(
    positions: Indexes, codes: Codes, original: Codes, kept: Indexes
) -> Indexes:
    """Those of the positions with an ideograph on both sides: 法①轮②功. Numerals fold to
    digits but were written as ideographs, so 九①评 is 九评 too. (`original[kept]` are the
    codes as written.)"""
    inner = positions[(positions > 0) & (positions < codes.size - 1)]
    if not inner.size:
        return inner

    def ideograph(at: Indexes) -> npt.NDArray[np.bool_]:
        return _is_ideograph(codes[at]) | np.isin(original[kept[at]], _NUMERAL_CODES)

    return inner[ideograph(inner - 1) & ideograph(inner + 1)]


def _run_heads(codes: Codes, repeats: npt.NDArray[np.bool_]) -> Indexes | None:
    """Positions of the characters that survive collapsing, or None when nothing collapses."""
    head = np.empty(codes.size, dtype=np.bool_)
    head[0] = True
    np.logical_not(repeats, out=head[1:])
    run = np.cumsum(head) - 1
    length = np.bincount(run)
    first = codes[head]
    minimum = np.where(
        first < 0x30,
        _NEVER,
        np.where(first <= 0x39, _NEVER, np.where(first < 0x80, _LETTER_RUN, _OTHER_RUN)),
    )
    drop = ~head & (length >= minimum)[run]
    if not drop.any():
        return None
    return np.flatnonzero(~drop)


def normalize_term(text: str, table: Codes) -> str:
    """A dictionary entry's folded form, compared with folded texts."""
    return normalize(text, table).text
