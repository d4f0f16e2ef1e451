"""A table exported with every cell on lines of its own (a Word table as text)."""

from __future__ import annotations

import dataclasses

from ...read.source import SourceLine
from ..patterns import compile_pattern
from ..traced import retext, traced
from .base import Layout, compiled


@dataclasses.dataclass(frozen=True)
class CellTableOptions:
    columns: tuple[str, ...]
    project_id: str
    header_row: str = ""


class CellTable(Layout):
    """Each cell starts on a new line with a tab; a cell's further lines follow without
    one. A row has as many cells as `columns`, so an empty cell keeps its column. A row
    whose first cell starts with a project number starts a project (the rest of that
    cell is its name); a row whose first cell is empty continues the project above.

    ```yaml
    layout:
      type: cell_table
      columns: [name, purpose, method, goal]
      project_id: '^(?P<id>[0-9０-９]+(?:[－-][0-9０-９]+){1,2})\\s*$'
      header_row: '^事\\s*業\\s*名$'
    ```
    """

    name = "cell_table"
    Options = CellTableOptions
    options: CellTableOptions

    def run(self, lines: list[SourceLine]) -> None:
        width = len(self.options.columns)
        cells: list[list[SourceLine]] = []
        for line in lines:
            row_complete = len(cells) == width
            if line.text.startswith("\t"):
                if row_complete:
                    self._row(cells)
                    cells = []
                cells.append([retext(line, traced(line)[1:])])
            elif (not cells or row_complete) and self.ctx.sections.match(line):
                if cells:
                    self._row(cells)
                    cells = []
                self.ctx.section_line(line)
            elif cells:
                cells[-1].append(line)
        if cells:
            self._row(cells)

    def _row(self, cells: list[list[SourceLine]]) -> None:
        texts = [_cell_text(cell) for cell in cells]
        header = compiled(self.options.header_row)
        if header and header.match(texts[0]):
            for line in (line for cell in cells for line in cell):
                self.ctx.ignore(line, "layout.header_row")
            return
        id_match = compile_pattern(self.options.project_id).match(cells[0][0].text)
        if id_match:
            self.ctx.check_id(id_match["id"], cells[0][0], "layout", "project_id")
            project = self.ctx.add_project(id_match["id"], _cell_text(cells[0][1:]), cells[0][0])
            self.ctx.take(cells[0][0], "layout.project_id", f"{project.project_id}.project_id", id_match.span())
            self.ctx.append(cells[0][0], id_match.end(), project, "name", "layout.project_id")
            for line in cells[0][1:]:
                self.ctx.take(line, "layout.columns[0]", f"{project.project_id}.name")
        elif not texts[0] and self.ctx.records.projects:
            project = self.ctx.records.projects[-1]
        else:
            return  # left unaccounted: `mapping check` lists these lines
        columns = self.options.columns
        for index, (column, cell) in enumerate(zip(columns[1:], cells[1:], strict=False), start=1):
            text = _cell_text(cell)
            if text:
                old = getattr(project, column)
                setattr(project, column, f"{old}\n{text}" if old else text)
            for line in cell:
                self.ctx.take(line, f"layout.columns[{index}]", f"{project.project_id}.{column}")


def _cell_text(lines: list[SourceLine]) -> str:
    return "\n".join(line.text.rstrip() for line in lines).strip()


LAYOUT = CellTable
