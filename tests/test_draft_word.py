"""`mapping draft` on Word documents: what Word knows (heading styles, list levels,
tables) comes before what the text prints (issue 15). Every document is written here,
the way an office types its plan in Word."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from build_word import BULLETS, MULTILEVEL, WordPlan
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from etl.cli import main
from etl.convert import convert_document, map_document
from etl.mapping.draft import DraftOptions, draft_mapping
from etl.mapping.draft.word import word_outline
from etl.mapping.engine import MappingResult
from etl.read.source import SourceLine


def headings_and_bullets(path: Path) -> Path:
    """Headings styled 見出し1/見出し2 with no number printed; the projects are items of a
    bulleted list, each with a sentence under it; a policy block opens the plan."""
    plan = WordPlan()
    plan.title("令和6年度 テスト市社会福祉協議会 事業計画")
    plan.heading("基本理念", 1)
    plan.paragraph("誰もが安心して暮らせるまちをつくります。")
    for heading, sections in BULLET_PLAN.items():
        plan.heading(heading, 1)
        for section, projects in sections.items():
            plan.heading(section, 2)
            for name, text in projects:
                plan.item(name, BULLETS, 1)
                plan.paragraph(text)
    return plan.save(path)


BULLET_PLAN = {
    "法人運営": {
        "総務": [
            ("理事会・評議員会の開催", "理事会を年4回、評議員会を年2回開催します。"),
            ("広報紙の発行", "社協だよりを年6回発行します。"),
            ("会員の加入促進", "会費の納入をお願いします。"),
        ],
        "財務": [("会計監査の実施", "監事による監査を受けます。"), ("共同募金への協力", "赤い羽根募金に協力します。")],
    },
    "地域福祉": {
        "ボランティアセンター": [
            ("ボランティア講座", "入門講座を年3回開きます。"),
            ("災害ボランティアの育成", "訓練を行います。"),
            ("福祉教育の推進", "学校と協力します。"),
        ]
    },
}
BULLET_PROJECTS = [name for sections in BULLET_PLAN.values() for items in sections.values() for name, _ in items]

MULTILEVEL_PLAN = {
    "法人運営": [("理事会の開催", ["定例会", "臨時会"]), ("広報活動", ["社協だより"]), ("会員募集", [])],
    "地域福祉": [("ふれあいサロン", ["高齢者サロン", "子育てサロン"]), ("見守り活動", []), ("配食サービス", ["週2回"])],
    "在宅福祉": [("ホームヘルプ", []), ("移送サービス", ["車いす対応"])],
}


def multilevel_list(path: Path) -> Path:
    """One Word list of three levels, 1. / (1) / ①, whose marks exist only in numbering.xml:
    sections, projects (each with a sentence), and the projects' sub-items; a policy first."""
    plan = WordPlan()
    plan.title("令和6年度 テスト町社会福祉協議会 事業計画")
    plan.paragraph("重点目標")
    plan.paragraph("地域の見守りを強めます。")
    for section, projects in MULTILEVEL_PLAN.items():
        plan.item(section, MULTILEVEL, 1)
        for name, subs in projects:
            plan.item(name, MULTILEVEL, 2)
            plan.paragraph(f"{name}を実施します。")
            for sub in subs:
                plan.item(sub, MULTILEVEL, 3)
    return plan.save(path)


TABLE_HEADER = ["番号", "事業名", "目的", "内容", "目標"]
TABLE_PLAN = {
    "法人運営": [
        ["1", "理事会の開催", "適正な運営", "理事会を開催する", "年4回"],
        ["2", "広報紙の発行", "周知", "社協だよりを発行する", "年6回"],
        ["3", "会員募集", "財源確保", "会員を募る", "500世帯"],
    ],
    "地域福祉": [
        ["1", "ふれあいサロン", "孤立防止", "サロンを支援する", "20か所"],
        ["2", "配食サービス", "栄養改善", "弁当を配達する", "週2回"],
        ["3", "ボランティア講座", "担い手育成", "講座を開く", "年3回"],
    ],
}


def project_tables(path: Path) -> Path:
    """A Word table of projects under each 見出し1 heading; numbers restart in every table."""
    plan = WordPlan()
    plan.title("令和6年度 テスト村社会福祉協議会 事業計画")
    for heading, rows in TABLE_PLAN.items():
        plan.heading(heading, 1)
        plan.table([TABLE_HEADER, *rows])
    return plan.save(path)


