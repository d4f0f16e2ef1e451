"""`mapping check` reports everything `convert` would reject about a mapping, at the
mapping's line and column; a mapping in NFD behaves as its NFC twin; YAML the safe
loader refuses is a located mapping error (exit 2), never an internal error."""

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.convert import convert_document
from etl.mapping.lint import id_may_be_empty
from tests import records_fixtures as rf
from tests.test_carryover import edit, entered

MAPPINGS = Path(__file__).resolve().parent.parent / "mappings"
MAPPING = """\
version: 1
council:
  id: "132187"
  name: ぎふテスト市社会福祉協議会
  prefecture: 東京都
document:
  kind: plan
  title: 事業計画
  fiscal_years: [2021]
sections:
  - {level: 1, pattern: '^(?P<id>[0-9]+)\\s+(?P<title>\\S+)$'}
layout:
  type: outline
  project: '^\\((?P<id>[0-9]+)\\)\\s*(?P<name>\\S.*)$'
  id_sections: [1]
"""
DOCUMENT = "2 総務\n(1) 会議\n(2) 広報\n"


def check(tmp_path: Path, mapping: str, document: str = DOCUMENT):
    (tmp_path / "mapping.yaml").write_text(mapping, encoding="utf-8")
    (tmp_path / "doc.txt").write_text(document, encoding="utf-8")
    return CliRunner().invoke(main, ["mapping", "check", str(tmp_path / "mapping.yaml"), str(tmp_path / "doc.txt")])


def test_the_test_mapping_checks_clean(tmp_path: Path):
    result = check(tmp_path, MAPPING)
    assert result.exit_code == 0, result.output


def test_an_id_group_that_matches_empty_text_is_reported_at_the_pattern(tmp_path: Path):
    result = check(tmp_path, MAPPING.replace("(?P<id>[0-9]+)\\)", "(?P<id>[0-9]*)\\)"), "2 総務\n() 会議\n() 広報\n")
    assert result.exit_code == 1
    assert "mapping.yaml:14:3 [layout.project]: エラー [mapping.empty_id]" in result.output
    assert "doc.txt:2" in result.output
    assert "record.projects.field_uniqueness" in result.output  # and what convert's validation says


def test_an_id_group_that_can_match_empty_text_is_a_warning_before_any_line_does(tmp_path: Path):
    """Every line of this document prints its number, but the next council's may not."""
    result = check(tmp_path, MAPPING.replace("(?P<id>[0-9]+)\\)", "(?P<id>[0-9]*)\\)"))
    assert result.exit_code == 1
    assert "mapping.yaml:14:3 [layout.project]: 警告 [mapping.id_may_be_empty]" in result.output
    assert "mapping.empty_id" not in result.output


def test_a_slow_project_pattern_is_warned_at_its_key(tmp_path: Path):
    """`layout.project` is a pattern or an object: the warning reaches inside that choice."""
    result = check(tmp_path, MAPPING.replace("(?P<name>\\S.*)$", "(?P<name>\\S.*?)\\s*$"))
    assert "mapping.yaml:14:3 [layout.project]: 警告 [mapping.slow_pattern]" in result.output


@pytest.mark.parametrize(
    ("pattern", "may_be_empty"),
    [
        (r"^(?P<id>[0-9]*)\.", True),
        (r"^(?P<id>\d+)?\s", False),  # left out, the group is not there at all: ids by place
        (r"^(?P<id>第|(?:[0-9]+)?)", True),
        (r"^(?P<id>[0-9]+)\.", False),
        (r"^(?P<id>\d{1,3})", False),
        (r"^(?:(?P<id>[0-9]+)\.)?(?P<name>.+)$", False),  # the group, when it takes part, is never empty
        (r"^(?P<name>.*)$", False),
    ],
)
def test_id_groups_that_can_match_empty_text_are_recognised(pattern: str, may_be_empty: bool):
    assert id_may_be_empty(pattern) is may_be_empty


