"""A table that prints no project numbers: a header row names its columns (事業名 / 内容 /
目標, or a label over the year columns R6 R7 R8), and each row below it is a project.

An Excel export or a 地域福祉活動計画's yearly plans read this way: the cell under the
name's header anchors the row (`name_column`), a filled cell before it names a category,
and the lines without cells between the tables (`推進項目1-1 見守り活動の充実`) head
sections, one level per word that numbers them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...jp import nfkc
from .schemes import mark_of
from .shapes import AMOUNT, MIN_ROWS, TABLE_SHARE, Entry, Shape, column_field, table_role

HEADER_CELL = 12  # characters of a header cell (`具体的な取り組み`)
HEADING = 40  # characters of a heading line between the tables
_YEAR = re.compile(r"^(?:R|H|令和|平成)[0-9]{1,2}(?:年度?)?$|^20[0-9]{2}(?:年度?)?$")
_NUMBERED_WORD = re.compile(r"^[\s\u3000]*(?P<word>[^\s\u3000\t0-9０-９]{2,6}?)[\s\u3000]*[0-9０-９]")
_SP = r"[\s\u3000]"
_COUNTED = re.compile(r"回数|人数|件数|参加者|利用者|実績")


def header_table(lines: Sequence[str], kind: str) -> Shape | None:
    """The `row_table` of a table without numbers, or None when `lines` hold none."""
    rows = [(i, _cells(text)) for i, text in enumerate(lines) if "\t" in text.strip("\t")]
    header_at = next((k for k, (_, cells) in enumerate(rows) if _name_index(cells) is not None), None)
    if header_at is None:
        return None
    header = rows[header_at][1]
    if not _heads_the_tables(lines, header):
        return None
    name = _name_index(header)
    assert name is not None
    data = [cells for _, cells in rows[header_at + 1 :] if cells != header and _at(cells, name)]
    non_blank = sum(1 for text in lines if text.strip())
    if len(data) < MIN_ROWS or len(data) < TABLE_SHARE * non_blank:
        return None
    named = [cell for cell in header[name + 1 :] if cell]
    columns = ["name", *(_role(cell, kind) for cell in named)]
    categorised = any(any(cells[:name]) for cells in data)
    sections = _headings(lines)
    levels = list(range(1, len(sections) + 1 + categorised))
    entries = [
        Entry("type", "row_table", f"{len(data)} rows under a header row that prints no project numbers"),
        Entry("name_column", name + 1, f"the column headed `{header[name]}`: each row with it filled is a project"),
        Entry("columns", columns, _columns_why(header[name:], columns)),
    ]
    labels = [cell if _YEAR.match(nfkc(cell)) or column_field(cell) == AMOUNT else "" for cell in named]
    if any(labels):
        why = "the year over each plan column, an amount's header (予算額), written before its value"
        entries.append(Entry("column_labels", ["", *labels], why))
    if categorised:
        entries.append(Entry("category_level", len(sections) + 1, "a filled cell before the name names a category"))
    if levels:
        entries.append(Entry("id_levels", levels, "rows are numbered by place under each heading or category"))
    pattern = "^" + r"\t".join(re.escape(cell) for cell in header).rstrip("\\t") + r"[\t ]*$"
    ignore = [Entry("", {"pattern": pattern, "reason": "the table's header row"}, "printed over each table")]
    return Shape("row_table", entries, sections, ignore)


def _heads_the_tables(lines: Sequence[str], header: list[str]) -> bool:
    """Whether `header` opens at least half of the tables (runs of lines with cells): a report
    whose every project prints its own small table (実施日 / 回数 / 参加者) under its heading
    has as many headers as tables, and those tables are the projects' content, not projects."""
    openings = [
        _cells(text)
        for i, text in enumerate(lines)
        if "\t" in text.strip("\t") and (i == 0 or "\t" not in lines[i - 1])
    ]
    return 2 * sum(1 for cells in openings if cells == header) >= len(openings)


def _cells(text: str) -> list[str]:
    return [cell.strip() for cell in text.rstrip().split("\t")]


def _at(cells: Sequence[str], index: int) -> bool:
    return len(cells) > 1 and index < len(cells) and bool(cells[index])


def _name_index(cells: Sequence[str]) -> int | None:
    """The column of the names in a header row: the one headed 事業名, else the label over years."""
    filled = [cell for cell in cells if cell]
    if len(filled) < 2 or any(len(cell) > HEADER_CELL or "。" in cell for cell in filled):
        return None
    named = [i for i, cell in enumerate(cells) if cell and column_field(cell) == "name"]
    if named:
        return named[0]
    years = [i for i, cell in enumerate(cells) if _YEAR.match(nfkc(cell))]
    first = next(i for i, cell in enumerate(cells) if cell)
    return first if len(years) >= 2 and first < years[0] else None


def _role(header: str, kind: str) -> str:
    if _YEAR.match(nfkc(header)):
        return "goal"  # a plan per year: its targets
    if kind == "report" and _COUNTED.search(header):
        return "actual"  # a report's 実施回数, 延べ参加者数: what was done
    return table_role(header, kind)


def _columns_why(header: Sequence[str], columns: Sequence[str]) -> str:
    years = [cell for cell in header if _YEAR.match(nfkc(cell))]
    why = "from the header row: " + ", ".join(cell for cell in header if cell)
    if years:
        why += f"; the year columns ({years[0]} … {years[-1]}) join in goal, one line per year"
    return why


def _headings(lines: Sequence[str]) -> list[Entry]:
    """Lines without cells that head the tables: one level per list mark or numbering word,
    outermost (first printed) first; a kind printed once is no level."""
    kinds: dict[str, tuple[str, int]] = {}  # kind -> (pattern, lines)
    for text in lines:
        if "\t" in text or not text.strip() or len(text.strip()) > HEADING or text.rstrip().endswith("。"):
            continue
        mark = mark_of(text)
        if mark is not None:  # `【地域福祉】`, `Ⅰ 法人運営` …
            kind, pattern = mark.name, mark.named()
        elif found := _NUMBERED_WORD.match(text):
            word = re.escape(found["word"])
            number = "[0-9０-９]+(?:[－\\-‐ー][0-9０-９]+)*"
            kind = found["word"]
            pattern = f"^{_SP}*(?P<printed>{word}{_SP}*(?P<id>{number})){_SP}*(?P<title>\\S(?:.*\\S)?){_SP}*$"
        else:
            continue
        pattern_of, count = kinds.get(kind, (pattern, 0))
        kinds[kind] = (pattern_of, count + 1)
    repeated = [(kind, pattern, count) for kind, (pattern, count) in kinds.items() if count >= 2]
    return [
        Entry("", {"level": level, "pattern": pattern}, f"{count} `{kind}` lines head the tables below them")
        for level, (kind, pattern, count) in enumerate(repeated, start=1)
    ]
