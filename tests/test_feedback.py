"""Send-back copies: the council's own workbook, every entry unchanged, a problem sheet first
and every problem cell commented — read by openpyxl and by LibreOffice, also when the
workbook staff sent was last saved by LibreOffice. The copies are made by editing the
package, so every part the marks do not touch keeps its bytes."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from etl.collect import collect
from etl.collect.feedback import HEADER, SHEET
from etl.demo import fill_workbook
from etl.render import render_workbook
from etl.workbook.contract import META_SHEET, Meta
from tests import records_fixtures as rf

SOFFICE, PDFTOTEXT = shutil.which("soffice"), shutil.which("pdftotext")
CONVERT_SECONDS = 300
MISTAKES = ["text_in_number", "pasted_direction", "error_value", "boolean", "missing_check"]
# Parts a send-back copy may rewrite; every other part of the workbook keeps its bytes.
REWRITTEN = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    """さくら台市's workbook, written from records made for the tests, filled with mistakes."""
    root = tmp_path_factory.mktemp("feedback")
    generated = render_workbook(rf.pdca_records(), root / "generated.xlsx").path
    assert generated is not None
    inbox = root / "inbox"
    inbox.mkdir()
    target = inbox / "339997_さくら台市.xlsx"
    assert len(fill_workbook(generated, target, mistakes=MISTAKES, seed=3, years=2)) == len(MISTAKES)
    return target


def send_back(workbook: Path, folder: Path) -> tuple[Path, list]:
    """The send-back copy collect makes of `workbook`, and the problems it marks."""
    outcome = collect([workbook], folder / "集約.xlsx", feedback_dir=folder / "返送", log=False)
    (copy,) = outcome.feedback
    marked = [p for p in outcome.problems if p.severity != "info" and p.location.sheet and p.location.cell]
    assert marked
    return copy, marked


def assert_copy_of(copy: Path, original: Path, problems: list) -> None:
    """Every cell of `original` unchanged in `copy`, the problem sheet first and listing
    every problem, and each problem cell commented."""
    before, after = openpyxl.load_workbook(original), openpyxl.load_workbook(copy)
    assert after.sheetnames == [SHEET, *before.sheetnames]
    for sheet in before.worksheets:
        old = {c.coordinate: c.value for row in sheet.iter_rows() for c in row if c.value not in (None, "")}
        new = {
            c.coordinate: c.value for row in after[sheet.title].iter_rows() for c in row if c.value not in (None, "")
        }
        if sheet.title == META_SHEET:  # the copy notes its entries' digest: collect knows it unchanged
            sent_back = next(c for c, v in new.items() if v == Meta.SENT_BACK.value)
            assert new.pop(sent_back) and new.pop(sent_back.replace("A", "B"))
        assert new == old, sheet.title
    listed = list(after[SHEET].iter_rows(values_only=True))
    assert tuple(listed[0][: len(HEADER)]) == HEADER
    assert {(row[1], row[2]) for row in listed[1:]} == {(p.location.sheet, p.location.cell) for p in problems}
    for p in problems:
        comment = after[p.location.sheet][p.location.cell].comment
        assert comment is not None and p.message_ja in comment.text, (p.location, comment)


def values(sheet) -> dict[str, object]:
    return {c.coordinate: c.value for row in sheet.iter_rows() for c in row if c.value not in (None, "")}


def resave_with_libreoffice(workbooks: list[Path], folder: Path, kind: str = "xlsx") -> list[Path]:
    profile = folder / "lo-profile"  # a profile of its own: no clash with another running soffice
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", kind,
         "--outdir", str(folder), *map(str, workbooks)],
        check=True, capture_output=True, timeout=CONVERT_SECONDS,
    )  # fmt: skip
    converted = [folder / f"{w.stem}.{kind}" for w in workbooks]
    if not all(c.exists() for c in converted):
        pytest.skip(f"LibreOffice did not write {kind} files to {folder}")
    return converted


