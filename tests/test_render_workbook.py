"""The standard PDCA workbook read back with openpyxl: values, protection, validation,
names, metadata and print settings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell

from etl.config.resources import templates_dir
from etl.model import ACHIEVEMENTS, DIRECTIONS, Council, PdcaEntry, Project
from etl.render import render_workbook
from etl.render.template import TemplateError, parse_template
from etl.workbook.book import Book, RenderError, check
from etl.workbook.contract import (
    INDEX_SHEET,
    META_SHEET,
    RECORDS_CHUNK,
    RECORDS_SHEET,
    TEMPLATE_VERSION,
    fingerprint,
    index_from_json,
    input_name,
    parse_key,
)
from tests import records_fixtures as rf

GENERATED = dt.datetime(2024, 7, 31, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=9)))
INPUT_FILL = "FFFFF2CC"
CARDS = ["5-1-1 包括的相談支援事業", "5-1-2 アウトリーチ支援事業", "5-2-1 ふれあい・いきいきサロン活動支援"]
VISIBLE = ["表紙", "方針", "事業一覧", "達成目標", *CARDS]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    target = tmp_path_factory.mktemp("wb") / "pdca.xlsx"
    outcome = render_workbook(rf.pdca_records(), target, generated_at=GENERATED)
    return outcome, openpyxl.load_workbook(target)


@pytest.fixture(scope="module")
def wb(rendered):
    return rendered[1]


def rows(sheet) -> list[dict[str, object]]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def index_rows(wb) -> list[dict[str, str]]:
    """The index (template version 2): JSON in chunks down column A, nothing beside it."""
    values = list(wb[INDEX_SHEET].iter_rows(values_only=True))
    assert all(len(row) == 1 and len(row[0]) <= RECORDS_CHUNK for row in values)
    return [row._asdict() for row in index_from_json("".join(row[0] for row in values))]


def input_cell(wb, key: str):
    sheet, cell = rf.name_target(wb, input_name(key))
    return wb[sheet][cell]


def texts(sheet) -> list[str]:
    return [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]


# --- sheets and their contents ---------------------------------------------------------


def test_sheets_come_in_order_with_the_hidden_ones_last(wb, rendered):
    assert wb.sheetnames == [*VISIBLE, "選択肢", META_SHEET, INDEX_SHEET, RECORDS_SHEET]
    states = {ws.title: ws.sheet_state for ws in wb.worksheets}
    assert {states[name] for name in VISIBLE} == {"visible"}
    hidden = (states["選択肢"], states[META_SHEET], states[INDEX_SHEET], states[RECORDS_SHEET])
    assert hidden == ("hidden", "veryHidden", "veryHidden", "veryHidden")
    outcome = rendered[0]
    assert outcome.path is not None and outcome.problems == []
    assert list(outcome.pages) == VISIBLE


def test_cover_names_the_council_document_period_and_version(wb):
    cover = wb["表紙"]
    pairs = {row[0]: row[1] for row in cover.iter_rows(min_row=4, values_only=True)}
    assert pairs["社会福祉協議会"] == "さくら台市社会福祉協議会"
    assert pairs["社協コード"] == "339997"
    assert pairs["都道府県"] == "岡山県"
    assert pairs["文書"] == "第4次地域福祉活動計画（地域福祉活動計画）"
    assert pairs["計画期間"] == "2023年度（令和5年度） 〜 2027年度（令和9年度）（5年間）"
    assert pairs["様式の版"] == TEMPLATE_VERSION
    assert "この色のセルに入力します" in pairs["入力欄の色"]
    legend = next(c for c in cover["B"] if c.value == pairs["入力欄の色"])
    assert legend.fill.fgColor.rgb == INPUT_FILL
    assert "達成目標" in pairs["記入のしかた"]


def test_policy_list_has_one_row_per_policy(wb):
    assert rows(wb["方針"]) == [
        {"見出し": "基本理念", "本文": rf.policies()[0].text, "元文書の行": "3"},
        {"見出し": "基本目標", "本文": rf.policies()[1].text, "元文書の行": "5"},
    ]


def test_project_list_has_every_field_and_links_each_card(wb):
    listed = rows(wb["事業一覧"])
    assert [r["事業ID"] for r in listed] == ["5-1-1", "5-1-2", "5-2-1"]
    first = listed[0]
    assert first["事業名"] == "包括的相談支援事業"
    assert first["階層"] == "5 誰もが安心して暮らせる地域づくりの推進 > 5-1 総合的な相談体制の確立"
    assert first["標準分類"] == "福祉サービス利用支援部門"
    assert first["目的"].startswith("分野・属性を問わない")
    assert first["方法・内容"].endswith("研修を行う。")
    assert first["目標"].startswith("相談窓口が")
    assert first["現状と課題"].startswith("相談件数は")
    assert (first["新規・拡充"], first["財源"], first["タグ"], first["元文書の行"]) == (
        "拡充",
        "市受託事業",
        "地域 受託",
        "12",
    )
    assert [r["PDCAシート"] for r in listed] == CARDS
    assert wb["事業一覧"]["L2"].hyperlink.location == f"'{CARDS[0]}'!A1"


def test_indicator_list_states_plans_as_values_with_units(wb):
    sheet = wb["達成目標"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["事業ID", "事業名", "番号", "達成目標", "単位"]
    assert header[5:9] == [
        "計画 2023年度（令和5年度）",
        "結果 2023年度（令和5年度）",
        "計画 2024年度（令和6年度）",
        "結果 2024年度（令和6年度）",
    ]
    listed = rows(sheet)
    plan = "計画 {}年度（令和{}年度）".format
    visits, _, outreach, manual, cases = listed
    assert (visits["単位"], visits[plan(2023, 5)], visits[plan(2025, 7)]) == ("ヶ所", 30, 42)
    assert visits[plan(2027, 9)] == 42  # an arrow continues the year before
    assert sheet.cell(2, 6).number_format == 'General"ヶ所"'
    assert [outreach[plan(y, y - 2018)] for y in rf.YEARS] == ["→"] * 5
    assert [manual[plan(y, y - 2018)] for y in rf.YEARS] == ["検討", "作成", "運用", "運用", "運用"]
    assert (cases[plan(2024, 6)], cases["結果 2023年度（令和5年度）"]) == (None, 4)
    assert not sheet.merged_cells.ranges


def test_input_cells_are_the_only_unlocked_cells_and_share_one_colour(wb):
    named = {rf.name_target(wb, row["name"]) for row in index_rows(wb)}
    unlocked = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                # The other cells of a merged input keep no fill of their own in openpyxl.
                if cell.has_style and not cell.protection.locked and not isinstance(cell, MergedCell):
                    assert cell.fill.fgColor.rgb == INPUT_FILL, (ws.title, cell.coordinate)
                    unlocked.add((ws.title, cell.coordinate))
    assert unlocked == named
    assert len(named) == 3 * 5 * 5 + 5 * 5  # 5 PDCA fields per project and year, 1 result per target and year


def test_every_sheet_is_protected_without_a_password_by_default(wb):
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert not ws.protection.password, ws.title
    assert wb["事業一覧"].protection.autoFilter is False  # False means allowed while protected


def test_a_password_protects_every_sheet(tmp_path: Path):
    target = tmp_path / "pw.xlsx"
    render_workbook(rf.single_year_records(), target, password="kyogikai")
    for ws in openpyxl.load_workbook(target).worksheets:
        assert ws.protection.sheet and ws.protection.password, ws.title


def test_all_text_is_in_a_japanese_font(wb):
    fonts = {c.font.name for ws in wb.worksheets[:5] for row in ws.iter_rows() for c in row if c.value is not None}
    assert fonts == {"ＭＳ ゴシック"}


# --- validation ----------------------------------------------------------------------


def validation_of(wb, key: str):
    sheet, cell = rf.name_target(wb, input_name(key))
    found = [dv for dv in wb[sheet].data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, key
    return found[0]


def test_direction_is_a_dropdown_from_a_named_list(wb):
    dv = validation_of(wb, "pdca|5-1-1|2024|direction")
    assert (dv.type, dv.formula1) == ("list", "list_direction")
    assert (dv.promptTitle, dv.errorTitle) == ("今後の方向性", "入力できない値です")
    assert "継続・一部見直し・見直し・終了" in dv.prompt and dv.showErrorMessage
    sheet, cells = next(iter(wb.defined_names["list_direction"].destinations))
    assert [c.value for (c,) in wb[sheet][cells.replace("$", "")]] == list(DIRECTIONS)


def test_qualitative_results_are_a_dropdown_of_achievements(wb):
    dv = validation_of(wb, "indicator|5-1-2|2|2025|result")
    assert (dv.type, dv.formula1) == ("list", "list_achievement")
    sheet, cells = next(iter(wb.defined_names["list_achievement"].destinations))
    assert [c.value for (c,) in wb[sheet][cells.replace("$", "")]] == list(ACHIEVEMENTS)


def test_numeric_results_take_numbers_and_show_their_unit(wb):
    dv = validation_of(wb, "indicator|5-1-1|1|2023|result")
    assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert "単位: ヶ所" in dv.prompt and "ヶ所" in dv.error
    assert input_cell(wb, "indicator|5-1-1|1|2023|result").number_format == 'General"ヶ所"'


def test_text_inputs_carry_an_input_message(wb):
    dv = validation_of(wb, "pdca|5-1-1|2023|do")
    assert (dv.type, dv.promptTitle, dv.prompt) == (None, "記入欄", "文章で記入してください。")


# --- addresses and metadata ------------------------------------------------------------


def test_every_input_has_a_name_the_index_agrees_with(wb):
    listed = index_rows(wb)
    assert len({row["key"] for row in listed}) == len(listed)
    for row in listed:
        assert parse_key(row["key"]) is not None, row["key"]
        assert row["name"] == input_name(row["key"])
        assert rf.name_target(wb, row["name"]) == (row["sheet"], row["cell"])
    kinds = {row["key"]: row["kind"] for row in listed}
    assert kinds["pdca|5-2-1|2027|direction"] == "direction"
    assert kinds["indicator|5-1-2|3|2024|result"] == "number"


def test_metadata_names_council_document_years_time_and_fingerprint(wb):
    meta = dict(wb[META_SHEET].iter_rows(values_only=True))
    assert meta == {
        "template_version": TEMPLATE_VERSION,
        "council_id": "339997",
        "council_name": "さくら台市社会福祉協議会",
        "prefecture": "岡山県",
        "document_kind": "pdca_plan",
        "document_title": "第4次地域福祉活動計画",
        "fiscal_years": "2023,2024,2025,2026,2027",
        "source_file": rf.FILE,
        "generated_at": "2024-07-31T09:30:00+09:00",
        "fingerprint": fingerprint(rf.pdca_records()),
    }


def test_fingerprint_changes_with_the_prefilled_content():
    changed = rf.pdca_records()
    changed.projects[0].goal += "。"
    assert fingerprint(changed) != fingerprint(rf.pdca_records())


# --- cards ---------------------------------------------------------------------------------


def test_card_prefills_plan_and_targets_from_the_document(wb):
    card = wb[CARDS[0]]
    shown = texts(card)
    project = rf.projects()[0]
    for text in (project.project_id, project.name, project.situation, project.purpose, project.method, project.goal):
        assert text in shown
    assert "方針・目標" in shown  # what a PDCA plan calls the method
    assert {"30ヶ所", "35ヶ所", "42ヶ所", "→", "1回", "3回"} <= set(shown)
    assert "2023年度\n令和5年度" in shown


def test_card_shows_results_entered_on_the_indicator_list(wb):
    sheet, cell = rf.name_target(wb, input_name("indicator|5-1-2|3|2023|result"))
    formulas = [c.value for row in wb[CARDS[1]].iter_rows() for c in row if str(c.value).startswith("=")]
    assert f"=IF('{sheet}'!${cell[0]}${cell[1:]}=\"\",\"\",'{sheet}'!${cell[0]}${cell[1:]})" in formulas
    assert len(formulas) == 3 * 5


def test_card_has_a_row_to_fill_per_year_and_prefills_what_the_document_says(wb):
    assert input_cell(wb, "pdca|5-1-1|2023|do").value == "地区社協12ヶ所、民生委員会10ヶ所で周知した。"
    assert input_cell(wb, "pdca|5-1-1|2023|direction").value == "一部見直し"
    # The PDCA entry's own 達成状況 wins over the report's 実績; the report's activities fill DO.
    assert input_cell(wb, "pdca|5-2-1|2023|achievement").value == "新たに2ヶ所のサロンが立ち上がった。"
    assert input_cell(wb, "pdca|5-2-1|2023|do").value == "立ち上げ講座を2回開催"
    assert input_cell(wb, "pdca|5-1-2|2027|action").value is None
    cells = {rf.name_target(wb, input_name(f"pdca|5-1-1|{y}|issues")) for y in rf.YEARS}
    assert {sheet for sheet, _ in cells} == {CARDS[0]} and len(cells) == 5


def test_single_year_plan_has_one_row_per_part_and_says_there_are_no_targets(tmp_path: Path):
    target = tmp_path / "one.xlsx"
    outcome = render_workbook(rf.single_year_records(), target)
    wb = openpyxl.load_workbook(target)
    keys = [row["key"] for row in index_rows(wb)]
    assert keys[:5] == [f"pdca|5-1-1|2023|{f}" for f in ("do", "achievement", "issues", "direction", "action")]
    assert len(keys) == 3 * 5
    assert "（文書に達成目標の記載はありません）" in texts(wb[CARDS[0]])
    assert "目的" in texts(wb[CARDS[0]]) and "方法・内容" in texts(wb[CARDS[0]])  # a plan's own words
    assert rows(wb["達成目標"]) == [] and outcome.pages["達成目標"] == 1


# --- print settings -----------------------------------------------------------------------


def test_every_printed_sheet_is_a4_with_the_council_and_page_numbers_in_the_footer(wb):
    for name in VISIBLE:
        ws = wb[name]
        assert int(ws.page_setup.paperSize) == 9, name
        assert (ws.oddFooter.left.text, ws.oddFooter.right.text) == ("さくら台市社会福祉協議会", "&P / &N"), name


def test_cards_and_cover_fit_one_portrait_page(wb):
    for name in ["表紙", *CARDS]:
        ws = wb[name]
        assert ws.page_setup.orientation == "portrait", name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight or 1) == (1, 1), name  # 1 is the default
        assert not ws.row_breaks.brk, name


def test_lists_repeat_their_header_freeze_it_and_break_pages_as_promised(wb, rendered):
    pages = rendered[0].pages
    for name, orientation, frozen in (
        ("方針", "portrait", "B2"),
        ("事業一覧", "landscape", "C2"),
        ("達成目標", "landscape", "E2"),
    ):
        ws = wb[name]
        assert ws.page_setup.orientation == orientation, name
        assert ws.print_title_rows == "$1:$1", name
        assert ws.freeze_panes == frozen, name
        assert ws.auto_filter.ref.startswith("A1:"), name
        assert 10 <= (ws.page_setup.scale or 100) <= 100, name
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, name  # Excel ignores page breaks when fitting
        assert len(ws.row_breaks.brk) + 1 == pages[name], name


def test_a_long_list_breaks_into_pages_that_each_fit(tmp_path: Path):
    records = rf.single_year_records()
    base = records.projects[0]
    records.projects = [
        Project(f"9-{n}", f"９－{n}", f"事業{n}", rf.src(n), purpose=base.situation * 3) for n in range(1, 61)
    ]
    outcome = render_workbook(records, tmp_path / "long.xlsx")
    with zipfile.ZipFile(tmp_path / "long.xlsx") as package:  # openpyxl would load all 60 cards
        xml = package.read("xl/worksheets/sheet3.xml").decode("utf-8")  # 事業一覧
    breaks = [int(b) for b in re.findall(r'<brk id="(\d+)"', xml)]
    assert outcome.pages["事業一覧"] == len(breaks) + 1 > 2
    assert breaks == sorted(breaks)


# --- safety ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ['=HYPERLINK("http://example.invalid","x")', "+1+1", "-1", "@SUM(A1)", "=1+1"])
def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path, text: str):
    records = rf.single_year_records()
    records.projects[0].name = text
    records.projects[1].purpose = text
    records.pdca = [PdcaEntry("5-1-1", 2023, rf.src(1), do=text)]
    target = tmp_path / "injection.xlsx"
    render_workbook(records, target)
    wb = openpyxl.load_workbook(target)
    listed = wb["事業一覧"]
    assert (listed["B2"].value, listed["B2"].data_type) == (text, "s")
    assert (listed["E3"].value, listed["E3"].data_type) == (text, "s")
    cell = input_cell(wb, "pdca|5-1-1|2023|do")
    assert (cell.value, cell.data_type) == (text, "s")


def test_text_longer_than_a_cell_holds_is_a_problem_and_nothing_is_written(tmp_path: Path):
    target = tmp_path / "long.xlsx"
    target.write_bytes(b"previous")
    records = rf.single_year_records()
    records.projects[1].method = "あ" * 32_768
    outcome = render_workbook(records, target)
    assert outcome.path is None
    [problem] = outcome.problems
    assert (problem.code, problem.field, problem.location.line) == ("render.cell_too_long", "method", 40)
    assert target.read_bytes() == b"previous"


def test_an_overlong_unit_is_cut_to_keep_messages_within_excel_limits(tmp_path: Path):
    records = rf.pdca_records()
    records.indicators[0].unit = "ヶ所" * 200
    outcome = render_workbook(records, tmp_path / "unit.xlsx")
    assert outcome.path is not None
    dv = validation_of(openpyxl.load_workbook(outcome.path), "indicator|5-1-1|1|2023|result")
    assert len(dv.prompt) <= 255 and len(dv.error) <= 255


def test_a_document_without_fiscal_years_is_a_problem(tmp_path: Path):
    records = rf.single_year_records()
    records.document = dataclasses.replace(records.document, fiscal_years=())
    outcome = render_workbook(records, tmp_path / "none.xlsx")
    assert outcome.path is None and [p.code for p in outcome.problems] == ["render.no_fiscal_years"]


def test_card_sheet_names_are_valid_short_and_unique(tmp_path: Path):
    records = rf.single_year_records()
    long_name = "地域の見守り・支え合い活動を推進するためのネットワークづくり事業"
    ids_and_names = [("1/1", long_name), ("1:1", long_name), ("1-2", "相談/支援[窓口]:*?")]
    for project, (project_id, name) in zip(records.projects, ids_and_names, strict=True):
        project.project_id, project.name = project_id, name
    render_workbook(records, tmp_path / "names.xlsx")
    names = openpyxl.load_workbook(tmp_path / "names.xlsx").sheetnames[4:7]
    assert names == [f"1_1 {long_name}"[:31], f"1_1 {long_name}"[:29] + "~2", "1-2 相談_支援_窓口____"]


def test_an_xlsxwriter_warning_stops_the_render_and_keeps_the_old_file(tmp_path: Path, monkeypatch):
    target = tmp_path / "warn.xlsx"
    target.write_bytes(b"previous")
    monkeypatch.setattr("etl.render.page.MAX_FOOTER_NAME", 1000)
    records = rf.single_year_records()
    records.council = Council("339997", "長" * 300, "岡山県")
    with pytest.raises(RenderError, match="255"):
        render_workbook(records, target)
    assert target.read_bytes() == b"previous"
    assert list(tmp_path.iterdir()) == [target]


def test_a_refused_write_is_an_error(tmp_path: Path):
    with pytest.raises(RenderError, match="return code -2"):
        check(-2, "write")
    book = Book(tmp_path / "x.xlsx", {})
    sheet = book.add_sheet("s")
    with warnings.catch_warnings(), pytest.raises(RenderError):
        warnings.simplefilter("ignore")
        sheet.validate(0, 0, {"validate": "list", "source": ["x" * 300]})
    with pytest.raises(RenderError, match="longer than 31"):
        book.add_sheet("x" * 32)


def test_identical_inputs_give_identical_files(tmp_path: Path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    render_workbook(rf.pdca_records(), first, generated_at=GENERATED)
    render_workbook(rf.pdca_records(), second, generated_at=GENERATED)
    assert first.read_bytes() == second.read_bytes()


def test_a_broken_layout_file_names_the_file_and_the_key(tmp_path: Path):
    text = (templates_dir() / f"{TEMPLATE_VERSION}.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace('input: "#FFF2CC"', 'input: "yellow"'), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"broken\.yaml: colours\.input: 'yellow' does not match"):
        parse_template(broken, "broken")
