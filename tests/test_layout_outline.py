"""The `outline` layout: numbered items under headings, read back as projects."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.config.yamlsafe import load_yaml
from etl.mapping.engine import MappingResult, apply_mapping
from etl.mapping.loader import Mapping, load_mapping
from etl.model import Status
from etl.problems import EtlError
from etl.read.source import SourceDocument, SourceLine

HEAD = """\
version: 1
council: {id: "132187", name: テスト市社会福祉協議会, prefecture: 東京都}
document: {kind: plan, title: 事業計画, fiscal_years: [2021]}
"""
ITEM = r"'^(?P<printed>\((?P<id>[0-9]+)\))\s*(?P<name>\S.*?)\s*$'"
NUMBERED = r"'^(?P<id>[0-9]+)\s+(?P<title>\S+)$'"
PARTS = r"'^【(?P<title>[^】]+)】$'"
DOTTED = r"'^(?P<printed>(?P<id>[0-9]+)\.)\s*(?P<title>\S.*)$'"


def mapping(body: str) -> Mapping:
    loaded = load_yaml(HEAD + body)
    return Mapping("mapping.yaml", loaded.data, loaded)


def read(body: str, *lines: str) -> MappingResult:
    document = SourceDocument("doc.txt", tuple(SourceLine(n, text) for n, text in enumerate(lines, start=1)))
    return apply_mapping(mapping(body), document)


def by_id(result: MappingResult) -> dict:
    return {project.project_id: project for project in result.records.projects}


NUMBERED_SECTIONS = f"""
sections:
  - {{level: 1, pattern: '^(?P<title>\\S+課)$'}}
  - {{level: 2, pattern: {NUMBERED}}}
layout: {{type: outline, project: {ITEM}, id_sections: [2]}}
"""


def test_item_numbers_restarting_per_section_get_the_section_id():
    result = read(NUMBERED_SECTIONS, "総務課", "1 法人運営係", "(1) 運営", "2 総務係", "(1) 広報", "", "(2) 式典")
    assert [p.project_id for p in result.records.projects] == ["1-1", "2-1", "2-2"]
    assert [p.printed_id for p in result.records.projects] == ["(1)", "(1)", "(2)"]
    assert by_id(result)["2-2"].path == ("総務課", "2 総務係")
    assert result.unaccounted == []


def test_content_is_kept_in_order_until_the_next_project_or_section():
    result = read(
        NUMBERED_SECTIONS,
        *("1 係", "(1) 運営", "本会の運営を…", "", "① 役員会", "ア 評議員会", "(2) 調査"),
        *("① 研究", "2 係", "(1) 次"),
    )
    projects = by_id(result)
    assert projects["1-1"].method == "本会の運営を…\n① 役員会\nア 評議員会"
    assert projects["1-2"].method == "① 研究"
    assert projects["2-1"].method == ""


def test_lines_before_any_project_are_left_unaccounted():
    result = read(NUMBERED_SECTIONS, "はじめに", "1 係", "前置き", "(1) 運営")
    assert [leftover.text for leftover in result.unaccounted] == ["はじめに", "前置き"]


def test_content_field_chooses_the_field():
    body = f"layout: {{type: outline, project: {ITEM}, content_field: purpose}}\n"
    project = read(body, "(1) 運営", "目的の文").records.projects[0]
    assert (project.purpose, project.method) == ("目的の文", "")


PARTS_AND_HEADINGS = f"""
sections:
  - {{level: 1, pattern: {PARTS}}}
  - {{level: 2, pattern: {DOTTED}}}
layout: {{type: outline, project: {ITEM}, id_sections: [1, 2], heading_projects: [2]}}
"""


def test_unnumbered_parts_count_in_order_and_numbers_restart_under_each():
    result = read(PARTS_AND_HEADINGS, "【法人】", "1. 総務", "(1) 法令", "【地域】", "1. 相談", "(1) 心配", "(2) 貸付")
    assert [p.project_id for p in result.records.projects] == ["1-1-1", "2-1-1", "2-1-2"]


def test_a_heading_with_content_right_under_it_is_a_project():
    result = read(PARTS_AND_HEADINGS, "【ボラ】", "1. 活動", "(1) 相談", "・内容", "2. 福祉教育", "・啓発", "・育成")
    projects = by_id(result)
    assert list(projects) == ["1-1-1", "1-2"]
    education = projects["1-2"]
    assert (education.name, education.printed_id, education.path) == ("福祉教育", "2.", ("ボラ",))
    assert education.method == "・啓発\n・育成"
    assert result.unaccounted == []


def test_a_heading_followed_by_a_heading_stays_a_section():
    result = read(PARTS_AND_HEADINGS, "【介護】", "1. 居宅", "2. 訪問", "・内容")
    projects = by_id(result)
    assert list(projects) == ["1-2"]
    assert result.coverage.uses[2].use == "section"


MARKERS = f"""
markers:
  - {{field: status, pattern: '新設', value: new, standalone: true}}
  - {{field: status, pattern: '【拡充】', value: expanded}}
