"""The row_table layout: cells read relative to the project number, whatever their shift."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.mapping.engine import MappingResult, apply_mapping
from etl.mapping.layouts.row_table import (
    Ordinals,
    RowShape,
    RowTable,
    read_continuation,
    read_row,
    split_cells,
)
from etl.mapping.loader import load_mapping
from etl.problems import EtlError
from etl.read.source import SourceDocument, SourceLine

COLUMNS = ("name", "tags", "method", "activities", "actual", "change")
SHAPE = RowShape(
    re.compile(r"^(?P<id>[0-9０-９]{1,2})$"),
    re.compile(r"^(?P<id>[0-9０-９]{1,2})[ \u3000]+(?P<text>\S.*)$"),
    4,
    COLUMNS,
)


def test_number_alone_with_the_category_before_it():
    reading = read_row(split_cells("企画広報事業\t1\t社協だより\t基本計画4\t内容\t実施\t実績\t+8,000"), SHAPE)
    assert reading is not None
    assert (reading.printed_id, reading.category, reading.stray) == ("1", "企画広報事業", ())
    assert reading.values == {
        "name": "社協だより",
        "tags": "基本計画4",
        "method": "内容",
        "activities": "実施",
        "actual": "実績",
        "change": "+8,000",
    }


def test_number_merged_into_the_name_cell_after_empty_cells():
    reading = read_row(split_cells("\t\t4 ボランティアスクール事業\t〃\t内容\t実施\t中止\t-26\t"), SHAPE)
    assert reading is not None
    assert (reading.printed_id, reading.category) == ("4", "")
    assert reading.values["name"] == "ボランティアスクール事業"
    assert reading.values["change"] == "-26"


def test_category_just_before_a_merged_number_further_right():
    reading = read_row(split_cells("\t\t福祉人材バンク事業\t1 福祉人材バンク委託事業\t基本計画3\ta\tb\tc\td"), SHAPE)
    assert reading is not None
    assert (reading.category, reading.values["name"], reading.values["change"]) == (
        "福祉人材バンク事業",
        "福祉人材バンク委託事業",
        "d",
    )


def test_a_row_starting_with_its_number_keeps_the_category_above():
    reading = read_row(split_cells("6\t無縁仏供養法要事業\t基本計画2\t内容\t実施\t実績\t※例年90名参加\t"), SHAPE)
    assert reading is not None
    assert (reading.category, reading.values["change"], reading.stray) == ("", "※例年90名参加", ())


def test_no_number_among_the_first_cells_is_no_project_row():
    assert read_row(split_cells("\t\t\t\t1\t内容\t実施\t実績"), SHAPE) is None
    assert read_row(split_cells("社会福祉事業拠点\t\t\t"), SHAPE) is None
    assert read_row(split_cells("\t\t\t\tCSW事業\t内容\t実施\t実績"), SHAPE) is None


def test_cells_no_role_takes_are_stray():
    reading = read_row(split_cells("x\tcategory\t1\tname\tt\tm\ta\tr\tc\tleftover"), SHAPE)
    assert reading is not None
    assert reading.category == "category"
    assert reading.stray == (0, 9)


def test_continuation_roles_start_at_the_first_filled_cell():
    roles = ("label", "method", "activities", "actual", "change")
    assert read_continuation(split_cells("\t\t\t\tCSW事業\t内容\t\t実績"), roles) == {
        "label": "CSW事業",
        "method": "内容",
        "actual": "実績",
    }
    assert read_continuation(split_cells("CSW事業\t内容"), roles) is None
    assert read_continuation(split_cells("\t\t\t"), roles) is None
    assert read_continuation(split_cells("\ta\tb\tc\td\te\tf"), roles) is None


def test_ordinals_count_siblings_and_reset_deeper_levels():
    ordinals = Ordinals()
    ordinals.enter(1)
    ordinals.enter(2)
    ordinals.enter(2)
    assert (ordinals.at(1), ordinals.at(2)) == (1, 2)
    ordinals.enter(1)
    assert (ordinals.at(1), ordinals.at(2), ordinals.at(3)) == (2, 0, 0)
    ordinals.enter(2)
    assert ordinals.at(2) == 1


# --- property: any texts in any shift come back in their roles ------------------------

# Cell texts never start with a digit (they would read as a project number), hold no
# tab and no surrounding space (cells are stripped).
_TEXT = st.builds(
    lambda head, tail: (head + tail).strip(),
    st.sampled_from("事業計画ボラ地域会ab〃「(※+-±△"),
    st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), max_size=12),
)
_NUMBER = st.integers(min_value=1, max_value=99).map(str)


@st.composite
def shifted_rows(draw):
    values = {role: draw(_TEXT | st.just("")) for role in COLUMNS}
    merged = draw(st.booleans())
    if merged:
        values["name"] = draw(_TEXT)
    category = draw(_TEXT | st.just(""))
    lead = draw(st.integers(min_value=0, max_value=SHAPE.within - 1 - (1 if category else 0)))
    number = draw(_NUMBER)
    cells = [""] * lead + ([category] if category else [])
    if merged:
        cells += [f"{number} {values['name']}", *(values[role] for role in COLUMNS[1:])]
    else:
        cells += [number, *(values[role] for role in COLUMNS)]
    cells += [""] * draw(st.integers(min_value=0, max_value=3))
    return "\t".join(cells), number, category, values


@given(shifted_rows())
def test_any_shift_reads_back_every_cell_in_its_role(row):
    line, number, category, values = row
    reading = read_row(split_cells(line), SHAPE)
    assert reading is not None
    assert (reading.printed_id, reading.category, reading.stray) == (number, category, ())
    assert {role: reading.values.get(role, "") for role in COLUMNS} == values


# --- the layout through the engine ----------------------------------------------------

MAPPING = """\
version: 1
council: {id: "012131", name: テスト市社会福祉協議会, prefecture: 北海道}
document: {kind: report, title: 事業報告, fiscal_years: [2020]}
sections:
  - {level: 1, pattern: '^(?P<title>[^\\t]+拠点)\\t*$'}