def test_a_copy_keeps_every_entry_and_every_untouched_part(filled: Path, tmp_path: Path):
    copy, problems = send_back(filled, tmp_path)
    assert_copy_of(copy, filled, problems)
    with zipfile.ZipFile(filled) as old, zipfile.ZipFile(copy) as new:
        changed = {n for n in old.namelist() if old.read(n) != new.read(n)}
        marked_sheets = {n for n in changed if n.startswith("xl/worksheets/sheet")}
        assert changed - marked_sheets <= REWRITTEN
        # the sheets of the problem cells, the one that was selected (two selected tabs group
        # sheets) and _meta (the entries' digest)
        assert len(marked_sheets) <= len({p.location.sheet for p in problems}) + 2
        assert "xl/sharedStrings.xml" not in changed and "xl/worksheets/sheet1.xml" in changed


def test_the_problem_sheet_prints_on_a4_landscape_one_page_wide_with_its_header_repeated(filled, tmp_path):
    copy, _ = send_back(filled, tmp_path)
    sheet = openpyxl.load_workbook(copy)[SHEET]
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "landscape", 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"
    assert sheet.freeze_panes == "A2"
    assert all(cell.alignment.wrap_text for row in sheet.iter_rows() for cell in row)


def test_a_cell_marked_twice_keeps_both_comments(filled: Path, tmp_path: Path):
    copy, problems = send_back(filled, tmp_path)
    by_cell: dict[tuple[str, str], list] = {}
    for p in problems:
        by_cell.setdefault((p.location.sheet, p.location.cell), []).append(p)
    book = openpyxl.load_workbook(copy)
    for (sheet, cell), found in by_cell.items():
        assert book[sheet][cell].comment.text.count("【") == len(found)
        assert book[sheet][cell].fill.fgColor.rgb in ("FFFFC7CE", "FFFFEB9C")


def test_a_workbook_outside_the_editors_dialect_gets_its_copy_from_openpyxl(filled: Path, tmp_path: Path):
    """A workbook with a problem sheet already (a send-back copy sent in again): openpyxl
    makes the copy, its new problem sheet first."""
    book = openpyxl.load_workbook(filled)
    book.create_sheet(SHEET)
    odd = tmp_path / "inbox" / filled.name
    odd.parent.mkdir()
    book.save(odd)
    copy, problems = send_back(odd, tmp_path)
    copied = openpyxl.load_workbook(copy)
    assert copied.sheetnames[0] == f"{SHEET}1" and SHEET in copied.sheetnames
    assert all(copied[p.location.sheet][p.location.cell].comment is not None for p in problems)


@pytest.mark.skipif(not (SOFFICE and PDFTOTEXT), reason="LibreOffice (soffice) or poppler (pdftotext) is not installed")
def test_libreoffice_reads_the_copies_also_of_a_workbook_it_saved(filled: Path, tmp_path: Path):
    copy, problems = send_back(filled, tmp_path / "ours")
    (saved_by_lo,) = resave_with_libreoffice([filled], tmp_path / "lo")
    lo_copy, lo_problems = send_back(saved_by_lo, tmp_path / "lo")
    assert_copy_of(lo_copy, saved_by_lo, lo_problems)
    with zipfile.ZipFile(saved_by_lo) as old, zipfile.ZipFile(lo_copy) as new:
        assert old.read("xl/sharedStrings.xml") == new.read("xl/sharedStrings.xml")  # edited, not rebuilt

    shutil.copy(lo_copy, tmp_path / "lo_copy.xlsx")
    reread = resave_with_libreoffice([copy, tmp_path / "lo_copy.xlsx"], tmp_path / "reread")
    for again, marked in zip(reread, (problems, lo_problems), strict=True):
        assert_copy_of(again, saved_by_lo, marked)  # LibreOffice's own save of the entries is the reference

    (pdf,) = resave_with_libreoffice([copy], tmp_path / "pdf", "pdf")
    first_page = subprocess.run(
        [PDFTOTEXT, "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert all(label in first_page for label in HEADER)  # 内容 and 直し方 on the first page, not later ones
    assert problems[0].message_ja.replace(" ", "")[:10] in first_page.replace(" ", "")


def test_demo_fill_rewrites_only_the_sheets_it_fills(filled: Path):
    generated = filled.parent.parent / "generated.xlsx"
    with zipfile.ZipFile(generated) as old, zipfile.ZipFile(filled) as new:
        assert new.namelist() == old.namelist()
        changed = {n for n in old.namelist() if old.read(n) != new.read(n)}
    assert "docProps/core.xml" in changed  # saved now, as Excel would say
    sheets = changed - {"docProps/core.xml"}
    assert sheets and all(n.startswith("xl/worksheets/sheet") for n in sheets)
