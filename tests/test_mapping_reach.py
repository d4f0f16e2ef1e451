"""The mapping language on layouts councils publish beyond the bundled five: list marks
by name, full-width numbering, bullet lists, flattened lists, scoped markers, categories
from section labels. Every document here is written for the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.convert import map_document
from etl.mapping.engine import MappingResult
from etl.mapping.marks import KNOWN, MarkError, parse_mark
from etl.mapping.patterns import compile_pattern
from etl.mapping.width import twin
from etl.model import Project
from etl.problems import EtlError

HEAD = """\
version: 1
council: {id: "132187", name: テスト市社会福祉協議会, prefecture: 東京都}
document: {kind: plan, title: 事業計画, fiscal_years: [2024]}
"""


def convert(tmp_path: Path, body: str, document: str) -> MappingResult:
    (tmp_path / "mapping.yaml").write_text(HEAD + body, encoding="utf-8")
    (tmp_path / "plan.txt").write_text(document, encoding="utf-8")
    return map_document(tmp_path / "plan.txt", tmp_path / "mapping.yaml")


def by_id(result: MappingResult) -> dict[str, Project]:
    return {project.project_id: project for project in result.records.projects}


FULL_WIDTH_PLAN = """\
１．法人運営
（１）理事会の開催
ア　定例理事会を年４回開催します。
イ　臨時理事会
（２）評議員会の開催
２．地域福祉の推進
（１）サロン活動の支援
"""
BY_MARK = """
sections: [{level: 1, mark: '1.'}]
layout: {type: outline, project: {mark: '(1)'}, id_sections: [1]}
"""


def test_marks_written_half_width_read_full_width_numbering_and_keep_it_as_printed(tmp_path):
    result = convert(tmp_path, BY_MARK, FULL_WIDTH_PLAN)
    projects = by_id(result)
    assert list(projects) == ["1-1", "1-2", "2-1"]
    first = projects["1-1"]
    assert (first.printed_id, first.name, first.path) == ("（１）", "理事会の開催", ("1 法人運営",))
    assert first.method == "ア　定例理事会を年４回開催します。\nイ　臨時理事会"
    assert result.unaccounted == []


KATAKANA_LEVELS = """\
第1 法人運営部門
(ア) 理事会の開催
(イ) 評議員会の開催
第２　地域福祉部門
（ア）サロン活動
イ 内容の行は項目ではない
"""


def test_katakana_items_count_as_numbers_under_numbered_parts(tmp_path):
    body = "sections: [{level: 1, mark: '第1'}]\nlayout: {type: outline, project: {mark: '(ア)'}, id_sections: [1]}\n"
    result = convert(tmp_path, body, KATAKANA_LEVELS)
    projects = by_id(result)
    assert list(projects) == ["1-1", "1-2", "2-1"]
    assert (projects["2-1"].printed_id, projects["2-1"].path) == ("（ア）", ("2 地域福祉部門",))
    assert projects["2-1"].method == "イ 内容の行は項目ではない"


@pytest.mark.parametrize(
    ("example", "printed", "number"),
    [
        ("1", "１２ 会議", "12"),
        ("第1", "第３ 会議", "3"),
        ("第一", "第十二 会議", "12"),
        ("①", "⑫会議", "12"),
        ("⑴", "⑵会議", "2"),
        ("ア", "ｳ 会議", "3"),
        ("イ", "ロ　会議", "2"),
        ("一", "十一 会議", "11"),
        ("Ⅰ", "Ⅳ 会議", "4"),
        ("Ⅰ", "ＩＶ 会議", "4"),
        ("a)", "ｃ）会議", "3"),
        ("1-1", "１－２ 会議", "1-2"),
    ],
)
def test_each_counting_mark_reads_its_sequence_in_either_width(example, printed, number):
    mark = parse_mark(example, "title")
    found = compile_pattern(mark.source).match(printed)
    assert found is not None, mark.source
    assert (mark.number(found["id"]), found["title"]) == (number, "会議")


@pytest.mark.parametrize(("example", "text"), [("1", "10月に開催"), ("ア", "アセスメント"), ("一", "一人暮らし")])
def test_a_bare_mark_needs_a_space_so_that_words_are_not_taken_for_marks(example, text):
    assert compile_pattern(parse_mark(example, "title").source).match(text) is None


@pytest.mark.parametrize(("example", "reason"), [("カ", "'ア'"), ("(2)", "'1'"), ("xyz", "not a list mark")])
def test_an_example_that_is_no_first_mark_is_refused_with_the_first_one(example, reason):
    with pytest.raises(MarkError, match=reason):
        parse_mark(example, "title")


def test_a_bad_mark_is_a_mapping_error_at_its_line(tmp_path):
    body = "sections:\n  - {level: 1, mark: '1.'}\n  - level: 2\n    mark: 'カ'\n"
    body += "layout: {type: outline, project: '^(?P<name>.+)$'}\n"
    with pytest.raises(EtlError) as caught:
        convert(tmp_path, body, "1. 総務\n")
    location = caught.value.problem.location
    assert (location.line, location.column, location.key) == (7, 5, "sections[1].mark")


def test_a_level_with_both_a_pattern_and_a_mark_is_a_mapping_error(tmp_path):
    body = "sections: [{level: 1, mark: '1.', pattern: '^x'}]\nlayout: {type: outline, project: {mark: '(1)'}}\n"
    with pytest.raises(EtlError, match="exactly one of `pattern` or `mark`"):
        convert(tmp_path, body, "1. 総務\n")


BULLETS = """\
【法人運営】
・理事会の開催
・評議員会の開催
＜地域福祉＞
・サロン活動
"""


def test_bullet_items_are_numbered_by_their_place_in_the_section(tmp_path):
    body = "sections: [{level: 1, mark: '【…】'}, {level: 1, mark: '＜…＞'}]\n"
    body += "layout: {type: outline, project: {mark: '・'}, id_sections: [1]}\n"
    result = convert(tmp_path, body, BULLETS)
    projects = by_id(result)
    assert {key: (p.name, p.printed_id, p.path) for key, p in projects.items()} == {
        "1-1": ("理事会の開催", "", ("法人運営",)),
        "1-2": ("評議員会の開催", "", ("法人運営",)),
        "2-1": ("サロン活動", "", ("地域福祉",)),
    }


FLATTENED = """\
(法人運営部門)
- 法人運営事業
- 理事会(4回)
- 評議員会（３回）
- 広報活動の推進
- 社協だよりの発行(年6回)
"""


def flattened(sub_items: str) -> str:
    layout = f"layout: {{type: outline, project: {{mark: '-'}}, sub_items: {sub_items}}}\n"
    return "sections: [{level: 1, mark: '(…)'}]\n" + layout


def test_a_bracket_label_is_not_taken_for_an_item_that_ends_in_a_bracket(tmp_path):
    body = "sections: [{level: 1, mark: '(…)'}]\nlayout: {type: outline, project: {mark: '(ア)'}}\n"
    result = convert(tmp_path, body, "(法人運営部門)\n（ア）会議(3回)\n")
    assert [(p.name, p.path) for p in result.records.projects] == [("会議(3回)", ("法人運営部門",))]


def test_a_flattened_list_tells_sub_items_by_their_count_in_parentheses(tmp_path):
    result = convert(tmp_path, flattened("{counted: true}"), FLATTENED)
    assert [(p.project_id, p.name) for p in result.records.projects] == [("1", "法人運営事業"), ("2", "広報活動の推進")]
    assert by_id(result)["1"].method == "- 理事会(4回)\n- 評議員会（３回）"
    assert result.coverage.uses[3].rule == "layout.sub_items"
    assert result.unaccounted == []


def test_a_flattened_list_tells_projects_by_their_names_and_a_repeated_parent_continues(tmp_path):
    document = "- 法人運営事業\n- 理事会\n- 広報活動の推進\n- 社協だより\n- 法人運営事業\n- 監査\n"
    body = "layout: {type: outline, project: {mark: '-'}, sub_items: {projects: [法人運営事業, 広報活動の推進]}}\n"
    result = convert(tmp_path, body, document)
    projects = by_id(result)
    assert [(key, p.name) for key, p in projects.items()] == [("1", "法人運営事業"), ("2", "広報活動の推進")]
    assert projects["1"].method == "- 理事会\n- 監査"
    assert result.coverage.uses[5].target == "1.name (repeated)"
    assert result.unaccounted == []


FUNDING_LINES = """\
- 法人運営事業
　財源：会費・市補助金
- 理事会
- 評議員会
- 広報活動の推進
　財源：共同募金配分金
- 社協だより
"""


def test_a_flattened_list_tells_projects_by_their_detail_line(tmp_path):
    body = "layout: {type: outline, project: {mark: '-'}, sub_items: {detail: '^\\s*財源[:：]'}}\n"
    result = convert(tmp_path, body, FUNDING_LINES)
    projects = by_id(result)
    assert [p.name for p in projects.values()] == ["法人運営事業", "広報活動の推進"]
    assert projects["1"].method == "財源：会費・市補助金\n- 理事会\n- 評議員会"
    assert result.unaccounted == []


HEADINGS = """\
1. 法人運営事業
・理事会
2. 広報事業
3. 地域福祉事業
・サロン
"""


@pytest.mark.parametrize(("empty", "ids"), [(False, ["1", "3"]), (True, ["1", "2", "3"])])
def test_a_heading_naming_a_project_is_one_even_with_nothing_under_it_when_asked(tmp_path, empty, ids):
    body = "sections: [{level: 1, mark: '1.'}]\n"
    body += "layout: {type: outline, project: {mark: '(1)'}, heading_projects: [1], "
    body += f"empty_heading_projects: {str(empty).lower()}}}\n"
    result = convert(tmp_path, body, HEADINGS)
    assert list(by_id(result)) == ids
    assert result.unaccounted == []


SCOPED = """\
1 法人運営
市受託
(1) 生活支援体制整備
(2) 相談支援
2 地域福祉
(1) サロン
新設
(2) 子ども食堂
(3) 見守り
"""


def scoped(scope: str) -> str:
    return f"""