layout: {{type: outline, project: {ITEM}, content_status: expanded}}
"""


def test_a_standalone_marker_marks_the_project_on_the_next_line():
    result = read(MARKERS, "(1) 運営", "内容", "新設", "(2) 調査", "(3) 連絡")
    statuses = [p.status for p in result.records.projects]
    assert statuses == [Status.NONE, Status.NEW, Status.NONE]
    assert result.records.projects[0].method == "内容"


def test_a_standalone_marker_before_a_sub_item_is_content_and_expands_the_project():
    result = read(MARKERS, "(1) 運営", "① 既存", "新設", "② 追加", "(2) 次")
    first, second = result.records.projects
    assert first.method == "① 既存\n新設\n② 追加"
    assert (first.status, second.status) == (Status.EXPANDED, Status.NONE)


def test_a_project_marked_new_stays_new_when_a_sub_item_is_marked_too():
    project = read(MARKERS, "新設", "(1) 調査", "新設", "② 研究").records.projects[0]
    assert project.status is Status.NEW


def test_a_status_marker_inside_the_content_expands_the_project():
    project = read(MARKERS, "(1) 学習支援", "①寺子屋", "②学習塾【拡充】").records.projects[0]
    assert project.status is Status.EXPANDED
    assert project.method.endswith("②学習塾【拡充】")


def test_without_content_status_markers_in_content_are_only_content():
    body = MARKERS.replace(", content_status: expanded", "")
    project = read(body, "(1) 運営", "新設", "② 追加", "③ 塾【拡充】").records.projects[0]
    assert project.status is Status.NONE
    assert project.method == "新設\n② 追加\n③ 塾【拡充】"


SECTION_TAGS = f"""
sections:
  - {{level: 1, pattern: '^(?P<id>[0-9]+)\\s+(?P<title>[^\\s]+?)(?:\\s+(?P<tags>障セ|あお))?$'}}
markers:
  - {{field: tags, pattern: '(?:\\s+(?:法人|地域))+$'}}
  - {{field: tags, pattern: '(?:障セ|あお)(?:\\s+(?:障セ|あお))*', standalone: true}}
layout: {{type: outline, project: {ITEM}, id_sections: [1]}}
"""


def test_tags_of_a_section_go_to_every_project_in_it_and_no_further():
    result = read(
        SECTION_TAGS,
        *("8 たいよう 障セ", "(1) 経営 法人", "(2) 研究", "10 共通", "障セ あお"),
        *("(1) 緑化", "(2) 巡回 地域", "11 次", "(1) 無印"),
    )
    tags = {p.project_id: p.tags for p in result.records.projects}
    assert tags == {
        "8-1": ("法人", "障セ"),
        "8-2": ("障セ",),
        "10-1": ("障セ", "あお"),
        "10-2": ("地域", "障セ", "あお"),
        "11-1": (),
    }
    assert by_id(result)["8-1"].path == ("8 たいよう",)
    assert result.unaccounted == []


def test_a_tag_word_inside_the_name_is_not_a_tag():
    project = read(SECTION_TAGS, "(4) 地域における公益的な取組 法人").records.projects[0]
    assert (project.name, project.tags) == ("地域における公益的な取組", ("法人",))


def test_a_project_pattern_without_its_groups_is_a_mapping_error():
    with pytest.raises(EtlError) as err:
        read(r"layout: {type: outline, project: '^\((?P<id>[0-9]+)\)'}", "(1) 運営")
    assert err.value.problem.location.key == "layout.project"
    assert "name" in err.value.problem.message_en


def test_options_are_checked_by_the_schema(tmp_path: Path):
    path = tmp_path / "mapping.yaml"
    path.write_text(HEAD + f"layout: {{type: outline, project: {ITEM}, content_field: methods}}\n", encoding="utf-8")
    with pytest.raises(EtlError) as err:
        load_mapping(path)
    assert "did you mean 'method'" in err.value.problem.hint


# --- property: any outline written from items reads back as those items -----------------

TEXT = st.text(alphabet="あいうえおかきくけこさしすせそ・「」、。ー", min_size=1, max_size=12)
TAGS = st.lists(st.sampled_from(["法人", "地域"]), max_size=2, unique=True)
ITEMS = st.lists(st.tuples(TEXT, TAGS, st.lists(TEXT, max_size=3)), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None)
@given(st.lists(ITEMS, min_size=1, max_size=4))
def test_items_written_into_an_outline_read_back_as_the_same_projects(sections):
    lines, expected = [], []
    for section_number, items in enumerate(sections, start=1):
        lines += [f"{section_number} 係", ""]
        for item_number, (name, tags, content) in enumerate(items, start=1):
            bullets = [f"・{text}" for text in content]
            lines += [" ".join([f"({item_number})", name, *tags]), "", *bullets, ""]
            expected.append((f"{section_number}-{item_number}", name, tuple(tags), "\n".join(bullets)))
    result = read(SECTION_TAGS, *lines)
    got = [(p.project_id, p.name, p.tags, p.method) for p in result.records.projects]
    assert got == expected
    assert result.unaccounted == []
