"""`mapping check`, `mapping explain` and `mapping schema` on the bundled samples."""

import inspect
import json
from pathlib import Path

from click.testing import CliRunner

from etl.cli import main
from etl.jp import display_width
from etl.mapping import load_mapping, mapping_schema
from etl.mapping.layouts import layouts

MAPPINGS = Path(__file__).resolve().parent.parent / "mappings"


def test_check_reports_full_coverage(komoro):
    document, mapping = komoro
    result = CliRunner().invoke(main, ["mapping", "check", str(mapping), str(document)])
    assert result.exit_code == 0, result.output
    assert "0 with unaccounted text" in result.output
    assert "0 unaccounted;" in result.output  # characters
    assert "52 projects" in result.output


def test_check_lists_unaccounted_lines_and_fails(komoro, tmp_path: Path):
    document, mapping = komoro
    changed = tmp_path / "sample.txt"
    changed.write_text(
        "付記：この行はどの規則にも当たらない\n" + document.read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["mapping", "check", str(mapping), str(changed)])
    assert result.exit_code == 1
    assert "1 with unaccounted text" in result.output
    assert "18 unaccounted" in result.output  # characters
    assert "unaccounted 1:1: 付記：この行はどの規則にも当たらない" in result.output


def test_explain_names_the_rule_of_every_line(komoro):
    document, mapping = komoro
    result = CliRunner().invoke(main, ["mapping", "explain", str(mapping), str(document)])
    assert result.exit_code == 0
    line_8 = next(line for line in result.output.splitlines() if line.split()[:1] == ["8"])
    assert "layout.project_id" in line_8
    assert "1-1-1.project_id" in line_8


def test_explain_columns_line_up_with_japanese_targets(komoro):
    """The text column starts at the same display column whether a target is 1-1-1.name or
    a section's Japanese name (each wide character takes two columns in a terminal)."""
    document, mapping = komoro
    result = CliRunner().invoke(main, ["mapping", "explain", str(mapping), str(document)])
    rows = [line for line in result.output.splitlines() if line.split()[:1] in (["1"], ["8"])]
    starts = {
        display_width(row[: row.index(text)])
        for row, text in zip(rows, ("1　地域福祉協働", "⇥１－１－１"), strict=True)
    }
    assert len(starts) == 1


def test_check_json_lists_every_line(komoro):
    document, mapping = komoro
    result = CliRunner().invoke(main, ["mapping", "check", str(mapping), str(document), "--format", "json"])
    report = json.loads(result.output)
    assert report["summary"]["unaccounted"] == report["summary"]["characters_unaccounted"] == 0
    assert report["unaccounted"] == []
    assert len(report["lines"]) == report["summary"]["lines"]


def test_the_committed_schema_for_editors_is_current():
    committed = json.loads((MAPPINGS / "mapping.schema.json").read_text(encoding="utf-8"))
    assert committed == mapping_schema(), "run: shakyo-pdca mapping schema -o mappings/mapping.schema.json"


def test_every_layout_documents_itself_with_a_yaml_example():
    for name, schema in mapping_schema()["$defs"].items():
        if name.startswith("layout_"):
            assert "```yaml" in schema["properties"]["type"]["description"], name


def test_an_internal_error_is_one_line_without_traceback_unless_debug(komoro, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("etl.cli.map_document", broken)
    document, mapping = komoro
    result = CliRunner().invoke(main, ["mapping", "check", str(mapping), str(document)])
    assert result.exit_code == 1
    assert "internal error: RuntimeError: boom" in result.output
    assert "Traceback" not in result.output
    debug = CliRunner().invoke(main, ["--debug", "mapping", "check", str(mapping), str(document)])
    assert isinstance(debug.exception, RuntimeError)


def test_the_mapping_guide_documents_every_layout():
    guide = (MAPPINGS.parent / "docs" / "mapping-guide.md").read_text(encoding="utf-8")
    for name, layout in layouts().items():
        assert inspect.cleandoc(layout.__doc__ or "") in guide, f"docs/mapping-guide.md: update the `{name}` section"


def test_no_council_is_named_in_the_package():
    names = set()
    for mapping in MAPPINGS.glob("*/mapping.yaml"):
        council = load_mapping(mapping).data["council"]["name"]
        names |= {council, council.removesuffix("社会福祉協議会")}
    package = MAPPINGS.parent / "etl"
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert not [name for name in names if name in text], source
