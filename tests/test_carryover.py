"""Regenerating never loses work: entries move into the new workbook by key, and what
cannot be placed is reported."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest

from etl import convert_document
from etl.model import Council, PdcaEntry
from etl.problems import Severity
from etl.render import render_workbook
from etl.workbook.carryover import carry_over
from etl.workbook.readback import read_filled_workbook
from tests import records_fixtures as rf
from tests.test_readback import TYPED, edit


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A generated workbook in which staff typed `TYPED`, after inserting a list row."""
    target = tmp_path / "pdca.xlsx"
    render_workbook(rf.pdca_records(), target)

    def staff(wb):
        rf.insert_row_like_excel(wb, "達成目標", 3)
        rf.fill(wb, TYPED)

    edit(target, staff)
    return target


def regenerate(records, target: Path):
    return render_workbook(records, target, carry=carry_over(read_filled_workbook(target), records))


def entered(path: Path) -> dict[str, object]:
    return {cell.key: cell.value for cell in read_filled_workbook(path).entered()}


def test_regenerating_carries_every_entry_to_its_place(filled: Path):
    outcome = regenerate(rf.pdca_records(), filled)
    assert outcome.path == filled and outcome.problems == []
    assert entered(filled) == TYPED
    # The new workbook is laid out afresh: the inserted row is gone.
    assert openpyxl.load_workbook(filled)["達成目標"]["A3"].value == "5-1-1"


def test_an_entry_whose_project_vanished_is_reported_with_its_value(filled: Path):
    records = rf.pdca_records()
    records.projects = [p for p in records.projects if p.project_id != "5-2-1"]
    records.results, records.pdca = [], records.pdca[:1]
    outcome = regenerate(records, filled)
    [problem] = outcome.problems
    assert (problem.code, problem.severity) == ("render.carryover_unplaced", Severity.WARNING)
    assert problem.location.key == "pdca|5-2-1|2027|action"
    assert problem.location.sheet == "5-2-1 ふれあい・いきいきサロン活動支援"
    assert "担い手養成講座を開く" in problem.message_ja
    assert entered(filled) == {k: v for k, v in TYPED.items() if not k.startswith("pdca|5-2-1")}


def test_an_entry_for_a_year_the_new_plan_does_not_cover_is_reported(filled: Path):
    records = rf.pdca_records()
    records.document = dataclasses.replace(records.document, fiscal_years=(2023, 2024, 2025, 2026))
    outcome = regenerate(records, filled)
    assert [p.location.key for p in outcome.problems] == ["pdca|5-2-1|2027|action"]


def test_staff_edits_win_and_untouched_prefills_follow_the_new_document(filled: Path):
    edit(filled, lambda wb: rf.fill(wb, {"pdca|5-2-1|2023|issues": "担い手の高齢化と固定化"}))
    records = rf.pdca_records()
    records.pdca = [
        PdcaEntry("5-1-1", 2023, rf.src(30), do="改訂版の文書の記述", direction="継続"),
        PdcaEntry("5-2-1", 2023, rf.src(80), issues="担い手の高齢化"),
    ]
    regenerate(records, filled)
    cells = read_filled_workbook(filled).by_key()
    assert cells["pdca|5-1-1|2023|do"].value == TYPED["pdca|5-1-1|2023|do"]  # typed by staff
    assert cells["pdca|5-1-1|2023|direction"].value == "継続"  # never touched: the document's new word
    assert cells["pdca|5-2-1|2023|issues"].value == "担い手の高齢化と固定化"


def test_a_formula_without_a_saved_value_is_reported(filled: Path):
    edit(filled, lambda wb: rf.fill(wb, {"indicator|5-1-1|1|2025|result": "=SUM(1,2)"}))
    outcome = regenerate(rf.pdca_records(), filled)
    [problem] = outcome.problems
    assert problem.location.key == "indicator|5-1-1|1|2025|result"
    assert "式の計算結果が保存されていません" in problem.message_ja


def test_the_workbook_of_another_council_is_left_untouched(filled: Path):
    before = filled.read_bytes()
    records = rf.pdca_records()
    records.council = Council("202088", "別の市社会福祉協議会", "長野県")
    outcome = regenerate(records, filled)
    assert outcome.path is None
    assert [p.code for p in outcome.problems] == ["render.carryover_other_council"]
    assert filled.read_bytes() == before


def test_convert_carries_entries_into_the_regenerated_workbook(komoro, tmp_path: Path):
    first = convert_document(*komoro, tmp_path)
    typed = {"pdca|1-1-1|2022|do": "理事会を4回、評議員会を3回開催した。", "pdca|4-2-1|2022|direction": "見直し"}
    edit(first.output, lambda wb: rf.fill(wb, typed))
    second = convert_document(*komoro, tmp_path)
    assert second.ok and second.problems == []
    assert entered(second.output) == typed


def test_convert_does_not_replace_a_file_it_cannot_read(komoro, tmp_path: Path):
    first = convert_document(*komoro, tmp_path)
    first.output.write_bytes(b"staff saved something else here")
    outcome = convert_document(*komoro, tmp_path)
    assert not outcome.ok
    assert [p.code for p in outcome.problems] == ["readback.unreadable"]
    assert first.output.read_bytes() == b"staff saved something else here"
