"""Every kind of entered value is read deliberately, for the kind of cell it is in."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.collect.cell_values import read_value
from etl.workbook.contract import InputKind


def codes(reading) -> list[str]:
    return [finding.code for finding in reading.findings]


@pytest.mark.parametrize(
    ("raw", "value", "found"),
    [
        (3, 3.0, []),
        (2.5, 2.5, []),
        ("３回", 3.0, ["value.number_as_text"]),
        (" 12 ", 12.0, ["value.number_as_text"]),
        ("1,200回", 1200.0, ["value.number_as_text"]),
        ("未定", None, ["value.not_a_number"]),
        ("3ヶ所", None, ["value.wrong_unit"]),
        ("#DIV/0!", None, ["value.excel_error"]),
        (True, None, ["value.boolean"]),
        (dt.datetime(2024, 4, 1), None, ["value.date"]),
        (None, None, []),
        ("  ", None, []),
    ],
)
def test_numeric_results(raw, value, found):
    reading = read_value(raw, InputKind.NUMBER, unit="回")
    assert (reading.value, codes(reading)) == (value, found)


@pytest.mark.parametrize(
    ("raw", "value", "found"),
    [
        ("5回", 5.0, ["value.number_as_text"]),
        ("5回/月", 5.0, ["value.number_as_text"]),
        ("5件", None, ["value.wrong_unit"]),
    ],
)
def test_a_count_per_month_may_be_typed_with_its_counting_unit(raw, value, found):
    reading = read_value(raw, InputKind.NUMBER, unit="回/月")
    assert (reading.value, codes(reading)) == (value, found)


@pytest.mark.parametrize(
    ("raw", "value", "found"),
    [
        ("継続", "継続", []),
        (" 一部見直し ", "一部見直し", ["value.normalised"]),
        ("継続（一部見直し）", None, ["value.not_in_list"]),
        ("やめる", None, ["value.not_in_list"]),
        (1, None, ["value.not_in_list"]),
    ],
)
def test_direction_dropdown_values(raw, value, found):
    reading = read_value(raw, InputKind.DIRECTION)
    assert (reading.value, codes(reading)) == (value, found)


def test_achievement_values():
    assert read_value("一部達成", InputKind.ACHIEVEMENT).value == "一部達成"
    assert codes(read_value("だいたい", InputKind.ACHIEVEMENT)) == ["value.not_in_list"]


def test_text_cells_keep_text_and_read_dates_and_numbers_as_text():
    assert read_value("  研修を3回実施 ", InputKind.TEXT).value == "研修を3回実施"
    assert read_value(3.0, InputKind.TEXT).value == "3"
    date = read_value(dt.date(2024, 7, 31), InputKind.TEXT)
    assert (date.value, codes(date)) == ("2024-07-31", ["value.date"])
    assert not date.findings[0].error


def test_warnings_keep_the_value_and_errors_drop_it():
    for raw in ("３回", "未定", "#N/A", True):
        reading = read_value(raw, InputKind.NUMBER, unit="回")
        assert (reading.value is None) == any(f.error for f in reading.findings)


@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)))
def test_any_value_in_any_kind_of_cell_is_read_without_raising(raw):
    for kind in InputKind:
        reading = read_value(raw, kind, unit="回")
        assert reading.value is None or isinstance(reading.value, str | float)
