"""The sensitive-word engine: a dictionary compiled into automata, and a scan of one text.

A scan normalizes the text once (see normalize.py) and searches it with one Aho-Corasick
automaton over every term, and one over their sounds for the categories that ask for
homophones (pinyin typed in Latin letters is looked for only near the Latin letters of a
text). A long text against a large dictionary is screened first: one table look-up a character
tells where a pattern could start, and the pair of characters there whether one can, so a
clean text usually skips the searches (the screen stops at the first place that passes, so a
text that must be searched pays little for it). Only when something is found does the rest
run: the whitelist (an allowed phrase covering a hit cancels it: 共产党 is not 共产), word
boundaries for Latin and digit terms (class is not ass, 1964 is not 64), repeats that Chinese
makes naturally (他妈妈的 is not 他妈的), and the way back from normalized positions to exact
spans of the original text. When an automaton finds many matches, numpy judges them first (a
term that needs a repeat where the text has none, a word continued past a Latin edge, a pinyin
match off a syllable's edges, an allowed phrase around it), so a clean text that keeps meeting
parts of terms still pays about the search alone; Python looks only at what is left.
Personal data is digit runs of the right shapes.

Pure Python, numpy and ahocorasick-rs: no Django here. The service in services.py builds an
Engine from the database and keeps it current.
"""

from __future__ import annotations

import enum
import functools
import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
    A text with no such place cannot match, so it skips the search. The text is read in
    growing chunks, and the first place that passes ends the screen: a text that shares much
    with the dictionary goes to the search at once."""

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

    def may_match(self, codes: Codes, at: _Places, through: Codes | None = None) -> bool:
        """`at`: the only positions worth a look; `through`: a table to read the codes
        through first (their sounds)."""
        return any(self._may_match(codes, chunk, through) for chunk in at.chunks())

    def _may_match(self, codes: Codes, at: Indexes, through: Codes | None) -> bool:
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
    return codes[at] if through is None else through.take(codes[at])


def _pair_keys(first: Codes, second: Codes) -> npt.NDArray[np.uint64]:
    return (first.astype(np.uint64) << np.uint64(21)) | second


@dataclass(frozen=True)
class _Places:
    """The positions of a text whose character carries a flag of the screen (Engine._screen):
    where a pattern may start. Read in chunks, 4 times longer each, as the prefilter asks."""

    screen: npt.NDArray[np.uint8]
    flag: int

    def chunks(self) -> Iterator[Indexes]:
        begin, size = 0, _FIRST_CHUNK
        while begin < self.screen.size:
            flagged = (self.screen[begin : begin + size] & self.flag) != 0
            yield begin + np.flatnonzero(flagged)  # nonzero() is much faster over booleans
            begin, size = begin + size, size * 4


_FIRST_CHUNK = 8192  # characters the screen reads before it may stop
_MANY = 32  # matches of one automaton that numpy winnows before Python judges them
_STRETCHES_FROM = 1_000  # normalized characters: a shorter text is spelled out whole

# What an automaton found: pattern indexes, starts, ends (characters), in its order; lists
# when there are few (numpy's calls would cost more than they save), else arrays.
_Column = list[int] | Indexes
_Matches = tuple[_Column, _Column, _Column]
_NOTHING: Indexes = np.zeros(0, dtype=np.intp)
_NOTHING.flags.writeable = False
_NO_MATCHES: _Matches = (_NOTHING, _NOTHING, _NOTHING)


def _as_matches(found: list[tuple[int, int, int]]) -> npt.NDArray[np.intp]:
    """An automaton's matches as an array of (pattern, start, end) rows."""
    flat = itertools.chain.from_iterable(found)
    return np.fromiter(flat, dtype=np.intp, count=3 * len(found)).reshape(-1, 3)


def _as_columns(rows: list[tuple[int, int, int]]) -> _Matches:
    if not rows:
        return _NO_MATCHES
    pattern, start, end = zip(*rows, strict=True)
    return list(pattern), list(start), list(end)


