"""Reading and writing .xlsx.

Reading uses python-calamine (a Rust reader, about ten times faster than openpyxl on a
10,000-row roster). Writing streams the sheet XML straight into the zip archive, so memory
stays flat however many rows are written and a 100,000-row roster is written in seconds; see
docs/decisions/0004-excel.md. Every text cell is an inline string, never a formula, so a cell
that starts with "=" cannot run anything when the file is opened (formula injection).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any
from xml.sax.saxutils import escape

from python_calamine import CalamineError, CalamineWorkbook

Cell = str | int | float | dt.date | dt.datetime | None

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)  # noqa: DTZ001 - Excel serials are naive
# Characters XML 1.0 forbids; they are dropped from cell text.
_CONTROL = {c: None for c in range(32) if c not in (9, 10, 13)}


class WorkbookError(ValueError):
    """The file is not a readable .xlsx workbook."""


def read_rows(source: IO[bytes], *, max_rows: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Yield (row number, cell values) of the first sheet, skipping empty rows."""
    try:
        workbook = CalamineWorkbook.from_filelike(source)
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError, IndexError) as exc:
        raise WorkbookError(str(exc)) from exc
    except Exception as exc:  # corrupt archives raise assorted errors
        raise WorkbookError(str(exc)) from exc
    if len(rows) > max_rows + 1:
        raise WorkbookError(f"more than {max_rows} rows")
    for number, values in enumerate(rows, start=1):
        cleaned = tuple(None if v == "" else v for v in values)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cleaned):
            continue
        yield number, cleaned


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def _text(value: str) -> str:
    return escape(value.translate(_CONTROL))


def _cell(ref: str, value: Cell, style: int) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.datetime):
        serial = (value.replace(tzinfo=None) - _EXCEL_EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="2"><v>{serial}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="2"><v>{(value - _EXCEL_EPOCH.date()).days}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    style_attr = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{style_attr}><is><t xml:space="preserve">{_text(str(value))}</t></is></c>'


_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>
<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font><font><sz val="11"/><color rgb="FFC8161D"/><name val="Calibri"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFDECEC"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"""


def write_workbook(
    rows: Iterable[Sequence[Cell]],
    *,
    headers: Sequence[str],
    sheet_name: str = "Sheet1",
    footer: str = "",
    highlight_column: int | None = None,
) -> IO[bytes]:
    """Write rows to a temporary .xlsx file, streaming, and return it rewound.

    `footer` goes to the printed page's footer (not a cell), so the data stay importable;
    `highlight_column` is written in red (the problems column of a check report).
    """
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the caller closes it
    columns = [_column(i) for i in range(max(len(headers), 1) + 64)]
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", _STYLES)
        zf.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{_text(sheet_name[:31])}" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as raw:
            out = _Buffered(raw)
            out.write(
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>'
            )
            for index, title in enumerate(headers, start=1):
                width = max(10, min(40, len(title) * 2 + 4))
                out.write(f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>')
            out.write("</cols><sheetData>")
            out.write(_row(1, headers, columns, header=True))
            for number, row in enumerate(rows, start=2):
                out.write(_row(number, row, columns, highlight=highlight_column))
            out.write("</sheetData>")
            if footer:
                out.write(f'<headerFooter><oddFooter>&amp;L{_text(footer.replace("&", "&&"))}'
                          "&amp;R&amp;P / &amp;N</oddFooter></headerFooter>")  # fmt: skip
            out.write("</worksheet>")
            out.flush()
    handle.seek(0)
    return handle


def _row(
    number: int,
    values: Sequence[Cell],
    columns: list[str],
    *,
    header: bool = False,
    highlight: int | None = None,
) -> str:
    cells = []
    for index, value in enumerate(values):
        style = 1 if header else (3 if index == highlight else 0)
        cells.append(_cell(f"{columns[index]}{number}", value, style))
    return f'<row r="{number}">{"".join(cells)}</row>'


class _Buffered:
    """Collect small strings and hand the zip stream large UTF-8 blocks."""

    def __init__(self, raw: IO[bytes], size: int = 1 << 16) -> None:
        self.raw = raw
        self.size = size
        self.parts: list[str] = []
        self.length = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)
        if self.length >= self.size:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.raw.write("".join(self.parts).encode("utf-8"))
            self.parts.clear()
            self.length = 0
