"""Nothing lost, nothing claimed: coverage by character, and outcomes that tell the truth.

Every document here is written for the test, in the layouts the issue describes: a
section and a project on one line, a project pattern that matches only the start of a
long line, a one-line policy, a document without projects, an empty sheet.
"""

import json
import re
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from etl.cli import main
from etl.convert import convert_document, map_document
from etl.mapping.coverage import Use
from etl.mapping.traced import traced
from etl.problems import Severity
from etl.read.source import SourceLine
from tests import test_layout_cards as cards

HEAD = """\
version: 1
council: {id: "132187", name: テスト市社会福祉協議会, prefecture: 東京都}
document: {kind: plan, title: 事業計画, fiscal_years: [2021]}
"""
# Matches only the number and the first word of a project line, as a new user may write it.
PARTIAL = r"""
sections:
  - {level: 1, pattern: '^(?P<id>[0-9]+)\.(?P<title>\S+)'}
layout: {type: outline, project: '^\((?P<id>[0-9]+)\)(?P<name>\S+)', id_sections: [1]}
"""
TAIL = "年10回程度開催します。助成金 30,000円 50,000円 会議 年2回"


def write(tmp_path: Path, mapping: str, *lines: str, name: str = "doc.txt") -> tuple[Path, Path]:
    (tmp_path / "mapping.yaml").write_text(HEAD + mapping, encoding="utf-8")
    (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path / name, tmp_path / "mapping.yaml"


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_the_tail_of_a_partly_matched_project_line_goes_to_its_content(tmp_path: Path):
    result = map_document(*write(tmp_path, PARTIAL, "2.地域福祉の推進", f"(1)サロン活動の支援 {TAIL}", "内容の行"))
    project = result.records.projects[0]
    assert (project.project_id, project.name) == ("2-1", "サロン活動の支援")
    assert project.method == f"{TAIL}\n内容の行"
    assert result.unaccounted == []
    summary = result.coverage.summary(result.document)
    assert summary["characters_appended"] == len(TAIL.replace(" ", ""))
    assert summary["lines"] == summary["mapped"] == 3


def test_the_rest_of_a_one_line_section_is_reported_with_its_column(tmp_path: Path):
    document = write(tmp_path, PARTIAL, f"2.地域福祉の推進 (1)サロン活動の支援 {TAIL}", "(2)広報")
    result = map_document(*document)
    [leftover] = result.unaccounted
    assert (leftover.line, leftover.column) == (1, 11)
    assert leftover.text == f"(1)サロン活動の支援 {TAIL}"
    [problem] = [p for p in result.problems if p.code == "mapping.unaccounted_text"]
    assert (problem.location.line, problem.location.column, problem.severity) == (1, 11, Severity.WARNING)
    strict = convert_document(*document, tmp_path / "out", strict=True)
    assert not strict.ok and strict.unaccounted == len(leftover.text.replace(" ", ""))


def test_mapping_check_lists_appended_and_unaccounted_text_and_explain_shows_the_spans(tmp_path: Path):
    document, mapping = write(tmp_path, PARTIAL, "2.地域福祉の推進 はみ出し", f"(1)サロン {TAIL}")
    check = CliRunner().invoke(main, ["mapping", "check", str(mapping), str(document)])
    assert check.exit_code == 1
    assert "unaccounted 1:11: はみ出し" in check.output
    assert f"appended 2:7 -> 2-1.method: {TAIL}" in check.output
    assert "4 unaccounted" in check.output  # characters
    explain = CliRunner().invoke(main, ["mapping", "explain", str(mapping), str(document)])
    rows = explain.output.splitlines()
    assert any(row.split()[:3] == [":1-9", "section", "sections[0]"] for row in rows), explain.output
    assert any(row.split()[:2] == [":10-14", "UNACCOUNTED"] for row in rows), explain.output
    assert any(row.split()[1:3] == ["appended", "layout.project"] for row in rows), explain.output
    as_json = CliRunner().invoke(main, ["mapping", "check", str(mapping), str(document), "--format", "json"])
    report = json.loads(as_json.output)
    assert report["unaccounted"] == [{"line": 1, "column": 11, "text": "はみ出し"}]
    assert [span["use"] for span in report["lines"][1]["spans"]] == ["field", "appended"]


def test_clean_keeps_each_character_s_original_column(tmp_path: Path):
    mapping = "clean: ['</?p>']\n" + PARTIAL
    result = map_document(*write(tmp_path, mapping, "<p>1.総務</p> はみ出し", "<p>(1)運営</p>"))
    assert [(left.line, left.column, left.text) for left in result.unaccounted] == [(1, 13, "はみ出し")]
    spans = result.coverage.spans(SourceLine(1, "<p>1.総務</p> はみ出し"))
    assert [(s.start, s.use.use if s.use else None) for s in spans] == [
        (0, Use.IGNORED),
        (3, Use.SECTION),
        (7, Use.IGNORED),
        (11, None),
    ]


@given(st.text(alphabet="ab<>/p 漢", max_size=30), st.sampled_from(["</?p>", "a+", " ", "b|漢", "x?"]))
def test_cutting_a_pattern_keeps_the_place_of_every_character_left(text: str, pattern: str):
    compiled = re.compile(pattern)
    cut, removed = traced(SourceLine(1, text)).cut(compiled)
    assert cut.text == compiled.sub("", text)
    assert all(text[column] == char for char, (_, column) in zip(cut.text, cut.places, strict=True))
    assert sorted([*cut.places, *removed]) == [(1, column) for column in range(len(text))]


def test_a_policy_heading_without_text_is_reported_and_its_line_s_rest_is_unaccounted(tmp_path: Path):
    policy = "policies:\n  - heading: '^【(?P<heading>基本理念)】'\n"
    line = "【基本理念】誰もが安心して暮らせるまち"
    result = map_document(*write(tmp_path, policy + PARTIAL, line, "1.総務", "(1)運営"))
    assert result.records.policies == []
    assert "mapping.policy_without_text" in codes(result.problems)
    assert [(left.line, left.column, left.text) for left in result.unaccounted] == [(1, 7, line[6:])]


def test_a_policy_heading_with_a_text_group_reads_a_one_line_policy(tmp_path: Path):
    policy = "policies:\n  - heading: '^【(?P<heading>基本理念)】(?P<text>.*)$'\n"
    line = "【基本理念】誰もが安心して暮らせるまち"
    result = map_document(*write(tmp_path, policy + PARTIAL, line, "1.総務", "(1)運営"))
    [read] = result.records.policies
    assert (read.heading, read.text) == ("基本理念", "誰もが安心して暮らせるまち")
    assert result.problems == [] and result.unaccounted == []


def test_a_document_without_projects_says_so_and_fails_under_strict(tmp_path: Path):
    document, mapping = write(tmp_path, PARTIAL, "1.総務", "はじめに")
    result = CliRunner().invoke(main, ["convert", str(document), "-m", str(mapping), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "0 projects: the mapping took no project" in result.output
    row = next(line for line in result.output.splitlines() if line.startswith("warnings"))
    assert "(0 projects" in row
    strict = convert_document(document, mapping, tmp_path / "strict", strict=True)
    [no_projects] = [p for p in strict.problems if p.code == "mapping.no_projects"]
    assert no_projects.severity is Severity.ERROR and strict.output is None


def test_an_excel_document_with_an_empty_sheet_gives_0_projects(tmp_path: Path):
    Workbook().save(tmp_path / "empty.xlsx")
    (tmp_path / "mapping.yaml").write_text(HEAD + PARTIAL, encoding="utf-8")
    args = ["convert", str(tmp_path / "empty.xlsx"), "-m", str(tmp_path / "mapping.yaml"), "-o", str(tmp_path)]
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 1
    [outcome] = json.loads(result.output)
    assert (outcome["projects"], outcome["note"], outcome["status"]) == (0, "0 projects", "warnings")
    assert [p["code"] for p in outcome["problems"]] == ["mapping.no_projects"]


MARKERS = """
markers:
  - {field: funding, pattern: '(?:市|県)受託事業', standalone: true}
  - {field: funding, pattern: '［(?P<value>[^］]*)］'}
"""


def test_a_funding_marker_without_value_fills_funding_from_its_match(tmp_path: Path):
    result = map_document(*write(tmp_path, MARKERS + PARTIAL, "1.総務", "市受託事業", "(1)相談支援", "(2)広報［自主］"))
    funding = {p.project_id: p.funding for p in result.records.projects}
    assert funding == {"1-1": "市受託事業", "1-2": "自主"}
    assert result.problems == []


def test_a_marker_that_matched_but_captured_nothing_is_reported(tmp_path: Path):
    result = map_document(*write(tmp_path, MARKERS + PARTIAL, "1.総務", "(1)広報［］"))
    [problem] = result.problems
    assert (problem.code, problem.location.line, problem.field) == ("mapping.marker_without_value", 2, "markers[1]")
    assert (result.records.projects[0].name, result.records.projects[0].funding) == ("広報", "")


def test_a_section_without_projects_is_an_info_that_does_not_fail(tmp_path: Path):
    document, mapping = write(tmp_path, PARTIAL, "1.総務", "(1)運営", "2.地域", "3.広報", "(1)発行")
    outcome = convert_document(document, mapping, tmp_path / "out")
    [info] = outcome.problems
    assert (info.code, info.severity, info.location.line) == ("mapping.section_without_projects", Severity.INFO, 3)
    assert outcome.status == "ok" and outcome.note == "section without projects: 1"


def test_targets_without_plan_values_are_infos_that_leave_the_sample_ok(tmp_path: Path):
    folder = Path(__file__).resolve().parent.parent / "mappings" / "mimasaka"
    outcome = convert_document(folder / "sample.txt", folder / "mapping.yaml", tmp_path)
    infos = [p for p in outcome.problems if p.code == "mapping.target_without_plan"]
    assert [p.location.line for p in infos] == [127, 129, 131, 271, 294, 495, 497, 726]
    assert outcome.status == "ok" and outcome.note == "target without plan: 8"


def test_a_document_that_does_not_fit_its_mapping_says_low_coverage(tmp_path: Path):
    lines = [f"段落{n}の文章はどの規則にも当たりません。" for n in range(8)]
    outcome = convert_document(*write(tmp_path, PARTIAL, *lines, "1.総務", "(1)運営"), tmp_path / "out")
    assert "mapping.low_coverage" in codes(outcome.problems)
    assert outcome.mapped_percent is not None and outcome.mapped_percent < 50
    assert f"low coverage: {outcome.mapped_percent}% of characters mapped" in outcome.note


def test_a_card_field_pattern_reports_what_it_leaves_out_at_its_column():
    fields = [
        {"label": "^事業名$", "to": "name", "before_card": True, "pattern": r"^(?P<value>\S+)"},
        {"label": "^現状と課題$", "to": "situation"},
        {"label": "^方針・目標$", "to": "goal"},
    ]
    result = cards._map("事業名\t相談支援事業\tほか2件\n" + cards._card(), cards._mapping(fields=fields))
    assert result.records.projects[0].name == "相談支援事業"
    assert [(left.line, left.column, left.text) for left in result.unaccounted] == [(1, 12, "ほか2件")]


CELL_TABLE = r"""
layout:
  type: cell_table
  columns: [name, purpose]
  project_id: '^(?P<id>[0-9]+(?:-[0-9]+){2})'
"""


def test_the_rest_of_a_cell_table_s_number_line_goes_to_the_name(tmp_path: Path):
    result = map_document(*write(tmp_path, CELL_TABLE, "\t1-1-1 法人の", "適正な運営", "\t目的"))
    project = result.records.projects[0]
    assert (project.project_id, project.name, project.purpose) == ("1-1-1", "法人の\n適正な運営", "目的")
    assert result.unaccounted == []
    assert result.coverage.summary(result.document)["characters_appended"] == 3
