"""Next year's workbook: 小諸市's 2022 plan converted and filled, then its 2023 plan (written
here from the 2022 text: one project dropped, one renumbered, one added) converted with
`--previous`; and a five-year plan converted again a year on."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from etl import convert_document
from etl.cli import main
from etl.render import render_workbook
from etl.workbook.previous import PreviousSource, match_previous
from etl.workbook.readback import read_filled_workbook
from tests import records_fixtures as rf
from tests.test_readback import TYPED, edit
from tests.test_render_print import PDFINFO, SOFFICE, calibri_metrics_font, pdf_pages, promised_pages

FILLED_2022 = {
    "pdca|1-1-1|2022|do": "理事会を4回、評議員会を3回開催した。",
    "pdca|1-1-1|2022|achievement": "書面決議を1回行い、滞りなく運営できた。",
    "pdca|1-1-1|2022|issues": "評議員の出席率が低い。",
    "pdca|1-1-1|2022|direction": "継続",
    "pdca|1-1-1|2022|action": "開催日程を早めに調整する。",
    "pdca|1-1-3|2022|direction": "終了",  # dropped from the 2023 plan
    "pdca|1-1-4|2022|do": "給与計算を毎月行い、届出を期限内に提出した。",  # 1-1-3 in 2023
    "pdca|1-1-4|2022|issues": "勤怠の手書き書類が多い。",
}
RESULTS_2022 = {"indicator|1-1-1|1|2022|result": 3}  # 理事会を年4回程度開催します: not achieved
NEW_PROJECT = (
    "\t１－１－９９\n災害時の事業継続訓練\n\tBCPに基づく訓練を行います。\n\t1 年1回訓練します。\n\t職員が動けます。\n\n"
)


def plan_2023(komoro: tuple[Path, Path], folder: Path) -> tuple[Path, Path]:
    """The 2023 plan: 1-1-3 gone, 1-1-4 renumbered 1-1-3, a new 1-1-99; the mapping for 2023."""
    document, mapping = komoro
    text = document.read_text(encoding="utf-8")
    start, end = text.index("\t１－１－３\n"), text.index("\t１－１－４\n")
    text = text[:start] + text[end:].replace("\t１－１－４\n", "\t１－１－３\n", 1)
    text = text.replace("\t１－１－５\n", NEW_PROJECT + "\t１－１－５\n", 1)
    folder.mkdir(parents=True)
    (folder / "sample.txt").write_text(text, encoding="utf-8")
    yaml = mapping.read_text(encoding="utf-8").replace("fiscal_years: [2022]", "fiscal_years: [2023]")
    assert "fiscal_years: [2023]" in yaml
    (folder / "mapping.yaml").write_text(yaml, encoding="utf-8")
    return folder / "sample.txt", folder / "mapping.yaml"


@pytest.fixture(scope="module")
def years(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("cycle")
    folder = Path(__file__).resolve().parent.parent / "mappings" / "komoro"
    komoro = (folder / "sample.txt", folder / "mapping.yaml")
    filled = convert_document(*komoro, root / "2022").output
    edit(filled, lambda wb: rf.fill(wb, {**FILLED_2022, **RESULTS_2022}))
    document, mapping = plan_2023(komoro, root / "plan2023")
    return {"filled": filled, "document": document, "mapping": mapping, "root": root}


@pytest.fixture(scope="module")
def converted(years):
    return convert_document(
        years["document"], years["mapping"], years["root"] / "2023", previous=PreviousSource.at(years["filled"])
    )


def card_texts(workbook: Path, sheet_prefix: str) -> list[str]:
    book = openpyxl.load_workbook(workbook)
    [name] = [n for n in book.sheetnames if n.startswith(sheet_prefix + " ")]
    return [str(v) for row in book[name].iter_rows(values_only=True) for v in row if v is not None]


def test_each_entry_of_last_year_is_on_its_2023_card(converted):
    assert converted.ok
    cards = {"1-1-1": "1-1-1", "1-1-4": "1-1-3"}  # last year's project -> its card this year (1-1-3 ended)
    shown = {old: card_texts(converted.output, new) for old, new in cards.items()}
    for key, value in FILLED_2022.items():
        if key.split("|")[1] in shown:
            assert value in shown[key.split("|")[1]], key
    assert any(text.startswith("前年度\n2022年度") for text in shown["1-1-1"])
    [results] = [text for text in shown["1-1-1"] if text.startswith("理事会を年4回程度開催します: ")]
    assert results.splitlines()[0] == "理事会を年4回程度開催します: 計画 年4回程度 / 結果 3回（未達成）"


def test_last_year_is_shown_not_entered(converted, years):
    """The previous year's cells are display cells: this year's inputs are empty, the index unchanged."""
    filled = read_filled_workbook(converted.output)
    assert filled.entered() == [] and filled.problems == []
    assert {cell.key.split("|")[2] for cell in filled.inputs if cell.key.startswith("pdca")} == {"2023"}
    plain = convert_document(years["document"], years["mapping"], years["root"] / "plain")
    assert [c.key for c in read_filled_workbook(plain.output).inputs] == [c.key for c in filled.inputs]


def test_ended_renumbered_and_new_projects_are_listed(converted):
    listed = {(p.code, p.location.key) for p in converted.problems}
    assert listed == {("previous.ended", "1-1-3"), ("previous.renumbered", "1-1-3")}
    renumbered = card_texts(converted.output, "1-1-3")
    assert "前年度の 1-1-4「職員の勤務管理」から番号変更" in renumbered
    assert "新規（前年度の計画にない事業）" in card_texts(converted.output, "1-1-99")


def test_the_workbook_lists_last_years_projects_beside_this_years(converted):
    sheet = openpyxl.load_workbook(converted.output)["前年度との対応"]
    header, *rows = [row[:6] for row in sheet.iter_rows(values_only=True)]
    assert header == (
        "対応",
        "前年度の事業ID",
        "前年度の事業名",
        "前年度の今後の方向性",
        "今年度の事業ID",
        "今年度の事業名",
    )
    assert ("継続", "1-1-1", "法人の適正な運営", "継続", "1-1-1", "法人の適正な運営") in rows
    assert ("番号変更", "1-1-4", "職員の勤務管理", None, "1-1-3", "職員の勤務管理") in rows
    assert ("新規", None, None, None, "1-1-99", "災害時の事業継続訓練") in rows
    assert rows[-1] == ("終了", "1-1-3", "適正な経理事務・財産管理の遂行", "終了", None, None)
    assert len(rows) == 53  # this year's 52 projects and the one that ended


def test_previous_folder_is_matched_by_council(years, tmp_path: Path):
    folder = tmp_path / "前年度"
    folder.mkdir()
    shutil.copy(years["filled"], folder)
    render_workbook(rf.pdca_records(), folder / "other_council.xlsx")
    out = tmp_path / "out"
    args = ["convert", str(years["document"]), "-m", str(years["mapping"]), "-o", str(out), "--previous", str(folder)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    [workbook] = out.glob("*.xlsx")
    assert FILLED_2022["pdca|1-1-1|2022|do"] in card_texts(workbook, "1-1-1")


def test_a_folder_without_the_council_says_so(years, tmp_path: Path):
    folder = tmp_path / "empty"
    folder.mkdir()
    outcome = convert_document(
        years["document"], years["mapping"], tmp_path / "out", previous=PreviousSource.at(folder)
    )
    assert outcome.output is not None
    assert [p.code for p in outcome.problems] == ["previous.not_found"]


def test_the_workbook_of_another_council_is_refused(years, tmp_path: Path):
    other = tmp_path / "other.xlsx"
    render_workbook(rf.pdca_records(), other)
    outcome = convert_document(years["document"], years["mapping"], tmp_path / "out", previous=PreviousSource.at(other))
    assert outcome.output is None and [p.code for p in outcome.problems] == ["previous.other_council"]


def test_a_multi_year_plan_carries_its_shared_years_and_shows_the_year_before(tmp_path: Path):
    """R5–R9 filled, then the plan for R6–R10: R6–R9 carried into the inputs, R5 shown locked."""
    previous = tmp_path / "r5.xlsx"
    render_workbook(rf.pdca_records(), previous)
    edit(previous, lambda wb: rf.fill(wb, TYPED))
    records = rf.pdca_records()
    records.document = dataclasses.replace(records.document, fiscal_years=(2024, 2025, 2026, 2027, 2028))
    matched = match_previous(read_filled_workbook(previous), records)
    outcome = render_workbook(records, tmp_path / "r6.xlsx", previous=matched)
    assert outcome.problems == []
    entered = {c.key: c.value for c in read_filled_workbook(outcome.path).entered()}
    assert entered == {k: v for k, v in TYPED.items() if "|2023|" not in k}
    assert TYPED["pdca|5-1-1|2023|do"] in card_texts(outcome.path, "5-1-1")


@pytest.mark.skipif(not (SOFFICE and PDFINFO and calibri_metrics_font()), reason="LibreOffice and Carlito needed")
def test_cards_with_last_year_still_print_one_page_each(converted, tmp_path: Path):
    cover, policies, projects, targets, matched, *cards = promised_pages(converted.output)
    assert cards == [1] * 52
    assert pdf_pages(converted.output, tmp_path) == cover + policies + projects + targets + matched + len(cards)


def test_matching_by_key_then_name(tmp_path: Path):
    """Last year's five-year plan against this year's: one renamed, one renumbered, one gone."""
    previous = tmp_path / "r5.xlsx"
    render_workbook(rf.pdca_records(), previous)
    records = rf.pdca_records()
    records.document = dataclasses.replace(records.document, fiscal_years=(2028,))
    renamed, renumbered = records.projects[1], records.projects[2]
    renamed.name = "アウトリーチ・参加支援事業"
    renumbered.project_id = "5-3-1"
    records.projects = [renamed, renumbered]
    matched = match_previous(read_filled_workbook(previous), records)
    assert matched.year == 2027
    changes = [
        (m.change, m.before.project_id if m.before else None, m.now.project_id if m.now else None)
        for m in matched.matches
    ]
    assert changes == [("renamed", "5-1-2", "5-1-2"), ("renumbered", "5-2-1", "5-3-1"), ("unmatched", "5-1-1", None)]
    assert [p.code for p in matched.problems] == ["previous.renumbered", "previous.unmatched"]
    assert matched.before["5-3-1"].renumbered and not matched.before["5-1-2"].renumbered


def test_a_previous_workbook_that_is_not_earlier_shows_nothing(tmp_path: Path):
    previous = tmp_path / "r5.xlsx"
    render_workbook(rf.pdca_records(), previous)
    records = rf.pdca_records()
    records.document = dataclasses.replace(records.document, fiscal_years=(2020,))
    matched = match_previous(read_filled_workbook(previous), records)
    assert matched.year is None and matched.before == {}
    assert [p.code for p in matched.problems] == ["previous.not_earlier"]
