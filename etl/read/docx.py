"""Word documents (.docx): paragraphs and tables, in document order, as displayed.

A paragraph becomes a line (a line break inside it starts another line), prefixed with
its list number as Word displays it (`1 `, `(1) `, `①`); headings stay plain text with
their outline level kept on the line, and so does a list item's level (`ilvl` + 1).
A table becomes lines in the mapping's table style (`layout.py`), resolved to its grid:
a merged cell's text sits in its first grid cell and the cells it covers are empty, so
every row has the table's column count.
Bookmarks, deleted revisions, hidden text and field codes are not displayed, so they
are not read; text boxes, headers, footers and footnotes are not read either.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from ..problems import file_error
from .guard import inspect_container
from .layout import Cell, Line, ReadOptions, Row, TableStyle, numbered, render_rows
from .numbering import format_number, symbol_text
from .source import SourceDocument

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _number(value: str | None, default: int, maximum: int) -> int:
    """A non-negative integer attribute, or `default` when absent, odd or out of range."""
    if value is None or not value.isdecimal() or len(value) > 9 or int(value) > maximum:
        return default
    return int(value)


def _val(element: etree._Element | None, child: str) -> str | None:
    """The `w:val` of `element/w:child`, or None when either is missing."""
    if element is None:
        return None
    found = element.find(_w(child))
    return None if found is None else found.get(_w("val"))


MAX_GRID_COLUMNS = 63  # Word's own limit
MAX_LIST_NUMBER = 32_767  # Word's largest list start value
BODY_PART = "word/document.xml"
MAX_BODY_TAGS = 2_000_000  # opening and closing; a 200-page plan has well under a million

_HEADING_STYLE = re.compile(r"^(?:heading|見出し)\s*(\d)$", re.IGNORECASE)
# Block containers whose children are paragraphs and tables.
_BLOCK_WRAPPERS = {_w("sdt"), _w("sdtContent"), _w("customXml")}
# Subtrees holding no displayed text of the paragraph itself.
_NOT_DISPLAYED = {
    _w("pPr"),
    _w("rPr"),
    _w("del"),
    _w("moveFrom"),
    _w("txbxContent"),
    _w("instrText"),
    f"{{{MC}}}Fallback",
}


def read_docx_document(path: Path, options: ReadOptions) -> SourceDocument:
    container = inspect_container(path, expect="docx")
    _check_body_tags(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as err:
        raise file_error(
            "docx.unreadable",
            path,
            ja=f"{path.name} を Word 文書として読めません",
            en=f"{path.name} is not a readable Word document: {err}",
            hint="Word で開いて .docx 形式で保存し直してください",
        ) from None
    numbering = document.part.numbering_part.element if _has_numbering(document) else None
    styles = Styles(document.styles.element)
    reader = _BodyReader(styles, Numbering(numbering, styles), options.table_style)
    return numbered(path, reader.blocks(document.element.body), container.warnings)


def _check_body_tags(path: Path) -> None:
    """python-docx holds the whole body as an lxml tree, some 150 bytes a tag: a body within
    the guard's size but of millions of tiny elements is refused before it is parsed."""
    with zipfile.ZipFile(path) as archive:
        if BODY_PART not in archive.namelist():
            return  # python-docx reports the missing part
        with archive.open(BODY_PART) as body:
            tags = sum(chunk.count(b"<") for chunk in iter(lambda: body.read(2**20), b""))
    if tags > MAX_BODY_TAGS:
        raise file_error(
            "docx.too_large",
            path,
            ja=f"{path.name} の本文の要素が多すぎます（{tags:,} 個、上限 {MAX_BODY_TAGS:,} 個）",
            en=f"{path.name}: the body has {tags:,} XML tags, over the limit of {MAX_BODY_TAGS:,}",
            hint="文書を分けて変換してください",
        )


def _has_numbering(document: docx.document.Document) -> bool:
    try:
        document.part.numbering_part  # noqa: B018  # python-docx raises when the part is absent
    except NotImplementedError:
        return False
    return True


