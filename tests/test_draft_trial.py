"""Issue 15's real measure, on documents the draft was not written for: council documents
in layouts unlike the samples (tests/data/draft_trial/, in three rounds), each with the
projects a welfare officer would list, written down before any draft ran on them
(expected.yaml).

Each drafts with no example and no edit, and must give exactly those projects (names
width-folded, spaces removed), pass `mapping check`, and convert. The minutes of a
meeting (prose) and a newsletter in two columns read across must give no project and a
warning.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from build_trial import excel_numbered, excel_plan, word_plan
from draft_agreement import assert_checks_and_converts, normalised_name

from etl.convert import map_document
from etl.mapping.draft import draft_mapping

TRIAL = Path(__file__).resolve().parent / "data" / "draft_trial"
EXPECTED: dict[str, list[str]] = yaml.safe_load((TRIAL / "expected.yaml").read_text(encoding="utf-8"))
BUILT = {"excel_plan.xlsx": excel_plan, "excel_numbered.xlsx": excel_numbered, "word_plan.docx": word_plan}
OUTLINES = sorted(name for name, projects in EXPECTED.items() if projects)


def trial_document(name: str, tmp_path: Path) -> Path:
    return BUILT[name](tmp_path / name) if name in BUILT else TRIAL / name


def drafted(name: str, tmp_path: Path) -> tuple[Path, Path]:
    document = trial_document(name, tmp_path)
    mapping = tmp_path / f"{name}.draft.yaml"
    mapping.write_text(draft_mapping(document).text, encoding="utf-8")
    return document, mapping


@pytest.mark.parametrize("name", OUTLINES)
def test_an_unseen_documents_draft_finds_its_projects_and_invents_none(name: str, tmp_path: Path):
    document, mapping = drafted(name, tmp_path)
    found = [normalised_name(project.name) for project in map_document(document, mapping).records.projects]
    assert found == [normalised_name(project) for project in EXPECTED[name]]


@pytest.mark.parametrize("name", OUTLINES)
def test_an_unseen_documents_draft_passes_mapping_check_and_converts(name: str, tmp_path: Path):
    document, mapping = drafted(name, tmp_path)
    assert_checks_and_converts(document, mapping, tmp_path / "out")


@pytest.mark.parametrize("name", sorted(name for name, projects in EXPECTED.items() if not projects))
def test_prose_minutes_and_a_two_column_newsletter_draft_no_project_and_warn(name: str):
    draft = draft_mapping(TRIAL / name)
    assert draft.summary.projects == 0
    assert {"draft.no_projects", "draft.low_coverage"} <= {warning.code for warning in draft.summary.warnings}
    assert "#   WARNING: no projects found" in draft.text


def test_a_policy_block_without_a_closing_bracket_line_ends_at_the_department_below_it():
    text = draft_mapping(TRIAL / "kakari_plan.txt").text
    assert "end: '^[\\s\\u3000]*総務課[\\s\\u3000]*$'" in text
    assert "(?P<title>在宅福祉課|地域福祉課|総務課)" in text  # 課 over 係 over the ■ projects


def test_the_council_is_named_from_the_title_lines_never_from_a_sentence():
    draft = draft_mapping(TRIAL.parent.parent.parent / "mappings" / "mimasaka" / "sample.txt").text
    assert "提供先は" not in draft
    assert "name: '美作市社会福祉協議会'" in draft and "岡山県美作市" in draft


def test_a_table_without_numbers_is_anchored_on_its_name_column(tmp_path: Path):
    text = draft_mapping(excel_plan(tmp_path / "plan.xlsx")).text
    assert "name_column: 2  # the column headed `事業名`" in text
    assert "columns: ['name', 'method', 'goal']" in text
    result = map_document(tmp_path / "plan.xlsx", _written(tmp_path, text))
    [project] = [p for p in result.records.projects if p.name == "理事会・評議員会の運営"]
    assert project.project_id == "1-1" and project.goal == "理事会 年4回 評議員会 年2回"


def _written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_that_continue_a_project_in_an_excel_table_keep_their_columns(tmp_path: Path):
    document = excel_numbered(tmp_path / "plan.xlsx")
    text = draft_mapping(document).text
    assert "continuation_from: 2" in text and "id_levels" not in text
    by_name = {p.name: p for p in map_document(document, _written(tmp_path, text)).records.projects}
    assert by_name["ボランティアセンター運営事業"].method == "ボランティアの登録・相談・調整\n災害ボランティアの育成"
    watch = by_name["見守りネットワーク事業"]
    assert (watch.method, watch.goal) == ("見守り協力員の研修\n協力員の新規登録", "研修会 2回\n新規 20人")
    assert watch.project_id == "3" and watch.funding == "市受託"


def test_markdown_headings_are_the_outline_when_nothing_else_is(tmp_path: Path):
    text = draft_mapping(TRIAL / "markdown_plan.md").text
    assert "clean: []" in text and "project: '^#{3}[ \\t]+(?P<name>" in text
    result = map_document(TRIAL / "markdown_plan.md", _written(tmp_path, text))
    assert [project.path for project in result.records.projects][:2] == [("法人運営",), ("法人運営",)]


def test_a_reports_count_columns_are_results_and_its_bracket_lines_head_the_tables(tmp_path: Path):
    text = draft_mapping(TRIAL / "report_table.txt").text
    assert "columns: ['name', 'actual', 'actual', 'method']" in text and "{level: 1, mark: '【…】'}" in text
    result = map_document(TRIAL / "report_table.txt", _written(tmp_path, text))
    assert result.records.projects[0].path == ("地域福祉",)
    assert result.records.results[0].actual == "240回\n4,820人"


def test_an_items_name_ends_at_its_colon_and_its_text_follows(tmp_path: Path):
    result = map_document(TRIAL / "colon_plan.txt", _written(tmp_path, draft_mapping(TRIAL / "colon_plan.txt").text))
    audit = result.records.projects[1]
    assert (audit.name, audit.method) == ("監事監査", "年2回実施します。")


POLICY_OVER_THE_OUTLINE = """令和6年度 事業計画
基本方針
1 法人運営
(1) 理事会の開催
　理事会を年4回開催します。
(2) 監査の実施
　監事監査を受けます。
2 地域福祉
(1) サロン支援
　サロンを支援します。
"""


def test_a_policy_heading_right_above_the_outline_does_not_swallow_it(tmp_path: Path):
    document = tmp_path / "plan.txt"
    document.write_text(POLICY_OVER_THE_OUTLINE, encoding="utf-8")
    result = map_document(document, _written(tmp_path, draft_mapping(document).text))
    assert [project.name for project in result.records.projects] == ["理事会の開催", "監査の実施", "サロン支援"]
