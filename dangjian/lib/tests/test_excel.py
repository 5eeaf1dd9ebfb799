from __future__ import annotations

import datetime as dt

import openpyxl

from dangjian.lib.excel import read_rows, write_workbook


def test_text_that_looks_like_a_formula_stays_text():
    handle = write_workbook(
        [['=HYPERLINK("http://evil")', "+1+1", "@SUM(1)", dt.date(2020, 1, 2), 7]],
        headers=["a", "b", "c", "d", "e"],
    )
    sheet = openpyxl.load_workbook(handle).active
    assert sheet["A2"].value == '=HYPERLINK("http://evil")'
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].data_type == "s"
    assert sheet["D2"].value.date() == dt.date(2020, 1, 2)
    assert sheet["E2"].value == 7


def test_reading_skips_blank_rows():
    handle = write_workbook([["x", 1], [None, None], ["y", 2]], headers=["name", "n"])
    rows = list(read_rows(handle, max_rows=10))
    assert [values[0] for _number, values in rows] == ["name", "x", "y"]
    assert [number for number, _values in rows] == [1, 2, 4]
