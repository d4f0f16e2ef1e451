"""What staff print of 事業一覧: a column the document never fills is hidden (it stays in
the table), and the width it would take goes to the columns whose text wraps, so rows are
no taller than their text needs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from etl.render import render_workbook
from etl.render.measure import column_points, text_height
from etl.render.template import load_template
from tests import records_fixtures as rf

SHEET = "事業一覧"


def project_list(records, path: Path):
    outcome = render_workbook(records, path)
    assert outcome.path is not None
    sheet = openpyxl.load_workbook(outcome.path)[SHEET]
    header = [cell.value for cell in sheet[1]]
    return sheet, {label: get_column_letter(i) for i, label in enumerate(header, start=1)}


@pytest.fixture(scope="module")
def without_purpose_and_method(tmp_path_factory):
    """さくら台市's plan as a document with neither 目的 nor 方法・内容 (like 美作市's)."""
    records = rf.pdca_records()
    records.projects = [dataclasses.replace(p, purpose="", method="") for p in records.projects]
    return project_list(records, tmp_path_factory.mktemp("list") / "plan.xlsx")


def test_columns_the_document_never_fills_are_hidden_but_kept(without_purpose_and_method):
    sheet, columns = without_purpose_and_method
    hidden = {label for label, letter in columns.items() if sheet.column_dimensions[letter].hidden}
    assert hidden == {"目的", "方法・内容"}
    assert sheet.max_row == 1 + len(rf.projects())


def test_a_column_filled_in_one_project_only_is_shown(tmp_path: Path):
    sheet, columns = project_list(rf.pdca_records(), tmp_path / "plan.xlsx")
    shown = {label for label, letter in columns.items() if not sheet.column_dimensions[letter].hidden}
    assert {"目的", "方法・内容", "財源", "タグ", "新規・拡充"} <= shown


def test_the_freed_width_goes_to_wrapping_text_and_rows_fit_it(without_purpose_and_method):
    sheet, columns = without_purpose_and_method
    layout = {c.label: c.width for c in load_template().projects.columns}
    size = load_template().font.size
    assert sheet.column_dimensions[columns["現状と課題"]].width > layout["現状と課題"]
    for row in range(2, sheet.max_row + 1):
        texts = {
            letter: str(sheet[f"{letter}{row}"].value or "")
            for letter in columns.values()
            if not sheet.column_dimensions[letter].hidden
        }
        needed = max(
            text_height(text, column_points(sheet.column_dimensions[letter].width), size)
            for letter, text in texts.items()
        )
        assert sheet.row_dimensions[row].height == pytest.approx(needed, abs=0.5), row