def _ints(column: _Column) -> list[int]:
    return column if isinstance(column, list) else column.tolist()


class _Automaton:
    """Normalized patterns, each standing for the most severe term that folds to it.

    Searched over UTF-16 code units (two bytes a character, no decoding) when every pattern and
    the text lie in the BMP; matches at odd byte offsets straddle two characters and are
    dropped. A text beyond the BMP (rare ideographs, which fold to themselves) is searched as
    a string.
    """

    def __init__(
        self,
        entries: Iterable[tuple[str, Term]],
        runs: Mapping[str, tuple[int, ...]] | None = None,
    ) -> None:
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
        # Which patterns a match of must be judged one by one: a Latin or digit edge (word
        # boundaries) or digits only (a count of something).
        self.edged = np.array(
            [bool(m.left_class or m.right_class or m.numeric) for m in self.meta], dtype=np.bool_
        )
        # Which patterns stand for a term written with a repeat (时时彩 is 时彩 with its first
        # character twice): a match needs a repeat in the text (see Engine._repeats_fit).
        runs = runs or {}
        self.repeated = np.array(
            [
                len(runs.get(m.term.text, ())) == len(p)
                for p, m in zip(best, self.meta, strict=True)
            ],
            dtype=np.bool_,
        )
        self.left = np.array([m.left_class for m in self.meta], dtype=np.int8)
        self.right = np.array([m.right_class for m in self.meta], dtype=np.int8)
        self.edged_bytes = self.edged.tobytes()  # the same, for Python (a byte a pattern)
        self.repeated_bytes = self.repeated.tobytes()
        self.longest = max(map(len, self.patterns), default=0)
        # Patterns beyond the BMP can only match a text beyond it, which takes the string path.
        units = [(i, u) for i, p in enumerate(self.patterns) if (u := to_units(code_points(p)))]
        # Which pattern each unit pattern is, unless all are (the usual case).
        self._unit_index = (
            None if len(units) == len(best) else np.array([i for i, _ in units], dtype=np.intp)
        )
        self._units = BytesAhoCorasick([u for _, u in units]) if units else None
        self._text: AhoCorasick | None = None

    @functools.cached_property
    def _prefilter(self) -> _Prefilter:
        return _Prefilter(self.patterns)

    def __len__(self) -> int:
        return len(self.patterns)

    def may_match(self, codes: Codes, at: _Places, through: Codes | None = None) -> bool:
        return bool(self.patterns) and self._prefilter.may_match(codes, at, through)

    @property
    def first_codes(self) -> Codes:
        return np.array(sorted({ord(p[0]) for p in self.patterns}), dtype="<u4")

    def find(
        self,
        codes: Codes,
        units: Callable[[], bytes | None],
        text: Callable[[], str],
        at: _Places | None = None,
    ) -> _Matches:
        """Every occurrence in a text, overlapping: pattern indexes, starts and ends in
        characters (see _Matches). The text comes as its code points, and on demand as UTF-16
        units (None beyond the BMP) or as a string: a text the prefilter clears is never
        converted. `at`, if given, holds every position where a pattern could start."""
        if not self.patterns or (at is not None and not self.may_match(codes, at)):
            return _NO_MATCHES
        if (unit_bytes := units()) is not None:
            if self._units is None:
                return _NO_MATCHES
            found = self._units.find_matches_as_indexes(unit_bytes, overlapping=True)
            index = self._unit_index
            if len(found) <= _MANY:
                rows = [(i, s >> 1, e >> 1) for i, s, e in found if not s & 1]
                if index is not None:
                    rows = [(int(index[i]), s, e) for i, s, e in rows]
                return _as_columns(rows)
            array = _as_matches(found)
            array = array[(array[:, 1] & 1) == 0]  # straddling two characters
            pattern = array[:, 0] if index is None else index[array[:, 0]]
            return pattern, array[:, 1] >> 1, array[:, 2] >> 1
        if self._text is None:
            self._text = AhoCorasick(self.patterns)
        found = self._text.find_matches_as_indexes(text(), overlapping=True)
        if len(found) <= _MANY:
            return _as_columns(found)
        array = _as_matches(found)
        return array[:, 0], array[:, 1], array[:, 2]


