"""The list sheets 方針, 事業一覧 and 達成目標: machine-readable tables that print.

One header row, one value per cell, no merged cells, units in their own column and in
the number format, fiscal years in 西暦 with 和暦 alongside. On paper the header repeats
on every page; the renderer chooses the print scale and the page breaks itself, so the
number of pages is known before any renderer sees the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..jp import fiscal_year_label
from ..model import Policy, Project, Records
from ..workbook.book import Book, CellValue, Sheet
from ..workbook.indicators import indicator_unit
from .input_cells import Inputs, InputSpec, unit_format
from .measure import column_points, fitting_width, page_starts, print_scale, printable_points, text_height
from .page import print_setup, protect
from .targets import plan_value, result_spec
from .template import IndicatorLayout, ListLayout, PreviousLayout, Template, TemplateError

if TYPE_CHECKING:
    from ..workbook.previous import Match


@dataclass(frozen=True)
class ListCell:
    value: CellValue = None
    input: InputSpec | None = None
    num_format: str = ""
    link: str = ""  # the sheet this cell links to; the value is the link's text


@dataclass(frozen=True)
class ListTable:
    headers: list[str]
    max_widths: list[float]
    rows: list[list[ListCell]]


def policy_table(layout: ListLayout, policies: list[Policy]) -> ListTable:
    def cell(policy: Policy, field: str) -> ListCell:
        values = {"heading": policy.heading, "text": policy.text, "source_line": str(policy.source.line)}
        if field not in values:
            raise TemplateError(f"unknown policy field {field!r}; known: {', '.join(values)}")
        return ListCell(values[field])

    return _table(layout, [[cell(p, c.field) for c in layout.columns] for p in policies])


def project_table(layout: ListLayout, projects: list[Project], cards: dict[str, str]) -> ListTable:
    """`cards` maps a project id to the name of its PDCA card sheet."""

    def cell(project: Project, field: str) -> ListCell:
        if field == "card":
            return ListCell(cards[project.project_id], link=cards[project.project_id])
        return ListCell(project_text(project, field))

    return _table(layout, [[cell(p, c.field) for c in layout.columns] for p in projects])


def project_text(project: Project, field: str) -> str:
    special = {
        "path": " > ".join(project.path),
        "tags": " ".join(project.tags),
        "status": project.status.ja,
        "source_line": str(project.source.line),
    }
    value = special.get(field, getattr(project, field, None))
    if not isinstance(value, str):
        raise TemplateError(f"unknown project field {field!r}")
    return value


def indicator_table(layout: IndicatorLayout, records: Records, result_label: str) -> ListTable:
    names = {p.project_id: p.name for p in records.projects}
    years = records.document.fiscal_years
    rows = []
    for indicator in records.indicators:
        unit = indicator_unit(indicator)
        fixed = {
            "project_id": indicator.project_id,
            "project_name": names.get(indicator.project_id, ""),
            "number": indicator.number,
            "name": indicator.name,
            "unit": unit,
        }
        row = []
        for column in layout.columns:
            if column.field not in fixed:
                raise TemplateError(f"unknown indicator field {column.field!r}; known: {', '.join(fixed)}")
            row.append(ListCell(fixed[column.field]))
        for year in years:
            row.append(ListCell(plan_value(indicator, year, layout.continues), num_format=unit_format(unit)))
            row.append(ListCell(input=result_spec(indicator, fixed["project_name"], year, result_label)))
        rows.append(row)
    year_headers = [header.format(year=fiscal_year_label(y)) for y in years for header in (layout.plan, layout.result)]
    table = _table(layout, rows)
    return ListTable(
        table.headers + year_headers, table.max_widths + [layout.year_width] * len(year_headers), table.rows
    )


def previous_table(layout: PreviousLayout, matches: list[Match], cards: dict[str, str]) -> ListTable:
    """Last year's projects beside this year's (convert --previous), one row per project."""
    changes = layout.changes

    def cell(match: Match, field: str) -> ListCell:
        now, before = match.now, match.before
        if field == "card":
            return ListCell(cards[now.project_id], link=cards[now.project_id]) if now else ListCell()
        values = {
            "change": changes[match.change],
            "before_id": before.project_id if before else None,
            "before_name": before.name if before else None,
            "direction": match.direction or None,
            "project_id": now.project_id if now else None,
            "name": now.name if now else None,
        }
        if field not in values:
            raise TemplateError(f"unknown field {field!r} of the previous-year list; known: card, {', '.join(values)}")
        return ListCell(values[field])

    return _table(layout, [[cell(m, c.field) for c in layout.columns] for m in matches])


def _table(layout: ListLayout, rows: list[list[ListCell]]) -> ListTable:
    return ListTable([c.label for c in layout.columns], [c.width for c in layout.columns], rows)


def write_list(
    book: Book,
    sheet: Sheet,
    table: ListTable,
    *,
    layout: ListLayout,
    template: Template,
    inputs: Inputs,
    council_name: str,
    password: str,
) -> int:
    """Write `table` to `sheet` and return the number of printed pages."""
    size = template.font.size
    widths, hidden = _column_widths(table, inputs, size)
    points = [0.0 if col in hidden else column_points(w) for col, w in enumerate(widths)]
    header_fmt = book.format(bold=True, bg_color=template.colours.header, border=1, align="center")
    for col, (header, width) in enumerate(zip(table.headers, widths, strict=True)):
        sheet.column(col, width, hidden=col in hidden)
        sheet.text(0, col, header, header_fmt)
    header_height = max(text_height(h, p, size) for h, p in zip(table.headers, points, strict=True) if p)
    sheet.row(0, header_height)
    heights = []
    for index, row in enumerate(table.rows, start=1):
        for col, cell in enumerate(row):
            _write_cell(book, sheet, inputs, (index, col), cell)
        heights.append(max(text_height(_shown(c, inputs), p, size) for c, p in zip(row, points, strict=True) if p))
        sheet.row(index, heights[-1])
    last_col = len(table.headers) - 1
    sheet.ws.freeze_panes(1, layout.freeze_columns)
    sheet.ws.autofilter(0, 0, len(table.rows), last_col)
    sheet.ws.repeat_rows(0)
    print_setup(sheet, template, council_name, landscape=layout.landscape)
    pages = _paginate(sheet, template, layout.landscape, points, (header_height, heights))
    protect(sheet, password, autofilter=True)
    return pages


def _column_widths(table: ListTable, inputs: Inputs, size: float) -> tuple[list[float], set[int]]:
    """Each column's width, and the columns the document never fills, hidden so that the
    printed page shows what the document has (the column stays: the table keeps its shape).
    The width they would take goes to the columns whose text wraps, so rows are shorter."""
    columns = [[_shown(row[i], inputs) for row in table.rows] for i in range(len(table.headers))]
    widths = [
        fitting_width([header, *texts], size, maximum)
        for header, texts, maximum in zip(table.headers, columns, table.max_widths, strict=True)
    ]
    hidden = {
        i
        for i, texts in enumerate(columns)
        if table.rows and not any(texts) and not any(row[i].input for row in table.rows)
    }
    wrapping = [i for i, w in enumerate(widths) if i not in hidden and w >= table.max_widths[i]]
    room = sum(table.max_widths[i] for i in wrapping)
    freed = sum(widths[i] for i in hidden)
    for i in wrapping:
        widths[i] += freed * table.max_widths[i] / room
    return widths, hidden


def _write_cell(book: Book, sheet: Sheet, inputs: Inputs, place: tuple[int, int], cell: ListCell) -> None:
    if cell.input is not None:
        inputs.place(sheet, place, cell.input)
        return
    fmt = book.format(border=1, num_format=cell.num_format or "General")
    if cell.link:
        sheet.link(*place, cell.link, str(cell.value), book.format(border=1, font_color="blue", underline=1))
    else:
        sheet.value(*place, cell.value, fmt)


def _shown(cell: ListCell, inputs: Inputs) -> str:
    value = inputs.value_for(cell.input) if cell.input is not None else cell.value
    return "" if value is None else str(value)


def _paginate(
    sheet: Sheet, template: Template, landscape: bool, column_widths: list[float], heights: tuple[float, list[float]]
) -> int:
    """Choose the print scale and page breaks; `heights` are the header's and the rows'."""
    header_height, row_heights = heights
    width, height = printable_points(landscape, template.print.margins)
    scale = print_scale(sum(column_widths), width)
    sheet.ws.set_print_scale(scale)
    breaks = [start + 1 for start in page_starts(row_heights, header_height, height * 100 / scale)]
    if breaks:
        sheet.ws.set_h_pagebreaks(breaks)
    return len(breaks) + 1