class Styles:
    """Paragraph style lookups along the `basedOn` chain."""

    def __init__(self, element: etree._Element) -> None:
        self.by_id = {style.get(_w("styleId")): style for style in element.iterfind(_w("style"))}
        self.default = next(
            (
                style.get(_w("styleId"))
                for style in element.iterfind(_w("style"))
                if style.get(_w("type")) == "paragraph" and style.get(_w("default")) in ("1", "true", "on")
            ),
            None,
        )

    def chain(self, style_id: str | None) -> Iterator[etree._Element]:
        seen: set[str] = set()
        current = style_id or self.default
        while current and current not in seen and current in self.by_id:
            seen.add(current)
            style = self.by_id[current]
            yield style
            current = _val(style, "basedOn")

    def heading_level(self, style_id: str | None) -> int:
        for style in self.chain(style_id):
            outline = _number(_val(style.find(_w("pPr")), "outlineLvl"), 9, 9)
            if outline < 9:
                return outline + 1
            name = _HEADING_STYLE.match(_val(style, "name") or "")
            if name:
                return int(name[1])
        return 0

    def num_pr(self, style_id: str | None) -> etree._Element | None:
        for style in self.chain(style_id):
            ppr = style.find(_w("pPr"))
            num_pr = None if ppr is None else ppr.find(_w("numPr"))
            if num_pr is not None:
                return num_pr
        return None


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str
    suffix: str
    legal: bool


def _levels(lvls: Iterator[etree._Element]) -> dict[int, etree._Element]:
    found = {}
    for lvl in lvls:
        ilvl = _number(lvl.get(_w("ilvl")), 9, 9)
        if ilvl < 9:
            found[ilvl] = lvl
    return found


class Numbering:
    """Word's automatic list numbers, counted in document order.

    Counters belong to the abstract list, so separate `w:num` instances of one list
    continue each other unless one overrides its start (Word's "restart numbering").
    Numbering a level resets the deeper levels.
    """

    def __init__(self, element: etree._Element | None, styles: Styles) -> None:
        self.styles = styles
        root = element if element is not None else etree.Element(_w("numbering"))
        self.nums = {num.get(_w("numId")): num for num in root.iterfind(_w("num"))}
        self.abstracts = {a.get(_w("abstractNumId")): a for a in root.iterfind(_w("abstractNum"))}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()

    def label(self, paragraph: etree._Element, style_id: str | None) -> tuple[str, int]:
        """The number text displayed before `paragraph`, with its suffix, and its list level
        (`ilvl` + 1); ('', 0) for a paragraph that is no list item."""
        found = self._num_and_level(paragraph, style_id)
        if found is None:
            return "", 0
        num_id, ilvl = found
        num = self.nums[num_id]
        abstract_id = self._abstract_id(num)
        if abstract_id is None:
            return "", 0
        levels = self._resolved_levels(abstract_id, num)
        if levels[ilvl] is None:
            return "", 0
        counters = self.counters.setdefault(abstract_id, [None] * 9)
        self._apply_start_overrides(num_id, num, counters)
        current = counters[ilvl]
        counters[ilvl] = (current if current is not None else levels[ilvl].start - 1) + 1  # type: ignore[union-attr]
        counters[ilvl + 1 :] = [None] * (8 - ilvl)
        text = _render(levels, counters, ilvl)
        suffix = {"nothing": "", "space": " "}.get(levels[ilvl].suffix, " ")  # type: ignore[union-attr]
        return (f"{text}{suffix}" if text else ""), ilvl + 1

    def _num_and_level(self, paragraph: etree._Element, style_id: str | None) -> tuple[str, int] | None:
        ppr = paragraph.find(_w("pPr"))
        direct = None if ppr is None else ppr.find(_w("numPr"))
        from_style = self.styles.num_pr(style_id)
        num_id = _val(direct, "numId") or _val(from_style, "numId")
        if num_id not in self.nums:
            return None  # includes numId 0, "no numbering"
        ilvl = _val(direct, "ilvl") or _val(from_style, "ilvl") or self._level_of_style(num_id, style_id) or "0"
        return num_id, _number(ilvl, 0, 8)

    def _level_of_style(self, num_id: str, style_id: str | None) -> str | None:
        """A list level may name the paragraph style that uses it (`w:lvl/w:pStyle`)."""
        abstract_id = self._abstract_id(self.nums[num_id])
        if abstract_id is None or style_id is None:
            return None
        for ilvl, lvl in _levels(self.abstracts[abstract_id].iterfind(_w("lvl"))).items():
            if _val(lvl, "pStyle") == style_id:
                return str(ilvl)
        return None

    def _abstract_id(self, num: etree._Element) -> str | None:
        abstract_id = _val(num, "abstractNumId")
        abstract = self.abstracts.get(abstract_id)
        link = _val(abstract, "numStyleLink")
        if link:  # a list defined by a numbering style: its style names the real list
            linked = self.nums.get(_val(self.styles.num_pr(link), "numId"))
            linked_id = None if linked is None else _val(linked, "abstractNumId")
            return linked_id if linked_id in self.abstracts and linked_id != abstract_id else None
        return abstract_id if abstract is not None else None

    def _resolved_levels(self, abstract_id: str, num: etree._Element) -> list[_Level | None]:
        lvls = _levels(self.abstracts[abstract_id].iterfind(_w("lvl")))
        overrides = _levels(lvl for override in num.iterfind(_w("lvlOverride")) for lvl in override.iterfind(_w("lvl")))
        lvls.update(overrides)
        return [_level(lvls[i]) if i in lvls else None for i in range(9)]

    def _apply_start_overrides(self, num_id: str, num: etree._Element, counters: list[int | None]) -> None:
        """`w:startOverride` restarts the list where this `w:num` is first used."""
        if num_id in self.started:
            return
        self.started.add(num_id)
        for override in num.iterfind(_w("lvlOverride")):
            start = _number(_val(override, "startOverride"), -1, MAX_LIST_NUMBER)
            ilvl = _number(override.get(_w("ilvl")), 9, 9)
            if start >= 0 and ilvl < 9:
                counters[ilvl] = start - 1


