"""Build Word documents from the sample texts, the way an office would have typed them.

The tests read these documents back and compare them with the texts they came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

BOOKMARK = re.compile(r"\[bookmark: ([^\]]*)\]")


# --- Word numbering ----------------------------------------------------------------


def add_abstract_list(document: Document, levels: list[tuple[str, str]], suffix: str = "space") -> str:
    """A multi-level list definition: (numFmt, lvlText) per level; returns its id."""
    numbering = document.part.numbering_part.element
    abstract_id = str(100 + len(numbering.findall(qn("w:abstractNum"))))
    abstract = OxmlElement("w:abstractNum", {qn("w:abstractNumId"): abstract_id})
    for ilvl, (fmt, text) in enumerate(levels):
        lvl = OxmlElement("w:lvl", {qn("w:ilvl"): str(ilvl)})
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:suff", suffix), ("w:lvlText", text)):
            lvl.append(OxmlElement(tag, {qn("w:val"): value}))
        abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)  # the schema puts every abstractNum before the nums
    return abstract_id


def add_num(document: Document, abstract_id: str, restart: bool = False) -> str:
    numbering = document.part.numbering_part.element
    num_id = str(100 + len(numbering.findall(qn("w:num"))))
    num = OxmlElement("w:num", {qn("w:numId"): num_id})
    num.append(OxmlElement("w:abstractNumId", {qn("w:val"): abstract_id}))
    if restart:
        override = OxmlElement("w:lvlOverride", {qn("w:ilvl"): "0"})
        override.append(OxmlElement("w:startOverride", {qn("w:val"): "1"}))
        num.append(override)
    numbering.append(num)
    return num_id


def set_numbering(paragraph: Paragraph, num_id: str, ilvl: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = int(num_id)


def add_text(paragraph: Paragraph, text: str) -> None:
    """Runs for `text`, with `[bookmark: name]` markers turned into real bookmarks."""
    position = 0
    for number, match in enumerate(BOOKMARK.finditer(text)):
        paragraph.add_run(text[position : match.start()])
        start = OxmlElement("w:bookmarkStart", {qn("w:id"): str(number), qn("w:name"): match[1]})
        end = OxmlElement("w:bookmarkEnd", {qn("w:id"): str(number)})
        paragraph._p.append(start)
        paragraph._p.append(end)
        position = match.end()
    paragraph.add_run(text[position:])


# --- 小諸市: a Word table exported as "cell lines" -----------------------------------


@dataclass
class Table:
    rows: list[list[list[str]]] = field(default_factory=list)  # row -> cell -> paragraphs


def parse_cell_lines(text: str, columns: int, sections: Iterable[re.Pattern[str]]) -> list[str | Table]:
    """Paragraphs and tables of a cell-lines export, read the way the mapping reads them.

    A tab starts a cell; a line without a tab continues the last cell unless the row is
    complete and the line is a section heading; one blank line ends each row.
    """
    blocks: list[str | Table] = []
    row: list[list[str]] = []
    patterns = list(sections)

    def close_row() -> None:
        if row and row[-1] and not row[-1][-1]:
            row[-1].pop()  # the blank line that ends the row
        table = blocks[-1]
        assert isinstance(table, Table)
        table.rows.append(list(row))
        row.clear()

    for line in text.split("\n"):
        complete = len(row) == columns
        if line.startswith("\t"):
            if complete:
                close_row()
            if not row and not isinstance(blocks[-1] if blocks else None, Table):
                blocks.append(Table())
            row.append([line[1:]])
        elif row and not (complete and any(p.match(line) for p in patterns)):
            row[-1].append(line)
        else:
            if row:
                close_row()
            blocks.append(line)
    if row:
        close_row()
    return blocks


def komoro_docx(text: str, columns: int, sections: Iterable[re.Pattern[str]], path: Path) -> Path:
    """The 小諸市 plan as the Word file it came from; empty name cells merge upwards."""
    document = docx.Document()
    for block in parse_cell_lines(text, columns, sections):
        if isinstance(block, str):
            add_text(document.add_paragraph(), block)
            continue
        table = document.add_table(rows=len(block.rows), cols=columns)
        table.style = "Table Grid"
        for r, row in enumerate(block.rows):
            for c, paragraphs in enumerate(row):
                cell = table.cell(r, c)
                add_text(cell.paragraphs[0], paragraphs[0])
                for more in paragraphs[1:]:
                    add_text(cell.add_paragraph(), more)
        _merge_continuations(table, block)
    document.save(str(path))
    return path


def _merge_continuations(table: docx.table.Table, block: Table) -> None:
    """A row whose first cell is empty continues the project above: a vertical merge."""
    top = None
    for r, row in enumerate(block.rows):
        if r > 0 and row[0] == [""] and top is not None:
            table.cell(top, 0).merge(table.cell(r, 0))
        else:
            top = r


# --- 小平市: headings and numbered paragraphs ------------------------------------------

KODAIRA_LEVELS = [
    ("decimal", "%1"),
    ("decimal", "(%2)"),
    ("decimalEnclosedCircle", "%3"),
    ("aiueoFullWidth", "%4"),
]
_NUMBERED = [
    re.compile(r"^(?P<n>\d+) (?P<text>\S.*)$"),
    re.compile(r"^\((?P<n>\d+)\) (?P<text>\S.*)$"),
    re.compile(r"^(?P<n>[①-⑳]) (?P<text>\S.*)$"),
    re.compile(r"^(?P<n>[ア-ン]) (?P<text>\S.*)$"),
]
_DEPARTMENT = re.compile(r"^\S{2,8}課$")


def _value(level: int, printed: str) -> int:
    if level == 2:
        return ord(printed) - ord("①") + 1
    if level == 3:
        return "アイウエオカキクケコサシスセソタチツテトナニヌネノ".find(printed) + 1
    return int(printed)


@dataclass
class KodairaBuild:
    path: Path
    numbered: int  # paragraphs numbered by Word rather than typed
    headings: dict[str, int]  # heading text -> level


def kodaira_docx(text: str, path: Path) -> KodairaBuild:
    """The 小平市 plan in Word: 【…】 and departments as headings, items as a multi-level
    list where the printed number is the one Word would count, bullets for `- ` lines."""
    document = docx.Document()
    items = add_num(document, add_abstract_list(document, KODAIRA_LEVELS))
    bullets = add_num(document, add_abstract_list(document, [("bullet", "-")]))
    counters: list[int] = [0, 0, 0, 0]
    numbered = 0
    headings: dict[str, int] = {}
    lines = [line for line in text.split("\n") if line.strip()]
    for index, line in enumerate(lines):
        if index == 0:
            document.add_paragraph(line, style="Title")
        elif line.startswith("【") or _DEPARTMENT.match(line):
            level = 1 if line.startswith("【") else 2
            document.add_heading(line, level=level)
            headings[line] = level
        elif line.startswith("- "):
            set_numbering(document.add_paragraph(line[2:]), bullets, 0)
        elif (found := _auto_number(line, counters)) is not None:
            level, body = found
            style = "Heading 3" if level == 0 else None
            paragraph = document.add_paragraph(body, style=style)
            set_numbering(paragraph, items, level)
            counters[level] += 1
            counters[level + 1 :] = [0] * (3 - level)
            numbered += 1
            if level == 0:
                headings[line] = 3
        else:
            document.add_paragraph(line)
    document.save(str(path))
    return KodairaBuild(path, numbered, headings)


def _auto_number(line: str, counters: list[int]) -> tuple[int, str] | None:
    """(level, text) when Word's counter at that level would print this line's number."""
    for level, pattern in enumerate(_NUMBERED):
        match = pattern.match(line)
        if match and _value(level, match["n"]) == counters[level] + 1:
            return level, match["text"]
    return None
