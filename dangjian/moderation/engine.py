"""The sensitive-word engine: a dictionary compiled into automata, and a scan of one text.

A scan normalizes the text once (see normalize.py) and searches it with one Aho-Corasick
automaton over every term, and one over their sounds for the categories that ask for
homophones (pinyin typed in Latin letters is looked for only in texts that have some). A long
text against a large dictionary is screened first: one table look-up a character tells where
a pattern could start, and the pair of characters there whether one can, so a clean text
usually skips the searches. Only when something is found does the rest run: the whitelist (an
allowed phrase covering a hit cancels it: 共产党 is not 共产), word boundaries for Latin and
digit terms (class is not ass, 1964 is not 64), repeats that Chinese makes naturally (他妈妈的
is not 他妈的), and the way back from normalized positions to exact spans of the original text.
Personal data is digit runs of the right shapes.

Pure Python, numpy and ahocorasick-rs: no Django here. The service in services.py builds an
Engine from the database and keeps it current.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from unicodedata import combining

import numpy as np
import numpy.typing as npt
from ahocorasick_rs import AhoCorasick, BytesAhoCorasick

from dangjian.lib.checkdigits import gb11643_check_char
from dangjian.lib.masking import mask_id_number, mask_phone
from dangjian.moderation import pinyin
from dangjian.moderation.normalize import (
    CHINESE_NUMERALS,
    Codes,
    Indexes,
    Normalized,
    code_points,
    fold_table,
    normalize,
    to_units,
)


class Action(enum.StrEnum):
    PASS = "pass"  # noqa: S105 - an action, not a password
    MASK = "mask"
    REVIEW = "review"
    BLOCK = "block"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Action.PASS: 0, Action.MASK: 1, Action.REVIEW: 2, Action.BLOCK: 3}

PERSONAL_DATA = "personal_data"


class Via(enum.StrEnum):
    TEXT = "text"
    HOMOPHONE = "homophone"
    PINYIN = "pinyin"
    PATTERN = "pattern"  # personal data recognized by its shape


@dataclass(frozen=True)
class Term:
    text: str
    category: str
    action: Action


@dataclass(frozen=True)
class Policy:
    """How a category is matched beyond the common normalization."""

    pinyin: bool = False  # full pinyin and initials typed in Latin letters
    homophones: bool = False  # other characters with the same sound


@dataclass(frozen=True)
class Hit:
    term: str
    category: str
    action: Action
    start: int  # span in the original text, in code points
    end: int
    via: Via = Via.TEXT

    def as_dict(self) -> dict[str, object]:
        return {
            "term": self.term,
            "category": self.category,
            "action": str(self.action),
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Verdict:
    text: str
    action: Action
    hits: tuple[Hit, ...]

    def masked_text(self) -> str:
        """The text with every hit of a mask action (or more) hidden."""
        chars = list(self.text)
        for hit in self.hits:
            if hit.action is Action.PASS:
                continue
            span = self.text[hit.start : hit.end]
            if hit.category == PERSONAL_DATA:
                digits = "".join(c for c in span if c.isalnum())
                masked = mask_id_number(digits) if len(digits) == 18 else mask_phone(digits)
                replacement = iter(masked)
                for i in range(hit.start, hit.end):
                    if chars[i].isalnum():
                        chars[i] = next(replacement)
            else:
                for i in range(hit.start, hit.end):
                    if chars[i].isalnum():
                        chars[i] = "*"
        return "".join(chars)

    def as_dict(self) -> dict[str, object]:
        return {"action": str(self.action), "hits": [hit.as_dict() for hit in self.hits]}


@dataclass(frozen=True)
class _Pattern:
    term: Term
    left_class: int  # 1 letter, 2 digit, 0 other: a neighbour of the same class refuses a hit
    right_class: int
    numeric: bool = False  # folds to digits only (六四 -> 64): a count of something is not it


def _char_class(code: int) -> int:
    if 0x61 <= code <= 0x7A:
        return 1
    if 0x30 <= code <= 0x39:
        return 2
    return 0


class _Prefilter:
    """Whether a pattern can start somewhere: the pair of characters each pattern begins
    with, hashed into a bit table and then checked exactly, or a pattern of one character.
    A text with no such place cannot match, so it skips the search."""

    _MIX = np.uint32(0x9E3779B1)

    def __init__(self, patterns: Sequence[str]) -> None:
        first = np.array([ord(p[0]) for p in patterns if len(p) > 1], dtype="<u4")
        second = np.array([ord(p[1]) for p in patterns if len(p) > 1], dtype="<u4")
        bits = max(10, min(21, (first.size * 64).bit_length()))  # about 1 slot in 64 taken
        self._shift = np.uint32(32 - bits)
        self._table = np.zeros(1 << bits, dtype=np.bool_)
        self._table[self._slots(first, second)] = True
        self._pairs = np.unique(_pair_keys(first, second))
        self._singles = np.unique([ord(p) for p in patterns if len(p) == 1]).astype("<u4")

    def _slots(self, first: Codes, second: Codes) -> Codes:
        mixed = (first << np.uint32(11)) ^ second
        mixed *= self._MIX  # wraps around: the high bits mix both characters
        return mixed >> self._shift

    def may_match(self, codes: Codes, at: Indexes, through: Codes | None = None) -> bool:
        """`at`: the only positions worth a look; `through`: a table to read the codes
        through first (their sounds)."""
        starts = _read(codes, at, through)
        if self._singles.size and _any_in(starts, self._singles):
            return True
        inner = at < codes.size - 1
        first, second = starts[inner], _read(codes, at[inner] + 1, through)
        hashed = self._table[self._slots(first, second)]
        return _any_in(_pair_keys(first[hashed], second[hashed]), self._pairs)


def _any_in(values: npt.NDArray[Any], ordered: npt.NDArray[Any]) -> bool:
    """Whether any of the values is in the sorted array (np.isin would sort both, each call)."""
    if not values.size or not ordered.size:
        return False
    at = np.minimum(np.searchsorted(ordered, values), ordered.size - 1)
    return bool((ordered[at] == values).any())


def _read(codes: Codes, at: Indexes, through: Codes | None) -> Codes:
    return codes[at] if through is None else through[codes[at]]


def _pair_keys(first: Codes, second: Codes) -> npt.NDArray[np.uint64]:
    return (first.astype(np.uint64) << np.uint64(21)) | second


class _Automaton:
    """Normalized patterns, each standing for the most severe term that folds to it.

    Searched over UTF-16 code units (two bytes a character, no decoding) when every pattern and
    the text lie in the BMP; matches at odd byte offsets straddle two characters and are
    dropped. A text beyond the BMP (rare ideographs, which fold to themselves) is searched as
    a string.
    """

    def __init__(self, entries: Iterable[tuple[str, Term]]) -> None:
        best: dict[str, Term] = {}
        for pattern, term in entries:
            if pattern and (
                pattern not in best or term.action.severity > best[pattern].action.severity
            ):
                best[pattern] = term
        self.patterns = list(best)
        self.meta = [
            _Pattern(term, _char_class(ord(p[0])), _char_class(ord(p[-1])), p.isdigit())
            for p, term in best.items()
        ]
        # Patterns beyond the BMP can only match a text beyond it, which takes the string path.
        units = [(i, u) for i, p in enumerate(self.patterns) if (u := to_units(code_points(p)))]
        self._unit_index = [i for i, _ in units]
        self._units = BytesAhoCorasick([u for _, u in units]) if units else None
        self._text: AhoCorasick | None = None

    @functools.cached_property
    def _prefilter(self) -> _Prefilter:
        return _Prefilter(self.patterns)

    def __len__(self) -> int:
        return len(self.patterns)

    def may_match(self, codes: Codes, at: Indexes, through: Codes | None = None) -> bool:
        return bool(self.patterns) and self._prefilter.may_match(codes, at, through)

    @property
    def first_codes(self) -> Codes:
        return np.array(sorted({ord(p[0]) for p in self.patterns}), dtype="<u4")

    def find(
        self,
        codes: Codes,
        units: Callable[[], bytes | None],
        text: Callable[[], str],
        at: Indexes | None = None,
    ) -> list[tuple[int, int, int]]:
        """Every occurrence in a text, overlapping, as (pattern, start, end) in characters.
        The text comes as its code points, and on demand as UTF-16 units (None beyond the BMP)
        or as a string: a text the prefilter clears is never converted. `at`, if given, holds
        every position where a pattern could start."""
        if not self.patterns or (at is not None and not self.may_match(codes, at)):
            return []
        if (unit_bytes := units()) is not None:
            if self._units is None:
                return []
            found = self._units.find_matches_as_indexes(unit_bytes, overlapping=True)
            index = self._unit_index
            return [(index[i], s // 2, e // 2) for i, s, e in found if not s & 1]
        if self._text is None:
            self._text = AhoCorasick(self.patterns)
        return self._text.find_matches_as_indexes(text(), overlapping=True)


class Engine:
    """A compiled dictionary. Immutable: a changed dictionary is a new Engine."""

    def __init__(
        self,
        terms: Iterable[Term],
        *,
        allowed: Iterable[str] = (),
        policies: Mapping[str, Policy] | None = None,
        chinese_numerals: bool = True,
        personal_data: Action | None = Action.MASK,
        version: int = 0,
    ) -> None:
        self.version = version
        self.table: Codes = fold_table(chinese_numerals=chinese_numerals)
        self.personal_data = personal_data
        policies = policies or {}
        terms = list(terms)
        folded: dict[str, str] = {}
        self._runs: dict[str, tuple[int, ...]] = {}  # terms with a repeat: 时时彩 is (2, 1)
        for text in {t.text for t in terms}:
            norm = self.normalize(text)
            folded[text] = norm.text
            if norm.run_lengths.size and norm.run_lengths.max() > 1:
                self._runs[text] = tuple(map(int, norm.run_lengths))
        self._terms = _Automaton((folded[t.text], t) for t in terms)
        self._allowed = _Automaton(
            (self.normalize(a).text, Term(a, "", Action.PASS)) for a in allowed
        )
        readings = {
            t: pinyin.term_readings(self._spoken(t.text, folded[t.text]))
            for t in terms
            if (policy := policies.get(t.category)) and (policy.pinyin or policy.homophones)
        }
        by_sound = [t for t in readings if policies[t.category].homophones]
        by_pinyin = [t for t in readings if policies[t.category].pinyin]
        self._homophones = _Automaton(
            ("".join(map(pinyin.syllable_char, reading)), t)
            for t in by_sound
            for reading in readings[t]
        )
        # Half-initial spellings (傻B) only in each character's common reading: every
        # combination would multiply the patterns by up to 16.
        self._spelled = _Automaton(
            (spelling, t)
            for t in by_pinyin
            for i, reading in enumerate(readings[t])
            for spelling in ["".join(reading), *(pinyin.mixed_spellings(reading) if i == 0 else [])]
        )
        self._initials = _Automaton(
            (initials, t)
            for t in by_pinyin
            for reading in readings[t]
            if len(initials := "".join(r[0] for r in reading)) > 1
        )
        self._syllables = pinyin.syllable_table() if len(self._homophones) else None
        self._spelling = pinyin.spelling_table() if len(self._spelled) else None

    @functools.cached_property
    def _screen(self) -> npt.NDArray[np.uint8]:
        """Code point -> what a character may start: a term, a term's sound, pinyin. One look-up
        a character tells a scan which searches can find anything at all."""
        screen = np.zeros(0x110000, dtype=np.uint8)
        screen[self._terms.first_codes] |= _STARTS_TERM
        if self._syllables is not None:
            screen[np.isin(self._syllables, self._homophones.first_codes)] |= _STARTS_SOUND
        if self._spelling is not None:
            screen[ord("a") : ord("z") + 1] |= _LATIN
        screen.flags.writeable = False
        return screen

    @property
    def size(self) -> int:
        return len(self._terms)

    def _spoken(self, text: str, folded: str) -> str:
        """The term as it sounds: folded before numerals turn into digits, so that 王八蛋 is
        "wang ba dan" (and 王巴蛋, wangbadan match), not "wang 8 dan"."""
        spoken = fold_table(chinese_numerals=False)
        if self.table is spoken or not any(c in CHINESE_NUMERALS for c in text):
            return folded
        return normalize(text, spoken).text

    def normalize(self, text: str) -> Normalized:
        return normalize(text, self.table)

    def scan(self, text: str) -> Verdict:
        norm = self.normalize(text)
        found = []
        if norm.codes.size < SCREEN_FROM or len(self._terms) < SCREEN_TERMS:
            found += self._direct(text, norm)
            if self._syllables is not None:
                found += self._homophone_hits(norm)
            if self._spelling is not None and _has_latin(norm.codes):
                found += self._spelled_hits(text, norm) + self._initial_hits(text, norm)
        else:
            screen = self._screen[norm.codes.astype(np.intp)]  # native-width indexes are faster
            present = int(np.bitwise_or.reduce(screen))
            if present & _STARTS_TERM:
                found += self._direct(text, norm, _where(screen, _STARTS_TERM))
            if present & _STARTS_SOUND:
                found += self._homophone_hits(norm, _where(screen, _STARTS_SOUND))
            if present & _LATIN:
                found += self._spelled_hits(text, norm) + self._initial_hits(text, norm)
        hits = [self._hit(text, norm, *f) for f in self._resolve(norm, found)]
        hits += self._personal_data(text, norm)
        hits.sort(key=lambda h: (h.start, -h.end))
        action = max((h.action for h in hits), key=lambda a: a.severity, default=Action.PASS)
        return Verdict(text, action, tuple(hits))

    # Each finder returns (pattern meta, start, end, via) in normalized positions.

    def _direct(
        self, text: str, norm: Normalized, at: Indexes | None = None
    ) -> list[tuple[_Pattern, int, int, Via]]:
        found = []
        for i, s, e in self._terms.find(norm.codes, lambda: norm.units, lambda: norm.text, at):
            meta = self._terms.meta[i]
            if not self._bounded(text, norm, meta, s, e):
                continue
            if meta.numeric and _counts_something(text, *norm.original_span(s, e)):
                continue
            found.append((meta, s, e, Via.TEXT))
        return found

    def _homophone_hits(
        self, norm: Normalized, at: Indexes | None = None
    ) -> list[tuple[_Pattern, int, int, Via]]:
        assert self._syllables is not None
        if at is not None and not self._homophones.may_match(norm.codes, at, self._syllables):
            return []  # checked before the whole text is read as sounds
        sounds = self._syllables[norm.codes]
        return [
            (self._homophones.meta[i], s, e, Via.HOMOPHONE)
            for i, s, e in self._homophones.find(
                sounds, lambda: to_units(sounds), lambda: sounds.tobytes().decode("utf-32-le"), at
            )
            if not norm.text[s:e].isdigit()  # plain digits are the written form's to judge
        ]

    def _initial_hits(self, text: str, norm: Normalized) -> list[tuple[_Pattern, int, int, Via]]:
        return [
            (self._initials.meta[i], s, e, Via.PINYIN)
            for i, s, e in self._initials.find(norm.codes, lambda: norm.units, lambda: norm.text)
            if self._bounded(text, norm, self._initials.meta[i], s, e)
        ]

    def _spelled_hits(self, text: str, norm: Normalized) -> list[tuple[_Pattern, int, int, Via]]:
        assert self._spelling is not None
        pieces = [chr(c) if c not in self._spelling else self._spelling[c] for c in norm.codes]
        offsets = np.cumsum([0, *map(len, pieces)])
        found = []
        spelled = "".join(pieces)
        spelled_codes = code_points(spelled)
        for i, s, e in self._spelled.find(
            spelled_codes, lambda: to_units(spelled_codes), lambda: spelled
        ):
            start, end = np.searchsorted(offsets, [s, e])
            if offsets[start] != s or offsets[end] != e:
                continue  # the match starts or ends inside a syllable
            if not _has_latin(norm.codes[start:end]):
                continue  # ideographs alone are a homophone, if the category asks for those
            meta = self._spelled.meta[i]
            if self._bounded(text, norm, meta, int(start), int(end), latin_edges=True):
                found.append((meta, int(start), int(end), Via.PINYIN))
        return found

    def _bounded(
        self,
        text: str,
        norm: Normalized,
        meta: _Pattern,
        start: int,
        end: int,
        *,
        latin_edges: bool = False,
    ) -> bool:
        """A Latin or digit edge may not continue a word of the original text: "ass" is not in
        "class", "64" is not in "1964"; but "my ass" is (the space between was dropped).
        Letters typed as pinyin may not continue a word either, nor follow a digit that makes
        them a model name (5G, 3D)."""
        left = 1 if latin_edges else meta.left_class
        right = 1 if latin_edges else meta.right_class
        first, last = norm.original_span(start, end)
        if left and first > 0:
            before = self._class_of(text[first - 1])
            if before == left or (latin_edges and before == 2 and self._class_of(text[first]) == 1):
                return False
        return not (right and last < len(text) and self._class_of(text[last]) == right)

    def _class_of(self, char: str) -> int:
        return _char_class(int(self.table[ord(char)]))

    def _resolve(
        self, norm: Normalized, found: list[tuple[_Pattern, int, int, Via]]
    ) -> list[tuple[_Pattern, int, int, Via]]:
        """Drop what an allowed phrase covers; of overlapping hits keep the leftmost longest,
        preferring what was written over what only sounds alike."""
        if not found:
            return []
        allowed = [
            (s, e)
            for _, s, e in self._allowed.find(norm.codes, lambda: norm.units, lambda: norm.text)
        ]
        kept: list[tuple[_Pattern, int, int, Via]] = []
        order = sorted(found, key=lambda f: (f[3] is not Via.TEXT, f[1], f[1] - f[2]))
        for candidate in order:
            meta, s, e, via = candidate
            if any(a <= s and e <= b for a, b in allowed):
                continue
            if via is not Via.PINYIN and not self._repeats_fit(norm, meta, s, e):
                continue
            if any(s < ke and ks < e for _, ks, ke, _ in kept):
                continue
            kept.append(candidate)
        return kept

    def _repeats_fit(self, norm: Normalized, meta: _Pattern, start: int, end: int) -> bool:
        """Collapsing repeats catches 法法轮轮功功 and 傻傻傻逼, but Chinese doubles many
        characters naturally: 他妈妈的 is not 他妈的 (one character doubled, the others not),
        and 同时彩排 is not 时时彩 (fewer repeats than the term has)."""
        wanted = self._runs.get(meta.term.text, (1,) * (end - start))
        if len(wanted) != end - start:
            return True
        runs = list(zip(norm.run_lengths[start:end], wanted, norm.text[start:end], strict=True))
        if any(w < t for w, t, _ in runs):
            return False
        doubled = any(w == 2 and t == 1 for w, t, _ in runs)
        # Digits never collapse, so they say nothing about how the rest was repeated.
        return not (doubled and any(w == t and not c.isdigit() for w, t, c in runs))

    def _hit(
        self, text: str, norm: Normalized, meta: _Pattern, start: int, end: int, via: Via
    ) -> Hit:
        s, e = norm.original_span(start, end)
        return Hit(meta.term.text, meta.term.category, meta.term.action, s, _extend(text, e), via)

    def _personal_data(self, text: str, norm: Normalized) -> list[Hit]:
        if self.personal_data is None:
            return []
        codes, digits = norm.codes, norm.digits
        if digits.size < 11:
            return []
        breaks = np.flatnonzero(np.diff(digits) != 1)  # runs of consecutive positions
        starts = digits[np.concatenate(([0], breaks + 1))]
        ends = digits[np.concatenate((breaks, [digits.size - 1]))] + 1
        shaped = np.isin(ends - starts, (11, 17, 18))  # a mobile number, an ID (without its X)
        hits = []
        for start, end in zip(starts[shaped], ends[shaped], strict=True):
            s, e = int(start), int(end)
            run = norm.text[s:e]
            if e < codes.size and norm.text[e] == "x" and len(run) == 17:
                run, e = run + "X", e + 1
            if e < codes.size and _char_class(int(codes[e])) == 1:
                continue
            if _is_mobile(run) or _is_id_number(run):
                os, oe = norm.original_span(s, e)
                hits.append(Hit(run, PERSONAL_DATA, self.personal_data, os, oe, Via.PATTERN))
        return hits


# What follows or precedes a number that counts something: 64名党员, 建党64周年, 第64期.
_COUNTED = frozenset(
    "名个位人年月日号次岁元件份篇条项页届期周天时分秒万千百亿倍%级班栋层楼室组队所家"
)
_ORDINAL = frozenset("第共约近达计逾超")


def _counts_something(text: str, start: int, end: int) -> bool:
    """A term that folds to digits only names a date or a code, not a quantity."""
    after = text[end : end + 1]
    before = text[start - 1 : start]
    return bool(after and after in _COUNTED) or bool(before and before in _ORDINAL)


# Long texts are screened before a large dictionary searches them (most texts are clean, and
# a screen costs the same whatever the dictionary's size). Below these sizes the search costs
# less than numpy's calls for the screen (measured: a 220-term dictionary gains nothing; one
# of 20,000 terms scans a clean text three times as fast).
SCREEN_FROM = 1_000  # normalized characters
SCREEN_TERMS = 5_000

# What a character may start (Engine._screen)
_STARTS_TERM = 1
_STARTS_SOUND = 2
_LATIN = 4


def _where(screen: npt.NDArray[np.uint8], flag: int) -> Indexes:
    return np.flatnonzero((screen & flag) != 0)  # nonzero() is much faster over booleans


def _has_latin(codes: Codes) -> bool:
    return bool(np.any((codes >= 0x61) & (codes <= 0x7A)))


def _is_mobile(run: str) -> bool:
    return len(run) == 11 and run[0] == "1" and run[1] in "3456789"


def _is_id_number(run: str) -> bool:
    return (
        len(run) == 18
        and run[0] != "0"
        and run[:17].isdigit()
        and gb11643_check_char(run[:17]) == run[17]
        and "19000101" <= run[6:14] <= "21001231"
    )


def _extend(text: str, end: int) -> int:
    """Take the combining marks, variation selectors and joiners after a hit into its span,
    so a highlight never splits what a reader sees as one character."""
    while end < len(text) and (
        text[end] == "\u200d" or 0xFE00 <= ord(text[end]) <= 0xFE0F or combining(text[end])
    ):
        end += 1
    return end
