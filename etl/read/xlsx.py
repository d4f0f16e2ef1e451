"""Excel workbooks (.xlsx): every visible sheet as tables, cell by cell.

Rows are read with openpyxl's read-only parser after dropping the sheet's declared
dimension (a hostile one makes the parser pad every row to column XFD), with fixed
limits on rows and columns. Rows that hold something form a table, and consecutive
tables are separated by empty rows: each table is laid out in the mapping's table
style and padded to its own width, so a title above a table stays one short line.
Excel keeps a merged range's value in its top-left cell, which is where it is read;
the cells it covers read empty. Values are read as displayed where it matters:
whole numbers without `.0`, dates as `YYYY-MM-DD`, formulas as their cached results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

from lxml.etree import XMLSyntaxError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from ..problems import EtlError, Location, file_error, problem
from .guard import inspect_container
from .layout import Cell, Line, ReadOptions, Row, TableStyle, numbered, render_rows
from .source import SourceDocument

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

# What openpyxl raises for a package or part it cannot make sense of.
_BROKEN = (BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, ParseError, XMLSyntaxError)

MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
MAX_CELLS = 1_000_000  # up to the last filled cell of each row; some 700 bytes each at most on the way

Values = tuple[object, ...]


def read_xlsx_document(path: Path, options: ReadOptions) -> SourceDocument:
    container = inspect_container(path, expect="xlsx")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True, keep_links=False)
        try:  # read-only sheets are parsed while iterating: a broken part shows up here
            lines = list(_workbook_lines(path, workbook, options.table_style))
        finally:
            workbook.close()
    except _BROKEN as err:
        raise file_error(
            "xlsx.unreadable",
            path,
            ja=f"{path.name} を Excel ブックとして読めません",
            en=f"{path.name} is not a readable Excel workbook: {err}",
            hint="Excel で開いて .xlsx 形式で保存し直してください",
        ) from None
    return numbered(path, lines, container.warnings)


def _workbook_lines(path: Path, workbook: Workbook, style: TableStyle) -> Iterator[Line]:
    sheets = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
    for index, sheet in enumerate(sheets):
        if index:
            yield Line("", f"{sheet.title}!A1")
        sheet.reset_dimensions()
        yield from _sheet_lines(path, sheet.title, _rows(path, sheet), style)


def _rows(path: Path, sheet: ReadOnlyWorksheet) -> Iterator[tuple[int, Values]]:
    """(row number, values) for every row up to its last non-empty cell."""
    cells = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            raise _too_big(path, sheet.title, f"{MAX_ROWS:,} 行", f"{MAX_ROWS:,} rows")
        last = _last_filled(values)
        if last > MAX_COLUMNS:
            cell = f"{get_column_letter(last)}{number}"
            raise _too_big(path, sheet.title, f"{MAX_COLUMNS:,} 列 ({cell})", f"{MAX_COLUMNS:,} columns ({cell})")
        cells += last
        if cells > MAX_CELLS:  # a table is laid out whole: its cells are held at once
            raise _too_big(path, sheet.title, f"{MAX_CELLS:,} セル", f"{MAX_CELLS:,} cells")
        yield number, values[:last]


def _last_filled(values: Values) -> int:
    for index in range(len(values), 0, -1):
        if _text(values[index - 1]):
            return index
    return 0


def _sheet_lines(path: Path, title: str, rows: Iterator[tuple[int, Values]], style: TableStyle) -> Iterator[Line]:
    """Tables are runs of non-empty rows; a run of empty rows becomes one blank line."""
    table: list[tuple[int, Values]] = []
    for number, values in rows:
        if values:
            table.append((number, values))
            continue
        if table:
            yield from render_rows(_table_rows(title, table), style)
            table = []
            yield Line("", f"{title}!A{number}")
    if table:
        yield from render_rows(_table_rows(title, table), style)


def _table_rows(title: str, table: list[tuple[int, Values]]) -> list[Row]:
    width = max(len(values) for _, values in table)
    last = get_column_letter(width)
    rows = []
    for number, values in table:
        padded = (*values, *([None] * (width - len(values))))
        cells = tuple(
            Cell(tuple(_text(value).split("\n")), f"{title}!{get_column_letter(column)}{number}")
            for column, value in enumerate(padded, start=1)
        )
        origin = f"{title}!A{number}:{last}{number}" if width > 1 else f"{title}!A{number}"
        rows.append(Row(cells, origin))
    return rows


def _text(value: object) -> str:
    """A cell value as Excel shows it in the general format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _too_big(path: Path, sheet: str, limit_ja: str, limit_en: str) -> EtlError:
    return EtlError(
        problem(
            "xlsx.too_big",
            Location(file=str(path), sheet=sheet),
            ja=f"{path.name} のシート「{sheet}」が大きすぎます（上限 {limit_ja}）",
            en=f"{path.name}: sheet {sheet!r} is larger than the limit of {limit_en}",
        )
    )
