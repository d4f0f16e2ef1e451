"""Targets and results written in running text, judged by the mapping's `quantities`
block: a plan whose goals state frequencies, a prose report with counts, totals, changes
and per-district counts, sentences that must never count (dates, phone numbers, article
numbers), bad rules, numbers that do not fit, and collect's 達成率 for such targets."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.collect import collect
from etl.convert import convert_document, map_document
from etl.mapping.engine import MappingResult
from etl.model import ValueKind
from etl.problems import EtlError
from etl.workbook.readback import read_filled_workbook

HEADER = """\
version: 1
council: {{id: "202088", name: 試験市社会福祉協議会, prefecture: 長野県}}
document: {{kind: {kind}, title: 試験, fiscal_years: {years}}}
clean: ['^-\\s+']
sections:
  - {{level: 1, pattern: '^【(?P<title>[^】]+)】$'}}
layout:
  type: outline
  project: '^\\((?P<id>[0-9]+)\\)\\s*(?P<name>\\S.*)$'
  content_field: method
"""

NEVER = """\
  never:
    - {pattern: '(?:令和|平成){number}年', reason: 年号}
    - {pattern: '{number}月(?:{number}日)?(?:から|まで|に)', reason: 日付}
    - {pattern: '\\d{2,4}-\\d{2,4}-\\d{3,4}', reason: 電話番号}
    - {pattern: '第{number}条', reason: 条文の番号}
"""

PLAN = """\
【地域福祉事業】
(1) ふれあいサロン事業
- ・地区サロンを年10回程度開催します。広報紙「ふれあい」を年4回発行します。
- ・4月から実施します。
- ・問い合わせは電話0267-22-1700までお願いします。
- ・社会福祉法第109条に基づき実施します。
- ・令和6年4月1日に開所します。
(2) 見守り事業
- ・訪問を月2回行い、相談件数は月平均35件を目標とします。
- ・参加費は一人ひとり100円です。
- ・年二回、研修会を開催します。
- ・見守りの訪問は随時行います。
"""

PLAN_QUANTITIES = (
    """\
quantities:
  fields: [method]
  marks: '^・'
"""
    + NEVER
    + """\
  rules:
    - {pattern: '(?P<period>年|月|週)(?:平均)?{number}{unit}', reason: 頻度}
    - {pattern: '(?P<number>随時)行います', reason: 随時の実施}
"""
)

REPORT = """\
【相談事業】
(1) 心配ごと相談事業
- ・相談件数 58件（前年比8%増）
- ・参加者延べ1,254人
(2) 地区サロン事業
- ・北地区 開催回数: 3
- ・南地区 開催回数: 5
- ・開催回数 計8回
(3) 助成事業
- ・1団体30,000円×12団体(計360,000円)
- ・登録団体数 24団体 (△4)
(4) 見守り事業
- ・約300名が登録しています。
- ・令和5年4月から電話0120-123-456で受付を開始しました。
"""

REPORT_QUANTITIES = (
    """\
quantities:
  fields: [method]
  marks: '^・'
"""
    + NEVER
    + """\
    - {pattern: '{number}{unit}×', reason: 単価}
    - {pattern: '^1{unit}', reason: 単価の基準}
  rules:
    - {pattern: '{number}{unit}', reason: 件数・人数・金額}
    - {pattern: '[:：]\\s*{number}', reason: 地区ごとの回数}
    - {pattern: '(?:前年比|[△▲+＋]){number}', reason: 前年比}
