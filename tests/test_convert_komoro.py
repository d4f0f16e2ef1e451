"""End to end: the bundled 小諸市 plan becomes a workbook listing every project once."""

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from etl import convert_document
from etl.cli import main

EXPECTED_IDS = (
    [f"1-1-{n}" for n in range(1, 19)]
    + [f"1-2-{n}" for n in range(1, 10)]
    + [f"1-{n}-1" for n in range(3, 12)]
    + [f"2-{n}" for n in range(1, 5)]
    + [f"3-{n}" for n in range(1, 6)]
    + [f"4-1-{n}" for n in range(1, 7)]
    + ["4-2-1"]
)


def project_rows(path: Path) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(path, read_only=True)["事業一覧"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_every_numbered_project_appears_once(komoro, tmp_path: Path):
    outcome = convert_document(*komoro, tmp_path)
    assert outcome.ok, outcome.problems
    assert outcome.unaccounted == 0
    rows = project_rows(outcome.output)
    assert [row["事業ID"] for row in rows] == EXPECTED_IDS


def test_project_fields_and_continuation_rows(komoro, tmp_path: Path):
    rows = {row["事業ID"]: row for row in project_rows(convert_document(*komoro, tmp_path).output)}
    first = rows["1-1-1"]
    assert first["事業名"] == "法人の適正な運営"
    assert first["階層"] == "1 地域福祉協働 > 1-1 法人運営事業"
    assert first["元文書の行"] == "8"
    # The row with an empty name cell (苦情解決) continues 1-1-1.
    assert "第三者委員会を設置" in first["目的"]
    assert first["方法・内容"].startswith("1 理事会を年4回程度開催します。")
    assert "4 苦情申立人が希望する時は" in first["方法・内容"]
    assert first["目標"].endswith("社会福祉法人としての公益性を高めます。")
    # An empty cell keeps its column: 1-1-4's purpose ends with an empty paragraph.
    assert rows["1-1-4"]["方法・内容"].startswith("1 毎月の給与計算")
    # `[bookmark: …]` before a number is noise, not part of the id.
    assert rows["4-1-4"]["事業名"] == "介護予防マネジメント業務及び第1号介護予防支援事業"


def test_cli_without_arguments_converts_the_bundled_samples(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["convert"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / "202088_小諸市社会福祉協議会_事業計画.xlsx").is_file()
    assert "0 failed" in result.output


def test_cli_json_matches_the_library_outcome(komoro, tmp_path: Path):
    doc, mapping = komoro
    result = CliRunner().invoke(
        main, ["convert", str(doc), "-m", str(mapping), "-o", str(tmp_path), "--format", "json"]
    )
    assert result.exit_code == 0
    [reported] = json.loads(result.output)
    outcome = convert_document(doc, mapping, tmp_path)
    assert reported["projects"] == outcome.projects == len(EXPECTED_IDS)
    assert reported["output"] == str(outcome.output)


def test_document_without_mapping_is_a_usage_error(komoro):
    result = CliRunner().invoke(main, ["convert", str(komoro[0])])
    assert result.exit_code == 2
    assert "--mapping" in result.output


def test_missing_document_fails_with_exit_code_1_and_a_message(komoro, tmp_path: Path):
    result = CliRunner().invoke(main, ["convert", str(tmp_path / "nothing.txt"), "-m", str(komoro[1])])
    assert result.exit_code == 1
    assert "file not found" in result.output
    assert "Traceback" not in result.output
