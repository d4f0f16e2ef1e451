"""The cover sheet 表紙: whose workbook this is, for which period, and how to fill it in."""

from __future__ import annotations

from ..jp import fiscal_year_label
from ..model import Records
from ..workbook.book import Book, Sheet
from .measure import column_points, text_height
from .page import print_setup, protect
from .template import Template


def plan_period(years: tuple[int, ...]) -> str:
    """`2023年度（令和5年度）〜 2027年度（令和9年度）（5年間）`, or the one year."""
    first, last = min(years), max(years)
    if first == last:
        return fiscal_year_label(first)
    return f"{fiscal_year_label(first)} 〜 {fiscal_year_label(last)}（{last - first + 1}年間）"


def write_cover(book: Book, sheet: Sheet, template: Template, records: Records, password: str) -> None:
    cover, labels = template.cover, template.cover.labels
    council, document = records.council, records.document
    size, title_size = template.font.size, template.font.title_size
    label_width, value_width = cover.width
    value_points = column_points(value_width)
    sheet.column(0, label_width)
    sheet.column(1, value_width)

    title = cover.title.format(council=council.name, document=document.title)
    title_fmt = book.format(bold=True, font_size=title_size, align="center", valign="vcenter")
    sheet.block((0, 0), (0, 1), title, title_fmt)
    sheet.row(0, text_height(title, value_points + column_points(label_width), title_size))
    sheet.block((1, 0), (1, 1), cover.subtitle, book.format(align="center", valign="vcenter"))
    sheet.row(1, text_height(cover.subtitle, value_points, size))

    label_fmt = book.format(bold=True, bg_color=template.colours.label, border=1, valign="vcenter")
    value_fmt = book.format(border=1, valign="vcenter")
    rows = [
        (labels.council, council.name, value_fmt),
        (labels.council_id, council.id, value_fmt),
        (labels.prefecture, council.prefecture, value_fmt),
        (labels.document, f"{document.title}（{document.kind.ja}）", value_fmt),
        (labels.period, plan_period(document.fiscal_years), value_fmt),
        (labels.source, document.source_file, value_fmt),
        (labels.version, template.version, value_fmt),
        (labels.legend, cover.legend, book.format(border=1, bg_color=template.colours.input)),
        (labels.how_to, _numbered(cover.how_to), value_fmt),
        (labels.contents, _numbered(cover.contents), value_fmt),
    ]
    for row, (label, value, fmt) in enumerate(rows, start=3):
        sheet.text(row, 0, label, label_fmt)
        sheet.text(row, 1, value, fmt)
        sheet.row(row, text_height(value, value_points, size))

    print_setup(sheet, template, council.name, landscape=False)
    sheet.ws.fit_to_pages(1, 1)
    sheet.ws.hide_gridlines(2)
    protect(sheet, password)


def _numbered(lines: list[str]) -> str:
    return "\n".join(f"{n}. {line}" for n, line in enumerate(lines, start=1))