def _level(lvl: etree._Element) -> _Level:
    start = _val(lvl, "start")
    return _Level(
        start=_number(start, 1, MAX_LIST_NUMBER),
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText") or "",
        suffix=_val(lvl, "suff") or "tab",
        legal=lvl.find(_w("isLgl")) is not None,
    )


def _render(levels: list[_Level | None], counters: list[int | None], ilvl: int) -> str:
    """`lvlText` with `%1`..`%9` replaced by the counters in their levels' formats."""
    own = levels[ilvl]
    assert own is not None
    if own.fmt == "bullet":
        return symbol_text(own.text)

    def number(match: re.Match[str]) -> str:
        index = int(match[1]) - 1
        level = levels[index]
        if level is None:
            return ""
        value = counters[index]
        return format_number(level.start if value is None else value, "decimal" if own.legal else level.fmt)

    return re.sub(r"%([1-9])", number, own.text)


class _BodyReader:
    """Walks the body once, in document order, emitting lines."""

    def __init__(self, styles: Styles, numbering: Numbering, table_style: TableStyle) -> None:
        self.styles, self.numbering, self.table_style = styles, numbering, table_style
        self.paragraphs = 0
        self.tables = 0

    def blocks(self, container: etree._Element) -> Iterator[Line]:
        for child in container:
            if child.tag == _w("p"):
                self.paragraphs += 1
                yield from self._paragraph_lines(child, f"段落{self.paragraphs}")
            elif child.tag == _w("tbl"):
                self.tables += 1
                yield from render_rows(self._rows(child, f"表{self.tables}"), self.table_style)
            elif child.tag in _BLOCK_WRAPPERS:
                yield from self.blocks(child)

    def _paragraph_lines(self, paragraph: etree._Element, origin: str) -> Iterator[Line]:
        style_id = _val(paragraph.find(_w("pPr")), "pStyle")
        heading = self._heading_level(paragraph, style_id)
        text, list_level = self._paragraph_text(paragraph, style_id)
        for index, part in enumerate(text.split("\n")):
            yield Line(part, origin, heading, list_level) if index == 0 else Line(part, origin)

    def _heading_level(self, paragraph: etree._Element, style_id: str | None) -> int:
        outline = _val(paragraph.find(_w("pPr")), "outlineLvl")
        if outline is not None:
            level = _number(outline, 9, 9)
            return level + 1 if level < 9 else 0
        return self.styles.heading_level(style_id)

    def _paragraph_text(self, paragraph: etree._Element, style_id: str | None) -> tuple[str, int]:
        """The paragraph as displayed, its list number first, and its list level."""
        label, list_level = self.numbering.label(paragraph, style_id)
        text = "".join(_displayed_text(paragraph))
        return (f"{label}{text}" if text else label.rstrip()), list_level

    def _rows(self, table: etree._Element, origin: str) -> list[Row]:
        rows = []
        for number, tr in enumerate(table.iterfind(_w("tr")), start=1):
            row_origin = f"{origin} 行{number}"
            cells: list[Cell] = []
            tr_pr = tr.find(_w("trPr"))
            cells.extend(self._empty(row_origin, len(cells), _grid_count(tr_pr, "gridBefore", 0)))
            for tc in tr.iterfind(_w("tc")):
                tc_pr = tc.find(_w("tcPr"))
                covered = _is_merge_continuation(tc_pr)
                lines = () if covered else tuple(self._cell_lines(tc))
                cells.append(Cell(lines, f"{row_origin} セル{len(cells) + 1}"))
                cells.extend(self._empty(row_origin, len(cells), _grid_count(tc_pr, "gridSpan", 1) - 1))
            cells.extend(self._empty(row_origin, len(cells), _grid_count(tr_pr, "gridAfter", 0)))
            rows.append(Row(tuple(cells), row_origin))
        return rows

    @staticmethod
    def _empty(row_origin: str, before: int, count: int) -> list[Cell]:
        return [Cell((), f"{row_origin} セル{before + i + 1}") for i in range(max(count, 0))]

    def _cell_lines(self, cell: etree._Element) -> Iterator[str]:
        """A cell's paragraphs; a nested table's cells follow one another."""
        for child in cell.iter(_w("p")):
            if _inside_text_box(child, cell):
                continue
            style_id = _val(child.find(_w("pPr")), "pStyle")
            yield from self._paragraph_text(child, style_id)[0].split("\n")


