"""A wide table with one row per line, cells separated by tabs, whose columns shift."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...model import Project, Result
from ...problems import EtlError, Location, Problem, problem
from ...read.source import SourceLine
from ..context import Context
from ..patterns import Pattern, compile_pattern
from ..values import parse_change
from .base import Layout, compiled

RESULT_FIELDS = {"activities": "activities", "actual": "actual", "change": "change_text"}
DEFAULT_WITHIN = 3


@dataclass(frozen=True)
class TagOptions:
    pattern: str = ""  # group `tag` is the tag, group `rest` goes to `rest`
    rest: str = "goal"


@dataclass(frozen=True)
class Move:
    source: str = field(metadata={"key": "from"})  # project ids
    to: str
    field: str
    pattern: str
    reason: str


@dataclass(frozen=True)
class RowTableOptions:
    columns: tuple[str, ...]
    number: str = ""
    name_column: int = 0  # without a number: the 1-based cell holding the name anchors the row
    merged: str = ""
    within: int = DEFAULT_WITHIN
    category_level: int = 1
    id_levels: tuple[int, ...] = ()
    same_as_above: str = ""
    tags: TagOptions = TagOptions()
    continuation: tuple[str, ...] = ()
    continuation_from: int = 0  # the 1-based cell the continuation roles start at; 0: the first filled one
    column_labels: tuple[str, ...] = ()  # beside `columns`: a label written before its cell's text (the year, R6)
    fiscal_year: int | None = None
    moves: tuple[Move, ...] = ()


@dataclass(frozen=True)
class RowShape:
    """How a project row is recognised: its anchor (the number cell) and the columns after it."""

    number: Pattern | None  # a cell holding only the number; group `id`
    merged: Pattern | None  # the number merged with the first column's text; groups `id`, `text`
    within: int  # the anchor is one of the first `within` cells
    columns: tuple[str, ...]  # roles of the cells after the number, the first one possibly merged into it
    name_column: int = 0  # a table without numbers: the cell of the name (1-based) anchors a row
    labels: tuple[str, ...] = ()  # beside `columns`: the label written before a cell's text, if any


@dataclass(frozen=True)
class RowReading:
    """One project row, its cells put in their roles whatever their positions."""

    printed_id: str
    category: str  # the non-empty cell just before the anchor, if any
    values: dict[str, str]  # role -> cell text
    stray: tuple[int, ...] = ()  # non-empty cells no role takes (left unaccounted)


def split_cells(text: str) -> list[str]:
    return [cell.strip() for cell in text.split("\t")]


def cell_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each tab-separated cell of `text`."""
    spans, start = [], 0
    for cell in text.split("\t"):
        spans.append((start, start + len(cell)))
        start += len(cell) + 1
    return spans


def find_anchor(cells: list[str], shape: RowShape) -> tuple[int, str, str | None] | None:
    """(index, printed number, merged text or None) of the first anchor cell, if any. In a
    table without numbers, a row of two or more cells with its name cell filled is a project
    whose number is empty (it is numbered by place); its name is the first column."""
    if shape.name_column:
        index = shape.name_column - 1
        filled = len(cells) > 1 and index < len(cells) and cells[index]
        return (index, "", cells[index]) if filled else None
    for index, cell in enumerate(cells[: shape.within]):
        number = shape.number.fullmatch(cell) if shape.number else None
        if number:
            return index, number["id"], None
        merged = shape.merged.fullmatch(cell) if shape.merged else None
        if merged:
            return index, merged["id"], merged["text"].strip()
    return None


