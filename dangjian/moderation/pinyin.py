"""Readings of Chinese characters, for pinyin and homophone matching.

Two views of a normalized text serve the categories that ask for them:

- the syllable view maps every ideograph to one code point per toneless syllable (发 and 法
  both become "fa"), so a homophone of a term is found by the same automaton search, one
  character for one;
- the spelled view writes every ideograph out in Latin letters (法lun功 -> falungong), so a
  term typed in full pinyin, or half in pinyin, is found too.

A text character takes its most common reading; a term is expanded to every combination of
its characters' readings (capped), so a polyphonic character in a term still matches.
Pure Python and numpy: no Django here.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata

import numpy as np

from dangjian.moderation.normalize import Codes

SYLLABLE_BASE = 0xE000  # the Private Use Area: noise, so never in a normalized text
MAX_EXPANSIONS = 16


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
def syllable_table() -> Codes:
    """Folded code point -> the code point of its first reading's syllable (others unchanged)."""
    index = {s: i for i, s in enumerate(syllables())}
    table = np.arange(0x110000, dtype="<u4")
    for code, rs in readings().items():
        table[code] = SYLLABLE_BASE + index[rs[0]]
    table.flags.writeable = False
    return table


@functools.cache
def spelling_table() -> dict[int, str]:
    """For str.translate: ideograph -> its first reading in Latin letters."""
    return {code: rs[0] for code, rs in readings().items()}


def syllable_char(syllable: str) -> str:
    return chr(SYLLABLE_BASE + syllables().index(syllable))


def term_readings(term: str) -> list[tuple[str, ...]]:
    """Every combination of the readings of a term's characters, or [] if one has none."""
    table = readings()
    options = [table.get(ord(c)) for c in term]
    if not options or any(o is None for o in options):
        return []
    combinations = itertools.product(*(o for o in options if o is not None))
    return list(itertools.islice(combinations, MAX_EXPANSIONS))
