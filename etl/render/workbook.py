"""Write the PDCA workbook with xlsxwriter.

Every value taken from a document is written with `write_string`, so text that
starts with `=`, `+`, `-` or `@` can never become a formula.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from ..fileio import atomic_path
from ..jp import display_width
from ..model import Project, Records

FONT = "游ゴシック"
PROJECT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("事業ID", "project_id"),
    ("階層", "path"),
    ("事業名", "name"),
    ("目的", "purpose"),
    ("方法・内容", "method"),
    ("目標", "goal"),
    ("現状と課題", "situation"),
    ("新規・拡充", "status"),
    ("財源", "funding"),
    ("タグ", "tags"),
    ("元文書の行", "source_line"),
)
MAX_WIDTH = 60  # in character cells; longer text wraps


def render_workbook(records: Records, target: Path) -> Path:
    """Write the workbook for `records` to `target` atomically and return it."""
    with atomic_path(target) as tmp:
        workbook = xlsxwriter.Workbook(
            str(tmp), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        workbook.set_properties({"title": records.document.title, "created": dt.datetime(2000, 1, 1)})
        _project_sheet(workbook, records)
        workbook.close()
    return target


def _cell_value(project: Project, attribute: str) -> str:
    if attribute == "path":
        return " > ".join(project.path)
    if attribute == "tags":
        return " ".join(project.tags)
    if attribute == "status":
        return project.status.ja
    if attribute == "source_line":
        return str(project.source.line)
    return str(getattr(project, attribute))


def _project_sheet(workbook: xlsxwriter.Workbook, records: Records) -> None:
    sheet = workbook.add_worksheet("事業一覧")
    header = workbook.add_format(
        {"bold": True, "font_name": FONT, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True}
    )
    body = workbook.add_format({"font_name": FONT, "text_wrap": True, "valign": "top", "border": 1})
    rows = [[_cell_value(p, attr) for _, attr in PROJECT_COLUMNS] for p in records.projects]
    for col, (label, _) in enumerate(PROJECT_COLUMNS):
        sheet.write_string(0, col, label, header)
        widest = max([display_width(label)] + [_longest_line(row[col]) for row in rows])
        sheet.set_column(col, col, min(widest, MAX_WIDTH) + 2)
    for row_index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            sheet.write_string(row_index, col, value, body)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(PROJECT_COLUMNS) - 1)
    sheet.repeat_rows(0)
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)


def _longest_line(text: str) -> int:
    return max((display_width(line) for line in text.split("\n")), default=0)
