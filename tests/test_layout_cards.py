"""The `cards` layout: cells found by their labels, year values placed by order after
the plan/result label whatever the column shifts, cards opened and named by rules."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from etl.config.yamlsafe import load_yaml
from etl.jp import parse_fiscal_year
from etl.mapping.engine import MappingResult, apply_mapping
from etl.mapping.layouts.cards import header_years, place_values
from etl.mapping.loader import Mapping, load_mapping
from etl.model import ValueKind
from etl.problems import EtlError
from etl.read.source import SourceDocument
from etl.read.text import split_lines

YEARS = (2023, 2024, 2025, 2026, 2027)

MAPPING = {
    "version": 1,
    "council": {"id": "332151", "name": "テスト市社会福祉協議会", "prefecture": "岡山県"},
    "document": {"kind": "pdca_plan", "title": "地域福祉活動計画", "fiscal_years": list(YEARS)},
    "sections": [{"level": 1, "pattern": r"^基本項目[：:]\s*(?P<id>[0-9]+-[0-9]+)\s+(?P<title>\S.*)$"}],
    "ignore": [{"pattern": r"^\s*結果\s*$", "reason": "empty result rows"}],
    "layout": {
        "type": "cards",
        "card_start": r"^P\s*L\s*A\s*N\s*\(計画\)$",
        "parts": [r"^D\s*O\s*\(", r"^C\s*H\s*E\s*C\s*K\s*\("],
        "year_label": "^R[0-9]+$",
        "fields": [
            {
                "label": "^事業名$",
                "to": "name",
                "before_card": True,
                "pattern": r"^(?:(?P<id>[0-9]+(?:-[0-9]+)+)\s+)?(?P<value>\S.*)$",
            },
            {"label": "^現状と課題$", "to": "situation"},
            {"label": "^方針・目標$", "to": "goal"},
            {"label": "^課題$", "to": "issues"},
        ],
        "targets": {"label": "^取組みの達成目標$", "plan": "^計画$", "result": "^結果$", "plans_below_header": True},
        "name_from": [{"field": "name"}, {"field": "situation", "pattern": "^(?P<name>[^、。]+?事業)は、"}],
    },
}


def _mapping(**layout: object) -> Mapping:
    data = {**MAPPING, "layout": {**MAPPING["layout"], **layout}}
    loaded = load_yaml(yaml.safe_dump(data, allow_unicode=True))
    return Mapping("test.yaml", loaded.data, loaded)


def _map(text: str, mapping: Mapping | None = None) -> MappingResult:
    document = SourceDocument("sample.txt", tuple(split_lines(text)))
    return apply_mapping(mapping or _mapping(), document)


def _card(*rows: str, situation: str = "相談支援事業は、相談を受ける。") -> str:
    return "\n".join([f"PLAN (計画)\t現状と課題\t{situation}\t\t", "\t方針・目標\t目指す。", *rows]) + "\n"


def _plans(result: MappingResult, number: int = 1) -> dict[int, str]:
    indicator = next(i for i in result.records.indicators if i.number == number)
    return {year: value.text for year, value in indicator.plans.items()}


def test_the_mapping_used_here_passes_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml.safe_dump(MAPPING, allow_unicode=True), encoding="utf-8")
    assert load_mapping(path).data["layout"]["type"] == "cards"


# --- values by year ------------------------------------------------------------------


def test_empty_cells_keep_their_year() -> None:
    placed = place_values(["5事例", "", "5事例", ""], YEARS)
    assert placed is not None
    assert {y: v.text for y, v in placed.items()} == {2023: "5事例", 2024: "", 2025: "5事例", 2026: "", 2027: ""}
    assert placed[2024].kind is ValueKind.BLANK


def test_a_value_beyond_the_last_year_is_not_placed() -> None:
    assert place_values(["1回", "1回", "1回", "1回", "1回", "1回"], YEARS) is None
    assert place_values(["1回", "1回", "1回", "1回", "1回", "", ""], YEARS) is not None


def test_an_arrow_spans_the_empty_years_after_it_up_to_the_next_value() -> None:
    placed = place_values(["", "—————▶", "", "3回", ""], YEARS, arrows_span=True)
    assert placed is not None
    kinds = [placed[year].kind for year in YEARS]
    assert kinds == [ValueKind.BLANK, ValueKind.CONTINUES, ValueKind.CONTINUES, ValueKind.NUMBER, ValueKind.BLANK]
    assert placed[2025].text == "—————▶"


def test_without_arrows_span_an_arrow_stays_in_its_year() -> None:
    placed = place_values(["→", "", "", "", ""], YEARS)
    assert placed is not None
    assert placed[2024].kind is ValueKind.BLANK


def _year(cell: str) -> int | None:
    return parse_fiscal_year(cell) if cell.startswith("R") else None


def test_year_header_and_year_marks() -> None:
    assert header_years(["", "R5", "R6", "R7", ""], _year) == (2023, 2024, 2025)
    assert header_years(["R5", "R6", "R7"], _year, positional=True) == (2023, 2024, 2025)
    # R7…R9 after empty cells mark the years an activity is planned in: no header
    assert header_years(["", "", "R7", "R8", "R9"], _year, positional=True) == ()
    assert header_years(["R5", "R6", "3回"], _year) == ()
    assert header_years(["", "R5", ""], _year) == ()  # one label: a DO row's year, not a header


# --- shifted columns -----------------------------------------------------------------


def test_shifted_rows_give_the_same_years() -> None:
    result = _map(
        _card(
            "\t取組みの達成目標\t\tR5\tR6\tR7\tR8\tR9\t",
            "\t\t周知\t計画\t30ヶ所\t35ヶ所\t42ヶ所\t42ヶ所\t42ヶ所",
            "研修会\t\t計画\t1回\t3回\t3回\t3回\t3回\t",
            "\t結果\t\t\t\t\t\t\t",
            "事例\t計画\t5事例\t\t5事例\t",
        )
    )
    assert not result.unaccounted
    assert _plans(result, 1) == dict(zip(YEARS, ["30ヶ所", "35ヶ所", "42ヶ所", "42ヶ所", "42ヶ所"], strict=True))
    assert _plans(result, 2) == dict(zip(YEARS, ["1回", "3回", "3回", "3回", "3回"], strict=True))
    assert _plans(result, 3) == dict(zip(YEARS, ["5事例", "", "5事例", "", ""], strict=True))
    assert result.records.indicators[0].unit == "ヶ所"


def test_year_header_on_the_plan_row_puts_the_plans_on_the_result_row() -> None:
    result = _map(_card("\t取組みの達成目標\t情報提供件数\t計画\tR5\tR6\tR7\t", "\t\t結果\t400件\t450件\t500件"))
    indicator = result.records.indicators[0]
    assert {y: v.text for y, v in indicator.plans.items()} == {2023: "400件", 2024: "450件", 2025: "500件"}
    assert indicator.results == {}
    assert indicator.unit == "件"


def test_results_on_a_result_row_are_results() -> None:
    result = _map(_card("周知\t計画\t3回\t3回\t3回\t3回\t3回", "\t結果\t2回\t\t\t\t"))
    indicator = result.records.indicators[0]
    assert indicator.plans[2023].text == "3回"
    assert {y: v.text for y, v in indicator.results.items()} == {2023: "2回"}


def test_the_first_indicator_may_share_the_targets_label_row() -> None:
    result = _map(_card("\t取組みの達成目標\t事業周知活動\t計画\t→\t\t\t"))
    [indicator] = result.records.indicators
    assert indicator.name == "事業周知活動"
    assert indicator.plans[2023].kind is ValueKind.CONTINUES


# --- cards, names, ids, sections -------------------------------------------------------


def test_a_name_row_above_the_card_opens_it_and_gives_name_and_printed_number() -> None:
    name_row = "事業名\t5-1-2-1 包括支援事業（総合相談）\n"
    text = _card(situation="一つ目事業は、…") + name_row + _card(situation="高齢者の相談")
    result = _map(text)
    first, second = result.records.projects
    assert (first.name, second.name) == ("一つ目事業", "包括支援事業（総合相談）")
    # without `id_format`, the printed number is the id, else the card's order
    assert [(p.project_id, p.printed_id) for p in (first, second)] == [("1", ""), ("5-1-2-1", "5-1-2-1")]
    assert second.source.line == 3  # the 事業名 row
    assert not result.unaccounted


def test_names_override_and_id_format_compose_ids_per_section() -> None:
    mapping = _mapping(id_format="{section}-{n}", names={"5-2-1": "家計改善支援事業"})
    text = "基本項目：5-1 相談\n" + _card() + _card() + "基本項目：5-2 生活\n" + _card(situation="貸付の相談を機に、")
    projects = _map(text, mapping).records.projects
    assert [p.project_id for p in projects] == ["5-1-1", "5-1-2", "5-2-1"]
    assert [p.name for p in projects] == ["相談支援事業", "相談支援事業", "家計改善支援事業"]
    assert projects[2].path == ("5-2 生活",)


def test_section_starts_place_cards_under_headings_printed_apart() -> None:
    starts = [{"section": "5-1", "card": "一つ目"}, {"section": "5-2", "card": "三つ目"}]
    mapping = _mapping(id_format="{section}-{n}", section_starts=starts)
    text = "基本項目：5-1 相談\n基本項目：5-2 生活\n" + "".join(
        _card(situation=f"{word}事業は、") for word in ("一つ目", "二つ目", "三つ目")
    )
    projects = _map(text, mapping).records.projects
    assert [(p.project_id, p.path) for p in projects] == [
        ("5-1-1", ("5-1 相談",)),
        ("5-1-2", ("5-1 相談",)),
        ("5-2-1", ("5-2 生活",)),
    ]


def test_a_section_start_naming_no_heading_is_a_mapping_error() -> None:
    mapping = _mapping(section_starts=[{"section": "9-9", "card": "相談"}])
    with pytest.raises(EtlError) as caught:
        _map(_card(), mapping)
    assert caught.value.problem.location.key == "layout.section_starts[0].section"


# --- PDCA parts -------------------------------------------------------------------------


def test_text_in_do_and_check_rows_becomes_pdca_entries() -> None:
    text = _card("DO (これまでの取組み)\tR6\t研修を2回実施した\t", "CHECK (毎年度7月末時点)\t課題\t参加者が少ない")
    result = _map(text, _mapping(pdca_year=2024))
    [entry] = result.records.pdca
    assert (entry.fiscal_year, entry.do, entry.issues) == (2024, "研修を2回実施した", "参加者が少ない")
    assert not result.unaccounted


def test_rows_carrying_nothing_are_left_for_the_mappings_ignore_rules() -> None:
    result = _map(_card("\t課題\t", "\tR5\t", "\t\t\t計画\t\t\t"))
    assert [leftover.line for leftover in result.unaccounted] == [3, 4, 5]
    assert result.records.pdca == []


def test_a_row_before_any_card_is_unaccounted() -> None:
    result = _map("\t現状と課題\t何か\n" + _card())
    assert [leftover.line for leftover in result.unaccounted] == [1]


# --- property: values land in their years whatever the shifts ------------------------

_VALUE = st.one_of(
    st.just(""),
    st.builds(lambda n, unit: f"{n}{unit}", st.integers(0, 999), st.sampled_from(["回", "ヶ所", "人", "件", "事例"])),
    st.sampled_from(["作成", "協議", "→", "—————▶"]),
)
_MAPPING_FOR_PROPERTY = _mapping()


@given(
    values=st.lists(_VALUE, max_size=len(YEARS)),
    leading=st.integers(0, 3),
    gap=st.integers(1, 3),
    trailing=st.integers(0, 3),
    header_shift=st.one_of(st.none(), st.integers(0, 3)),
)
def test_values_land_in_their_years_whatever_the_empty_cells_around_them(
    values: list[str], leading: int, gap: int, trailing: int, header_shift: int | None
) -> None:
    rows = []
    if header_shift is not None:
        rows.append("\t" + "取組みの達成目標" + "\t" * (header_shift + 1) + "\t".join(f"R{y - 2018}" for y in YEARS))
    rows.append("\t" * leading + "事業の周知" + "\t" * gap + "計画\t" + "\t".join(values) + "\t" * trailing)
    result = _map(_card(*rows), _MAPPING_FOR_PROPERTY)
    expected = [*values, *[""] * (len(YEARS) - len(values))]
    assert _plans(result) == dict(zip(YEARS, expected, strict=True))
    assert not result.unaccounted