@dataclass(slots=True)
class _Found:
    """What one automaton found that is still a candidate: pattern indexes, starts and ends
    in normalized positions, in the automaton's order."""

    automaton: _Automaton
    via: Via
    pattern: _Column
    start: _Column
    end: _Column
    latin_edges: bool = False  # pinyin spelled out: judged as a word of Latin letters

    @classmethod
    def of(cls, automaton: _Automaton, via: Via, matches: _Matches) -> _Found:
        return cls(automaton, via, *matches)

    def __len__(self) -> int:
        return len(self.pattern)

    def arrays(self) -> tuple[Indexes, Indexes, Indexes]:
        return np.asarray(self.pattern), np.asarray(self.start), np.asarray(self.end)

    def where(self, keep: npt.NDArray[np.bool_]) -> _Found:
        pattern, start, end = self.arrays()
        return _Found(
            self.automaton, self.via, pattern[keep], start[keep], end[keep], self.latin_edges
        )


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
        self._terms = _Automaton(((folded[t.text], t) for t in terms), self._runs)
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
            (
                ("".join(map(pinyin.syllable_char, reading)), t)
                for t in by_sound
                for reading in readings[t]
            ),
            self._runs,
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
        # Pinyin is looked for within this many characters of a Latin letter (every character
        # of a match spells at least one letter).
        self._pinyin_reach = max(self._spelled.longest, self._initials.longest)

    @functools.cached_property
    def _screen(self) -> npt.NDArray[np.uint8]:
        """Code point -> what a character may start: a term, a term's sound, pinyin. One look-up
        a character tells a scan which searches can find anything at all."""
        screen = np.zeros(0x110000, dtype=np.uint8)
        screen[self._terms.first_codes] |= _STARTS_TERM
        if self._syllables is not None:
            screen[np.isin(self._syllables, self._homophones.first_codes)] |= _STARTS_SOUND
        if self._pinyin_reach:
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
        found: list[_Found] = []
        if norm.codes.size < SCREEN_FROM or len(self._terms) < SCREEN_TERMS:
            found.append(self._direct(norm))
            if self._syllables is not None:
                found.append(self._homophone_hits(norm))
            if self._pinyin_reach and _has_latin(norm.codes):
                found += self._pinyin_hits(norm)
        else:
            screen = self._screen.take(norm.codes)  # take() is twice as fast as [] here
            present = int(np.bitwise_or.reduce(screen))
            if present & _STARTS_TERM:
                found.append(self._direct(norm, _Places(screen, _STARTS_TERM)))
            if present & _STARTS_SOUND:
                found.append(self._homophone_hits(norm, _Places(screen, _STARTS_SOUND)))
            if present & _LATIN:
                found += self._pinyin_hits(norm)
        hits = [self._hit(text, norm, *f) for f in self._resolve(text, norm, found)]
        hits += self._personal_data(text, norm)
        hits.sort(key=lambda h: (h.start, -h.end))
        action = max((h.action for h in hits), key=lambda a: a.severity, default=Action.PASS)
        return Verdict(text, action, tuple(hits))

    # Each finder returns what its automaton found, less what numpy can rule out at once.

    def _direct(self, norm: Normalized, at: _Places | None = None) -> _Found:
        matches = self._terms.find(norm.codes, lambda: norm.units, lambda: norm.text, at)
        return _Found.of(self._terms, Via.TEXT, matches)

    def _homophone_hits(self, norm: Normalized, at: _Places | None = None) -> _Found:
        assert self._syllables is not None
        automaton = self._homophones
        if at is not None and not automaton.may_match(norm.codes, at, self._syllables):
            return _Found.of(automaton, Via.HOMOPHONE, _NO_MATCHES)  # before reading sounds
        sounds = self._syllables.take(norm.codes)
        matches = automaton.find(sounds, lambda: to_units(sounds), lambda: _decode(sounds))
        return _Found.of(automaton, Via.HOMOPHONE, matches)

    def _pinyin_hits(self, norm: Normalized) -> list[_Found]:
        """Pinyin typed in Latin letters, spelled out in full or as initials. A match holds a
        Latin letter, so only the stretches of the text within a pattern's length of one are
        read (a long text with one Latin word is not spelled out whole): end to end, with a
        space, which no pattern holds, between stretches."""
        codes = norm.codes
        latin = np.flatnonzero((codes >= 0x61) & (codes <= 0x7A))
        if not latin.size:
            return []
        if codes.size < _STRETCHES_FROM:
            return [self._spelled_hits(codes, None), self._initial_hits(codes, None)]
        begins = np.maximum(latin - (self._pinyin_reach - 1), 0)
        ends = np.minimum(latin + self._pinyin_reach, codes.size)  # nondecreasing, as latin
        new = np.ones(latin.size, dtype=np.bool_)
        new[1:] = begins[1:] > ends[:-1]
        firsts = np.flatnonzero(new)
        begins, ends = begins[firsts], ends[np.append(firsts[1:] - 1, latin.size - 1)]
        sizes = ends - begins + 1  # and the space
        slots = np.zeros(sizes.size, dtype=np.intp)
        np.cumsum(sizes[:-1], out=slots[1:])
        position = np.arange(int(sizes.sum())) - np.repeat(slots - begins, sizes)
        position[slots + sizes - 1] = -1
        stretches = np.where(position >= 0, codes[position], np.uint32(ord(" ")))
        return [
            self._spelled_hits(stretches, position),
            self._initial_hits(stretches, position),
        ]

    def _initial_hits(self, stretches: Codes, position: Indexes | None) -> _Found:
        """`position`: where each character of the stretches is in the text (None: they are
        the text)."""
        matches = self._initials.find(
            stretches, lambda: to_units(stretches), lambda: _decode(stretches)
        )
        if position is None or not len(matches[0]):
            return _Found.of(self._initials, Via.PINYIN, matches)
        pattern, start, end = (np.asarray(column) for column in matches)
        return _Found(self._initials, Via.PINYIN, pattern, position[start], position[end - 1] + 1)

    def _spelled_hits(self, stretches: Codes, position: Indexes | None) -> _Found:
        spelled, offsets = pinyin.spell(stretches)
        matches = self._spelled.find(spelled, lambda: to_units(spelled), lambda: _decode(spelled))
        if not len(matches[0]):
            return _Found.of(self._spelled, Via.PINYIN, _NO_MATCHES)
        pattern, s, e = (np.asarray(column) for column in matches)
        start, end = np.searchsorted(offsets, s), np.searchsorted(offsets, e)
        # A match may not start or end inside a syllable; ideographs alone are a homophone,
        # if the category asks for those.
        latin = np.zeros(stretches.size + 1, dtype=np.intp)
        np.cumsum((stretches >= 0x61) & (stretches <= 0x7A), out=latin[1:])
        keep = (offsets[start] == s) & (offsets[end] == e) & (latin[end] > latin[start])
        start, end = start[keep], end[keep]
        if position is not None:
            start, end = position[start], position[end - 1] + 1
        return _Found(self._spelled, Via.PINYIN, pattern[keep], start, end, latin_edges=True)

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

    def _all_bounded(
        self, norm: Normalized, found: _Found, classes: npt.NDArray[np.int8]
    ) -> npt.NDArray[np.bool_]:
        """`_bounded` for many matches at once. `classes`: of the original's characters, and
        one more (0) past its end."""
        pattern, start, end = found.arrays()
        if found.latin_edges:
            left = np.ones(pattern.size, dtype=np.int8)
            right = left
        else:
            left, right = found.automaton.left[pattern], found.automaton.right[pattern]
        first, last = norm.starts[start], norm.ends[end - 1]
        before = np.where(first > 0, classes[first - 1], 0)
        refused: npt.NDArray[np.bool_] = (before == left) & (first > 0)
        if found.latin_edges:
            refused |= (before == 2) & (classes[first] == 1) & (first > 0)
        refused &= left != 0
        refused |= (classes[last] == right) & (right != 0)
        return ~refused

    def _class_of(self, char: str) -> int:
        return _char_class(int(self.table[ord(char)]))

    def _accepts(
        self, text: str, norm: Normalized, found: _Found, meta: _Pattern, s: int, e: int
    ) -> bool:
        """The tests of one match that read the original text: word boundaries, counts."""
        if not self._bounded(text, norm, meta, s, e, latin_edges=found.latin_edges):
            return False
        return not (
            found.via is Via.TEXT
            and meta.numeric
            and _counts_something(text, *norm.original_span(s, e))
        )

    def _resolve(
        self, text: str, norm: Normalized, found: list[_Found]
    ) -> list[tuple[_Pattern, int, int, Via]]:
        """Drop what cannot stand (a term's repeats missing or natural ones, a broken word
        boundary, a count, plain digits heard as a homophone) and what an allowed phrase
        covers; of overlapping hits keep the leftmost longest, preferring what was written over
        what only sounds alike."""
        found = [f for f in found if len(f)]
        if not found:
            return []
        allowed: list[_Cover] = []  # searched once, if anything is left to cover

        def cover() -> _Cover:
            if not allowed:
                spans = self._allowed.find(norm.codes, lambda: norm.units, lambda: norm.text)
                allowed.append(_Cover(spans))
            return allowed[0]

        classes: list[npt.NDArray[np.int8]] = []  # of the original's characters, if asked for

        def original_classes() -> npt.NDArray[np.int8]:
            if not classes:
                folded = self.table.take(code_points(text))
                classes.append(np.append(_char_classes(folded), np.int8(0)))
            return classes[0]

        candidates: list[tuple[_Pattern, int, int, Via, bool]] = []
        repeats: list[int] | None = None  # norm.collapsed, for bisect
        for each in found:
            if len(each) > _MANY:
                each = self._winnow(norm, each, cover, original_classes)
            if repeats is None and each.via is not Via.PINYIN:
                repeats = norm.collapsed.tolist()
            candidates += self._judged(text, norm, each, repeats or [])
        if not candidates:
            return []
        covered = cover()
        kept: list[tuple[_Pattern, int, int, Via]] = []
        taken = bytearray(norm.codes.size)  # positions a kept hit holds
        candidates.sort(key=lambda f: (f[3] is not Via.TEXT, f[1], f[1] - f[2]))
        for meta, s, e, via, run in candidates:
            if covered(s, e) or taken.find(1, s, e) >= 0:
                continue
            if run and not self._repeats_fit(norm, meta, s, e):
                continue
            taken[s:e] = b"\x01" * (e - s)
            kept.append((meta, s, e, via))
        return kept

    def _winnow(
        self,
        norm: Normalized,
        found: _Found,
        cover: Callable[[], _Cover],
        classes: Callable[[], npt.NDArray[np.int8]],
    ) -> _Found:
        """What `_judged` and the allowed phrases would refuse of many matches, refused in numpy
        first: those whose term needs a repeat their span does not have, those that continue a
        word (see `_bounded`), then those an allowed phrase covers (the phrases are searched
        only if some are left)."""
        pattern, start, end = found.arrays()
        if found.via is not Via.PINYIN:
            needed = found.automaton.repeated[pattern]
            if needed.any():
                found = found.where(~needed | _holds_any(norm.collapsed, start, end))
        if len(found) > _MANY and (found.latin_edges or found.automaton.edged.any()):
            found = found.where(self._all_bounded(norm, found, classes()))
        if len(found) > _MANY:
            _, start, end = found.arrays()
            found = found.where(~cover().covers(start, end))
        return found

    def _judged(
        self, text: str, norm: Normalized, found: _Found, repeats: list[int]
    ) -> list[tuple[_Pattern, int, int, Via, bool]]:
        """The matches that stand on their own, each with whether the text repeats a character
        inside it (`repeats`: where, in order; the match's repeats are then judged against its
        term's, see `_repeats_fit`)."""
        automaton, via = found.automaton, found.via
        metas, repeated, edged = automaton.meta, automaton.repeated_bytes, automaton.edged_bytes
        judged = []
        spans = zip(_ints(found.pattern), _ints(found.start), _ints(found.end), strict=True)
        for i, s, e in spans:
            run = False
            if via is not Via.PINYIN:
                at = bisect_left(repeats, s)
                run = at < len(repeats) and repeats[at] < e
                if not run and repeated[i]:
                    continue
            if via is Via.HOMOPHONE and norm.text[s:e].isdigit():
                continue  # plain digits are the written form's to judge
            if (found.latin_edges or edged[i]) and not self._accepts(
                text, norm, found, metas[i], s, e
            ):
                continue
            judged.append((metas[i], s, e, via, run))
        return judged

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
        lengths = ends - starts
        shaped = (lengths == 11) | ((lengths >= 17) & (lengths <= 18))  # a mobile, an ID (no X)
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


