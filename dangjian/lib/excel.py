"""Reading and writing .xlsx: openpyxl to read, XlsxWriter in constant memory to write."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

import openpyxl
import xlsxwriter
from openpyxl.utils.exceptions import InvalidFileException

Cell = str | int | float | dt.date | dt.datetime | None


class WorkbookError(ValueError):
    """The file is not a readable .xlsx workbook."""


def read_rows(source: IO[bytes] | str, *, max_rows: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Yield (row number, cell values) for the first sheet, skipping empty rows."""
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise WorkbookError(str(exc)) from exc
    except Exception as exc:  # zipfile.BadZipFile and friends from corrupt uploads
        raise WorkbookError(str(exc)) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > max_rows + 1:
                raise WorkbookError(f"more than {max_rows} rows")
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            yield number, tuple(values)
    finally:
        workbook.close()


def write_workbook(
    rows: Iterable[Sequence[Cell]],
    *,
    headers: Sequence[str],
    sheet_name: str = "Sheet1",
    footer: str = "",
    highlight_column: int | None = None,
) -> IO[bytes]:
    """Write rows to a temporary .xlsx file in constant memory and return it, rewound.

    Every text cell is written as a string, never as a formula or link, so a cell that starts
    with "=" cannot run anything when the file is opened (CSV/formula injection).
    """
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the caller closes it
    workbook = xlsxwriter.Workbook(
        handle,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    sheet = workbook.add_worksheet(sheet_name[:31])
    head = workbook.add_format({"bold": True, "bg_color": "#FDECEC", "border": 1})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    alert = workbook.add_format({"font_color": "#C8161D"})
    for col, title in enumerate(headers):
        sheet.write_string(0, col, title, head)
        sheet.set_column(col, col, max(10, min(40, len(title) * 2 + 4)))
    sheet.freeze_panes(1, 0)
    if footer:
        # On the printed page, not in a cell, so the data stay importable as they are.
        sheet.set_footer("&L" + footer.replace("&", "&&") + "&R&P / &N")
    for row_index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            cell_format = alert if col == highlight_column else None
            if value is None or value == "":
                continue
            if isinstance(value, dt.datetime):
                sheet.write_datetime(row_index, col, value.replace(tzinfo=None), date_format)
            elif isinstance(value, dt.date):
                sheet.write_datetime(
                    row_index, col, dt.datetime.combine(value, dt.time()), date_format
                )
            elif isinstance(value, bool):
                sheet.write_boolean(row_index, col, value)
            elif isinstance(value, int | float):
                sheet.write_number(row_index, col, value)
            else:
                sheet.write_string(row_index, col, str(value), cell_format)
    workbook.close()
    handle.seek(0)
    return handle
