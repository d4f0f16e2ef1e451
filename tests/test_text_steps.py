"""Text steps (`replace`, `join`, `split`) on documents written for the test in the layouts
councils publish: a whole section on one line, a heading printed twice, a radical that
looks like a kanji, a word broken by the line end, a heading over two lines. Every
character keeps its place, so coverage stays exact; a rule that would wreck the document
is a mapping error at its line and column."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from etl.cli import main
from etl.config.yamlsafe import load_yaml
from etl.convert import map_document
from etl.mapping.context import Context
from etl.mapping.coverage import Coverage
from etl.mapping.loader import Mapping
from etl.mapping.textsteps import join_lines, split_lines
from etl.mapping.traced import traced
from etl.model import Council, DocumentInfo, DocumentKind, Records
from etl.problems import EtlError
from etl.read.source import SourceLine

HEAD = """\
version: 1
council: {id: "132187", name: テスト市社会福祉協議会, prefecture: 東京都}
document: {kind: plan, title: 事業計画, fiscal_years: [2021]}
"""
OUTLINE = r"""
sections:
  - {level: 1, pattern: '^(?P<id>[0-9]+)[.\s]\s*(?P<title>\S+)$'}
layout:
  type: outline
  project: '^(?P<printed>\((?P<id>[0-9]+)\))\s*(?P<name>\S.*)$'
  id_sections: [1]
"""
SPLIT = r"""
split:
  - {before: '\([0-9]+\)'}
  - {before: ' - '}
"""
ONE_LINE = "2.地域福祉の推進 (1)サロン活動の支援 年10回程度開催します。 - 世代間交流会(年2回程度) (2)広報活動"


def write(tmp_path: Path, steps: str, *lines: str) -> tuple[Path, Path]:
    (tmp_path / "mapping.yaml").write_text(HEAD + steps + OUTLINE, encoding="utf-8")
    (tmp_path / "doc.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path / "doc.txt", tmp_path / "mapping.yaml"


def projects(result) -> dict[str, tuple[str, str]]:
    return {p.project_id: (p.name, p.method) for p in result.records.projects}


def test_a_section_and_its_projects_on_one_line_are_split(tmp_path: Path):
    result = map_document(*write(tmp_path, SPLIT, ONE_LINE))
    assert projects(result) == {
        "2-1": ("サロン活動の支援 年10回程度開催します。", "- 世代間交流会(年2回程度)"),
        "2-2": ("広報活動", ""),
    }
    assert {p.source.line for p in result.records.projects} == {1}
    assert result.unaccounted == [] and result.problems == []


def test_what_a_split_piece_leaves_over_is_reported_at_its_original_column(tmp_path: Path):
    result = map_document(*write(tmp_path, SPLIT, "2.地域福祉の推進 はみ出し (1)サロン"))
    [leftover] = result.unaccounted
    assert (leftover.line, leftover.column, leftover.text) == (1, 1, "2.地域福祉の推進 はみ出し")


def test_a_heading_printed_twice_is_read_once(tmp_path: Path):
    steps = r"""
replace:
  - {pattern: '^(?P<n>[0-9]+?)(?P=n) (?P<t>\S+?)(?P=t)$', with: '\g<n> \g<t>', reason: headings printed twice}
"""
    result = map_document(*write(tmp_path, steps, "2222 計画の位置づけ計画の位置づけ", "(1)計画の策定"))
    assert result.records.projects[0].path == ("22 計画の位置づけ",)
    summary = result.coverage.summary(result.document)
    assert (summary["characters_ignored"], summary["characters_unaccounted"]) == (9, 0)  # 22 and the copy


def test_a_radical_that_looks_like_a_kanji_is_replaced(tmp_path: Path):
    steps = "replace:\n  - {pattern: '⺠', with: '民', reason: the PDF printed the radical}\n"
    document, mapping = write(tmp_path, steps, "1.地域福祉", "(1)住⺠参加の推進")
    result = map_document(document, mapping)
    assert result.records.projects[0].name == "住民参加の推進"
    assert result.unaccounted == []
    explain = CliRunner().invoke(main, ["mapping", "explain", str(mapping), str(document)])
    assert "↳ replace[0]: (1)住⺠参加の推進 → (1)住民参加の推進" in explain.output


def test_a_word_broken_by_the_line_end_and_a_heading_over_two_lines_are_joined(tmp_path: Path):
    steps = r"""
