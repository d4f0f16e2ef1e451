"""Send-back copies: each council's own workbook with its problems marked, ready to e-mail.

The copy gets a first sheet listing the problems (sheet, cell, what is wrong, how to fix
it, with a link to the cell; printed A4 landscape, one page wide, the header on every
page), and every problem cell a fill colour and a comment in Japanese. The council's
entries are left as they are: the copy points, it does not fix. It is made by editing a
copy of the package (`etl.workbook.xlsxedit`), so every part the marks do not touch keeps its
bytes; openpyxl makes it for a workbook outside the dialect the package editor knows.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.workbook import Workbook

from ..fileio import atomic_path, safe_filename
from ..problems import EtlError, Problem, Severity
from ..workbook.contract import META_SHEET, Meta
from ..workbook.readback import MAX_META_ROWS
from ..workbook.xlsxedit import PackageEditor, TextSheet, Unsupported
from .gather import Submission

SHEET = "要修正一覧"
COPY_ENDING = "_要修正.xlsx"  # the name of a copy: the received workbook's, then this
COLOURS = {Severity.ERROR: "FFFFC7CE", Severity.WARNING: "FFFFEB9C"}  # ARGB
FILLS = {severity: PatternFill("solid", fgColor=colour) for severity, colour in COLOURS.items()}
HEADER = ("重要度", "シート", "セル", "内容", "直し方")
WIDTHS = (8, 16, 8, 70, 40)


def write_feedback(
    submissions: Sequence[Submission], problems: Sequence[Problem], folder: Path
) -> tuple[list[Path], list[Problem]]:
    """One marked copy per council with problems of its own: the paths written, and the
    copies that could not be written (as problems; the other councils' copies are written)."""
    written, failed = [], []
    for submission in submissions:
        mine = [p for p in problems if p.location.file == str(submission.path) and p.severity is not Severity.INFO]
        if not mine:
            continue
        try:
            written.append(_marked_copy(submission, mine, folder))
        except EtlError as err:
            failed.append(err.problem)
    return written, failed


def _marked_copy(submission: Submission, problems: list[Problem], folder: Path) -> Path:
    target = folder / safe_filename(f"{submission.path.stem}{COPY_ENDING}", folder=folder, ending=COPY_ENDING)
    try:
        with PackageEditor(submission.path) as editor, atomic_path(target) as tmp:
            _edit(editor, problems, submission.entries_digest)
            editor.save(tmp)
    except (Unsupported, zipfile.BadZipFile):  # outside the dialect the package editor knows
        book = openpyxl.load_workbook(submission.path)
        for p in problems:
            _mark_cell(book, p)
        _problem_sheet(book, problems)
        _record_entries(book, submission.entries_digest)
        with atomic_path(target) as tmp:
            book.save(tmp)
    return target


def _edit(editor: PackageEditor, problems: list[Problem], digest: str) -> None:
    """The copy made by editing the package: every part but the marked ones copied as it is."""
    sheets = set(editor.sheetnames)
    for p in problems:
        if p.location.sheet in sheets and p.location.cell:
            editor.mark(p.location.sheet, p.location.cell, COLOURS[p.severity], _comment(p))
    editor.insert_first_sheet(_text_sheet(problems, sheets))
    keys = [row[0] if row else None for row in editor.rows(META_SHEET, MAX_META_ROWS, 1)]
    row = keys.index(Meta.SENT_BACK.value) + 1 if Meta.SENT_BACK.value in keys else len(keys) + 1
    editor.set_value(META_SHEET, f"A{row}", Meta.SENT_BACK.value)
    editor.set_value(META_SHEET, f"B{row}", digest)


def _text_sheet(problems: list[Problem], sheets: set[str]) -> TextSheet:
    links = {
        (row, 2): f"{_quoted(p.location.sheet)}!{p.location.cell}"
        for row, p in enumerate(problems)
        if p.location.sheet in sheets and p.location.cell
    }
    return TextSheet(SHEET, HEADER, [_row(p) for p in problems], WIDTHS, links)


def _row(p: Problem) -> tuple[str, ...]:
    return (p.severity.ja, p.location.sheet or "", p.location.cell or "", p.message_ja, p.hint or "")


def _comment(p: Problem) -> str:
    return f"【{p.severity.ja}】{p.message_ja}" + (f"\n直し方: {p.hint}" if p.hint else "")


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _record_entries(book: Workbook, digest: str) -> None:
    """Note in the hidden metadata what the copy's entries are, so that collect knows the copy
    for its own output while nobody changed it, and for a submission once staff did."""
    meta = book[META_SHEET]
    row = next((r[0].row for r in meta.iter_rows(max_col=1) if r[0].value == Meta.SENT_BACK), meta.max_row + 1)
    meta.cell(row, 1, Meta.SENT_BACK.value)
    meta.cell(row, 2, digest)


def _mark_cell(book: Workbook, p: Problem) -> None:
    sheet, cell = p.location.sheet, p.location.cell
    if not (sheet and cell) or sheet not in book.sheetnames:
        return
    target = book[sheet][cell]
    target.fill = FILLS[p.severity]
    text = _comment(p)
    if target.comment is not None:
        text = f"{target.comment.text}\n{text}"
    target.comment = Comment(text, "shakyo-pdca", width=320, height=140)


def _problem_sheet(book: Workbook, problems: list[Problem]) -> None:
    sheet = book.create_sheet(SHEET, 0)
    book.active = 0
    for column, (label, width) in enumerate(zip(HEADER, WIDTHS, strict=True), start=1):
        sheet.cell(1, column, label).font = Font(bold=True)
        sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, p in enumerate(problems, start=2):
        for column, value in enumerate(_row(p), start=1):
            cell = sheet.cell(row, column)
            cell.value = value
            cell.data_type = "s"  # never a formula, whatever the message holds
            cell.alignment = wrap
        if p.location.sheet in book.sheetnames and p.location.cell:
            sheet.cell(row, 3).hyperlink = f"#{_quoted(p.location.sheet)}!{p.location.cell}"
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for other in book.worksheets[1:]:
        other.sheet_view.tabSelected = False
