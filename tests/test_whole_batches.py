"""Issue 20: whole batches, consistent outputs, contained forgeries.

Each finding of the issue is reproduced here by a file, a process or a filesystem the
test builds itself: names that are not UTF-8 (bytes paths), forged hidden sheets,
killed processes, a full disk (a faked ENOSPC), an openpyxl row insert, long names,
symbolic links, outputs written inside the inputs.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.collect import collect
from etl.collect.write import csv_safe
from etl.inputs import expand_inputs
from etl.model import Records
from etl.render import render_workbook
from tests import records_fixtures as rf

REPO = Path(__file__).resolve().parent.parent
KOMORO = REPO / "mappings" / "komoro"


def council_records(council_id: str = "339997", name: str = "さくら台市社会福祉協議会") -> Records:
    records = rf.pdca_records()
    return dataclasses.replace(records, council=dataclasses.replace(records.council, id=council_id, name=name))


def workbook(path: Path, council_id: str = "339997", name: str = "さくら台市社会福祉協議会") -> Path:
    rendered = render_workbook(council_records(council_id, name), path)
    assert rendered.path == path
    return path


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, Path]:
    """Two workbooks of two councils, generated once; tests copy them."""
    root = tmp_path_factory.mktemp("generated")
    return workbook(root / "a.xlsx"), workbook(root / "b.xlsx", "339998", "もみじ町社会福祉協議会")


def copy(source: Path, target: Path | bytes) -> Path | bytes:
    Path(os.fsdecode(target)).parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as stream:  # noqa: PTH123 - a bytes path
        stream.write(source.read_bytes())
    return target


# --- 1. a file name that is not UTF-8 -------------------------------------------------


def test_a_name_that_is_not_utf8_is_one_located_problem_and_the_others_are_consolidated(generated, tmp_path):
    inbox = tmp_path / "受信"
    copy(generated[0], inbox / "good.xlsx")
    copy(generated[1], os.fsencode(inbox) + b"/\x93\xfa\x96{.xlsx")  # 日本 in CP932, as unzip leaves it
    outcome = collect([inbox], tmp_path / "out" / "集約.xlsx")
    assert outcome.output is not None
    assert outcome.councils == ["339997"]
    [bad] = [p for p in outcome.problems if p.code == "input.name_not_utf8"]
    assert bad.location.file.endswith("\\x93\\xfa\\x96{.xlsx")
    assert "日本" in bad.message_ja
    assert outcome.log is not None
    assert "input.name_not_utf8" in outcome.log.read_text(encoding="utf-8")


# --- 8. globs and symbolic links ------------------------------------------------------


def test_globs_and_folders_skip_links_leading_outside_with_a_warning(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET LINE\n", encoding="utf-8")
    inbox = tmp_path / "dir"
    inbox.mkdir()
    (inbox / "a.txt").symlink_to(secret)
    runner = CliRunner()
    for given in ([f"{inbox}/*.txt"], [str(inbox)]):
        printed = runner.invoke(main, ["convert", *given, "-m", str(KOMORO / "mapping.yaml"), "-o", str(tmp_path)])
        assert "TOP SECRET" not in printed.output
        assert "input.symlink_outside" in printed.output, given
        assert printed.exit_code == 1
    found = expand_inputs([f"{inbox}/*.txt"], [".txt"])
    assert found.files == []
    assert "input.symlink_outside" in [p.code for p in found.problems]


# --- 11. minor: the log and the CSV guard ---------------------------------------------


def test_a_line_break_in_a_file_name_cannot_forge_a_log_line(generated, tmp_path):
    inbox = tmp_path / "in"
    copy(generated[0], inbox / "a\n2026-01-01T00:00:00+09:00 collect: forged.xlsx")
    outcome = collect([inbox], tmp_path / "out" / "集約.xlsx")
    assert outcome.log is not None
    lines = outcome.log.read_text(encoding="utf-8").splitlines()
    assert not [line for line in lines if line.startswith("2026-01-01")]
    assert any("a\\n2026-01-01" in line for line in lines)


@pytest.mark.parametrize("text", ["﹦1+1", "﹢1", "﹣1", "＠SUM(A1)", "﹫SUM(A1)", "\u200b=1+1", "\ufeff+1", "\n=1"])
def test_the_csv_guard_catches_compatibility_forms_and_invisible_prefixes(text: str):
    assert csv_safe(text) == f"'{text}"
