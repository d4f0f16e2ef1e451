"""The Excel reader: each visible sheet as tables, one row per line (or cell lines).

An Excel version of the 苫小牧市 report is built from the sample text (rows as rows,
cells as cells) and must read back as the same lines.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from etl.convert import map_document
from etl.problems import EtlError
from etl.read import ReadOptions, read_document
from etl.read import xlsx as xlsx_reader

MAPPINGS = Path(__file__).resolve().parent.parent / "mappings"
TOMAKOMAI = MAPPINGS / "tomakomai" / "sample.txt"
WHOLE_NUMBER = re.compile(r"^-?\d+$")


def tomakomai_xlsx(text: str, path: Path) -> Path:
    """The report as a sheet: one row per line, one cell per tab-separated field.

    Whole numbers are stored as numbers, the rest as text; the title is merged across
    the table and each category cell is merged down over the empty cells below it.
    """
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "令和2年度事業報告"
    rows = text.split("\n")
    for r, line in enumerate(rows, start=1):
        if not line:
            continue
        for c, field in enumerate(line.split("\t"), start=1):
            if field:
                sheet.cell(r, c, int(field) if WHOLE_NUMBER.match(field) else field)
    title_row = next(r for r, line in enumerate(rows, start=1) if line.strip())
    sheet.merge_cells(start_row=title_row, start_column=1, end_row=title_row, end_column=8)
    _merge_categories_down(sheet, rows)
    workbook.save(path)
    return path


def _merge_categories_down(sheet, rows: list[str]) -> None:
    top = None
    for r, line in enumerate([*rows, ""], start=1):
        first = line.split("\t")[0] if "\t" in line else None
        if first == "" and top is not None:
            continue
        if top is not None and r - 1 > top:
            sheet.merge_cells(start_row=top, start_column=1, end_row=r - 1, end_column=1)
        top = r if first else None


def test_tomakomai_excel_report_reads_as_its_text_export(tmp_path: Path):
    text = TOMAKOMAI.read_text(encoding="utf-8")
    path = tomakomai_xlsx(text, tmp_path / "tomakomai.xlsx")
    assert openpyxl.load_workbook(path).active.merged_cells.ranges  # the merges are really there
    document = read_document(path)
    assert [line.text for line in document.non_blank] == [line for line in text.split("\n") if line.strip()]
    title = document.non_blank[0]
    assert (title.text, title.origin) == ("令和2年度 事業報告", "令和2年度事業報告!A3")
    assert document.non_blank[1].origin == "令和2年度事業報告!A5:H5"


def test_cell_lines_give_each_cell_its_address(tmp_path: Path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "計画"
    sheet.append(["事業名", "目的"])
    sheet.append(["サロン", "交流\n見守り"])
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    lines = [(line.text, line.origin) for line in read_document(path, ReadOptions("cell_lines")).lines]
    assert lines == [
        ("\t事業名", "計画!A1"),
        ("\t目的", "計画!B1"),
        ("", "計画!A1:B1"),
        ("\tサロン", "計画!A2"),
        ("\t交流", "計画!B2"),
        ("見守り", "計画!B2"),
        ("", "計画!A2:B2"),
    ]


def test_values_read_as_displayed(tmp_path: Path):
    path = tmp_path / "values.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("値")
    date = workbook.add_format({"num_format": "yyyy/mm/dd"})
    sheet.write_number("A1", 30.0)
    sheet.write_number("B1", 2.5)
    sheet.write_datetime("C1", dt.datetime(2021, 4, 1), date)
    sheet.write_boolean("D1", True)
    sheet.write_formula("E1", "=A1*2", None, 60)
    sheet.write_string("F1", "011002")
    workbook.close()
    assert [line.text for line in read_document(path).lines] == ["30\t2.5\t2021-04-01\tTRUE\t60\t011002"]


def test_sheets_in_order_hidden_ones_skipped(tmp_path: Path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "一"
    workbook.active["A1"] = "表紙"
    hidden = workbook.create_sheet("リスト")
    hidden["A1"] = "選択肢"
    hidden.sheet_state = "hidden"
    workbook.create_sheet("二")["B2"] = "本文"
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    lines = [(line.text, line.origin) for line in read_document(path).lines]
    assert lines == [("表紙", "一!A1"), ("", "二!A1"), ("\t本文", "二!A2:B2")]  # leading empty rows add nothing


def test_tables_separated_by_empty_rows_keep_their_own_width(tmp_path: Path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "題名"
    sheet.append([])
    sheet.append(["a", "b", "c"])
    sheet.append(["d"])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    assert [line.text for line in read_document(path).lines] == ["題名", "", "a\tb\tc", "d\t\t"]


def test_declared_dimension_is_not_trusted(tmp_path: Path):
    """A sheet claiming A1:XFD1048576 reads as the two cells it holds."""
    source = tmp_path / "small.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["一", "二"])
    workbook.save(source)
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
                assert b"XFD1048576" in data
            new.writestr(info.filename, data)
    assert [line.text for line in read_document(path).lines] == ["一\t二"]


def test_too_many_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(xlsx_reader, "MAX_ROWS", 5)
    workbook = openpyxl.Workbook()
    for n in range(7):
        workbook.active.append([n])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    with pytest.raises(EtlError) as caught:
        read_document(path)
    assert caught.value.problem.code == "xlsx.too_big"
    assert caught.value.problem.location.sheet == "Sheet"


def test_a_value_beyond_the_column_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(xlsx_reader, "MAX_COLUMNS", 3)
    workbook = openpyxl.Workbook()
    workbook.active["E2"] = "遠い"
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    with pytest.raises(EtlError) as caught:
        read_document(path)
    assert "E2" in caught.value.problem.message_en


def test_a_broken_sheet_part_is_reported_not_raised(tmp_path: Path):
    source = tmp_path / "small.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "一"
    workbook.save(source)
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info.filename, data[:-40] if info.filename == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(EtlError) as caught:
        read_document(path)
    assert caught.value.problem.code == "xlsx.unreadable"


def test_tomakomai_excel_file_gives_the_records_of_its_text(tmp_path: Path):
    path = tomakomai_xlsx(TOMAKOMAI.read_text(encoding="utf-8"), tmp_path / "tomakomai.xlsx")
    mapping = MAPPINGS / "tomakomai" / "mapping.yaml"
    from_text, from_excel = map_document(TOMAKOMAI, mapping), map_document(path, mapping)
    assert not from_excel.unaccounted
    assert [replace(p, source=None) for p in from_excel.records.projects] == [
        replace(p, source=None) for p in from_text.records.projects
    ]
    assert [replace(r, source=None) for r in from_excel.records.results] == [
        replace(r, source=None) for r in from_text.records.results
    ]
    assert len(from_excel.records.results) == 36
