"""PDCA cards: one sheet per project, printed on one A4 page.

The card follows the PDCA sheets councils already use: PLAN pre-filled from the
document (現状と課題 or 目的, 方針・目標 or 方法, 取組みの達成目標 with 計画 and 結果 per
year), then DO, CHECK and ACTION with one row to fill per fiscal year of the plan.

Each card has a sheet of its own, fitted to one page: Excel ignores manual page
breaks on a sheet printed with "fit to", so a single sheet of cards could not both
keep a long card on one page and break between cards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from xlsxwriter.format import Format

from ..jp import fiscal_year_label, wareki
from ..model import Indicator, PdcaEntry, Project, Records, Result
from ..workbook.book import MAX_SHEET_NAME, Book, CellValue, Sheet, absolute_ref
from ..workbook.contract import InputKind, indicator_result_key, pdca_key
from ..workbook.indicators import indicator_unit
from .input_cells import Inputs, InputSpec, unit_format
from .measure import MAX_ROW_POINTS, PAGE_SLACK, column_points, print_scale, printable_points, text_height
from .page import print_setup, protect
from .targets import printed_plan
from .template import Card, Template

if TYPE_CHECKING:
    from ..workbook.previous import Previous

_SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\'\x00-\x1f]")


def card_sheet_names(projects: list[Project], taken: set[str]) -> dict[str, str]:
    """`<事業ID> <事業名>` per project: valid, at most 31 characters, unique in Excel's eyes."""
    used = {name.casefold() for name in taken}
    names = {}
    for project in projects:
        base = _SHEET_NAME_UNSAFE.sub("_", f"{project.project_id} {project.name}").strip()[:MAX_SHEET_NAME].strip()
        name, counter = base or "_", 1
        while name.casefold() in used:
            counter += 1
            suffix = f"~{counter}"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        used.add(name.casefold())
        names[project.project_id] = name
    return names


def year_label(year: int) -> str:
    """`2023年度` over `（令和5年度）`: two lines that fit a narrow column."""
    return fiscal_year_label(year).replace("（", "\n（", 1)


def prefilled_pdca(records: Records) -> dict[tuple[str, int], dict[str, str]]:
    """What the document already says per project and year, by PDCA field.

    A report's 具体的実施事項 fills DO and its 実績 (with 増減) fills 達成状況と成果 when the
    document has no PDCA entry of its own for that field.
    """
    found: dict[tuple[str, int], dict[str, str]] = {}
    for result in records.results:
        found.setdefault((result.project_id, result.fiscal_year), {}).update(_from_result(result))
    for entry in records.pdca:
        fields = found.setdefault((entry.project_id, entry.fiscal_year), {})
        fields.update({f: v for f, v in _from_entry(entry).items() if v})
    return found


def _from_result(result: Result) -> dict[str, str]:
    actual = f"{result.actual}（前年比 {result.change_text}）" if result.change_text else result.actual
    return {k: v for k, v in {"do": result.activities, "achievement": actual}.items() if v}


def _from_entry(entry: PdcaEntry) -> dict[str, str]:
    return {
        "do": entry.do,
        "achievement": entry.achievement,
        "issues": entry.issues,
        "direction": entry.direction,
        "action": entry.action,
    }


