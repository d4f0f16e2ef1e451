"""Reading a filled workbook back: every input is found by its name, whatever staff did."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from etl import convert_document
from etl.convert import map_document
from etl.problems import EtlError, Severity
from etl.render import render_workbook
from etl.workbook.contract import input_name, parse_key
from etl.workbook.readback import read_filled_workbook
from tests import records_fixtures as rf

TYPED = {
    "pdca|5-1-1|2023|do": "地区社協12ヶ所、民生委員会10ヶ所で周知した。\n研修を4回実施。",
    "pdca|5-1-1|2024|direction": "継続",
    "pdca|5-2-1|2027|action": "担い手養成講座を開く",
    "indicator|5-1-1|1|2023|result": 28,
    "indicator|5-1-1|2|2024|result": 2.5,
    "indicator|5-1-2|2|2023|result": "一部達成",
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("generated") / "pdca.xlsx"
    render_workbook(rf.pdca_records(), target)
    return target


@pytest.fixture
def copy(generated: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(generated, tmp_path / "filled.xlsx"))


def edit(path: Path, change) -> None:
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(path)


def test_a_fresh_workbook_reads_back_with_nothing_entered(generated: Path):
    filled = read_filled_workbook(generated)
    assert filled.metadata["council_id"] == "339997"
    assert filled.metadata["fiscal_years"] == "2023,2024,2025,2026,2027"
    assert len(filled.inputs) == 100 and filled.problems == []
    assert all(parse_key(cell.key) for cell in filled.inputs)
    assert filled.entered() == []
    prefilled = filled.by_key()["pdca|5-1-1|2023|direction"]
    assert (prefilled.value, prefilled.prefilled, prefilled.kind) == ("一部見直し", "一部見直し", "direction")
    assert filled.by_key()["indicator|5-1-2|3|2023|result"].value == 4


def test_values_typed_by_staff_are_read_back_as_entered(copy: Path):
    edit(copy, lambda wb: rf.fill(wb, TYPED))
    filled = read_filled_workbook(copy)
    assert {cell.key: cell.value for cell in filled.entered()} == TYPED
    cell = filled.by_key()["pdca|5-1-1|2023|do"]
    assert cell.sheet == "5-1-1 包括的相談支援事業" and cell.label.endswith("2023年度（令和5年度） 取組み内容")


def test_inputs_are_found_after_rows_are_inserted_and_sheets_reordered(copy: Path):
    before = read_filled_workbook(copy).by_key()

    def staff(wb):
        rf.insert_row_like_excel(wb, "達成目標", 2)
        rf.insert_row_like_excel(wb, "5-1-1 包括的相談支援事業", 1)
        wb.move_sheet("5-2-1 ふれあい・いきいきサロン活動支援", offset=-5)
        rf.fill(wb, TYPED)

    edit(copy, staff)
    filled = read_filled_workbook(copy)
    assert filled.problems == []
    assert {cell.key: cell.value for cell in filled.entered()} == TYPED
    moved = filled.by_key()["indicator|5-1-1|1|2023|result"]
    assert int(moved.cell[1:]) == int(before[moved.key].cell[1:]) + 1


def test_a_removed_name_falls_back_to_the_generated_place_with_a_warning(copy: Path):
    key = "pdca|5-1-2|2025|issues"

    def staff(wb):
        rf.fill(wb, {key: "人手不足"})
        del wb.defined_names[input_name(key)]

    edit(copy, staff)
    filled = read_filled_workbook(copy)
    assert filled.by_key()[key].value == "人手不足"
    [problem] = filled.problems
    assert (problem.code, problem.severity, problem.location.key) == ("readback.name_missing", Severity.WARNING, key)


def test_a_deleted_input_cell_is_reported_not_guessed(copy: Path):
    key = "pdca|5-1-2|2025|issues"
    edit(copy, lambda wb: setattr(wb.defined_names[input_name(key)], "attr_text", "#REF!"))
    filled = read_filled_workbook(copy)
    assert key not in filled.by_key()
    [problem] = filled.problems
    assert (problem.code, problem.location.key, problem.location.file) == ("readback.input_deleted", key, str(copy))


def test_a_formula_typed_into_an_input_is_read_with_its_text(copy: Path):
    key = "indicator|5-1-1|1|2024|result"
    edit(copy, lambda wb: rf.fill(wb, {key: "=10+20"}))
    cell = read_filled_workbook(copy).by_key()[key]
    # openpyxl saves no computed value; Excel and LibreOffice do, and that is what is read.
    assert (cell.is_formula, cell.formula, cell.value, cell.entered) == (True, "=10+20", None, True)


def test_a_file_that_is_not_a_workbook_cannot_be_read(tmp_path: Path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(EtlError) as caught:
        read_filled_workbook(path)
    assert caught.value.problem.code == "readback.unreadable"


def test_a_workbook_not_made_by_this_tool_is_refused(tmp_path: Path):
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(EtlError) as caught:
        read_filled_workbook(path)
    assert caught.value.problem.code == "readback.not_a_pdca_workbook"


def test_the_workbook_carries_the_records_it_was_made_from(komoro, tmp_path):
    outcome = convert_document(*komoro, tmp_path)
    filled = read_filled_workbook(outcome.output)
    assert filled.records == map_document(*komoro).records
    assert filled.saved_at is not None
