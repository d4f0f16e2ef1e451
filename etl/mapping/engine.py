"""Stage 2, map: a `SourceDocument` and a `Mapping` give canonical `Records`.

The engine knows layouts, never councils: everything council-specific comes from
the mapping. It also accounts for every non-blank line (`Coverage`), so that the
tool can prove nothing was lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..jp import normalise_id
from ..model import Council, DocumentInfo, DocumentKind, Project, Records, Source
from ..read.source import SourceDocument, SourceLine
from .loader import Mapping


@dataclass(frozen=True)
class LineUse:
    """What one source line became: a record field, a section heading, or ignored."""

    line: int
    use: str  # "field", "section", "ignored"
    rule: str  # the mapping key that took it
    target: str = ""  # e.g. "1-1-1.purpose"


@dataclass
class Coverage:
    total: int = 0
    uses: dict[int, LineUse] = field(default_factory=dict)

    def take(self, line: SourceLine, use: str, rule: str, target: str = "") -> None:
        if not line.is_blank:
            self.uses[line.number] = LineUse(line.number, use, rule, target)

    def unaccounted(self, document: SourceDocument) -> list[SourceLine]:
        return [line for line in document.non_blank if line.number not in self.uses]


@dataclass
class MappingResult:
    records: Records
    coverage: Coverage


def apply_mapping(mapping: Mapping, document: SourceDocument) -> MappingResult:
    data = mapping.data
    council = Council(**{k: str(v) for k, v in data["council"].items()})
    doc = data["document"]
    info = DocumentInfo(DocumentKind(doc["kind"]), doc["title"], tuple(doc["fiscal_years"]), Path(document.path).name)
    records = Records(council, info)
    coverage = Coverage(total=len(document.non_blank))
    _TabTable(mapping, _cleaned(mapping, document), records, coverage).run()
    return MappingResult(records, coverage)


def _cleaned(mapping: Mapping, document: SourceDocument) -> SourceDocument:
    """Remove inline noise the mapping names under `clean` (e.g. `[bookmark: …]`)."""
    patterns = [mapping.regex("clean", i) for i in range(len(mapping.data.get("clean", [])))]
    if not patterns:
        return document
    lines = []
    for line in document.lines:
        text = line.text
        for pattern in patterns:
            text = pattern.sub("", text)
        lines.append(SourceLine(line.number, text, line.origin))
    return SourceDocument(document.path, tuple(lines), document.encoding)


class _TabTable:
    """Rows of a table exported as text: every cell starts with a tab.

    A row has exactly as many cells as the mapping declares columns, so an empty cell
    keeps its column; a row whose first cell is empty continues the previous project.
    """

    def __init__(self, mapping: Mapping, document: SourceDocument, records: Records, coverage: Coverage):
        self.columns: list[str] = mapping.data["table"]["columns"]
        self.project_id = mapping.regex("table", "project_id")
        header = mapping.data["table"].get("header_row")
        self.header = mapping.regex("table", "header_row") if header else None
        sections = mapping.data.get("sections", [])
        self.sections = [(s["level"], mapping.regex("sections", i, "pattern")) for i, s in enumerate(sections)]
        self.document, self.records, self.coverage = document, records, coverage
        self.path: list[str] = []
        self.file = Path(document.path).name

    def run(self) -> None:
        cells: list[list[SourceLine]] = []
        for line in self.document.lines:
            row_complete = len(cells) == len(self.columns)
            if line.text.startswith("\t"):
                if row_complete:
                    self._emit(cells)
                    cells = []
                cells.append([SourceLine(line.number, line.text[1:], line.origin)])
            elif (not cells or row_complete) and self._section_match(line):
                if cells:
                    self._emit(cells)
                    cells = []
                self._enter_section(line)
            elif cells:
                cells[-1].append(line)
        if cells:
            self._emit(cells)

    def _section_match(self, line: SourceLine) -> tuple[int, re.Match[str]] | None:
        for level, pattern in self.sections:
            match = pattern.match(line.text)
            if match:
                return level, match
        return None

    def _enter_section(self, line: SourceLine) -> None:
        level, match = self._section_match(line) or (0, None)
        assert match is not None
        self.path[level - 1 :] = [f"{normalise_id(match['id'])} {match['title']}"]
        self.coverage.take(line, "section", f"sections[level={level}]", self.path[-1])

    def _emit(self, cells: list[list[SourceLine]]) -> None:
        texts = [_cell_text(cell) for cell in cells]
        first = cells[0][0]
        if self.header and self.header.match(texts[0]):
            for cell in cells:
                for line in cell:
                    self.coverage.take(line, "ignored", "table.header_row")
            return
        if not any(texts):
            return
        id_match = self.project_id.match(cells[0][0].text)
        if id_match:
            printed = id_match["id"]
            name = _cell_text(cells[0][1:])
            project = Project(
                normalise_id(printed), printed, name, Source(self.file, first.number, first.origin), tuple(self.path)
            )
            self.records.projects.append(project)
            self.coverage.take(cells[0][0], "field", "table.project_id", f"{project.project_id}.project_id")
            for line in cells[0][1:]:
                self.coverage.take(line, "field", "table.columns[0]", f"{project.project_id}.name")
            start = 1
        elif not texts[0] and self.records.projects:
            project = self.records.projects[-1]
            start = 1
        else:
            return  # left unaccounted: `mapping check` lists these lines
        for column, cell in zip(self.columns[start:], cells[start:], strict=False):
            text = _cell_text(cell)
            if text:
                old = getattr(project, column)
                setattr(project, column, f"{old}\n{text}" if old else text)
            rule = f"table.columns[{self.columns.index(column)}]"
            for line in cell:
                self.coverage.take(line, "field", rule, f"{project.project_id}.{column}")


def _cell_text(lines: list[SourceLine]) -> str:
    return "\n".join(line.text.rstrip() for line in lines).strip()
