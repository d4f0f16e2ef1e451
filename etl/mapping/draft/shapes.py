"""Which layout a document is written in, and the layout's options, inferred from its lines.

Each `*_layout` function returns the `layout` block of the draft as (key, value, comment)
entries, or None when the document is not of that shape.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...jp import nfkc
from .schemes import Mark, mark_of

TABLE_SHARE = 0.2  # share of non-blank lines that must be table rows to read the text as a table
MIN_ROWS = 3
FORM_LABEL = 40  # characters of a card's label cell (`今後の方向性（継続・見直し・終了）`)
_ID = "[0-9０-９]+(?:[－\\-‐][0-9０-９]+){1,2}"
_ID_CELL = re.compile(rf"^\t[\s\u3000]*{_ID}[\s\u3000]*$")
_NUMBER_CELL = re.compile(r"^[0-9０-９]{1,2}$")
_MERGED_CELL = re.compile(r"^[0-9０-９]{1,2}[ \u3000]+\S")
_PLAN = CARD_START = re.compile(r"^P\s*L\s*A\s*N\b")
_PARTS = (r"^D\s*O\s*[(（]", r"^C\s*H\s*E\s*C\s*K\s*[(（]", r"^A\s*C\s*T\s*I\s*O\s*N\s*[(（]")
_TARGETS = r"^取り?組みの\s*達成目標$"
_PART_LABEL = r"(?:D\s*O|C\s*H\s*E\s*C\s*K|A\s*C\s*T\s*I\s*O\s*N)\s*[(（][^)）\t]*[)）]"  # `DO (これまでの取組み)`

# Header words of a table column and the field they name, first match wins.
_COLUMN_FIELDS: tuple[tuple[str, str], ...] = (
    ("番号|No", "number"),
    ("実施事項|取組内容|活動内容", "activities"),
    ("実績", "actual"),
    ("増減|前年比", "change"),
    ("目的", "purpose"),
    ("方法|内容", "method"),
    ("目標|計画", "goal"),
    ("現状|課題", "situation"),
    ("予算|金額", "amount"),  # a budget is no funding source (財源): its figure stays in the content
    ("財源|区分", "funding"),
    ("名", "name"),
)
_TABLE_FIELDS = frozenset({"name", "purpose", "method", "goal", "situation", "funding"})
AMOUNT = "amount"  # a column of figures (予算額) that is no field: it joins the content


def table_role(header: str, kind: str) -> str:
    """The field a column headed `header` fills; a report also keeps its result columns."""
    role = column_field(header) or "method"
    return role if role in _TABLE_FIELDS or (kind == "report" and role != AMOUNT) else "method"


@dataclass
class Entry:
    key: str
    value: object
    comment: str = ""


@dataclass
class Shape:
    layout: str
    entries: list[Entry]
    sections: list[Entry] = field(default_factory=list)  # `sections` items, each value a dict
    ignore: list[Entry] = field(default_factory=list)
    markers: list[Entry] = field(default_factory=list)  # markers only this layout's analysis finds


def column_field(header: str) -> str | None:
    folded = "".join(nfkc(header).split())
    return next((role for words, role in _COLUMN_FIELDS if re.search(words, folded)), None)


def is_cards(lines: Sequence[str]) -> bool:
    return sum(1 for text in lines if _PLAN.match(text)) >= 2  # one card is no layout


def cell_table(lines: Sequence[str]) -> Shape | None:
    """Every cell on lines of its own starting with a tab; a cell holding only `1-1-1` starts a project."""
    non_blank = [text for text in lines if text.strip()]
    if not non_blank or sum(text.startswith("\t") for text in non_blank) < TABLE_SHARE * len(non_blank):
        return None
    ids = sum(1 for text in non_blank if _ID_CELL.match(text))
    if ids < MIN_ROWS:
        return None
    header = _cell_header(lines)
    roles = [column_field(cell) for cell in header or []]
    columns = ["method" if c == AMOUNT else c for c in roles if c in _TABLE_FIELDS or c == AMOUNT]
    entries = [
        Entry("type", "cell_table", f"{ids} cells hold only a number like 1-1-1: one table row per project"),
        Entry("columns", columns or ["name", "method"], _columns_comment(header, columns)),
        Entry("project_id", rf"^[\s\u3000]*(?P<id>{_ID})[\s\u3000]*$", "a first cell holding only the number"),
    ]
    if header:
        spaced = r"\s*".join(re.escape(ch) for ch in "".join(header[0].split()))
        entries.append(Entry("header_row", f"^{spaced}$", "the header row, repeated on every page"))
    sections = _headings_between_tables(lines)
    return Shape("cell_table", entries, sections)


def _headings_between_tables(lines: Sequence[str]) -> list[Entry]:
    """Numbered lines outside the cells (after a blank line, or after another such line) head sections."""
    found: dict[str, tuple[Mark, list[str]]] = {}
    outside = True  # at the start, after a blank line, or after a heading
    for text in lines:
        if not text.strip():
            outside = True
            continue
        mark = mark_of(text) if outside and not text.startswith("\t") else None
        if mark is not None and mark.rank > 0:
            found.setdefault(mark.name, (mark, []))[1].append(text)
        outside = mark is not None
    by_rank = sorted(found.values(), key=lambda pair: pair[0].rank)
    return [
        Entry(
            "",
            {"level": level, "pattern": mark.named(gap=mark.gap_of(texts))},
            f"{len(texts)} `{mark.example}` headings between the tables",
        )
        for level, (mark, texts) in enumerate(by_rank, start=1)
    ]


def _cell_header(lines: Sequence[str]) -> list[str]:
    """The first run of tab cells that are all short labels without digits."""
    run: list[str] = []
    for text in lines:
        cell = text.strip()
        if text.startswith("\t") and cell and len(cell) <= 12 and not re.search(r"[0-9０-９]", cell):
            run.append(cell)
            continue
        if len(run) >= 2:  # a header names at least two columns
            return run
        run = []
    return []


def _columns_comment(header: list[str], columns: list[str]) -> str:
    if not header:
        return "TODO: no header row found; name each column's field"
    return "from the header row: " + ", ".join(header) + ("" if len(columns) == len(header) else " (TODO: check)")


def row_table(lines: Sequence[str], kind: str, aligned: bool = False) -> Shape | None:
    """One table row per line, cells separated by tabs, a number cell anchoring each project.
    In an `aligned` table (read from Excel or Word, whose columns never shift) a row that
    continues a project gives its cells the roles of their own columns."""
    rows = [text.split("\t") for text in lines if "\t" in text.strip("\t") or text.count("\t") >= 2]
    non_blank = [text for text in lines if text.strip()]
    if not non_blank or len(rows) < TABLE_SHARE * len(non_blank):
        return None
    anchored = [row for row in rows if _anchor(row) is not None]
    if len(anchored) < MIN_ROWS:
        return None
    header = next((row for row in rows if any(column_field(c) == "number" for c in row[:4])), None)
    columns = _row_columns(header, kind)
    sections = [
        Entry(
            "",
            {"level": 1, "pattern": r"^(?P<title>[^\t]+)\t*$"},
            "a row with text in its first cell only (a sheet's title row): a unit (拠点区分) heading the rows below",
        )
    ]
    entries = [
        Entry("type", "row_table", f"{len(anchored)} rows carry a project number among their first cells"),
        Entry("number", "^(?P<id>[0-9０-９]{1,2})$", "a cell holding only the project number"),
        Entry("merged", r"^(?P<id>[0-9０-９]{1,2})[ \u3000]+(?P<text>\S.*)$", "or the number and the name in one cell"),
        Entry("within", 4, "the number is among the first four cells"),
        Entry("columns", columns, _columns_comment(header or [], columns)),
        *_grouping(lines, anchored),
        Entry("same_as_above", "^[〃″]$", "〃 repeats the cell above"),
        Entry("continuation", ["label", *columns[1:]], "rows with an empty first cell continue the project above"),
    ]
    at = next((i for i, cell in enumerate(header or []) if column_field(cell) == "number"), None)
    if aligned and header and at is not None and at + 1 < len(header):
        why = f"the columns never shift: a continuation row's cells keep their roles from the `{header[at + 1]}` column"
        entries.append(Entry("continuation_from", at + 2, why))
    ignore = []
    if header:
        first = [re.escape(cell) for cell in header[:3]]
        ignore.append(Entry("", {"pattern": "^" + r"\t".join(first), "reason": "the table's header row"}))
    return Shape("row_table", entries, sections, ignore)


def _grouping(lines: Sequence[str], anchored: Sequence[list[str]]) -> list[Entry]:
    """Categories (a cell before the number) and units (a row of one cell, or a heading
    between the tables) qualify the ids, when the table has them."""
    first = next(i for i, text in enumerate(lines) if _anchor(text.split("\t")) is not None)
    units = any(re.match(r"^[^\t]+\t*$", text) for text in lines[first:])  # a title above the table is none
    categories = any(any(cell.strip() for cell in row[: _anchor(row)]) for row in anchored)
    if not units and not categories:
        return []
    return [
        Entry("category_level", 2, "the cell before the number names a category"),
        Entry("id_levels", [1, 2], "ids: unit, category, printed number"),
    ]


def _anchor(row: list[str]) -> int | None:
    return next((i for i, cell in enumerate(row[:4]) if _NUMBER_CELL.match(cell) or _MERGED_CELL.match(cell)), None)


def _row_columns(header: list[str] | None, kind: str) -> list[str]:
    if header is None:
        return ["name", "activities", "actual"] if kind == "report" else ["name", "method"]
    at = next(i for i, cell in enumerate(header) if column_field(cell) == "number")
    roles = [table_role(cell, kind) for cell in header[at + 1 :] if cell.strip()]
    return roles or ["name"]


# Card labels (the first cell of a row after the part label) and the fields they fill.
# 今後の方向性 is not among them: forms print their legend of choices (継続・見直し・終了)
# where the choice goes, and only a reader can tell a choice from the legend.
_CARD_FIELDS: tuple[tuple[str, str], ...] = (
    (r"^現状と課題$", "situation"),
    (r"^方針・目標$", "goal"),
    (r"^達成状況と成果", "achievement"),
    (r"^課題$", "issues"),
    (r"^具体的な取り?組み内容", "action"),
)


def cards(lines: Sequence[str]) -> Shape:
    """PDCA cards: PLAN / DO / CHECK / ACTION parts, rows of tab-separated cells."""
    cells = {cell.strip() for text in lines for cell in text.split("\t") if cell.strip()}
    fields: list[dict[str, object]] = []
    if any(re.match(r"^事業名$", cell) for cell in cells):
        fields.append({"label": "^事業名$", "to": "name", "before_card": True})
    fields.extend({"label": label, "to": to} for label, to in _CARD_FIELDS if any(re.match(label, c) for c in cells))
    name_from: list[dict[str, str]] = [{"field": "name"}] if fields and fields[0]["to"] == "name" else []
    if any(f["to"] == "situation" for f in fields):
        name_from.append({"field": "situation", "pattern": "^(?:<p>)?(?P<name>[^、。<]+)"})
    entries = [
        Entry("type", "cards", "PLAN / DO / CHECK / ACTION parts: one card per project"),
        Entry("card_start", r"^P\s*L\s*A\s*N\b", "a card starts at its PLAN part"),
        Entry("parts", list(_PARTS), "DO / CHECK / ACTION parts"),
        Entry("year_label", "^R[0-9０-９]+$", "years printed as R5, R6 …"),
        Entry("fields", fields, "the labels found on the cards"),
    ]
    if any(re.match(_TARGETS, cell) for cell in cells):
        targets = {"label": _TARGETS, "plan": "^計画$", "result": "^結果$", "arrows_span": True}
        entries.append(Entry("targets", targets, "the table of targets per year"))
    if name_from:
        entries.append(Entry("name_from", name_from, "TODO: cards without 事業名 are named by their first clause"))
    return Shape("cards", entries, ignore=_empty_form_rows(lines))


_YEAR_LABEL = re.compile(r"^(?:R|H|令和|平成)\s*[0-9０-９元]+(?:年度?)?$")


def _is_value(cell: str) -> bool:
    """A count (`650件`, `6地域`) or an arrow spanning years (`→`, `—————▶`) is what a card
    holds, however often it repeats: never one of the form's labels. A year (`R5`) is a label."""
    if _YEAR_LABEL.match(cell):
        return False
    return any(char.isdigit() for char in cell) or not any(char.isalnum() for char in cell)