def _grid_count(element: etree._Element | None, child: str, default: int) -> int:
    """A span or skip in grid columns; Word tables have at most 63 columns."""
    return _number(_val(element, child), default, MAX_GRID_COLUMNS)


def _is_merge_continuation(tc_pr: etree._Element | None) -> bool:
    """A `w:vMerge` without `restart` continues the merged cell above."""
    if tc_pr is None:
        return False
    merge = tc_pr.find(_w("vMerge"))
    return merge is not None and merge.get(_w("val"), "continue") == "continue"


def _inside_text_box(paragraph: etree._Element, stop: etree._Element) -> bool:
    parent = paragraph.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in _NOT_DISPLAYED:
            return True
        parent = parent.getparent()
    return False


def _displayed_text(element: etree._Element) -> Iterator[str]:
    for child in element:
        tag = child.tag
        if tag in _NOT_DISPLAYED or tag == _w("p") or tag == _w("tbl"):
            continue
        if tag == _w("r") and _is_hidden(child):
            continue
        if tag == _w("t"):
            yield child.text or ""
        elif tag in (_w("tab"), _w("ptab")):
            yield "\t"
        elif tag == _w("br"):
            yield "" if child.get(_w("type")) in ("page", "column") else "\n"
        elif tag == _w("cr"):
            yield "\n"
        elif tag == _w("noBreakHyphen"):
            yield "-"
        elif tag == _w("sym"):
            yield _symbol(child.get(_w("char"), ""))
        else:
            yield from _displayed_text(child)


def _symbol(code: str) -> str:
    try:
        return symbol_text(chr(int(code, 16)))
    except (ValueError, OverflowError):
        return ""


def _is_hidden(run: etree._Element) -> bool:
    vanish = run.find(f"{_w('rPr')}/{_w('vanish')}")
    return vanish is not None and vanish.get(_w("val"), "true") not in ("0", "false", "off")