def drafted(document: Path, tmp_path: Path, *examples: str) -> tuple[str, MappingResult]:
    draft = draft_mapping(document, DraftOptions(examples=examples))
    path = tmp_path / "mapping.yaml"
    path.write_text(draft.text, encoding="utf-8")
    return draft.text, map_document(document, path)


def names(result: MappingResult) -> list[str]:
    return [project.name for project in result.records.projects]


def test_unnumbered_headings_and_a_bulleted_list_draft_by_their_word_levels(tmp_path: Path):
    text, result = drafted(headings_and_bullets(tmp_path / "plan.docx"), tmp_path)
    assert "{level: 1, heading_level: 1}" in text and "project: {list_level: 1}" in text
    assert names(result) == BULLET_PROJECTS
    by_name = {project.name: project for project in result.records.projects}
    assert by_name["会計監査の実施"].path == ("法人運営", "財務")
    assert by_name["広報紙の発行"].method == "社協だよりを年6回発行します。"
    assert [policy.heading for policy in result.records.policies] == ["基本理念"]
    assert len({project.project_id for project in result.records.projects}) == len(BULLET_PROJECTS)
    assert result.unaccounted == []


def test_a_multilevel_list_numbered_by_word_alone_drafts_its_middle_level(tmp_path: Path):
    document = multilevel_list(tmp_path / "plan.docx")
    typed = [paragraph.text for paragraph in docx.Document(str(document)).paragraphs]
    assert "理事会の開催" in typed and not any(t.startswith(("1.", "(1)", "①")) for t in typed)  # no mark typed
    text, result = drafted(document, tmp_path)
    assert "project: {list_level: 2, mark: '(1)'}" in text
    expected = [name for projects in MULTILEVEL_PLAN.values() for name, _ in projects]
    assert names(result) == expected
    by_name = {project.name: project for project in result.records.projects}
    assert by_name["ふれあいサロン"].project_id == "2-1" and by_name["ふれあいサロン"].printed_id == "(1)"
    assert by_name["ふれあいサロン"].method == "ふれあいサロンを実施します。\n① 高齢者サロン\n② 子育てサロン"
    assert [(p.heading, p.text) for p in result.records.policies] == [("重点目標", "地域の見守りを強めます。")]


def test_a_project_table_under_word_headings_drafts_as_a_table(tmp_path: Path):
    text, result = drafted(project_tables(tmp_path / "plan.docx"), tmp_path)
    assert "type: 'row_table'" in text and "{level: 1, heading_level: 1}" in text
    assert names(result) == [row[1] for rows in TABLE_PLAN.values() for row in rows]
    assert len({project.project_id for project in result.records.projects}) == 6  # numbers restart per table
    by_name = {project.name: project for project in result.records.projects}
    assert by_name["配食サービス"].path == ("地域福祉",) and by_name["配食サービス"].goal == "週2回"
    assert result.unaccounted == []


def test_an_example_chooses_the_word_level_of_the_projects(tmp_path: Path):
    text, result = drafted(headings_and_bullets(tmp_path / "plan.docx"), tmp_path, "財務")
    assert "project: {heading_level: 2}" in text
    assert names(result) == ["総務", "財務", "ボランティアセンター"]


def test_a_word_file_typed_as_plain_paragraphs_is_drafted_from_its_text(tmp_path: Path):
    plan = WordPlan()
    plan.title("令和6年度 事業計画")
    for section, projects in MULTILEVEL_PLAN.items():
        plan.paragraph(f"{list(MULTILEVEL_PLAN).index(section) + 1}. {section}")
        for number, (name, _) in enumerate(projects, start=1):
            plan.paragraph(f"({number}) {name}")
            plan.paragraph(f"{name}を実施します。")
    text, result = drafted(plan.save(tmp_path / "plan.docx"), tmp_path)
    assert "heading_level" not in text and "list_level" not in text
    assert names(result) == [name for projects in MULTILEVEL_PLAN.values() for name, _ in projects]