"""
)


def _write(folder: Path, *, kind: str, years: str, body: str, quantities: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    mapping = folder / "mapping.yaml"
    mapping.write_text(HEADER.format(kind=kind, years=years) + quantities, encoding="utf-8")
    document = folder / "sample.txt"
    document.write_text(body, encoding="utf-8")
    return document, mapping


@pytest.fixture
def plan(tmp_path: Path) -> tuple[Path, Path]:
    return _write(tmp_path / "plan", kind="plan", years="[2024, 2025]", body=PLAN, quantities=PLAN_QUANTITIES)


@pytest.fixture
def report_files(tmp_path: Path) -> tuple[Path, Path]:
    return _write(tmp_path / "report", kind="report", years="[2023]", body=REPORT, quantities=REPORT_QUANTITIES)


@pytest.fixture
def report(report_files) -> MappingResult:
    return map_document(*report_files)


def _targets(result: MappingResult) -> list[tuple[str, float | None, str]]:
    return [(v.quantity.text, v.quantity.number, v.quantity.per_unit) for v in result.quantities if v.counts]


def test_a_plans_frequencies_become_targets_for_every_year_of_the_plan(plan):
    result = map_document(*plan)
    assert _targets(result) == [
        ("年10回程度", 10, "回"),
        ("年4回", 4, "回"),
        ("月2回", 2, "回/月"),
        ("月平均35件", 35, "件/月"),
        ("年二回", 2, "回"),
        ("随時", None, ""),
    ]
    first, second, *_ = result.records.indicators
    assert (first.project_id, first.number, first.name, first.unit) == (
        "1",
        1,
        "地区サロンを年10回程度開催します",
        "回",
    )
    assert sorted(first.plans) == [2024, 2025]
    assert (first.plans[2025].kind, first.plans[2025].number, first.plans[2025].text) == (
        ValueKind.NUMBER,
        10,
        "年10回程度",
    )
    assert (second.number, second.name, second.source.line) == (2, "広報紙「ふれあい」を年4回発行します", 3)
    assert result.records.indicators[-1].plans[2024].kind is ValueKind.QUALITATIVE


@pytest.mark.parametrize(
    ("sentence", "quantity", "reason"),
    [
        ("4月から実施します", "4月", "日付"),
        ("問い合わせは電話0267-22-1700までお願いします", "0267", "電話番号"),
        ("問い合わせは電話0267-22-1700までお願いします", "1700", "電話番号"),
        ("社会福祉法第109条に基づき実施します", "109", "条文の番号"),
        ("令和6年4月1日に開所します", "6年", "年号"),
        ("令和6年4月1日に開所します", "4月", "日付"),
        ("参加費は一人ひとり100円です", "100円", ""),
    ],
)
def test_dates_phone_numbers_and_articles_never_become_targets(plan, sentence, quantity, reason):
    verdicts = [v for v in map_document(*plan).quantities if v.sentence == sentence and v.quantity.text == quantity]
    assert len(verdicts) == 1
    assert not verdicts[0].counts
    assert verdicts[0].reason == reason


def test_a_prose_reports_counts_totals_changes_and_districts_become_results(report):
    results = {r.project_id: r for r in report.records.results}
    assert sorted(results) == ["1", "2", "3", "4"]
    counseling = results["1"]
    assert (counseling.fiscal_year, counseling.actual) == (2023, "相談件数 58件\n参加者延べ1,254人")
    assert (counseling.change_text, counseling.change_value) == ("8%増", 8)  # shown under 前年比
    districts = results["2"]
    assert districts.actual == "北地区 開催回数: 3\n南地区 開催回数: 5\n開催回数 計8回"
    assert [
        (v.quantity.label, v.quantity.number, v.quantity.total) for v in report.quantities if v.field == "2.method"
    ] == [
        ("北地区 開催回数", 3, False),
        ("南地区 開催回数", 5, False),
        ("開催回数", 8, True),
    ]
    grants = results["3"]
    assert (grants.actual, grants.change_text, grants.change_value) == (
        "1団体30,000円×12団体(計360,000円)\n登録団体数 24団体",
        "△4",
        -4,
    )
    counted = [v.quantity.text for v in report.quantities if v.field == "3.method" and v.counts]
    assert counted == ["12団体", "計360,000円", "24団体", "△4"]  # not the rate 1団体30,000円
    assert results["4"].actual == "約300名が登録しています"  # the sentence with a date and a phone number is no result
    assert report.records.indicators == []


def test_a_reports_results_fill_its_cards_as_a_report_table_does(report_files, tmp_path: Path):
    outcome = convert_document(*report_files, tmp_path / "out")
    assert outcome.ok and outcome.output is not None
    cells = {c.key: c for c in read_filled_workbook(outcome.output).inputs}
    assert cells["pdca|1|2023|achievement"].prefilled == "相談件数 58件\n参加者延べ1,254人（前年比 8%増）"
    assert cells["pdca|2|2023|achievement"].prefilled == "北地区 開催回数: 3\n南地区 開催回数: 5\n開催回数 計8回"


def test_a_quantity_rule_without_a_number_group_is_a_mapping_error_at_its_line(tmp_path: Path):
    bad = PLAN_QUANTITIES.replace("'(?P<number>随時)行います'", "'(?P<word>随時)行います'")
    document, mapping = _write(tmp_path, kind="plan", years="[2024]", body=PLAN, quantities=bad)
    with pytest.raises(EtlError) as raised:
        map_document(document, mapping)
    problem = raised.value.problem
    line = (
        mapping.read_text(encoding="utf-8")
        .splitlines()
        .index("    - {pattern: '(?P<word>随時)行います', reason: 随時の実施}")
    )
    assert (problem.code, problem.location.line, problem.location.key) == (
        "mapping.invalid",
        line + 1,
        "quantities.rules[1].pattern",
    )
    assert "{number}" in problem.hint


def test_numbers_too_large_for_excel_and_percentages_over_1000_are_located_warnings(tmp_path: Path):
    body = "【地域】\n(1) 試験事業\n・寄付を年1,000,000,000,000,000円集めます。\n・満足度を年1500%に高めます。\n"
    document, mapping = _write(tmp_path, kind="plan", years="[2024]", body=body, quantities=PLAN_QUANTITIES)
    outcome = convert_document(document, mapping, tmp_path / "out")
    assert outcome.ok
    found = {(p.code, p.severity.value, p.location.line) for p in outcome.problems}
    assert found == {("quantity.too_large", "warning", 3), ("quantity.percent_over_1000", "warning", 4)}
    records = map_document(document, mapping).records
    assert [(i.name, i.plans[2024].number) for i in records.indicators] == [("満足度を年1500%に高めます", 1500)]
    checked = CliRunner().invoke(main, ["mapping", "check", str(mapping), str(document)]).output
    assert f"{document}:3 [quantities.rules[0]]: 警告 [quantity.too_large]" in checked


def test_collect_gives_the_achievement_ratio_of_targets_read_from_text(plan, tmp_path: Path):
    outcome = convert_document(*plan, tmp_path / "generated")
    assert outcome.ok and outcome.output is not None
    filled = read_filled_workbook(outcome.output)
    cell = next(c for c in filled.inputs if c.key == "indicator|1|1|2024|result")  # 年10回程度 in FY2024
    book = openpyxl.load_workbook(outcome.output)
    book[cell.sheet][cell.cell].value = 8
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    book.save(inbox / outcome.output.name)
    collected = collect([inbox], tmp_path / "集約.xlsx")
    rows = list(openpyxl.load_workbook(collected.output, read_only=True)["達成目標"].iter_rows(values_only=True))
    header = rows[0]
    row = next(dict(zip(header, r, strict=True)) for r in rows[1:] if r[header.index("結果値")] is not None)
    assert (row["達成目標"], row["単位"], row["年度"], row["計画値"], row["結果値"]) == (
        "地区サロンを年10回程度開催します",
        "回",
        2024,
        10,
        8,
    )
    assert row["達成率"] == pytest.approx(0.8)


def test_mapping_explain_shows_each_quantity_and_its_verdict(plan):
    document, mapping = plan
    output = CliRunner().invoke(main, ["mapping", "explain", str(mapping), str(document)]).output
    assert "quantities.rules[0]" in output and "年10回程度 -> COUNTS   10 回" in output
    assert "4月 -> no       日付" in output


def test_a_never_pattern_that_does_not_compile_once_expanded_is_a_mapping_error(tmp_path: Path):
    bad = PLAN_QUANTITIES.replace("'第{number}条'", "'[{number}]条'")
    document, mapping = _write(tmp_path, kind="plan", years="[2024]", body=PLAN, quantities=bad)
    with pytest.raises(EtlError) as raised:
        map_document(document, mapping)
    assert (raised.value.problem.code, raised.value.problem.location.key) == (
        "mapping.invalid",
        "quantities.never[3].pattern",
    )
    assert raised.value.problem.location.line is not None
