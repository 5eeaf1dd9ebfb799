"""Readings of Chinese characters, for pinyin and homophone matching.

Two views of a normalized text serve the categories that ask for them:

- the syllable view maps every ideograph to one code point per toneless syllable (发 and 法
  both become "fa"), so a homophone of a term is found by the same automaton search, one
  character for one;
- the spelled view writes every ideograph out in Latin letters (法lun功 -> falungong), so a
  term typed in full pinyin, or half in pinyin, is found too; a short term also matches with
  some syllables cut to their initial (傻B, 他M的).

Digits sound like the numerals they were folded from (六 and 6 are both "liu").

A text character takes its most common reading; a term is expanded to the combinations of
its reading in context (西藏 is "xi zang") and each character's most common one. A term's
rare readings are left out: they only make ordinary words sound like it (约炮 read "yao bao"
would be 腰包).
Pure Python and numpy: no Django here.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata

import numpy as np

from dangjian.moderation.normalize import Codes, Indexes, code_points

SYLLABLE_BASE = 0xE000  # the Private Use Area: noise, so never in a normalized text
MAX_EXPANSIONS = 16
MAX_MIXED_LENGTH = 3  # terms spelled half in initials (傻B, 他M的) are short ones
_FEW = 64  # characters spelled out in Python, not numpy
_NUMERALS = "零一二三四五六七八九"  # by the digit they fold to


def _toneless(reading: str) -> str:
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def readings() -> dict[int, tuple[str, ...]]:
    """Code point -> its toneless readings, the most common first."""
    from pypinyin.pinyin_dict import pinyin_dict

    table: dict[int, tuple[str, ...]] = {}
    for code, spelled in pinyin_dict.items():
        toneless = dict.fromkeys(_toneless(r) for r in spelled.split(","))
        table[code] = tuple(toneless)
    return table


@functools.cache
def syllables() -> tuple[str, ...]:
    return tuple(sorted({r for rs in readings().values() for r in rs}))


@functools.cache
def _syllable_index() -> dict[str, int]:
    return {s: i for i, s in enumerate(syllables())}


@functools.cache
def syllable_table() -> Codes:
    """Folded code point -> the code point of its first reading's syllable (others unchanged).
    Digits sound like the numerals they were folded from: 六四图杀 is "liu si tu sha"."""
    index = _syllable_index()
    table = np.arange(0x110000, dtype="<u4")
    for code, rs in readings().items():
        table[code] = SYLLABLE_BASE + index[rs[0]]
    for digit, numeral in enumerate(_NUMERALS):
        table[ord(str(digit))] = table[ord(numeral)]
    table.flags.writeable = False
    return table


@functools.cache
def spelling_table() -> dict[int, str]:
    """For str.translate: ideograph -> its first reading in Latin letters; digits too, as
    the numerals they were folded from (九评gong产党 is jiupinggongchandang)."""
    table = {code: rs[0] for code, rs in readings().items()}
    for digit, numeral in enumerate(_NUMERALS):
        table[ord(str(digit))] = table[ord(numeral)]
    return table


@functools.cache
def _spellings() -> tuple[Codes, Indexes, Indexes]:
    """Every syllable written out, end to end; where each one starts there, and its length."""
    spelled = syllables()
    lengths = np.array([len(s) for s in spelled], dtype=np.intp)
    starts = np.zeros_like(lengths)
    np.cumsum(lengths[:-1], out=starts[1:])
    return code_points("".join(spelled)), starts, lengths


def spell(codes: Codes) -> tuple[Codes, Indexes]:
    """The spelled view of normalized code points, as `spelling_table` writes it (in numpy,
    unless they are few): the code points of the view, and where each character's spelling
    starts in it (one more offset than characters, the last being the view's length)."""
    if codes.size <= _FEW:  # numpy's calls cost more than the work
        table = spelling_table()
        pieces = [table.get(c) or chr(c) for c in codes.tolist()]
        ends = itertools.accumulate(map(len, pieces), initial=0)
        return code_points("".join(pieces)), np.fromiter(ends, np.intp, len(pieces) + 1)
    letters, starts, lengths = _spellings()
    syllable = syllable_table().take(codes) - np.uint32(SYLLABLE_BASE)  # others wrap, high
    spelled = syllable < lengths.size
    syllable[~spelled] = 0
    size = np.where(spelled, lengths[syllable], 1)
    offsets = np.zeros(codes.size + 1, dtype=np.intp)
    np.cumsum(size, out=offsets[1:])
    owner = np.repeat(np.arange(codes.size), size)
    within = np.arange(offsets[-1]) - offsets[owner]
    letter = letters[starts[syllable[owner]] + within]
    return np.where(spelled[owner], letter, codes[owner]).astype("<u4"), offsets


def syllable_char(syllable: str) -> str:
    return chr(SYLLABLE_BASE + _syllable_index()[syllable])


def term_readings(term: str) -> list[tuple[str, ...]]:
    """The combinations of each character's reading in the term and its most common reading,
    the reading in context first; [] if a character has none."""
    from pypinyin import Style, lazy_pinyin

    table = readings()
    if not term or any(ord(c) not in table for c in term):
        return []
    known = [table[ord(c)] for c in term]
    in_context = [_toneless(r) for r in lazy_pinyin(term, style=Style.TONE)]
    if len(in_context) != len(term):  # pypinyin kept some characters together
        in_context = [k[0] for k in known]
    options = [
        tuple(dict.fromkeys(r for r in (spoken, k[0]) if r in k))
        for spoken, k in zip(in_context, known, strict=True)
    ]
    combinations = itertools.product(*options)
    return list(itertools.islice(combinations, MAX_EXPANSIONS))


def mixed_spellings(reading: tuple[str, ...]) -> list[str]:
    """A reading with some syllables cut to their initial letter and some written out (傻B is
    "sha" + "b"); all initials and all syllables are the initials and spelled patterns."""
    if not 2 <= len(reading) <= MAX_MIXED_LENGTH:
        return []
    return [
        "".join(s[0] if cut >> i & 1 else s for i, s in enumerate(reading))
        for cut in range(1, 2 ** len(reading) - 1)
    ]