layout:
  type: row_table
  number: '^(?P<id>[0-9]{1,2})$'
  merged: '^(?P<id>[0-9]{1,2}) (?P<text>\\S.*)$'
  within: 4
  columns: [name, tags, method, activities, actual, change]
  category_level: 2
  id_levels: [1, 2]
  same_as_above: '^〃$'
  tags: {pattern: '^(?P<tag>基本計画[0-9]+) ?(?P<rest>.*)$', rest: goal}
  continuation: [label, method, activities, actual, change]
"""
ROWS = [
    "A拠点\t\t\t",
    "甲事業\t1\t一\t基本計画4 地域づくり\t内容一\t実施一\t実績一\t+149",
    "\t\t\t\tCSW事業\tCSW内容\tCSW実施\tCSW実績",
    "\t2\t二\t〃\t内容二\t\t実績二\t+8 +1",
    "\t\t甲事業\t3 三\t〃\t内容三\t実施三\t実績三\t±0",
    "乙事業\t1\t四\t基本計画2\t内容四\t実施四\t実績四\t△4",
    "B拠点\t\t\t",
    "\t1 五\t基本計画1\t内容五\t実施五\t実績五\t-4\t\tstray",
]


def run(tmp_path: Path, mapping: str = MAPPING, rows: list[str] = ROWS) -> MappingResult:
    path = tmp_path / "mapping.yaml"
    path.write_text(mapping, encoding="utf-8")
    lines = tuple(SourceLine(number, text) for number, text in enumerate(rows, start=1))
    return apply_mapping(load_mapping(path), SourceDocument(str(tmp_path / "doc.txt"), lines))


def test_ids_are_qualified_by_unit_and_category_positions(tmp_path: Path):
    projects = run(tmp_path).records.projects
    assert [(p.project_id, p.printed_id, p.name) for p in projects] == [
        ("1-1-1", "1", "一"),
        ("1-1-2", "2", "二"),
        ("1-1-3", "3", "三"),  # a category cell repeating the current one changes nothing
        ("1-2-1", "1", "四"),
        ("2-0-1", "1", "五"),  # no category yet in unit B
    ]
    assert projects[3].path == ("A拠点", "乙事業")


def test_same_as_above_takes_the_value_above_and_says_from_where(tmp_path: Path):
    result = run(tmp_path)
    first, second, third = result.records.projects[:3]
    assert (first.tags, first.goal) == (("基本計画4",), "地域づくり")
    assert (second.tags, second.goal) == (("基本計画4",), "地域づくり")
    assert third.tags == ("基本計画4",)
    assert "tags:〃=line2" in result.coverage.uses[5].target


def test_continuation_row_adds_labelled_texts_to_the_project_above(tmp_path: Path):
    result = run(tmp_path)
    project, outcome = result.records.projects[0], result.records.results[0]
    assert project.method == "内容一\nCSW事業\nCSW内容"
    assert outcome.activities == "実施一\nCSW事業\nCSW実施"
    assert outcome.actual == "実績一\nCSW事業\nCSW実績"
    assert (outcome.change_text, outcome.change_value) == ("+149", 149)
    assert result.coverage.uses[3].rule == "layout.continuation"


def test_results_keep_the_change_as_printed_and_its_single_value(tmp_path: Path):
    results = {r.project_id: r for r in run(tmp_path).records.results}
    assert {r.fiscal_year for r in results.values()} == {2020}
    assert (results["1-1-2"].change_text, results["1-1-2"].change_value) == ("+8 +1", None)
    assert results["1-1-2"].activities == ""  # an empty cell keeps its column
    assert results["1-1-3"].change_value == 0
    assert results["1-2-1"].change_value == -4


def test_a_stray_cell_is_left_unaccounted(tmp_path: Path):
    result = run(tmp_path)
    assert [(left.line, left.column, left.text) for left in result.unaccounted] == [(8, 28, "stray")]


def test_moves_put_shifted_text_back_in_its_project(tmp_path: Path):
    mapping = MAPPING + (
        "  moves:\n"
        "    - {from: 1-1-3, to: 1-2-1, field: actual, pattern: '三$', reason: shifted}\n"
        "    - {from: 1-1-2, to: 1-1-3, field: change, pattern: ' \\+1$', reason: shifted}\n"
    )
    results = {r.project_id: r for r in run(tmp_path, mapping).records.results}
    assert (results["1-1-3"].actual, results["1-2-1"].actual) == ("実績", "実績四\n三")
    assert (results["1-1-2"].change_text, results["1-1-2"].change_value) == ("+8", 8)
    assert (results["1-1-3"].change_text, results["1-1-3"].change_value) == ("±0\n+1", None)


def test_a_move_that_finds_nothing_names_its_key(tmp_path: Path):
    mapping = MAPPING + "  moves:\n    - {from: 1-1-1, to: 9-9-9, field: actual, pattern: '実績', reason: x}\n"
    with pytest.raises(EtlError) as caught:
        run(tmp_path, mapping)
    assert caught.value.problem.location.key == "layout.moves[0]"
    assert caught.value.problem.code == "mapping.move_not_found"


def test_an_unknown_role_is_refused_with_the_allowed_ones(tmp_path: Path):
    mapping = MAPPING.replace("columns: [name, tags,", "columns: [name, tag,")
    with pytest.raises(EtlError) as caught:
        run(tmp_path, mapping)
    assert "layout.columns[1]" in str(caught.value)


def test_the_docstring_example_is_a_valid_mapping(tmp_path: Path):
    example = re.search(r"```yaml\n(.*?)```", RowTable.__doc__ or "", re.S)
    assert example is not None
    path = tmp_path / "mapping.yaml"
    path.write_text(MAPPING.partition("sections:")[0] + textwrap.dedent(example.group(1)), encoding="utf-8")
    assert load_mapping(path).data["layout"]["type"] == "row_table"


def test_a_section_row_ends_what_a_continuation_row_could_continue(tmp_path: Path):
    rows = ["A拠点\t\t", "甲事業\t1\t一\t基本計画1\t内容\t実施\t実績\t+1", "B拠点\t\t", "\t\t\t\tCSW事業\t内容"]
    result = run(tmp_path, rows=rows)
    assert [leftover.line for leftover in result.unaccounted] == [4]
    assert result.records.projects[0].method == "内容"
