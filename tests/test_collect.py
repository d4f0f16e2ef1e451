"""Collect: the five bundled councils converted, filled as staff would (with chosen
mistakes), and consolidated; every mistake reported once at its cell, nothing else."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from etl.cli import main
from etl.collect import collect
from etl.demo import fill_workbook

MIMASAKA_MISTAKES = ["text_in_number", "fullwidth_number", "formula", "pasted_direction", "pasted_achievement"]
KOMORO_MISTAKES = ["missing_check", "boolean"]


@pytest.fixture(scope="module")
def inbox(bundled_workbooks: list[Path], tmp_path_factory) -> tuple[Path, list]:
    """The five bundled workbooks in an inbox folder, two of them filled with mistakes."""
    inbox = tmp_path_factory.mktemp("inbox")
    injected = []
    for workbook in bundled_workbooks:
        name = workbook.name
        if name.startswith("332151"):
            injected += fill_workbook(workbook, inbox / name, mistakes=MIMASAKA_MISTAKES, seed=1)
        elif name.startswith("202088"):
            injected += fill_workbook(workbook, inbox / name, mistakes=KOMORO_MISTAKES, seed=2)
        else:
            shutil.copy(workbook, inbox / name)
    return inbox, injected


@pytest.fixture(scope="module")
def collected(inbox, tmp_path_factory):
    folder, _ = inbox
    return collect([folder], tmp_path_factory.mktemp("out") / "集約.xlsx")


def test_all_councils_and_projects_are_consolidated(collected):
    assert collected.councils == ["012131", "082104", "132187", "202088", "332151"]
    book = openpyxl.load_workbook(collected.output, read_only=True)
    assert book.sheetnames == ["集計", "事業一覧", "達成目標", "PDCA", "分類別", "問題一覧"]
    projects = list(book["事業一覧"].iter_rows(values_only=True))
    assert len(projects) - 1 == 36 + 45 + 57 + 52 + 26
    summary = {row[0]: row for row in book["集計"].iter_rows(min_row=2, values_only=True)}
    assert set(summary) == set(collected.councils)


def test_every_injected_mistake_is_reported_once_at_its_cell(inbox, collected):
    _, injected = inbox
    assert len(injected) == len(MIMASAKA_MISTAKES) + len(KOMORO_MISTAKES)
    reported = [(p.code, p.location.sheet, p.location.cell) for p in collected.problems if p.severity != "info"]
    for mistake in injected:
        assert reported.count((mistake.code, mistake.sheet, mistake.cell)) == 1, mistake
    assert len(reported) == len(injected), reported


def test_results_and_achievement_are_consolidated(collected):
    book = openpyxl.load_workbook(collected.output, read_only=True)
    rows = list(book["達成目標"].iter_rows(values_only=True))
    header = rows[0]
    filled = [dict(zip(header, row, strict=True)) for row in rows[1:] if row[header.index("結果値")] is not None]
    assert filled, "numeric results of 美作市 are consolidated"
    for row in filled:
        if row["計画値"]:
            assert row["達成率"] == pytest.approx(row["結果値"] / row["計画値"])


def test_problem_sheet_and_csv_twins(collected):
    book = openpyxl.load_workbook(collected.output, read_only=True)
    rows = list(book["問題一覧"].iter_rows(values_only=True))
    assert rows[0][:6] == ("社協コード", "社協名", "都道府県", "ファイル", "シート", "セル")
    assert any(row[0] == "332151" and row[7] == "value.not_a_number" for row in rows[1:])
    names = sorted(path.name for path in collected.csvs)
    assert names == sorted(f"集約_{sheet}.csv" for sheet in book.sheetnames)
    csv = (collected.output.parent / "集約_事業一覧.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf")
    assert "小諸市社会福祉協議会" in csv.decode("utf-8-sig")


def test_collecting_twice_gives_the_same_content(inbox, collected, tmp_path: Path):
    folder, _ = inbox
    again = collect([folder], tmp_path / "集約.xlsx")
    for sheet in ("集計", "事業一覧", "達成目標", "PDCA", "分類別", "問題一覧"):
        first = list(openpyxl.load_workbook(collected.output, read_only=True)[sheet].iter_rows(values_only=True))
        second = list(openpyxl.load_workbook(again.output, read_only=True)[sheet].iter_rows(values_only=True))
        assert first == second, sheet


def test_bad_files_are_one_problem_each_and_the_rest_is_consolidated(inbox, tmp_path: Path):
    folder, _ = inbox
    mixed = tmp_path / "mixed"
    shutil.copytree(folder, mixed)
    (mixed / "壊れた.xlsx").write_bytes(b"PK\x03\x04 truncated")
    foreign = openpyxl.Workbook()
    foreign.active["A1"] = "他所の様式"
    foreign.save(mixed / "他所.xlsx")
    shutil.copy(next(mixed.glob("202088_*.xlsx")), mixed / "マクロ付き.xlsm")
    (mixed / "~$202088.xlsx").write_bytes(b"lock")
    outcome = collect([mixed], tmp_path / "集約.xlsx")
    assert outcome.councils == ["012131", "082104", "132187", "202088", "332151"]
    by_file = {}
    for p in outcome.problems:
        by_file.setdefault(Path(p.location.file).name, []).append(p.code)
    assert by_file["壊れた.xlsx"] == ["file.truncated"]
    assert by_file["他所.xlsx"] == ["readback.not_a_pdca_workbook"]
    assert by_file["マクロ付き.xlsm"] == ["collect.macro_enabled"]
    assert by_file["~$202088.xlsx"] == ["input.lock_file"]


def test_the_same_council_twice_keeps_the_one_received_last(inbox, bundled_workbooks: list[Path], tmp_path: Path):
    folder, _ = inbox
    twice = tmp_path / "twice"
    shutil.copytree(folder, twice)
    # As generated (never filled), received before the filled one.
    generated = next(w for w in bundled_workbooks if w.name.startswith("202088_"))
    old = shutil.copy(generated, twice / "old_202088.xlsx")
    os.utime(old, (1_700_000_000, 1_700_000_000))
    outcome = collect([twice], tmp_path / "集約.xlsx")
    duplicates = [p for p in outcome.problems if p.code == "collect.duplicate_council"]
    assert [Path(p.location.file).name for p in duplicates] == ["old_202088.xlsx"]
    assert outcome.councils.count("202088") == 1


def test_feedback_copies_mark_the_problem_cells(inbox, tmp_path: Path):
    folder, injected = inbox
    only = tmp_path / "one"
    only.mkdir()
    shutil.copy(next(folder.glob("202088_*.xlsx")), only)
    outcome = collect([only], tmp_path / "集約.xlsx", feedback_dir=tmp_path / "返送")
    [copy] = outcome.feedback
    book = openpyxl.load_workbook(copy)
    assert book.sheetnames[0] == "要修正一覧"
    listed = list(book["要修正一覧"].iter_rows(min_row=2, values_only=True))
    assert len(listed) == len(KOMORO_MISTAKES)
    for mistake in (i for i in injected if i.mistake in KOMORO_MISTAKES):
        cell = book[mistake.sheet][mistake.cell]
        assert cell.comment is not None and "shakyo-pdca" in cell.comment.author
        assert cell.fill.fgColor.rgb.endswith(("FFC7CE", "FFEB9C"))


def test_cli_summary_and_exit_codes(inbox, tmp_path: Path):
    folder, _ = inbox
    result = CliRunner().invoke(main, ["collect", str(folder), "-o", str(tmp_path / "集約.xlsx")])
    assert result.exit_code == 1
    assert "5 files, 5 councils consolidated" in result.output.splitlines()[-1]
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copy(next(folder.glob("082104_*.xlsx")), clean)
    ok = CliRunner().invoke(main, ["collect", str(clean), "-o", str(tmp_path / "clean.xlsx")])
    assert ok.exit_code == 0, ok.output
    usage = CliRunner().invoke(main, ["collect", str(clean), "-o", str(tmp_path / "x.csv")])
    assert usage.exit_code == 2


def test_an_output_that_cannot_be_replaced_is_a_problem_and_the_old_file_stays(inbox, tmp_path: Path):
    folder, _ = inbox
    output = tmp_path / "集約.xlsx"
    output.mkdir()  # a folder has the name of the output: it cannot be replaced
    outcome = collect([folder], output)
    assert outcome.output is None
    assert "output.is_a_folder" in [p.code for p in outcome.problems]
    assert output.is_dir()
