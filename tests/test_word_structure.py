"""Word structure in the mapping language: lines chosen by heading style and list level
(`heading_level`, `list_level`), on Word documents written here (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from build_word import BULLETS, MULTILEVEL, WordPlan
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from etl.cli import main
from etl.convert import map_document
from etl.mapping.patterns import compile_pattern
from etl.mapping.structure import labelled_text
from etl.problems import EtlError
from etl.read import ReadOptions, read_document

HEAD = """\
version: 1
council: {id: "132187", name: テスト市社会福祉協議会, prefecture: 東京都}
document: {kind: plan, title: 事業計画, fiscal_years: [2024]}
"""
BY_STRUCTURE = """\
sections:
  - {level: 1, heading_level: 1}
  - {level: 2, heading_level: 2}
layout:
  type: outline
  project: {list_level: 1}
  id_sections: [1, 2]
"""


def headings_and_bullets(path: Path) -> Path:
    """Headings styled 見出し1/見出し2 with no number, projects as bulleted items, text under them."""
    plan = WordPlan()
    plan.heading("法人運営", 1)
    plan.heading("総務", 2)
    plan.item("理事会の開催", BULLETS, 1)
    plan.paragraph("年4回開催します。")
    plan.item("広報紙の発行", BULLETS, 1)
    plan.paragraph("年6回発行します。")
    plan.heading("地域福祉", 1)
    plan.heading("ボランティア", 2)
    plan.item("ボランティア講座", BULLETS, 1)
    plan.paragraph("入門講座を開きます。")
    return plan.save(path)


def write_mapping(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


# --- the reader ----------------------------------------------------------------------


def test_word_lines_keep_their_heading_and_list_levels(tmp_path: Path):
    plan = WordPlan()
    plan.heading("法人運営", 1)
    plan.item("総務", MULTILEVEL, 1)
    plan.item("理事会", MULTILEVEL, 2)
    plan.item("定例会", MULTILEVEL, 3)
    plan.item("見守り", BULLETS, 1)
    plan.paragraph("本文")
    lines = read_document(plan.save(tmp_path / "plan.docx"), ReadOptions()).non_blank
    assert [(line.text, line.heading, line.list_level) for line in lines] == [
        ("法人運営", 1, 0),
        ("1. 総務", 0, 1),
        ("(1) 理事会", 0, 2),
        ("① 定例会", 0, 3),
        ("・ 見守り", 0, 1),
        ("本文", 0, 0),
    ]


def test_a_text_file_has_no_levels(tmp_path: Path):
    path = tmp_path / "plan.txt"
    path.write_text("1. 総務\n・見守り\n", encoding="utf-8")
    assert {(line.heading, line.list_level) for line in read_document(path, ReadOptions()).lines} == {(0, 0)}


# --- the language --------------------------------------------------------------------


def test_headings_and_list_items_are_chosen_by_word_structure(tmp_path: Path):
    document = headings_and_bullets(tmp_path / "plan.docx")
    result = map_document(document, write_mapping(tmp_path, BY_STRUCTURE))
    projects = [(p.project_id, p.name, p.path, p.method) for p in result.records.projects]
    assert projects == [
        ("1-1-1", "理事会の開催", ("法人運営", "総務"), "年4回開催します。"),
        ("1-1-2", "広報紙の発行", ("法人運営", "総務"), "年6回発行します。"),
        ("2-1-1", "ボランティア講座", ("地域福祉", "ボランティア"), "入門講座を開きます。"),
    ]
    assert result.unaccounted == []


def test_a_level_with_a_mark_reads_the_printed_numbers(tmp_path: Path):
    plan = WordPlan()
    plan.item("総務", MULTILEVEL, 1)
    for name in ("理事会", "評議員会", "監事監査"):
        plan.item(name, MULTILEVEL, 2)
        plan.paragraph(f"{name}を開きます。")
    body = "sections: [{level: 1, list_level: 1, mark: '1.'}]\n"
    body += "layout: {type: outline, project: {list_level: 2, mark: '(1)'}, id_sections: [1]}\n"
    result = map_document(plan.save(tmp_path / "plan.docx"), write_mapping(tmp_path, body))
    assert [(p.project_id, p.printed_id, p.name) for p in result.records.projects] == [
        ("1-1", "(1)", "理事会"),
        ("1-2", "(2)", "評議員会"),
        ("1-3", "(3)", "監事監査"),
    ]


def test_a_level_chooses_lines_a_pattern_alone_would_not_tell_apart(tmp_path: Path):
    """Bullets of two levels print the same mark: only the list level tells projects from their items."""
    plan = WordPlan()
    plan.item("理事会の開催", BULLETS + BULLETS, 1)
    plan.item("定例会", BULLETS + BULLETS, 2)
    plan.item("臨時会", BULLETS + BULLETS, 2)
    plan.item("広報紙の発行", BULLETS + BULLETS, 1)
    body = "sections: []\nlayout: {type: outline, project: {list_level: 1, mark: '・'}}\n"
    result = map_document(plan.save(tmp_path / "plan.docx"), write_mapping(tmp_path, body))
    assert [(p.name, p.method) for p in result.records.projects] == [
        ("理事会の開催", "・ 定例会\n・ 臨時会"),
        ("広報紙の発行", ""),
    ]


PROJECT_LINE = "layout: {type: outline, project: '^(?P<name>.+)$'}\n"


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        (
            "sections: [{level: 1, heading_level: 0}]\n" + PROJECT_LINE,
            "sections[0].heading_level",
            "allowed values: from 1 to 9",
        ),
        ("sections: [{level: 1, list_level: '1'}]\n" + PROJECT_LINE, "sections[0].list_level", "without quotes"),
        ("sections: [{level: 1}]\n" + PROJECT_LINE, "sections[0]", "at least one of `pattern` or `mark` or `heading"),
        (
            "sections: [{level: 1, heading_level: 1, mark: '1.', pattern: '^x'}]\n" + PROJECT_LINE,
            "sections[0]",
            "exactly one of `pattern` or `mark`",
        ),
        (
            "layout: {type: outline, project: {list_levle: 1}}\n",
            "layout.project.list_levle",
            "did you mean 'list_level'",
        ),
        ("layout: {type: outline, project: {heading_level: 10}}\n", "layout.project.heading_level", "from 1 to 9"),
    ],
)
def test_bad_levels_are_mapping_errors_at_their_place(tmp_path: Path, body: str, key: str, message: str):
    document = headings_and_bullets(tmp_path / "plan.docx")
    with pytest.raises(EtlError) as caught:
        map_document(document, write_mapping(tmp_path, body))
    found = caught.value.problem
    assert found.location.key == key and found.location.line == 4 and found.location.column is not None
    assert message in f"{found.message_en} {found.hint}"


def test_check_warns_when_a_document_has_no_line_at_a_level(tmp_path: Path):
    document = tmp_path / "plan.txt"
    document.write_text("法人運営\n・理事会の開催\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["mapping", "check", str(write_mapping(tmp_path, BY_STRUCTURE)), str(document)])
    assert "mapping.no_structure_level" in result.output
    assert "sections[0].heading_level" in result.output and "layout.project.list_level" in result.output
    assert "Traceback" not in result.output


def test_a_word_document_with_the_levels_gets_no_such_warning(tmp_path: Path):
    result = map_document(headings_and_bullets(tmp_path / "plan.docx"), write_mapping(tmp_path, BY_STRUCTURE))
    assert "mapping.no_structure_level" not in {p.code for p in result.problems}


LABELS = st.sampled_from(["1.", "(1)", "①", "・", "•", "第1", "ア", "(ア)", "Ⅰ", "A", "12", "1-1"])
NAMES = st.text(st.characters(categories=["Lo", "Nd"]), min_size=1, max_size=12)


@given(LABELS, NAMES)
def test_the_text_after_a_printed_list_number_is_the_name(label: str, name: str):
    found = compile_pattern(labelled_text("name")).match(f"{label}\t{name}".replace("\t", " "))
    assert found is not None and found["name"] == name and found["printed"] == label


def test_explain_says_what_each_level_chooses(tmp_path: Path):
    document = headings_and_bullets(tmp_path / "plan.docx")
    result = CliRunner().invoke(main, ["mapping", "explain", str(write_mapping(tmp_path, BY_STRUCTURE)), str(document)])
    assert "note: sections[1].heading_level 2: only Word headings of level 2 (見出し2)" in result.output
    assert "note: layout.project.list_level 1: only items of Word lists at level 1" in result.output
