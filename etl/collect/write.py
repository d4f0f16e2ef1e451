"""Write the consolidated workbook and its CSV twins.

Every list sheet is machine-readable (one header row, one value per cell, no merged
cells) and is also written as CSV in UTF-8 with a BOM, so that Excel opens it with the
right characters. Values from filled workbooks are untrusted: in the workbook they are
written as strings or numbers, never formulas; in CSV a value that a spreadsheet would
run as a formula (`=`, `+`, `-`, `@`, tab or a line break first, in any width or
compatibility form, even behind a zero-width space) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xlsxwriter.format import Format

from ..fileio import atomic_set, safe_filename
from ..jp import display_width
from ..workbook.book import Book, CellValue, Sheet, check

FONT = "ＭＳ ゴシック"
BASE_FORMAT = {"font_name": FONT, "font_size": 10, "valign": "top"}
# Checked after NFKC, which folds the full-width and small forms (＝ ﹦ ＋ ﹢ － ﹣ ＠ ﹫) into these.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\u2212")
INVISIBLE_PREFIX = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width characters a spreadsheet skips
# A first character NFKC leaves as it is, or composes into another letter: ASCII letters and
# digits, hiragana, katakana and kanji without a compatibility form.
_STABLE_START = re.compile("[0-9A-Za-z\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]")
MAX_COLUMN_WIDTH = 50
CONSOLIDATED_TITLE = "社協PDCA 集約"  # the title property of the consolidated workbook


@dataclass
class Table:
    """One list sheet: a header row and rows of plain values."""

    sheet: str
    columns: list[str]
    rows: list[list[CellValue]] = field(default_factory=list)
    percent_columns: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Chart:
    """A clustered bar chart of some columns of a table, one bar group per row."""

    table: str
    title: str
    category: str
    values: tuple[str, ...]


def write_consolidated(output: Path, tables: Sequence[Table], charts: Sequence[Chart] = ()) -> list[Path]:
    """The workbook at `output` and a CSV per table beside it, replacing the old set together:
    if one file cannot be replaced (a CSV open in Excel), none is, and `EtlError` says which."""
    csvs = csv_paths(output, [table.sheet for table in tables])
    with atomic_set([output, *csvs]) as (workbook, *staged):
        _write_workbook(workbook, tables, charts)
        for table, path in zip(tables, staged, strict=True):
            _write_csv(path, table)
    return [output, *csvs]


def csv_paths(output: Path, sheets: Sequence[str]) -> list[Path]:
    """`<stem>_<sheet>.csv` beside the consolidated workbook, for each sheet."""
    return [
        output.parent / safe_filename(f"{output.stem}_{sheet}.csv", folder=output.parent, ending=f"_{sheet}.csv")
        for sheet in sheets
    ]


def _write_workbook(path: Path, tables: Sequence[Table], charts: Sequence[Chart]) -> None:
    book = Book(path, BASE_FORMAT, in_memory=False)
    formats = _formats(book)
    for table in tables:
        sheet = book.add_sheet(table.sheet)
        _write_table(sheet, table, formats)
        for chart in (c for c in charts if c.table == table.sheet):
            _insert_chart(book, sheet, table, chart)
    book.close(CONSOLIDATED_TITLE)


def _write_csv(path: Path, table: Table) -> None:
    """In UTF-8 with BOM, so that Excel opens it with the right characters."""
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(table.columns)
        writer.writerows([csv_safe(value) for value in row] for row in table.rows)


def csv_safe(value: CellValue) -> str:
    """A value as CSV text that no spreadsheet runs as a formula."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return f"'{value}" if formula_like(value) else value


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could take `text` as a formula, whatever form its first character has."""
    if _STABLE_START.match(text):
        return False  # NFKC keeps its first character a letter (most texts: kanji, kana): no need to fold it
    return unicodedata.normalize("NFKC", text).lstrip(INVISIBLE_PREFIX).startswith(FORMULA_TRIGGERS)


def _formats(book: Book) -> dict[str, Format]:
    return {
        "header": book.format(bold=True, bg_color="#DDEBF7", border=1, text_wrap=True),
        "text": book.format(text_wrap=True),
        "number": book.format(num_format="#,##0.##"),
        "percent": book.format(num_format="0.0%"),
    }


def _write_table(sheet: Sheet, table: Table, formats: dict[str, Format]) -> None:
    for column, label in enumerate(table.columns):
        sheet.text(0, column, label, formats["header"])
    for row_index, row in enumerate(table.rows, start=1):
        for column, value in enumerate(row):
            _write_value(sheet, row_index, column, value, table.columns[column] in table.percent_columns, formats)
    for column, label in enumerate(table.columns):
        widest = max([display_width(label)] + [display_width(_shown(row[column])) for row in table.rows[:2000]])
        sheet.column(column, min(widest, MAX_COLUMN_WIDTH) + 2)
    ws = sheet.ws
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(table.rows), 1), len(table.columns) - 1)
    ws.repeat_rows(0)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_footer(f"&L{table.sheet}&R&P / &N")


def _write_value(  # noqa: PLR0917 - the cell's place, value and how to show it
    sheet: Sheet, row: int, column: int, value: CellValue, percent: bool, formats: dict[str, Format]
) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, str):
        sheet.text(row, column, value, formats["text"])
    else:
        sheet.value(row, column, value, formats["percent" if percent else "number"])


def _insert_chart(book: Book, sheet: Sheet, table: Table, spec: Chart) -> None:
    if not table.rows:
        return
    chart = book.workbook.add_chart({"type": "bar"})
    last = len(table.rows)
    category = table.columns.index(spec.category)
    for name in spec.values:
        column = table.columns.index(name)
        chart.add_series(
            {
                "name": [table.sheet, 0, column],
                "categories": [table.sheet, 1, category, last, category],
                "values": [table.sheet, 1, column, last, column],
            }
        )
    chart.set_title({"name": spec.title, "name_font": {"name": FONT}})
    chart.set_x_axis({"num_format": "0%", "max": 1, "min": 0})
    chart.set_y_axis({"reverse": True, "num_font": {"name": FONT}})
    chart.set_size({"width": 720, "height": 120 + 28 * last})
    check(sheet.ws.insert_chart(last + 3, 0, chart), f"insert a chart into {sheet.name}")


def _shown(value: CellValue) -> str:
    """The first line of a value, as far as it can widen a column."""
    return "" if value is None else str(value).split("\n", 1)[0][:MAX_COLUMN_WIDTH]