sections: [{{level: 1, mark: '1'}}]
markers:
  - {{field: funding, pattern: '(?:市|県)受託|独自事業', scope: {scope}}}
  - {{field: status, pattern: '新設', value: new, standalone: true}}
layout: {{type: outline, project: {{mark: '(1)'}}, id_sections: [1]}}
"""


def test_a_marker_with_section_scope_marks_every_project_of_its_section_only(tmp_path):
    result = convert(tmp_path, scoped("section"), SCOPED)
    assert {key: p.funding for key, p in by_id(result).items()} == {
        "1-1": "市受託",
        "1-2": "市受託",
        "2-1": "",
        "2-2": "",
        "2-3": "",
    }
    assert [p.status.value for p in result.records.projects] == ["", "", "", "new", ""]
    assert result.coverage.uses[2].target == "(following projects of this section).funding"


def test_a_marker_until_next_runs_across_sections_to_the_next_marker_of_its_field(tmp_path):
    document = SCOPED.replace("2 地域福祉\n", "2 地域福祉\n独自事業\n")
    fundings = [p.funding for p in convert(tmp_path, scoped("until-next"), document).records.projects]
    assert fundings == ["市受託", "市受託", "独自事業", "独自事業", "独自事業"]
    fundings = [p.funding for p in convert(tmp_path, scoped("until-next"), SCOPED).records.projects]
    assert fundings == ["市受託"] * 5


def test_a_marker_without_scope_still_marks_the_next_project_only(tmp_path):
    body = scoped("next").replace(", scope: next", ", value: 市受託事業, standalone: true")
    fundings = [p.funding for p in convert(tmp_path, body, SCOPED).records.projects]
    assert fundings == ["市受託事業", "", "", "", ""]


SECTION_CATEGORIES = """\
(法人運営部門)
1 総務
(1) サロン運営の事務
(地域福祉活動推進部門)
1 広報
(1) 広報誌の発行
(2) 理事会との連絡調整
"""


def test_a_section_label_sets_the_category_of_everything_under_it(tmp_path):
    body = """