class _Cover:
    """Whether one of some spans covers a given span: the farthest end among the spans that
    start at or before a position reaches past the given end."""

    def __init__(self, spans: _Matches) -> None:
        starts, ends = spans[1], spans[2]
        self._starts: list[int] = []
        self._reach: list[int] = []
        if not len(starts):
            return
        if isinstance(starts, list) and isinstance(ends, list):
            order = sorted(range(len(starts)), key=starts.__getitem__)
            self._starts = [starts[i] for i in order]
            self._reach = list(itertools.accumulate((ends[i] for i in order), max))
        else:
            by_start = np.argsort(starts, kind="stable")
            self._starts = np.asarray(starts)[by_start].tolist()
            self._reach = np.maximum.accumulate(np.asarray(ends)[by_start]).tolist()

    def __call__(self, start: int, end: int) -> bool:
        at = bisect_right(self._starts, start) - 1
        return at >= 0 and self._reach[at] >= end

    def covers(self, starts: Indexes, ends: Indexes) -> npt.NDArray[np.bool_]:
        """The same for many spans at once."""
        if not self._starts:
            return np.zeros(starts.size, dtype=np.bool_)
        at = np.searchsorted(self._starts, starts, side="right") - 1
        return (at >= 0) & (np.asarray(self._reach)[np.maximum(at, 0)] >= ends)


def _char_classes(codes: Codes) -> npt.NDArray[np.int8]:
    """`_char_class` of many code points."""
    classes = np.zeros(codes.size, dtype=np.int8)
    classes[codes - np.uint32(0x61) < 26] = 1  # below "a" wraps around
    classes[codes - np.uint32(0x30) < 10] = 2
    return classes


def _holds_any(positions: Indexes, starts: Indexes, ends: Indexes) -> npt.NDArray[np.bool_]:
    """Whether each span [start, end) holds one of the (sorted) positions."""
    if not positions.size:
        return np.zeros(starts.size, dtype=np.bool_)
    after = np.searchsorted(positions, starts)
    return (after < positions.size) & (positions[np.minimum(after, positions.size - 1)] < ends)


def _decode(codes: Codes) -> str:
    return codes.tobytes().decode("utf-32-le")


def _has_latin(codes: Codes) -> bool:
    return bool((codes - np.uint32(0x61) < 26).any())  # below "a" wraps around


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
