"""The one xlsxwriter wrapper, for every workbook the tool writes (the PDCA workbooks of
`etl.render`, the consolidated workbook of `etl.collect`): every write is checked, text
is always text.

xlsxwriter reports many mistakes by a return code or a warning and goes on, leaving a
cell, a validation or a name silently out. Here a non-zero return code raises
`RenderError`; `render_workbook` turns xlsxwriter's warnings into errors as well.
Text goes through `write_string` and strings are never read as formulas, numbers or
URLs, so a value starting with `=`, `+`, `-` or `@` never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

MAX_CELL_CHARS = 32_767
MAX_SHEET_NAME = 31
CREATED = dt.datetime(2000, 1, 1)  # fixed, so that identical inputs give identical files
CellValue = str | int | float | None


class RenderError(Exception):
    """xlsxwriter refused something: a defect of the renderer, not of the data."""


def check(code: int | None, action: str) -> None:
    if code not in (0, None):
        raise RenderError(f"xlsxwriter refused to {action} (return code {code})")


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def absolute_ref(sheet: str, row: int, col: int) -> str:
    return f"{quote_sheet(sheet)}!{xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)}"


class Book:
    def __init__(
        self, path: Path, base_format: dict[str, Any], *, in_memory: bool = True, keep_texts: bool = False
    ) -> None:
        """With `keep_texts`, each sheet keeps the texts written to it (`Sheet.texts`)."""
        options = {
            # in memory, zip entries get a fixed date instead of the temp files' times;
            # a national consolidation is written through temp files, to bound memory
            "in_memory": in_memory,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        }
        self.workbook = xlsxwriter.Workbook(str(path), options)
        self._base = base_format
        self._formats: dict[tuple[tuple[str, Any], ...], Format] = {}
        self._keep_texts = keep_texts
        self.sheets: dict[str, Sheet] = {}

    def format(self, **properties: Any) -> Format:
        """A cell format on top of the base (font, wrapping); equal properties share one."""
        merged = {**self._base, **properties}
        key = tuple(sorted(merged.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(merged)
        return self._formats[key]

    def add_sheet(self, name: str) -> Sheet:
        if not 0 < len(name.encode("utf-16-le")) // 2 <= MAX_SHEET_NAME:
            raise RenderError(f"sheet name {name!r} is longer than {MAX_SHEET_NAME} characters")
        sheet = Sheet(name, self.workbook.add_worksheet(name), {} if self._keep_texts else None)
        self.sheets[name] = sheet
        return sheet

    def define_name(self, name: str, formula: str) -> None:
        check(self.workbook.define_name(name, formula), f"define the name {name}")

    def close(self, title: str) -> None:
        self.workbook.set_properties({"title": title, "created": CREATED})
        self.workbook.close()


class Sheet:
    """One worksheet; rows and columns are zero-based as in xlsxwriter."""

    def __init__(self, name: str, worksheet: Worksheet, texts: dict[tuple[int, int], str] | None = None) -> None:
        self.name = name
        self.ws = worksheet
        self.texts = texts  # (row, col) -> the text written there, when the book keeps them

    def text(self, row: int, col: int, value: str, fmt: Format | None = None) -> None:
        if len(value) > MAX_CELL_CHARS:
            raise RenderError(f"{self.name}!{xl_rowcol_to_cell(row, col)}: text longer than {MAX_CELL_CHARS}")
        check(self.ws.write_string(row, col, value, fmt), f"write text to {self.name}")
        if self.texts is not None:
            self.texts[(row, col)] = value

    def value(self, row: int, col: int, value: CellValue, fmt: Format | None = None) -> None:
        """Text as text, numbers as numbers, None as an empty formatted cell."""
        if value is None:
            check(self.ws.write_blank(row, col, None, fmt), f"format a cell of {self.name}")
        elif isinstance(value, str):
            self.text(row, col, value, fmt)
        else:
            check(self.ws.write_number(row, col, value, fmt), f"write a number to {self.name}")

    def block(self, first: tuple[int, int], last: tuple[int, int], value: CellValue, fmt: Format) -> None:
        """`value` in a range of cells, merged when the range is more than one cell."""
        if first != last:
            check(self.ws.merge_range(*first, *last, "", fmt), f"merge cells of {self.name}")
        self.value(*first, value, fmt)

    def formula(
        self, first: tuple[int, int], last: tuple[int, int], formula: str, fmt: Format, cached: CellValue
    ) -> None:
        """A formula the renderer built itself (never text from a document), merged like `block`."""
        if first != last:
            check(self.ws.merge_range(*first, *last, "", fmt), f"merge cells of {self.name}")
        result = "" if cached is None else cached
        check(self.ws.write_formula(*first, formula, fmt, result), f"write a formula to {self.name}")
        if self.texts is not None and isinstance(cached, str):
            self.texts[first] = cached  # what a reader sees in the cell until it is computed again

    def link(self, row: int, col: int, sheet: str, text: str, fmt: Format) -> None:
        url = f"internal:{quote_sheet(sheet)}!A1"
        check(self.ws.write_url(row, col, url, fmt, string=text), f"link to {sheet}")
        if self.texts is not None:
            self.texts[(row, col)] = text

    def validate(self, row: int, col: int, options: dict[str, Any]) -> None:
        check(self.ws.data_validation(row, col, row, col, options), f"add a validation to {self.name}")

    def column(self, col: int, width: float, fmt: Format | None = None, *, hidden: bool = False) -> None:
        options = {"hidden": True} if hidden else None
        check(self.ws.set_column(col, col, width, fmt, options), f"size a column of {self.name}")

    def row(self, row: int, height: float) -> None:
        check(self.ws.set_row(row, height), f"size a row of {self.name}")
