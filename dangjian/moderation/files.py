"""Dictionary files: reading .txt and .xlsx lists of terms or allowed phrases, with a report of
every line that cannot be taken, and writing them back in the same shapes.

A .txt file has one entry per line: the term, then optionally its category and its action,
separated by a tab, a comma (also the full-width ，) or "|". Categories and actions may be
given by code (political, review) or by name (政治有害信息, 送审). Lines starting with # are
comments. An .xlsx file has the same three columns; a first row of headings is skipped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dangjian.lib.excel import WorkbookError, read_rows, write_workbook
from dangjian.moderation.models import ActionChoice, Category

MAX_TERM_LENGTH = 100
_SEPARATORS = re.compile(r"\t|,|，|\|")
_HEADINGS = {"term", "词语", "敏感词", "词", "短语", "allowed phrase", "白名单"}


def _is_heading(cell: str) -> bool:
    """The first cell of a heading row: ours in any language of the interface, or a usual one."""
    from django.conf import settings
    from django.utils import translation

    names = set(_HEADINGS)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names |= {_("Term").lower(), _("Allowed phrase").lower()}
    return cell.lower() in names


_ACTION_WORDS = {
    "pass": "pass",
    "放行": "pass",
    "通过": "pass",
    "mask": "mask",
    "打码": "mask",
    "屏蔽词语": "mask",
    "替换": "mask",
    "review": "review",
    "送审": "review",
    "审核": "review",
    "人工审核": "review",
    "block": "block",
    "拦截": "block",
    "拒绝": "block",
    "禁止": "block",
}


class DictionaryFileError(ValueError):
    """The file cannot be read at all (not UTF-8 text, not a workbook, too long)."""


@dataclass(frozen=True)
class Entry:
    line: int
    text: str
    category: str  # a category code, or "" when the line gave none
    action: str  # an action code, or "" when the line gave none


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    message: str


@dataclass
class Parsed:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _action_of(token: str) -> str | None:
    for choice in ActionChoice:
        if token in (choice.value, str(choice.label)):
            return choice.value
    return _ACTION_WORDS.get(token.lower())


def _category_of(token: str, categories: Sequence[Category]) -> str | None:
    lowered = token.lower()
    for category in categories:
        if lowered in (category.code.lower(), category.name.lower()):
            return category.code
    return None


def _rows_of_text(content: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DictionaryFileError(
            _("The file is not UTF-8 text (byte %(position)s). Save it as UTF-8 and try again.")
            % {"position": exc.start + 1}
        ) from exc
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield number, [part.strip() for part in _SEPARATORS.split(stripped)]


def _rows_of_workbook(content: bytes, max_rows: int) -> Iterator[tuple[int, list[str]]]:
    try:
        rows = list(read_rows(io.BytesIO(content), max_rows=max_rows))
    except WorkbookError as exc:
        raise DictionaryFileError(
            _("The file is not a readable .xlsx workbook: %(reason)s") % {"reason": exc}
        ) from exc
    for number, values in rows:
        cells = ["" if v is None else str(v).strip() for v in values]
        if number == 1 and cells and _is_heading(cells[0]):
            continue
        yield number, cells


def parse(
    content: bytes,
    *,
    filename: str,
    categories: Sequence[Category],
    phrases: bool = False,
    max_rows: int = 100_000,
) -> Parsed:
    """Read a file of terms (or, with `phrases`, allowed phrases) and check every line."""
    if filename.lower().endswith(".xlsx"):
        rows = _rows_of_workbook(content, max_rows)
    elif filename.lower().endswith((".txt", ".csv")):
        rows = _rows_of_text(content)
    else:
        raise DictionaryFileError(_("Upload a .txt or .xlsx file."))
    parsed = Parsed()
    first_line: dict[str, int] = {}
    for count, (number, cells) in enumerate(rows, start=1):
        if count > max_rows:
            raise DictionaryFileError(
                _("The file has more than %(max)s entries.") % {"max": f"{max_rows:,}"}
            )
        entry = _entry(number, cells, categories, phrases, parsed.problems)
        if entry is None:
            continue
        if entry.text in first_line:
            parsed.problems.append(
                Problem(
                    number,
                    "text",
                    _("“%(text)s” is already on line %(line)s.")
                    % {"text": entry.text, "line": first_line[entry.text]},
                )
            )
            continue
        first_line[entry.text] = number
        parsed.entries.append(entry)
    return parsed


def _entry(
    number: int,
    cells: list[str],
    categories: Sequence[Category],
    phrases: bool,
    problems: list[Problem],
) -> Entry | None:
    text = cells[0] if cells else ""
    if not text:
        problems.append(Problem(number, "text", _("The term is empty.")))
        return None
    if len(text) > MAX_TERM_LENGTH:
        problems.append(
            Problem(
                number,
                "text",
                _("The term is longer than %(max)s characters.") % {"max": MAX_TERM_LENGTH},
            )
        )
        return None
    if phrases:
        return Entry(number, text, "", "")
    category = action = ""
    if len(cells) > 1 and cells[1]:
        category = _category_of(cells[1], categories) or ""
        if not category:
            names = "、".join(c.name for c in categories)
            problems.append(
                Problem(
                    number,
                    "category",
                    _("There is no category “%(given)s”; use one of: %(names)s.")
                    % {"given": cells[1], "names": names},
                )
            )
            return None
    if len(cells) > 2 and cells[2]:
        action = _action_of(cells[2]) or ""
        if not action:
            labels = "、".join(str(c.label) for c in ActionChoice)
            problems.append(
                Problem(
                    number,
                    "action",
                    _("There is no action “%(given)s”; use one of: %(labels)s.")
                    % {"given": cells[2], "labels": labels},
                )
            )
            return None
    if len(cells) > 3 and any(cells[3:]):
        problems.append(
            Problem(
                number,
                "text",
                _("The line has more than three parts; a term may not contain a comma or tab."),
            )
        )
        return None
    return Entry(number, text, category, action)


def terms_text(rows: Iterable[tuple[str, str, str]]) -> bytes:
    """(term, category code, action code) rows as a .txt file the importer reads back."""
    lines = ["# " + _("term, category, action (one per line, separated by tabs)")]
    lines += [f"{text}\t{category}\t{action}" for text, category, action in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def phrases_text(phrases: Iterable[str]) -> bytes:
    lines = ["# " + _("allowed phrases, one per line")]
    lines += list(phrases)
    return ("\n".join(lines) + "\n").encode("utf-8")


def terms_workbook(rows: Iterable[tuple[str, str, str]]) -> IO[bytes]:
    """(term, category name, action label) rows as an .xlsx file the importer reads back."""
    return write_workbook(
        rows,
        headers=[_("Term"), pgettext("moderation", "Category"), pgettext("moderation", "Action")],
    )


def phrases_workbook(phrases: Iterable[str]) -> IO[bytes]:
    return write_workbook(([p] for p in phrases), headers=[_("Allowed phrase")])