def _empty_form_rows(lines: Sequence[str]) -> list[Entry]:
    """Rows whose every cell is a label printed on most cards: the form's empty slots."""
    cells = Counter(cell.strip() for text in lines for cell in text.split("\t") if cell.strip())
    structural = re.compile("|".join([_PLAN.pattern, *_PARTS, _TARGETS]))  # rows the cards layout reads
    labels = sorted(
        (
            cell
            for cell, count in cells.items()
            if count >= MIN_ROWS
            and len(cell) <= FORM_LABEL
            and "。" not in cell
            and not structural.match(cell)
            and not _is_value(cell)
        ),
        key=lambda cell: (-len(cell), cell),
    )
    if not labels:
        return []
    label = "(?:" + "|".join(re.escape(cell) for cell in labels) + ")"
    pattern = rf"^[\t ]*{label}(?:[\t ]+{label})*[\t ]*$"
    why = f"rows of the form that carry nothing: only labels printed on most cards ({len(labels)} labels)"
    part = rf"^[\t ]*{_PART_LABEL}(?:[\t ]+{label})*[\t ]*$"
    return [
        Entry("", {"pattern": pattern, "reason": "the form's empty slots (only its labels)"}, why),
        Entry("", {"pattern": part, "reason": "a part's heading row with empty slots"}, "DO / CHECK / ACTION rows"),
    ]