def read_row(cells: list[str], shape: RowShape) -> RowReading | None:
    """Read a project row relative to its anchor; None if no cell is a project number.

    With the number alone in its cell, the columns start at the next cell; with the
    number merged into the next cell's text (`4 ボランティアスクール事業`), that text
    is the first column and the others follow the anchor.
    """
    anchor = find_anchor(cells, shape)
    if anchor is None:
        return None
    index, printed_id, merged_text = anchor
    before = [i for i in range(index) if cells[i]]
    after = cells[index + 1 :]
    columns = shape.columns if merged_text is None else shape.columns[1:]
    labels = shape.labels if merged_text is None else shape.labels[1:]
    values: dict[str, str] = {}
    for i, (role, cell) in enumerate(zip(columns, after, strict=False)):  # a role of several columns joins them
        text = f"{labels[i]}: {cell}" if i < len(labels) and labels[i] and cell else cell
        values[role] = f"{values[role]}\n{text}" if values.get(role) and text else values.get(role) or text
    if merged_text is not None:
        values = {shape.columns[0]: merged_text, **values}
    unplaced = [index + 1 + i for i in range(len(columns), len(after)) if after[i]]
    stray = (*before[:-1], *unplaced)
    return RowReading(printed_id, cells[before[-1]] if before else "", values, stray)


def read_continuation(cells: list[str], roles: tuple[str, ...], start: int = 0) -> dict[str, str] | None:
    """Roles of a row that continues the project above: from its first non-empty cell on,
    cells take `roles` in order (an empty cell keeps its role); with `start`, from that
    1-based cell on, as in a table whose columns never shift (an Excel export). None if
    the row starts with a filled cell, is empty, or has more cells than roles."""
    if not cells or cells[0]:
        return None
    first = next((i for i, cell in enumerate(cells) if cell), None)
    if first is None or (start and first < start - 1):
        return None
    first = start - 1 if start else first
    rest = cells[first:]
    if any(rest[len(roles) :]):
        return None
    return {role: cell for role, cell in zip(roles, rest, strict=False) if cell}


class Ordinals:
    """The 1-based position of the current section at each level among its siblings."""

    def __init__(self) -> None:
        self.counts: list[int] = []

    def enter(self, level: int) -> None:
        self.counts.extend([0] * (level - len(self.counts)))
        del self.counts[level:]
        self.counts[level - 1] += 1

    def at(self, level: int) -> int:
        return self.counts[level - 1] if level <= len(self.counts) else 0