@dataclass(frozen=True)
class Grid:
    """Card columns: the section column, then `columns` grid columns of equal width.

    Labels take the first `label_span` grid columns; the table of targets has the
    indicator's name, the 計画/結果 label and `year_span` columns per fiscal year.
    """

    section_width: float
    width: float
    columns: int
    label_span: int
    kind_span: int
    year_span: int
    name_span: int

    @classmethod
    def for_years(cls, card: Card, years: int) -> Grid:
        label, kind, min_name = card.label_span, card.kind_span, card.min_name_span
        columns = max(card.grid.columns, kind + min_name + years)
        year_span = max(1, min(card.max_year_span, (columns - kind - min_name) // years))
        name_span = columns - kind - years * year_span
        return cls(card.section_width, card.grid.width, columns, label, kind, year_span, name_span)

    def points(self, first: int, last: int) -> float:
        return column_points(self.width) * (last - first + 1)


class CardWriter:
    """Writes the card of one project after another; inputs go through `Inputs`."""

    def __init__(
        self,
        book: Book,
        template: Template,
        inputs: Inputs,
        records: Records,
        password: str,
        *,
        previous: Previous | None = None,
    ) -> None:
        self.book, self.template, self.inputs, self.records = book, template, inputs, records
        self.password = password
        self.previous = previous
        self.card = template.card
        self.labels = template.card.labels_for(records.document.kind.value)
        self.years = records.document.fiscal_years
        self.grid = Grid.for_years(self.card, len(self.years))
        self.size = template.font.size
        self.prefill = prefilled_pdca(records)
        self._section_points = column_points(self.grid.section_width)
        colours = template.colours
        self.fmt = {
            "section": book.format(bold=True, bg_color=colours.section, border=1, align="center", valign="vcenter"),
            "label": book.format(bg_color=colours.label, border=1, valign="vcenter"),
            "header": book.format(bg_color=colours.header, border=1, align="center", valign="vcenter"),
            "text": book.format(border=1),
            "plan": book.format(border=1, align="center", valign="vcenter"),
            "title": book.format(bold=True, border=1, valign="vcenter", font_size=template.font.title_size),
            "note": book.format(font_size=self.size - 1),
            "previous": book.format(border=1, bg_color=colours.reference),  # locked: last year, shown
        }

    def write(self, sheet: Sheet, project: Project) -> None:
        self.sheet, self.project = sheet, project
        self.before = self.previous.before.get(project.project_id) if self.previous else None
        self.heights: dict[int, float] = {}
        self.input_rows: list[int] = []
        self.row = 0
        self._title()
        for section in ("plan", "do", "check", "action"):
            first = self.row
            getattr(self, f"_{section}")()
            self._span(first, (0, 0), getattr(self.card.sections, section), self.fmt["section"], self._section_points)
        self._finish()

    # --- parts of the card ---------------------------------------------------------

    def _title(self) -> None:
        g, size = self.grid, self.template.font.title_size
        self._span(self.row, (0, 0), self.labels.project, self.fmt["section"], self._section_points)
        self._block(self.project.project_id, 0, g.label_span - 1, self.fmt["title"], size)
        self._block(self.project.name, g.label_span, g.columns - 1, self.fmt["title"], size)
        self.row += 1
        info = self._info()
        if info:
            self._span(self.row, (0, 0), self.labels.info, self.fmt["section"], self._section_points)
            self._block(info, 0, g.columns - 1, self.fmt["text"])
            self.row += 1
        change = self._change_from_last_year()
        if change:
            self._span(self.row, (0, 0), self.labels.previous, self.fmt["section"], self._section_points)
            self._block(change, 0, g.columns - 1, self.fmt["previous"])
            self.row += 1

    def _change_from_last_year(self) -> str:
        """`新規` for a project last year's plan did not have; where a renumbered one came from."""
        if self.previous is None or self.previous.year is None:
            return ""
        if self.project.project_id in self.previous.new:
            return self.labels.previous_new
        if self.before is not None and self.before.renumbered:
            return self.labels.previous_renumbered.format(id=self.before.project_id, name=self.before.name)
        return ""

    def _info(self) -> str:
        info, project = self.card.info, self.project
        parts = [
            (info.path, " > ".join(project.path)),
            (info.category, project.category),
            (info.status, project.status.ja),
            (info.funding, project.funding),
            (info.tags, " ".join(project.tags)),
        ]
        return "　".join(f"{label}: {value}" for label, value in parts if value)

    def _plan(self) -> None:
        fields = [f for f in ("situation", "purpose", "method", "goal") if getattr(self.project, f)] or ["purpose"]
        for field in fields:
            self._block(getattr(self.labels, field), 0, self.grid.label_span - 1, self.fmt["label"])
            self._block(getattr(self.project, field), self.grid.label_span, self.grid.columns - 1, self.fmt["text"])
            self.row += 1
        self._targets()
        if self.before is not None and self.before.results:
            label = f"{self.labels.previous_results}\n{year_label(self.before.year)}"
            self._block(label, 0, self.grid.label_span - 1, self.fmt["label"])
            text = "\n".join(self.before.results)
            self._block(text, self.grid.label_span, self.grid.columns - 1, self.fmt["previous"])
            self.row += 1

    def _targets(self) -> None:
        """A full-width title row, then the table of targets: name, 計画 and 結果 per year."""
        g = self.grid
        indicators = [i for i in self.records.indicators if i.project_id == self.project.project_id]
        if not indicators:
            self._block(self.labels.targets, 0, g.label_span - 1, self.fmt["label"])
            self._block(self.labels.no_targets, g.label_span, g.columns - 1, self.fmt["text"])
            self.row += 1
            return
        self._block(self.labels.targets, 0, g.columns - 1, self.fmt["label"])
        self.row += 1
        self._block(self.labels.target_name, 0, g.name_span - 1, self.fmt["header"])
        self._block("", g.name_span, g.name_span + g.kind_span - 1, self.fmt["header"])
        for index, year in enumerate(self.years):
            first = self._year_col(index)
            self._block(f"{year}年度\n{wareki(year)}", first, first + g.year_span - 1, self.fmt["header"])
        self.row += 1
        for indicator in indicators:
            self._indicator(indicator)
        self._block(self.labels.results_note, 0, g.columns - 1, self.fmt["note"])
        self.row += 1

    def _indicator(self, indicator: Indicator) -> None:
        g = self.grid
        unit = indicator_unit(indicator)
        name_last = g.name_span - 1
        name = f"{indicator.name}（{unit}）" if unit else indicator.name
        continues = self.template.indicators.continues
        first_row = self.row
        for kind in ("plan", "result"):
            self._block(getattr(self.labels, kind), name_last + 1, name_last + g.kind_span, self.fmt["header"])
            for index, year in enumerate(self.years):
                first = self._year_col(index)
                last = first + g.year_span - 1
                if kind == "plan":
                    self._block(printed_plan(indicator, year, continues), first, last, self.fmt["plan"])
                else:
                    self._result(indicator, year, unit, first, last)
            self.row += 1
        self._span(first_row, (1, 1 + name_last), name, self.fmt["text"], g.points(0, name_last))

    def _result(self, indicator: Indicator, year: int, unit: str, first: int, last: int) -> None:
        """The result as entered on the 達成目標 sheet, shown through a formula."""
        placed = self.inputs.placed[indicator_result_key(indicator.project_id, indicator.number, year)]
        ref = absolute_ref(placed.sheet, placed.row, placed.col)
        fmt = self.book.format(
            border=1,
            align="center",
            valign="vcenter",
            bg_color=self.template.colours.reference,
            num_format=unit_format(unit),
        )
        cells = (self.row, 1 + first), (self.row, 1 + last)
        self.sheet.formula(*cells, f'=IF({ref}="","",{ref})', fmt, placed.value)
        self._fit(
            text_height("" if placed.value is None else str(placed.value), self.grid.points(first, last), self.size)
        )

    def _do(self) -> None:
        self._year_table([("do", self.grid.columns - 1)], self.card.input_lines.do)

    def _check(self) -> None:
        g = self.grid
        rest = g.columns - g.label_span
        direction_span = max(3, rest // 5)
        achievement_last = g.label_span + (rest - direction_span) // 2 - 1
        issues_last = g.columns - direction_span - 1
        columns = [("achievement", achievement_last), ("issues", issues_last), ("direction", g.columns - 1)]
        self._year_table(columns, self.card.input_lines.check, self.labels.check_when)

    def _action(self) -> None:
        self._year_table([("action", self.grid.columns - 1)], self.card.input_lines.action)

    def _year_table(self, columns: list[tuple[str, int]], min_lines: int, when: str = "") -> None:
        """A header, then one row of input cells per fiscal year; `columns` are (field, last grid column)."""
        self._block(
            f"{self.labels.year}\n{when}" if when else self.labels.year,
            0,
            self.grid.label_span - 1,
            self.fmt["header"],
        )
        for (field, last), first in zip(columns, self._firsts(columns), strict=True):
            self._block(getattr(self.labels, field), first, last, self.fmt["header"])
        self.row += 1
        if self.before is not None:  # last year's entries, locked, above this year's inputs
            label = f"{self.labels.previous}\n{year_label(self.before.year)}"
            self._block(label, 0, self.grid.label_span - 1, self.fmt["label"])
            for (field, last), first in zip(columns, self._firsts(columns), strict=True):
                self._block(self.before.fields[field], first, last, self.fmt["previous"])
            self.row += 1
        for year in self.years:
            self._block(year_label(year), 0, self.grid.label_span - 1, self.fmt["label"])
            for (field, last), first in zip(columns, self._firsts(columns), strict=True):
                self._input(year, field, first, last, min_lines)
            self.input_rows.append(self.row)
            self.row += 1

    def _input(self, year: int, field: str, first: int, last: int, min_lines: int) -> None:
        project = self.project
        spec = InputSpec(
            key=pdca_key(project.project_id, year, field),
            kind=InputKind.DIRECTION if field == "direction" else InputKind.TEXT,
            label=f"{project.project_id} {project.name} {fiscal_year_label(year)} {getattr(self.labels, field)}",
            prefill=self.prefill.get((project.project_id, year), {}).get(field) or None,
        )
        self.inputs.place(self.sheet, (self.row, 1 + first), spec, (self.row, 1 + last))
        shown = self.inputs.value_for(spec)
        text = "" if shown is None else str(shown)
        self._fit(text_height(text, self.grid.points(first, last), self.size, min_lines))

    # --- helpers -----------------------------------------------------------------

    def _firsts(self, columns: list[tuple[str, int]]) -> list[int]:
        return [self.grid.label_span, *(last + 1 for _, last in columns[:-1])]

    def _block(self, value: CellValue, first: int, last: int, fmt: Format, size: float | None = None) -> None:
        """`value` across grid columns `first..last` of the current row; the row grows to show it."""
        self.sheet.block((self.row, 1 + first), (self.row, 1 + last), value, fmt)
        text = "" if value is None else str(value)
        self._fit(text_height(text, self.grid.points(first, last), size or self.size))

    def _span(self, first_row: int, cols: tuple[int, int], text: str, fmt: Format, width: float) -> None:
        """`text` down sheet columns `cols` from `first_row` to the row before the current
        one; the last of those rows grows when they are together too low for it."""
        last_row = max(first_row, self.row - 1)
        self.sheet.block((first_row, cols[0]), (last_row, cols[1]), text, fmt)
        missing = text_height(text, width, self.size) - sum(
            self.heights.get(r, 0.0) for r in range(first_row, last_row + 1)
        )
        if missing > 0:
            self.heights[last_row] = self.heights.get(last_row, 0.0) + missing

    def _fit(self, height: float) -> None:
        self.heights[self.row] = max(self.heights.get(self.row, 0.0), height)

    def _year_col(self, index: int) -> int:
        g = self.grid
        return g.name_span + g.kind_span + index * g.year_span

    def _fill_page(self) -> None:
        """Give the rows to fill in the height the page has left: room to write by hand."""
        landscape = self.card.landscape
        page_width, page_height = printable_points(landscape, self.template.print.margins)
        scale = print_scale(self._section_points + self.grid.points(0, self.grid.columns - 1), page_width)
        room = page_height * 100 / scale * PAGE_SLACK - sum(self.heights.values())
        if room > 0:
            extra = room / len(self.input_rows)
            for row in self.input_rows:
                self.heights[row] = min(MAX_ROW_POINTS, self.heights[row] + extra)

    def _finish(self) -> None:
        sheet, g = self.sheet, self.grid
        self._fill_page()
        sheet.column(0, g.section_width)
        for col in range(1, g.columns + 1):
            sheet.column(col, g.width)
        for row, height in sorted(self.heights.items()):
            sheet.row(row, height)
        print_setup(sheet, self.template, self.records.council.name, landscape=self.card.landscape)
        sheet.ws.fit_to_pages(1, 1)
        sheet.ws.print_area(0, 0, self.row - 1, g.columns)
        sheet.ws.hide_gridlines(2)
        protect(sheet, self.password)