sections: [{level: 1, mark: '(…)'}, {level: 2, mark: '1'}]
layout: {type: outline, project: {mark: '(1)'}, id_sections: [1, 2]}
categories:
  rules:
    - {category: 法人運営部門, pattern: '^法人運営部門$', on: sections}
    - {category: 地域福祉活動推進部門, pattern: '^地域福祉活動推進部門$', on: sections}
"""
    result = convert(tmp_path, body, SECTION_CATEGORIES)
    assert {key: p.category for key, p in by_id(result).items()} == {
        "1-1-1": "法人運営部門",  # its name says サロン: the section's label wins
        "2-1-1": "地域福祉活動推進部門",
        "2-1-2": "地域福祉活動推進部門",  # 理事会, 広報 in the name: still the section's
    }


def test_without_rules_on_sections_the_name_decides_as_before(tmp_path):
    body = """
sections: [{level: 1, mark: '(…)'}, {level: 2, mark: '1'}]
layout: {type: outline, project: {mark: '(1)'}, id_sections: [1, 2]}
"""
    result = convert(tmp_path, body, SECTION_CATEGORIES)
    assert by_id(result)["1-1-1"].category == "地域福祉活動推進部門"  # サロン


def test_explain_shows_marks_scopes_sub_items_and_section_categories(tmp_path):
    body = """
sections: [{level: 1, mark: '(…)'}]
markers: [{field: funding, pattern: '市受託', scope: section}]
layout: {type: outline, project: {mark: '-'}, sub_items: {counted: true}}
categories: {rules: [{category: 法人運営部門, pattern: '^法人運営部門$', on: sections}]}
"""
    (tmp_path / "mapping.yaml").write_text(HEAD + body, encoding="utf-8")
    (tmp_path / "plan.txt").write_text("(法人運営部門)\n市受託\n" + FLATTENED.split("\n", 1)[1], encoding="utf-8")
    files = [str(tmp_path / "mapping.yaml"), str(tmp_path / "plan.txt")]
    result = CliRunner().invoke(main, ["mapping", "explain", *files])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "(following projects of this section).funding" in lines[2]
    assert "layout.sub_items" in lines[4]
    notes = [line.strip() for line in lines if line.startswith("  note:")]
    assert notes[1].startswith("note: sections[0].mark '(…)' reads as ^")
    assert "markers[0] (funding) marks every following project of its section" in notes[4]
    assert notes[5] == "note: categories: section '法人運営部門' sets 法人運営部門 for 1, 2"


@pytest.mark.parametrize("example", KNOWN.split())
def test_every_mark_the_hint_offers_reads_its_own_first_mark_in_either_width(example):
    line = example.replace("…", "会議") if "…" in example else f"{example} 会議"
    pattern = compile_pattern(parse_mark(example, "title").source)
    for printed in (line, "".join(twin(char) or char for char in line)):
        found = pattern.match(printed)
        assert found is not None and found["title"] == "会議", printed
