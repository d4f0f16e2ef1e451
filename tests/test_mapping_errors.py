"""Broken mappings give one clear message each: file, line, key path, value, allowed values."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.mapping import load_mapping
from etl.problems import EtlError

GOOD = """\
version: 1
council:
  id: "202088"
  name: 小諸市社会福祉協議会
  prefecture: 長野県
document:
  kind: plan
  title: 事業計画
  fiscal_years: [2022]
layout:
  type: cell_table
  columns: [name, purpose]
  project_id: '^(?P<id>[0-9]+)$'
"""


def load(tmp_path: Path, text: str) -> EtlError:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EtlError) as caught:
        load_mapping(path)
    return caught.value


def test_the_good_mapping_loads(tmp_path: Path):
    path = tmp_path / "mapping.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_mapping(path).data["council"]["id"] == "202088"


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path):
    error = load(tmp_path, GOOD.replace("  kind: plan", "  kind: [plan"))
    assert error.problem.location.file.endswith("mapping.yaml")
    assert error.problem.location.line is not None
    assert "YAML" in error.problem.message_ja


def test_unknown_key_suggests_the_closest(tmp_path: Path):
    error = load(tmp_path, GOOD.replace("  title: 事業計画", "  titel: 事業計画"))
    problem = error.problem
    assert (problem.location.line, problem.location.key) == (8, "document.titel")
    assert "unknown key 'titel'" in problem.message_en
    assert "did you mean 'title'?" in problem.hint


def test_wrong_type_names_the_key_and_value(tmp_path: Path):
    error = load(tmp_path, GOOD.replace('id: "202088"', "id: 202088"))
    problem = error.problem
    assert (problem.location.line, problem.location.key) == (3, "council.id")
    assert "number 202088" in problem.message_en
    assert "quote" in problem.hint


def test_bad_enum_lists_allowed_values(tmp_path: Path):
    error = load(tmp_path, GOOD.replace("kind: plan", "kind: plans"))
    assert error.problem.location.key == "document.kind"
    assert "allowed values: plan, report, pdca_plan" in error.problem.hint
    assert "did you mean 'plan'?" in error.problem.hint


def test_bad_regex_is_reported_at_its_key(tmp_path: Path):
    error = load(tmp_path, GOOD.replace("'^(?P<id>[0-9]+)$'", "'^(?P<id>[0-9]+$'"))
    problem = error.problem
    assert (problem.location.line, problem.location.key) == (13, "layout.project_id")
    assert "bad regular expression" in problem.message_en


def test_unknown_layout_lists_the_layouts(tmp_path: Path):
    error = load(tmp_path, GOOD.replace("type: cell_table", "type: cel_table"))
    assert error.problem.location.key == "layout.type"
    assert "cell_table" in error.problem.hint
    assert "did you mean 'cell_table'?" in error.problem.hint


def test_layout_options_are_checked_against_the_layout(tmp_path: Path):
    error = load(tmp_path, GOOD.replace("  columns: [name, purpose]", "  columns: [name, purpos]"))
    assert error.problem.location.key == "layout.columns[1]"
    assert "did you mean 'purpose'?" in error.problem.hint


def test_missing_required_key(tmp_path: Path):
    error = load(tmp_path, GOOD.replace("  prefecture: 長野県\n", ""))
    assert error.problem.location.key == "council"
    assert "prefecture" in error.problem.message_en


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a: &x [1]\nb: *x\n", "anchors"),
        ("version: 1\nversion: 1\n", "duplicate key"),
        ("version: !!python/object:os.system 1\n", "tags"),
    ],
)
def test_unsafe_yaml_is_refused(tmp_path: Path, text: str, fragment: str):
    assert fragment in load(tmp_path, text).problem.message_en


def test_cli_reports_a_broken_mapping_without_traceback(tmp_path: Path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(GOOD.replace("kind: plan", "kind: plans"), encoding="utf-8")
    document = tmp_path / "doc.txt"
    document.write_text("1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["mapping", "check", str(mapping), str(document)])
    assert result.exit_code == 2  # a mapping that cannot be used is a usage error
    assert "document.kind" in result.output
    assert "Traceback" not in result.output