@pytest.mark.parametrize("build", [headings_and_bullets, multilevel_list, project_tables])
def test_each_word_draft_passes_mapping_check_and_converts(build, tmp_path: Path):
    document = build(tmp_path / "plan.docx")
    drafted(document, tmp_path)
    check = CliRunner().invoke(main, ["mapping", "check", str(tmp_path / "mapping.yaml"), str(document)])
    assert check.exit_code == 0, check.output
    outcome = convert_document(document, tmp_path / "mapping.yaml", tmp_path / "out")
    assert outcome.output is not None, [str(p) for p in outcome.problems]


def test_items_numbered_by_hand_under_word_headings_are_read_under_them(tmp_path: Path):
    """Headings styled 見出し1/見出し2 with no number, the projects typed `(1) …` as plain paragraphs."""
    plan = WordPlan()
    plan.title("令和6年度 テスト市社会福祉協議会 事業計画")
    for heading, sections in BULLET_PLAN.items():
        plan.heading(heading, 1)
        for section, projects in sections.items():
            plan.heading(section, 2)
            for number, (name, text) in enumerate(projects, start=1):
                plan.paragraph(f"({number}) {name}")
                plan.paragraph(text)
    text, result = drafted(plan.save(tmp_path / "plan.docx"), tmp_path)
    assert "{level: 2, heading_level: 2}" in text and "heading_level" not in text.split("project:")[1].split("\n")[0]
    assert names(result) == BULLET_PROJECTS
    by_name = {project.name: project for project in result.records.projects}
    assert by_name["共同募金への協力"].project_id == "1-2-2" and by_name["共同募金への協力"].path == (
        "法人運営",
        "財務",
    )
    assert result.unaccounted == []


ITEMS = st.lists(st.tuples(st.integers(1, 2), st.booleans()), min_size=1, max_size=4)  # (list level, text under it)
BLOCKS = st.lists(st.tuples(st.integers(0, 2), ITEMS), min_size=1, max_size=6)  # (heading level or 0, items)


def word_lines(blocks: list[tuple[int, list[tuple[int, bool]]]]) -> list[SourceLine]:
    lines: list[tuple[str, int, int]] = []
    for b, (heading, items) in enumerate(blocks):
        lines.append((f"部門{b}", heading, 0))
        for i, (level, content) in enumerate(items):
            lines.append((f"事業{b}の{i}", 0, level))
            lines.extend([("事業の内容を書きます。", 0, 0)] if content else [])
    return [SourceLine(n, text, heading=h, list_level=depth) for n, (text, h, depth) in enumerate(lines, start=1)]


@given(BLOCKS)
def test_any_word_levels_give_numbered_sections_above_the_projects(blocks):
    source = word_lines(blocks)
    shape = word_outline(source, [line.text for line in source])
    assert shape == word_outline(source, [line.text for line in source])  # deterministic
    if shape is not None:  # None: nothing Word knows repeats with text under it; the text decides
        levels = [entry.value["level"] for entry in shape.sections]  # type: ignore[index]
        assert levels == list(range(1, len(levels) + 1))
        project = next(entry.value for entry in shape.entries if entry.key == "project")
        chosen = [line for line in source if _selects(project, line)]
        assert len(chosen) >= 3 and all(line.text.startswith("事業") or line.heading for line in chosen)


def _selects(rule: object, line: SourceLine) -> bool:
    assert isinstance(rule, dict)
    return all(getattr(line, "heading" if key == "heading_level" else key) == value for key, value in rule.items())


def test_headings_with_text_under_them_are_the_projects(tmp_path: Path):
    """No list at all: 見出し1 parts, 見出し2 projects each followed by their paragraphs."""
    plan = WordPlan()
    plan.title("令和6年度 テスト市社会福祉協議会 事業計画")
    for heading, sections in BULLET_PLAN.items():
        plan.heading(heading, 1)
        for section, projects in sections.items():
            plan.heading(section, 2)
            plan.paragraph("".join(text for _, text in projects))
    text, result = drafted(plan.save(tmp_path / "plan.docx"), tmp_path)
    assert "project: {heading_level: 2}" in text
    assert names(result) == ["総務", "財務", "ボランティアセンター"]
    assert [p.path for p in result.records.projects] == [("法人運営",), ("法人運営",), ("地域福祉",)]