@pytest.mark.parametrize(
    ("old", "new", "place", "fragment"),
    [
        ("fiscal_years: [2021]", "fiscal_years: [2022, 2022]", "9:24", "fiscal year 2022 is listed twice"),
        ("fiscal_years: [2021]", "fiscal_years: [2023, 2022]", "9:24", "out of order: 2022 after 2023"),
        ('id: "132187"', 'id: "132188"', "3:3", "its check digit should be 7, not 8"),
        ("prefecture: 東京都", "prefecture: 東京", "5:3", "unknown prefecture '東京'"),
        ("  id_sections: [1]\n", "  id_sections: [1]\n  content_status: new\n", None, None),
        ("\nsections:", "\nmarkers:\n  - {field: status, pattern: '新規'}\nsections:", "11:5", "'value' is a required"),
    ],
)
def test_what_convert_would_reject_is_a_mapping_error_at_its_place(tmp_path, old, new, place, fragment):
    result = check(tmp_path, MAPPING.replace(old, new))
    if place is None:  # a valid change, for contrast
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 2, result.output
    assert f"mapping.yaml:{place}" in result.output and fragment in result.output
    assert "internal error" not in result.output


def test_a_layout_year_outside_the_document_s_years_is_a_mapping_error(tmp_path: Path):
    path = tmp_path / "mapping.yaml"
    folder = MAPPINGS / "tomakomai"
    text = (folder / "mapping.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("  within: 4", "  fiscal_year: 2021\n  within: 4"), encoding="utf-8")
    result = CliRunner().invoke(main, ["mapping", "check", str(path), str(folder / "sample.txt")])
    assert result.exit_code == 2
    assert "layout.fiscal_year 2021 is not one of the document's fiscal_years [2020]" in result.output


def test_duplicate_years_fail_convert_as_a_mapping_problem_not_a_crash(tmp_path: Path):
    (tmp_path / "mapping.yaml").write_text(MAPPING.replace("[2021]", "[2022, 2022]"), encoding="utf-8")
    (tmp_path / "doc.txt").write_text(DOCUMENT, encoding="utf-8")
    outcome = convert_document(tmp_path / "doc.txt", tmp_path / "mapping.yaml", tmp_path / "out")
    assert [(p.code, p.location.line) for p in outcome.problems] == [("mapping.invalid", 9)]


@pytest.mark.parametrize(
    ("yaml_text", "fragment"),
    [
        ("version: 1\nsections: !!set {a, b}\n", "explicit tags"),
        ("version: 1\nsections: !custom\n  - {level: 1, pattern: x}\n", "explicit tags such as !custom"),
        ("version: 1\nsections: !!seq\n  - a\n", "explicit tags"),
        ("version: 1\nsections: " + "[" * 10_000 + "]" * 10_000 + "\n", "nested more than"),
        ("version: 1\nsections: [" + "1, " * 25_000 + "1]\n", "too large for a mapping"),
    ],
    ids=["set", "custom-tag-on-block", "seq-tag", "deep", "huge"],
)
def test_yaml_the_safe_loader_refuses_is_a_located_mapping_error(tmp_path: Path, yaml_text: str, fragment: str):
    result = check(tmp_path, yaml_text)
    assert result.exit_code == 2
    assert "mapping.yaml:2:" in result.output and fragment in result.output
    assert "internal error" not in result.output


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


TYPED = {"pdca|2-1|2021|do": "会議を4回開催した。", "pdca|2-2|2021|direction": "見直し"}


def test_an_nfd_mapping_writes_the_same_workbook_and_keeps_staff_entries(tmp_path: Path):
    (tmp_path / "doc.txt").write_text(DOCUMENT, encoding="utf-8")
    (tmp_path / "nfc.yaml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "nfd.yaml").write_text(nfd(MAPPING), encoding="utf-8")
    assert nfd(MAPPING) != MAPPING  # ぎ decomposed
    first = convert_document(tmp_path / "doc.txt", tmp_path / "nfc.yaml", tmp_path / "out")
    edit(first.output, lambda wb: rf.fill(wb, TYPED))
    second = convert_document(tmp_path / "doc.txt", tmp_path / "nfd.yaml", tmp_path / "out")
    assert second.output == first.output and second.problems == []
    assert [p.name for p in (tmp_path / "out").glob("*.xlsx")] == [first.output.name]
    assert entered(second.output) == TYPED


def test_a_workbook_named_in_nfd_is_regenerated_in_place(tmp_path: Path):
    (tmp_path / "doc.txt").write_text(DOCUMENT, encoding="utf-8")
    (tmp_path / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    first = convert_document(tmp_path / "doc.txt", tmp_path / "mapping.yaml", tmp_path / "out")
    edit(first.output, lambda wb: rf.fill(wb, TYPED))
    legacy = first.output.with_name(nfd(first.output.name))
    first.output.rename(legacy)
    second = convert_document(tmp_path / "doc.txt", tmp_path / "mapping.yaml", tmp_path / "out")
    assert second.output == legacy and second.problems == []
    assert entered(legacy) == TYPED