join:
  - {line: '支$', next: '^援', reason: a word broken by the line end}
  - {line: '^[0-9]+\.\S+の$', next: '^\S+$', reason: a heading printed over two lines}
"""
    result = map_document(*write(tmp_path, steps, "3.地域福祉の", "推進", "(1)日常生活自立支", "援事業", "内容"))
    assert projects(result) == {"3-1": ("日常生活自立支援事業", "内容")}
    assert result.records.projects[0].path == ("3 地域福祉の推進",)
    assert result.unaccounted == []
    assert result.coverage.line_use(4).target == "3-1.name"  # the second half, taken with the first


def test_the_steps_show_in_explain_and_json(tmp_path: Path):
    document, mapping = write(tmp_path, SPLIT, ONE_LINE)
    explain = CliRunner().invoke(main, ["mapping", "explain", str(mapping), str(document)])
    assert "↳ split into 4 lines: 2.地域福祉の推進 | (1)サロン活動の支援" in explain.output
    check = CliRunner().invoke(main, ["mapping", "check", str(mapping), str(document), "--format", "json"])
    assert check.exit_code == 0
    assert '"steps": [\n        "split into 4 lines' in check.output


@pytest.mark.parametrize(
    ("steps", "place", "fragment"),
    [
        ("split:\n  - {before: '\\s*'}\n", "5:6", "split[0].before matches empty text"),
        ("replace:\n  - {pattern: 'x?', with: ''}\n", "5:6", "replace[0].pattern matches empty text"),
        ("join:\n  - {line: '', next: '$'}\n", "5:5", "every line would be joined"),
    ],
)
def test_a_rule_that_matches_empty_text_is_refused_on_load(tmp_path: Path, steps: str, place: str, fragment: str):
    document, mapping = write(tmp_path, steps, ONE_LINE)
    result = CliRunner().invoke(main, ["mapping", "check", str(mapping), str(document)])
    assert result.exit_code == 2
    assert f"mapping.yaml:{place}" in result.output and fragment in result.output


@pytest.mark.parametrize(
    ("steps", "place", "fragment"),
    [
        ("split:\n  - {before: '(?=.)'}\n", "5:5", "would split line 1 at every character"),
        ("replace:\n  - {pattern: '.+', with: ''}\n", "5:5", "empties every line"),
        ("join:\n  - {line: '.', next: '.'}\n", "5:5", "joins the whole document"),
    ],
)
def test_a_rule_that_would_wreck_the_document_is_a_located_mapping_error(tmp_path, steps, place, fragment):
    document, mapping = write(tmp_path, steps, ONE_LINE, "(3)次", "(4)次の次")
    with pytest.raises(EtlError) as caught:
        map_document(document, mapping)
    problem = caught.value.problem
    assert (problem.code, f"{problem.location.line}:{problem.location.column}") == ("mapping.text_step", place)
    assert fragment in problem.message_en
    result = CliRunner().invoke(main, ["mapping", "check", str(mapping), str(document)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def _context() -> Context:
    loaded = load_yaml(HEAD + OUTLINE)
    mapping = Mapping("mapping.yaml", loaded.data, loaded)
    info = DocumentInfo(DocumentKind.PLAN, "事業計画", (2021,), "doc.txt")
    return Context(mapping, Records(Council("132187", "テスト市", "東京都"), info), Coverage(), "doc.txt")


@given(st.lists(st.text(alphabet="ab(1) -。支援\u3000", min_size=1, max_size=12), min_size=1, max_size=5))
def test_split_and_join_keep_every_character_at_its_place(texts: list[str]):
    lines = [SourceLine(number, text) for number, text in enumerate(texts, start=1)]
    joined = join_lines([{"line": "支$", "next": "^援"}], lines, _context())
    pieces = split_lines([{"before": r"\([0-9]+\)", "after": "。"}], joined, _context())
    for piece in pieces:
        for char, (number, column) in zip(piece.text, traced(piece).places, strict=True):
            assert texts[number - 1][column] == char
    assert "".join("".join(piece.text.split()) for piece in pieces) == "".join("".join(t.split()) for t in texts)
