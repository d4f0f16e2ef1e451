"""Batches of documents and workbooks: one bad file never stops the others, results do not
depend on the number of processes, a dry run writes nothing, and the JSON a command prints
is the outcome the library returns."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from etl import cli
from etl.batch import LOG_NAME, crash_problem, run_each
from etl.cli import main
from etl.cli.report import collect_data, outcomes_data
from etl.collect import collect
from etl.convert import convert_batch, convert_document, find_documents
from etl.workbook.contract import Meta
from etl.workbook.readback import read_filled_workbook
from tests.conftest import MAPPINGS

GOOD = ("komoro", "tomakomai")


@pytest.fixture(scope="module")
def councils(tmp_path_factory) -> Path:
    """A folder of council folders: two good ones, and one whose document is broken."""
    root = tmp_path_factory.mktemp("councils")
    for name in GOOD:
        shutil.copytree(MAPPINGS / name, root / name)
    broken = root / "broken"
    broken.mkdir()
    shutil.copy(MAPPINGS / "komoro" / "mapping.yaml", broken)
    (broken / "plan.docx").write_bytes(b"PK\x03\x04 not really a Word file")
    return root


@pytest.fixture(scope="module")
def converted(councils: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("converted")
    batch = convert_batch(find_documents([councils]), out)
    assert [o.status for o in batch.outcomes] == ["failed", "ok", "ok"]
    return out


def comparable(path: Path) -> tuple[object, ...]:
    """A workbook as read back, without the time it was generated at."""
    filled = read_filled_workbook(path)
    metadata = {k: v for k, v in filled.metadata.items() if k != Meta.GENERATED_AT}
    return metadata, filled.records, filled.inputs


def test_folders_of_council_folders_pair_each_document_with_the_mapping_beside_it(councils: Path):
    pairs = find_documents([councils])
    assert [(d.relative_to(councils).as_posix(), m.parent.name) for d, m in pairs] == [
        ("broken/plan.docx", "broken"),
        ("komoro/sample.txt", "komoro"),
        ("tomakomai/sample.txt", "tomakomai"),
    ]
    mapping = MAPPINGS / "komoro" / "mapping.yaml"
    assert find_documents([f"{councils}/*/sample.txt"], mapping) == [
        (councils / name / "sample.txt", mapping) for name in GOOD
    ]


def test_a_bad_document_fails_alone_and_the_good_ones_equal_single_runs(councils: Path, converted: Path, tmp_path):
    for name in GOOD:
        single = convert_document(councils / name / "sample.txt", councils / name / "mapping.yaml", tmp_path)
        assert single.output is not None
        assert comparable(converted / single.output.name) == comparable(single.output)
    log = (converted / LOG_NAME).read_text(encoding="utf-8").splitlines()
    assert len(log) == 5 and "3 documents, 2 converted, 1 failed" in log[-1]
    assert "failed" in log[1] and "broken/plan.docx" in log[1] and "file.truncated" in log[1]


def test_a_folder_without_a_mapping_and_a_pattern_matching_nothing_are_reported(tmp_path: Path):
    (tmp_path / "plan.txt").write_text("事業計画", encoding="utf-8")
    batch = convert_batch(find_documents([tmp_path, f"{tmp_path}/*.pdf"]), tmp_path / "out", log=False)
    assert [o.problems[0].code for o in batch.outcomes] == ["convert.nothing_found", "input.not_found"]
    assert not batch.ok and batch.log is None


def test_two_processes_give_what_one_gives(councils: Path, tmp_path: Path):
    def run(jobs: int) -> list[dict[str, object]]:
        out = tmp_path / f"jobs{jobs}"
        result = CliRunner().invoke(
            main, ["convert", str(councils), "-o", str(out), "-j", str(jobs), "--format", "json"]
        )
        assert result.exit_code == 1, result.output
        return json.loads(result.output.replace(str(out), "OUT"))

    assert run(2) == run(1)


def test_collect_with_two_processes_gives_what_one_gives(converted: Path, tmp_path: Path):
    one = collect([converted], tmp_path / "one" / "集約.xlsx", jobs=1)
    two = collect([converted], tmp_path / "two" / "集約.xlsx", jobs=2)
    assert json.dumps(collect_data(one)).replace("/one/", "/X/") == json.dumps(collect_data(two)).replace(
        "/two/", "/X/"
    )
    assert [(w.council, w.status) for w in two.workbooks] == [
        ("苫小牧市社会福祉協議会", "ok"),
        ("小諸市社会福祉協議会", "ok"),
    ]


def test_a_dry_run_lists_and_writes_nothing(councils: Path, converted: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(councils), "-o", str(out), "--dry-run", "--format", "json"])
    plan = json.loads(result.output)
    assert result.exit_code == 0
    assert len(plan["read"]) == 3 and str(out / "202088_小諸市社会福祉協議会_事業計画.xlsx") in plan["write"]
    collected = CliRunner().invoke(main, ["collect", str(converted), "-o", str(out / "集約.xlsx"), "--dry-run"])
    assert collected.exit_code == 0 and "would write" in collected.output
    assert not out.exists()


def test_the_json_a_command_prints_is_the_library_outcome(councils: Path, converted: Path, tmp_path: Path):
    output = tmp_path / "集約.xlsx"
    printed = CliRunner().invoke(
        main, ["collect", str(converted), "-o", str(output), "--format", "json", "-j", "1", "--no-history"]
    )
    assert json.loads(printed.output) == collect_data(collect([converted], output))
    out = tmp_path / "out"
    printed = CliRunner().invoke(main, ["convert", str(councils), "-o", str(out), "--format", "json", "-j", "1"])
    assert json.loads(printed.output) == outcomes_data(convert_batch(find_documents([councils]), out).outcomes)


def test_the_closing_table_has_a_row_per_file(converted: Path, tmp_path: Path):
    result = CliRunner().invoke(main, ["collect", str(converted), "-o", str(tmp_path / "集約.xlsx")])
    header, *rows = result.output.splitlines()[-4:-1]
    assert header.split() == ["status", "council", "entries", "errors", "warnings", "file"]
    assert [row.split()[0] for row in rows] == ["ok", "ok"]
    assert result.output.splitlines()[-1].startswith("2 files, 2 councils consolidated")


def test_progress_is_silent_unless_on_a_terminal(councils: Path, tmp_path: Path, monkeypatch):
    result = CliRunner().invoke(main, ["convert", str(councils), "-o", str(tmp_path), "-j", "1"])
    assert result.stderr == ""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with cli._progress(3, False, "converting") as progress:
        assert progress is not None
        progress("a.txt")
    assert "converting" in terminal.getvalue()
    with cli._progress(3, True, "converting") as quiet:
        assert quiet is None


def explode(item: int) -> int:
    if item == 2:
        raise RuntimeError("a defect")
    return item * 10


@pytest.mark.parametrize("jobs", [1, 2])
def test_work_that_raises_is_reported_for_its_item_only(jobs: int):
    done = run_each(explode, [1, 2, 3], jobs=jobs)
    assert [d.value for d in done[::2]] == [10, 30]
    crash = done[1].value
    assert crash.error == "RuntimeError: a defect" and crash.where.startswith("test_batch.py:")
    assert "test_batch.py" in crash_problem("2.txt", crash).message_en