class RowTable(Layout):
    """One table row per line, cells separated by tabs; the columns may shift from row
    to row (a merged cell, a missing category cell, trailing empty cells), so cells are
    read relative to an anchor: the project number. It is a cell holding only the
    number (`number`), or the number followed by the first column's text in one cell
    (`merged`), among the first `within` cells. The cells after it take the roles in
    `columns`. The non-empty cell just before the anchor names a category (a section at
    `category_level`; a category repeating the current one changes nothing). Rows
    matching `sections` (e.g. accounting units) head sections themselves.

    The project id is the printed number qualified by the position of the current
    section at each level of `id_levels` (1-2-3: the second category of the first
    unit, number 3); the printed number is kept as `printed_id`.

    A table that prints no project numbers (an Excel export with 事業名/内容/目標, or
    yearly plans under a label over R6 R7 R8) anchors a row on its name instead:
    `name_column: 2` is the 1-based cell holding the name, `columns` then starts with
    `name`, every row of two or more cells with that cell filled is a project, numbered by
    place in its section or category, and columns sharing a role (the years) join in it,
    each cell after its label in `column_labels` (beside `columns`, `''` for none), so that
    a goal reads `R6: 30か所` and not the values alone.

    A row without an anchor whose first cell is empty continues the project above:
    from its first non-empty cell on, cells take the `continuation` roles; a `label`
    cell is written before each text the row adds. In a table whose columns never shift
    (read from Excel or Word), `continuation_from: 2` starts the roles at that cell
    instead, so an empty cell keeps its column's role. A cell matching `same_as_above`
    (`〃`) takes the value of its role in the project row above.

    Roles: project fields (name, purpose, method, goal, situation, funding, tags) and
    result fields of `fiscal_year` (activities, actual, change: as printed, and its value
    when it is a single change such as `+149`, `-4`, `±0`, `△4`). A `tags` cell gives
    one tag: group `tag` of `tags.pattern`, the rest (group `rest`) going to
    `tags.rest`. `moves` puts text back in the project it belongs to where the source
    table shifted it into a neighbouring row; each says why.

    ```yaml
    sections:
      - {level: 1, pattern: '^(?P<title>[^\\t]+拠点)\\t*$'}
    layout:
      type: row_table
      number: '^(?P<id>[0-9０-９]{1,2})$'
      merged: '^(?P<id>[0-9０-９]{1,2})[ \\u3000]+(?P<text>\\S.*)$'
      within: 4
      columns: [name, tags, method, activities, actual, change]
      category_level: 2
      id_levels: [1, 2]
      same_as_above: '^〃$'
      tags: {pattern: '^(?P<tag>基本計画[0-9０-９]+)[ \\u3000]*(?P<rest>.*)$', rest: goal}
      continuation: [label, method, activities, actual, change]
      moves:
        - {from: 1-2-1, to: 1-2-2, field: actual, pattern: '年4回開催$', reason: 2の実績が1の欄に印字}
    ```
    """

    name = "row_table"
    Options = RowTableOptions
    options: RowTableOptions

    def __init__(self, options: Mapping[str, Any], ctx: Context) -> None:
        super().__init__(options, ctx)
        self.shape = RowShape(
            compiled(self.options.number),
            compiled(self.options.merged),
            self.options.within,
            self.options.columns,
            self.options.name_column,
            self.options.column_labels,
        )
        self.continuation = self.options.continuation
        self.ordinals = Ordinals()
        self.above: dict[str, tuple[str, int]] = {}  # role -> last value and its line, for `〃`
        self.results: dict[str, Result] = {}
        self.current: Project | None = None  # the project a continuation row would continue
        self.place = 0  # rows read under the current section or category: a row's number without one

    def run(self, lines: list[SourceLine]) -> None:
        for line in lines:
            if line.is_blank or self._section(line):
                continue
            cells = split_cells(line.text)
            reading = read_row(cells, self.shape)
            if reading is not None:
                self._project_row(line, reading)
                continue
            roles = (
                read_continuation(cells, self.continuation, self.options.continuation_from)
                if self.continuation
                else None
            )
            if roles is not None and self.current is not None:
                self._continuation_row(line, self.current, roles)
            # any other row is left unaccounted: `mapping check` lists it
        for index, move in enumerate(self.options.moves):
            self._move(index, move)

    @property
    def fiscal_year(self) -> int:
        return self.options.fiscal_year or self.ctx.fiscal_years[-1]

    def _section(self, line: SourceLine) -> bool:
        found = self.ctx.sections.match(line)
        if found is None:
            return False
        self.ctx.section_line(line)
        self.ordinals.enter(found[0].level)
        self.current = None
        self.place = 0
        return True

    def _enter_category(self, label: str) -> None:
        level = self.options.category_level
        current = self.ctx.sections.path
        if len(current) >= level and current[level - 1] == label:
            return
        self.ctx.sections.enter(level, label)
        self.ordinals.enter(level)
        self.place = 0

    def _project_id(self, printed_id: str) -> str:
        levels = self.options.id_levels
        return "-".join([*(str(self.ordinals.at(level)) for level in levels), printed_id])

    def _project_row(self, line: SourceLine, reading: RowReading) -> None:
        if reading.category:
            self._enter_category(reading.category)
        values, notes = self._resolve_same_as_above(reading.values, line)
        self.place += 1
        printed_id = str(self.place) if self.shape.name_column else reading.printed_id
        if not self.shape.name_column:
            self.ctx.check_id(printed_id, line, "layout", "number")
        project = self.ctx.add_project(printed_id, values.get("name", ""), line)
        project.project_id = self._project_id(project.project_id)
        result = Result(project.project_id, self.fiscal_year, self.ctx.source(line))
        self.ctx.records.results.append(result)
        self.results[project.project_id] = result
        self.current = project
        for role, text in values.items():
            if role != "name":
                self._add(project, result, role, text)
        target = " ".join([project.project_id, *notes])
        for index, span in enumerate(cell_spans(line.text)):
            if index not in reading.stray:
                self.ctx.take(line, "layout.columns", target, span)

    def _resolve_same_as_above(self, values: dict[str, str], line: SourceLine) -> tuple[dict[str, str], list[str]]:
        """Replace `〃` cells by their role's value in the row above; say where each came from."""
        ditto = compiled(self.options.same_as_above)
        resolved, notes = dict(values), []
        for role, text in values.items():
            if ditto and ditto.fullmatch(text) and role in self.above:
                resolved[role], origin = self.above[role]
                notes.append(f"{role}:{text}=line{origin}")
            elif text:
                self.above[role] = (text, line.number)
        return resolved, notes

    def _continuation_row(self, line: SourceLine, project: Project, roles: dict[str, str]) -> None:
        result = self.results[project.project_id]
        label = roles.pop("label", "")
        for role, text in roles.items():
            self._add(project, result, role, f"{label}\n{text}" if label else text)
        self.ctx.take(line, "layout.continuation", f"{project.project_id} (continued)")

    def _add(self, project: Project, result: Result, role: str, text: str) -> None:
        if not text:
            return
        if role == "tags":
            self._add_tag(project, result, text)
        elif role in RESULT_FIELDS:
            _append(result, RESULT_FIELDS[role], text)
            result.change_value = parse_change(result.change_text)
        else:
            _append(project, role, text)

    def _add_tag(self, project: Project, result: Result, text: str) -> None:
        spec = self.options.tags
        found = compile_pattern(spec.pattern).fullmatch(text) if spec.pattern else None
        if found is None:
            project.tags = (*project.tags, text)
            return
        project.tags = (*project.tags, found.groupdict().get("tag") or found.group(0))
        rest = (found.groupdict().get("rest") or "").strip()
        if rest:
            self._add(project, result, spec.rest, rest)

    def _move(self, index: int, move: Move) -> None:
        """Cut the text `pattern` finds in one project's field and append it to another's."""
        source, target = self._record(move.source, move.field), self._record(move.to, move.field)
        attribute = RESULT_FIELDS.get(move.field, move.field)
        text = getattr(source, attribute) if source is not None else ""
        found = compile_pattern(move.pattern).search(text)
        if source is None or target is None or found is None:
            raise EtlError(_move_problem(self.ctx.mapping.path, index, move))
        left, right = text[: found.start()].rstrip(), text[found.end() :].lstrip()
        setattr(source, attribute, f"{left} {right}" if left and right else left or right)
        _append(target, attribute, found.group(0).strip())
        for record in (source, target):
            if isinstance(record, Result):
                record.change_value = parse_change(record.change_text)

    def _record(self, project_id: str, role: str) -> Project | Result | None:
        if role in RESULT_FIELDS:
            return self.results.get(str(project_id))
        return next((p for p in self.ctx.records.projects if p.project_id == str(project_id)), None)


def _append(record: Project | Result, attribute: str, text: str) -> None:
    old = getattr(record, attribute)
    setattr(record, attribute, f"{old}\n{text}" if old else text)


def _move_problem(mapping_file: str, index: int, move: Move) -> Problem:
    where = f"{move.source}.{move.field} -> {move.to}"
    return problem(
        "mapping.move_not_found",
        Location(file=mapping_file, key=f"layout.moves[{index}]"),
        ja=f"移動する文字列が見つかりません ({where}): {move.pattern}",
        en=f"text to move not found ({where}): {move.pattern!r}",
        hint="事業IDとパターンを mapping explain の結果と照らし合わせてください",
    )


LAYOUT = RowTable
