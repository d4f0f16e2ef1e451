"""The entries table is validated with pandera; every failure lands at its file and cell."""

from pathlib import Path
from types import SimpleNamespace

from etl.collect.checks import Entry, _raw_value, validate_entries
from etl.workbook.contract import InputKey, InputKind
from etl.workbook.readback import InputCell


def entry(cell: str, key: InputKey, kind: InputKind, value, file: str = "a.xlsx") -> Entry:
    return Entry("202088", file, "カード", cell, key, kind, value)


def submissions(years=(2023, 2024)) -> dict:
    document = SimpleNamespace(fiscal_years=years)
    return {"a.xlsx": SimpleNamespace(records=SimpleNamespace(document=document), path=Path("a.xlsx"))}


def test_values_outside_the_lists_years_and_duplicates_are_located():
    entries = [
        entry("U9", InputKey("pdca", "1-1", 2023, "direction"), InputKind.DIRECTION, "やめる"),
        entry("F9", InputKey("pdca", "1-1", 2030, "do"), InputKind.TEXT, "実施した"),
        entry("G2", InputKey("indicator", "1-1", 2023, "result", 1), InputKind.NUMBER, -3.0),
        entry("G3", InputKey("indicator", "1-1", 2023, "result", 1), InputKind.NUMBER, 3.0),
    ]
    found = {(p.code, p.location.cell) for p in validate_entries(entries, submissions())}
    assert ("collect.direction_from_the_list", "U9") in found
    assert ("collect.fiscal_year_of_the_plan", "F9") in found
    assert ("collect.greater_than_or_equal_to", "G2") in found
    assert {("collect.one_entry_per_key", "G2"), ("collect.one_entry_per_key", "G3")} <= found


def test_valid_entries_raise_nothing():
    entries = [
        entry("U9", InputKey("pdca", "1-1", 2023, "direction"), InputKind.DIRECTION, "継続"),
        entry("F9", InputKey("pdca", "1-1", 2023, "achievement"), InputKind.TEXT, "達成した"),
        entry("G2", InputKey("indicator", "1-1", 2024, "result", 1), InputKind.NUMBER, 3.0),
    ]
    assert validate_entries(entries, submissions()) == []


def cell(formula: str, value) -> InputCell:
    return InputCell("indicator|1-1|1|2023|result", "達成目標", "G2", value, True, formula, "number")


def test_a_formula_gives_its_cached_value_with_a_warning():
    value, findings = _raw_value(cell("=1+2", 3))
    assert value == 3
    assert [(f.code, f.error) for f in findings] == [("value.formula", False)]


def test_a_link_to_another_workbook_is_not_taken_as_typed():
    value, findings = _raw_value(cell("=[1]Sheet1!A1", 42))
    assert value is None
    assert [f.code for f in findings] == ["value.external_link"]
