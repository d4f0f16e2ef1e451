"""How a reader lays tables out as lines: the two text-export conventions.

The sample texts were exported from Word and Excel in one of two ways, and a mapping
written for a text export must also work for the original file:

- `cell_lines`: every table cell starts a new line with a leading tab; the cell's
  further paragraphs follow on lines without a tab; a blank line ends each row.
- `tab_rows`: one line per table row, cells separated by tabs (the first cell without
  a leading tab); a cell's paragraphs are joined with a space.

A tab inside a cell would break either convention, so it becomes a space.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..problems import Problem
from .source import MAX_LINES, SourceDocument, SourceLine, too_many_lines

TableStyle = Literal["cell_lines", "tab_rows"]
TABLE_STYLES: tuple[TableStyle, ...] = ("cell_lines", "tab_rows")


@dataclass(frozen=True)
class ReadOptions:
    """How to read a document; a mapping's `read:` key gives these values."""

    table_style: TableStyle = "tab_rows"

    def __post_init__(self) -> None:
        if self.table_style not in TABLE_STYLES:  # the mapping schema allows only these
            raise ValueError(f"table_style must be one of {TABLE_STYLES}, not {self.table_style!r}")


@dataclass(frozen=True)
class Line:
    """A line a reader emits before numbering: its text, origin, heading and list level."""

    text: str
    origin: str = ""
    heading: int = 0
    list_level: int = 0


@dataclass(frozen=True)
class Cell:
    lines: tuple[str, ...]  # the cell's paragraphs as displayed; may be empty
    origin: str


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    origin: str


def render_rows(rows: Iterable[Row], style: TableStyle) -> Iterator[Line]:
    """Lines of a table in the text-export convention `style`."""
    render = _cell_lines if style == "cell_lines" else _tab_rows
    for row in rows:
        yield from render(row)


def _cell_lines(row: Row) -> Iterator[Line]:
    for cell in row.cells:
        first, *rest = cell.lines or ("",)
        yield Line("\t" + _untab(first), cell.origin)
        for text in rest:
            yield Line(_untab(text), cell.origin)
    yield Line("", row.origin)


def _tab_rows(row: Row) -> Iterator[Line]:
    yield Line("\t".join(_joined(cell.lines) for cell in row.cells), row.origin)


def _joined(lines: tuple[str, ...]) -> str:
    """A cell's paragraphs on one line; empty paragraphs between them add nothing."""
    kept = [text for text in lines if text.strip()] if len(lines) > 1 else lines
    return " ".join(_untab(text) for text in kept)


def _untab(text: str) -> str:
    return text.replace("\t", " ")


def numbered(path: Path, lines: Iterable[Line], problems: tuple[Problem, ...] = ()) -> SourceDocument:
    """The document a reader returns: its lines numbered from 1 in reading order."""
    numbered_lines = []
    for n, line in enumerate(lines, start=1):
        if n > MAX_LINES:
            raise too_many_lines(path)
        numbered_lines.append(SourceLine(n, line.text, line.origin, line.heading, line.list_level))
    return SourceDocument(str(path), tuple(numbered_lines), problems=problems)
