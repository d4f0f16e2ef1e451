"""Edit a copy of an xlsx package: rewrite the few parts that change, copy every other part.

A send-back copy or a demo fill changes a handful of cells of a workbook that may hold
a year of staff's work. Loading and saving it with openpyxl rebuilds every part (and
drops what openpyxl does not model); editing the package instead rewrites only the
parts that change — the edited sheets, the styles, the workbook's sheet list, the
relationships and content types — and copies every other part's bytes as they were.
The package must be in the dialect `etl.workbook.xlsxparts` reads; anything else raises
`Unsupported`, and the caller falls back to openpyxl.

    with PackageEditor(source) as editor:
        editor.set_value("達成目標", "I12", "未定")
        editor.mark("5-1-1 事業", "F12", "FFFFC7CE", "【エラー】…")
        editor.insert_first_sheet(TextSheet("要修正一覧", header, rows, widths))
        editor.save(target)
"""

from __future__ import annotations

import datetime as dt
import math
import posixpath
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.comments.comment_sheet import CommentRecord, CommentSheet
from openpyxl.utils.cell import get_column_letter
from openpyxl.xml.functions import tostring

from ..jp import display_width
from .xlsxparts import Package, Unsupported, open_package

__all__ = ["PackageEditor", "TextSheet", "Unsupported"]

MAX_ROW_POINTS = 409.0  # Excel's tallest row
LINE_FACTOR = 1.45  # line height per point of font size, with room for CJK fonts
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL_TYPE = REL_NS + "/"
_TYPES = {
    "worksheet": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
    "comments": "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml",
    "vml": "application/vnd.openxmlformats-officedocument.vmlDrawing",
}
_CONTENT_TYPES = "[Content_Types].xml"
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
# Worksheet children that come after <legacyDrawing>, in the schema's order.
_AFTER_LEGACY_DRAWING = (b"<legacyDrawingHF", b"<drawingHF", b"<picture", b"<oleObjects", b"<controls")
_AFTER_LEGACY_DRAWING += (b"<webPublishItems", b"<tableParts", b"<extLst", b"</worksheet>")
# Workbook children that come after <definedNames>.
_AFTER_DEFINED_NAMES = ("<calcPr", "<oleSize", "<customWorkbookViews", "<pivotCaches", "<smartTagPr")
_AFTER_DEFINED_NAMES += ("<smartTagTypes", "<webPublishing", "<fileRecoveryPr", "<webPublishObjects", "<extLst")
_AFTER_DEFINED_NAMES += ("</workbook>",)
_CELL_TAG = re.compile(rb"<c r=\"([A-Z]{1,3})([0-9]{1,7})\"[^>]*?(/?)>")
_ROW_TAG = re.compile(rb"<row r=\"([0-9]{1,7})\"[^>]*?(/?)>")
_STYLE_ATTRIBUTE = re.compile(rb' s="[0-9]{1,9}"')
_XF = re.compile(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.DOTALL)
_FILL_ID = re.compile(r' fillId="[0-9]+"')
_LOCAL_SHEET_ID = re.compile(r'localSheetId="([0-9]+)"')
_SHEET_ID = re.compile(r'<sheet\b[^>]*?\ssheetId="([0-9]+)"')
_WORKBOOK_VIEW = re.compile(r"<workbookView\b([^>]*?)(/?)>")
_ACTIVE_TAB_INDEX = re.compile(r'<workbookView\b[^>]*?\sactiveTab="([0-9]+)"')
_ACTIVE_TAB = re.compile(r'\s(?:activeTab|firstSheet)="[0-9]+"')
_MODIFIED = re.compile(r"(<dcterms:modified\b[^>]*>)[^<]*(</dcterms:modified>)")
_TAB_SELECTED = re.compile(rb'(<sheetView\b[^>]*?) tabSelected="(?:1|true)"')


@dataclass(frozen=True)
class TextSheet:
    """A sheet of text for staff to read and print: a bold header row repeated on every
    page, wrapped text, A4 landscape one page wide. `links` maps a (row, column) of the
    body, both from 0, to the place it links to, as `'sheet'!F12`."""

    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float]  # in Excel's characters
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    font: tuple[str, float] = ("ＭＳ ゴシック", 10)  # name and size: the workbook's
    header_fill: str = "FFDDEBF7"  # ARGB


class PackageEditor:
    """A copy of an xlsx package being edited; `save` writes it."""

    def __init__(self, source: Path) -> None:
        self._package: Package = open_package(source)
        self._archive = zipfile.ZipFile(source)
        self._changed: dict[str, bytes] = {}  # part name -> new content
        self._cells: dict[str, dict[str, bytes | None]] = {}  # sheet part -> reference -> cell XML (None: restyle)
        self._styles: dict[str, int] = {}  # sheet part + reference -> new style
        self._comments: dict[str, dict[str, str]] = {}  # sheet part -> reference -> text
        self._xfs: list[str] = []  # cell formats added to the styles
        self._fills: list[str] = []
        self._fonts: list[str] = []
        self._restyled: dict[tuple[int, int], int] = {}  # (old style, fill) -> new style

    def __enter__(self) -> PackageEditor:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._package.close()
        self._archive.close()

    @property
    def sheetnames(self) -> list[str]:
        return self._package.sheetnames

    def rows(self, sheet: str, max_row: int, max_col: int) -> list[tuple[object, ...]]:
        """The values of the sheet's first rows as the package has them (`Package.values`)."""
        return self._package.values(sheet, max_row=max_row, max_col=max_col)

    def set_value(self, sheet: str, reference: str, value: object) -> None:
        """Put `value` in the cell (keeping its style): text as text, `=…` as a formula
        without a computed value, an error code as an error, None empties the cell."""
        self._cells.setdefault(self._package.sheet_part(sheet), {})[reference] = _value_xml(reference, value)

    def mark(self, sheet: str, reference: str, fill: str, comment: str) -> None:
        """Colour the cell with `fill` (ARGB) and add `comment`; a cell marked twice keeps
        the first colour and both comments."""
        part = self._package.sheet_part(sheet)
        self._cells.setdefault(part, {}).setdefault(reference, None)
        self._styles.setdefault(f"{part}!{reference}", self._fill_index(fill))
        texts = self._comments.setdefault(part, {})
        texts[reference] = f"{texts[reference]}\n{comment}" if reference in texts else comment

    def set_modified(self, when: dt.datetime) -> None:
        """Say in the core properties that the workbook was last saved `when`, as a save by Excel would."""
        part = "docProps/core.xml"
        text = self._text(part)
        stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        edited, found = _MODIFIED.subn(rf"\g<1>{stamp}\g<2>", text, count=1)
        if not found:
            raise Unsupported("core properties without a modification time")
        self._changed[part] = edited.encode("utf-8")

    def insert_first_sheet(self, sheet: TextSheet) -> None:
        """Add `sheet` before every other sheet, as the one the workbook opens on."""
        if sheet.name in self.sheetnames:
            raise Unsupported(f"a sheet named {sheet.name} already exists")
        part = _free_name(self._names(), "xl/worksheets/sheet{}.xml")
        self._changed[part] = _text_sheet_xml(sheet, self._text_styles(sheet))
        rel = self._add_relationship(_WORKBOOK_RELS, "worksheet", posixpath.relpath(part, "xl"))
        self._add_override(part, _TYPES["worksheet"])
        workbook = self._text(_WORKBOOK)
        active = _ACTIVE_TAB_INDEX.search(workbook)
        self._changed[_WORKBOOK] = _with_first_sheet(workbook, sheet.name, rel).encode("utf-8")
        self._unselect_active_sheet(int(active.group(1)) if active else 0)

    def save(self, target: Path) -> None:
        """Write the edited copy to `target` (a path the caller makes atomic)."""
        for part, cells in self._cells.items():
            self._changed[part] = self._edited_sheet(part, cells)
        for part, texts in self._comments.items():
            self._add_comments(part, texts)
        if self._xfs or self._fills or self._fonts:
            self._changed["xl/styles.xml"] = self._edited_styles()
        originals = {info.filename for info in self._archive.infolist()}
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in self._archive.infolist():
                data = self._changed.get(info.filename)
                out.writestr(info, data if data is not None else self._archive.read(info), zipfile.ZIP_DEFLATED)
            for name, data in self._changed.items():
                if name not in originals:
                    out.writestr(name, data)

    # -- cells -------------------------------------------------------------------------

    def _edited_sheet(self, part: str, cells: dict[str, bytes | None]) -> bytes:
        data = self._current(part)
        start, end = data.find(b"<sheetData>"), data.find(b"</sheetData>")
        if start < 0 or end < 0:
            raise Unsupported(f"{part}: no sheet data in the usual form")
        rows = _Rows(data[start + len(b"<sheetData>") : end])
        for reference, xml in cells.items():
            style = self._styles.get(f"{part}!{reference}")
            rows.put(reference, xml, None if style is None else (lambda old, fill=style: self._restyle(old, fill)))
        return data[: start + len(b"<sheetData>")] + rows.data + data[end:]

    def _restyle(self, old: int, fill: int) -> int:
        key = (old, fill)
        if key not in self._restyled:
            xf = _FILL_ID.sub(f' fillId="{fill}"', self._xf(old), count=1)
            if ' applyFill="' not in xf:
                xf = xf.replace("<xf ", '<xf applyFill="1" ', 1)
            self._restyled[key] = self._add_xf(xf)
        return self._restyled[key]

    # -- comments ----------------------------------------------------------------------

    def _add_comments(self, part: str, texts: dict[str, str]) -> None:
        rels = _rels_name(part)
        sheet = self._current(part)
        if b"<legacyDrawing " in sheet or b"/comments" in self._current(rels, missing_ok=True):
            raise Unsupported(f"{part} has comments or drawings of its own")
        sheet = _declaring_relationships(sheet, part)
        names = self._names()
        comments = _free_name(names, "xl/comments/comment{}.xml")
        drawing = _free_name(names | {comments}, "xl/drawings/vmlDrawing{}.vml")
        records = []
        for reference in sorted(texts, key=_row_and_column):
            record = CommentRecord(ref=reference, author="shakyo-pdca", height=140, width=320)
            record.text.t = _clean(texts[reference])
            records.append(record)
        comment_sheet = CommentSheet.from_comments(records)
        self._changed[comments] = tostring(comment_sheet.to_tree())
        self._changed[drawing] = comment_sheet.write_shapes()
        base = posixpath.dirname(part)
        self._add_relationship(rels, "comments", posixpath.relpath(comments, base))
        vml = self._add_relationship(rels, "vmlDrawing", posixpath.relpath(drawing, base))
        self._add_override(comments, _TYPES["comments"])
        self._add_default("vml", _TYPES["vml"])
        at = min((i for tag in _AFTER_LEGACY_DRAWING if (i := sheet.rfind(tag)) >= 0), default=-1)
        if at < 0:
            raise Unsupported(f"{part}: no end of the worksheet")
        self._changed[part] = sheet[:at] + f'<legacyDrawing r:id="{vml}"/>'.encode() + sheet[at:]

    # -- styles ------------------------------------------------------------------------

    def _fill_index(self, argb: str) -> int:
        pattern = f'<patternFill patternType="solid"><fgColor rgb="{argb}"/><bgColor indexed="64"/></patternFill>'
        xml = f"<fill>{pattern}</fill>"
        if xml not in self._fills:
            self._fills.append(xml)
        return self._count("fills") + self._fills.index(xml)

    def _text_styles(self, sheet: TextSheet) -> tuple[int, int]:
        """The header's and the body's cell formats for a text sheet."""
        name, size = sheet.font
        font = f'<sz val={quoteattr(str(size))}/><name val={quoteattr(name)}/><family val="3"/>'
        self._fonts += [f"<font>{font}</font>", f"<font><b/>{font}</font>"]
        regular, bold = self._count("fonts") + len(self._fonts) - 2, self._count("fonts") + len(self._fonts) - 1
        wrap = '<alignment vertical="top" wrapText="1"/></xf>'
        applied = 'applyFont="1" applyAlignment="1"'
        fill = self._fill_index(sheet.header_fill)
        header = f'<xf numFmtId="0" fontId="{bold}" fillId="{fill}" borderId="0" xfId="0" {applied} applyFill="1">'
        body = f'<xf numFmtId="0" fontId="{regular}" fillId="0" borderId="0" xfId="0" {applied}>'
        return self._add_xf(header + wrap), self._add_xf(body + wrap)

    def _add_xf(self, xml: str) -> int:
        self._xfs.append(xml)
        return self._count("cellXfs") + len(self._xfs) - 1

    def _xf(self, index: int) -> str:
        xfs = _XF.findall(_section(self._styles_text, "cellXfs"))
        if index < len(xfs):
            return xfs[index]
        if index - len(xfs) < len(self._xfs):
            return self._xfs[index - len(xfs)]
        raise Unsupported(f"no cell format {index}")

    def _count(self, section: str) -> int:
        """How many fonts, fills or cell formats the original styles have."""
        content = _section(self._styles_text, section)
        if section == "cellXfs":
            return len(_XF.findall(content))
        child = section[:-1]
        return content.count(f"<{child}>") + content.count(f"<{child} ")

    @property
    def _styles_text(self) -> str:
        return self._original_text("xl/styles.xml")

    def _edited_styles(self) -> bytes:
        text = self._styles_text
        for section, added in (("fonts", self._fonts), ("fills", self._fills), ("cellXfs", self._xfs)):
            if added:
                text = _appended(text, section, added, self._count(section) + len(added))
        return text.encode("utf-8")

    # -- workbook, relationships, content types -------------------------------------

    def _unselect_active_sheet(self, active: int) -> None:
        """Only the new first sheet is selected: two selected tabs are grouped sheets in Excel."""
        part = self._package.sheet_part(self.sheetnames[min(active, len(self.sheetnames) - 1)])
        data = self._current(part)
        if _TAB_SELECTED.search(data, 0, 4000):
            self._changed[part] = _TAB_SELECTED.sub(rb"\1", data, count=1)

    def _add_relationship(self, rels: str, kind: str, target: str) -> str:
        text = self._current(rels, missing_ok=True).decode("utf-8")
        if not text:
            text = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
            )
        taken = set(re.findall(r'\bId="([^"]*)"', text))
        rid = next(f"rId{n}" for n in range(len(taken) + 1, len(taken) + 1000) if f"rId{n}" not in taken)
        element = f'<Relationship Id="{rid}" Type="{_REL_TYPE}{kind}" Target={quoteattr(target)}/>'
        self._changed[rels] = text.replace("</Relationships>", element + "</Relationships>", 1).encode("utf-8")
        return rid

    def _add_override(self, part: str, content_type: str) -> None:
        element = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
        self._edit_content_types(element)

    def _add_default(self, extension: str, content_type: str) -> None:
        if f'Extension="{extension}"' not in self._text(_CONTENT_TYPES):
            self._edit_content_types(f'<Default Extension="{extension}" ContentType="{content_type}"/>')

    def _edit_content_types(self, element: str) -> None:
        text = self._text(_CONTENT_TYPES)
        if "</Types>" not in text:
            raise Unsupported("content types without an end")
        self._changed[_CONTENT_TYPES] = text.replace("</Types>", element + "</Types>", 1).encode("utf-8")

    # -- parts -------------------------------------------------------------------------

    def _names(self) -> set[str]:
        return {info.filename for info in self._archive.infolist()} | set(self._changed)

    def _current(self, part: str, *, missing_ok: bool = False) -> bytes:
        if part in self._changed:
            return self._changed[part]
        try:
            return self._archive.read(part)
        except KeyError:
            if missing_ok:
                return b""
            raise Unsupported(f"no part {part}") from None

    def _text(self, part: str) -> str:
        return self._current(part).decode("utf-8")

    def _original_text(self, part: str) -> str:
        return self._archive.read(part).decode("utf-8")


class _Rows:
    """The `<sheetData>` of a sheet, edited cell by cell."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def put(self, reference: str, xml: bytes | None, restyle: Callable[[int], int] | None) -> None:
        """Replace the cell at `reference` with `xml` (None: keep its content) and, with
        `restyle` (old style -> new style), change its style."""
        tag = b'<c r="%s"' % reference.encode("ascii")
        start = self.data.find(tag)
        if start < 0:
            self._insert(reference, xml if xml is not None else b'<c r="%s"/>' % reference.encode("ascii"), restyle)
            return
        opening = _CELL_TAG.match(self.data, start)
        if opening is None:
            raise Unsupported(f"the cell {reference} is outside the usual form")
        end = opening.end() if opening.group(3) else self.data.index(b"</c>", opening.end()) + len(b"</c>")
        old = self.data[start:end]
        style = _STYLE_ATTRIBUTE.search(opening.group(0))
        old_style = int(style.group(0)[4:-1]) if style else 0
        new = old if xml is None else xml
        new_style = restyle(old_style) if restyle else old_style
        new = _STYLE_ATTRIBUTE.sub(b"", new, count=1)
        if new_style:
            new = new.replace(tag, tag + b' s="%d"' % new_style, 1)
        self.data = self.data[:start] + new + self.data[end:]

    def _insert(self, reference: str, xml: bytes, restyle: Callable[[int], int] | None) -> None:
        """Add a cell the sheet does not have yet (its row too, if need be), in order."""
        row, column = _row_and_column(reference)
        for match in _ROW_TAG.finditer(self.data):
            number = int(match.group(1))
            if number == row:
                self._insert_in_row(match, column, xml)
                break
            if number > row:
                self._splice(match.start(), b'<row r="%d">%s</row>' % (row, xml))
                break
        else:
            self.data += b'<row r="%d">%s</row>' % (row, xml)
        if restyle:
            self.put(reference, None, restyle)

    def _insert_in_row(self, row: re.Match[bytes], column: int, xml: bytes) -> None:
        if row.group(2):  # an empty row, `<row .../>`
            self.data = self.data[: row.end() - 2] + b">" + xml + b"</row>" + self.data[row.end() :]
            return
        close = self.data.index(b"</row>", row.end())
        after = (c.start() for c in _CELL_TAG.finditer(self.data, row.end(), close) if _column(c.group(1)) > column)
        self._splice(next(after, close), xml)

    def _splice(self, at: int, xml: bytes) -> None:
        self.data = self.data[:at] + xml + self.data[at:]


def _value_xml(reference: str, value: object) -> bytes:
    """The cell at `reference` holding `value`, without a style (the editor keeps the old one)."""
    if value is None or value == "":
        body, kind = "", ""
    elif isinstance(value, bool):
        body, kind = f"<v>{int(value)}</v>", ' t="b"'
    elif isinstance(value, int | float):
        body, kind = f"<v>{value!r}</v>", ""
    elif isinstance(value, str) and value.startswith("=") and len(value) > 1:
        body, kind = f"<f>{escape(_clean(value[1:]))}</f>", ""
    elif isinstance(value, str) and value in ERROR_CODES:
        body, kind = f"<v>{escape(value)}</v>", ' t="e"'
    else:
        body, kind = f'<is><t xml:space="preserve">{escape(_clean(str(value)))}</t></is>', ' t="inlineStr"'
    return (f'<c r="{reference}"{kind}>{body}</c>' if body else f'<c r="{reference}"/>').encode("utf-8")


def _text_sheet_xml(sheet: TextSheet, styles: tuple[int, int]) -> bytes:
    header_style, body_style = styles
    columns = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(sheet.widths, start=1)
    )
    rows = [_text_row(1, sheet.header, header_style)]
    size = sheet.font[1]
    rows += [
        _text_row(r, values, body_style, _wrapped_height(values, sheet.widths, size))
        for r, values in enumerate(sheet.rows, start=2)
    ]
    links = "".join(
        f'<hyperlink ref="{get_column_letter(c + 1)}{r + 2}" location={quoteattr(_clean(place))}/>'
        for (r, c), place in sorted(sheet.links.items())
    )
    last = f"{get_column_letter(len(sheet.header))}{len(sheet.rows) + 1}"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{REL_NS}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:{last}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"<cols>{columns}</cols><sheetData>{''.join(rows)}</sheetData>"
        + (f"<hyperlinks>{links}</hyperlinks>" if links else "")
        + '<printOptions gridLines="1"/>'
        '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
        "<headerFooter><oddFooter>&amp;C&amp;P / &amp;N</oddFooter></headerFooter>"
        "</worksheet>"
    ).encode("utf-8")


def _text_row(number: int, values: Sequence[str], style: int, height: float | None = None) -> str:
    cells = "".join(
        f'<c r="{get_column_letter(column)}{number}" s="{style}" t="inlineStr">'
        f'<is><t xml:space="preserve">{escape(_clean(value or ""))}</t></is></c>'
        for column, value in enumerate(values, start=1)
    )
    size = f' ht="{height}" customHeight="1"' if height else ""
    return f'<row r="{number}"{size}>{cells}</row>'


def _wrapped_height(values: Sequence[str], widths: Sequence[float], size: float) -> float:
    """Points a row needs to show its wrapped text (not every reader grows a row to fit):
    a column `w` characters wide holds about `w` half-width characters at 11 points."""
    capacities = [max(1.0, width * 11 / size - 1) for width in widths]
    lines = max(
        sum(max(1, math.ceil(display_width(part) / capacity)) for part in (text or "").split("\n"))
        for text, capacity in zip(values, capacities, strict=True)
    )
    return min(MAX_ROW_POINTS, round(lines * size * LINE_FACTOR + 4, 1))


def _with_first_sheet(workbook: str, name: str, rel: str) -> str:
    """`workbook` with a sheet `name` (part `rel`) first and active, and its header row
    printed on every page; the other sheets' own names move up one place."""
    if "<sheets>" not in workbook:
        raise Unsupported("no sheet list in the usual form")
    sheet_id = max((int(i) for i in _SHEET_ID.findall(workbook)), default=0) + 1
    element = f'<sheet xmlns:r="{REL_NS}" name={quoteattr(name)} sheetId="{sheet_id}" r:id="{rel}"/>'
    workbook = workbook.replace("<sheets>", "<sheets>" + element, 1)
    workbook = _LOCAL_SHEET_ID.sub(lambda m: f'localSheetId="{int(m.group(1)) + 1}"', workbook)
    titles = f'<definedName name="_xlnm.Print_Titles" localSheetId="0">{escape(_quoted(name))}!$1:$1</definedName>'
    if "<definedNames>" in workbook:
        workbook = workbook.replace("<definedNames>", "<definedNames>" + titles, 1)
    else:
        at = min(i for tag in _AFTER_DEFINED_NAMES if (i := workbook.find(tag)) >= 0)
        workbook = workbook[:at] + f"<definedNames>{titles}</definedNames>" + workbook[at:]
    return _WORKBOOK_VIEW.sub(lambda m: f"<workbookView{_ACTIVE_TAB.sub('', m.group(1))}{m.group(2)}>", workbook, 1)


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _section(styles: str, name: str) -> str:
    found = re.search(rf"<{name}\b[^>]*?(?:/>|>(.*?)</{name}>)", styles, re.DOTALL)
    if found is None:
        raise Unsupported(f"styles without {name}")
    return found.group(1) or ""


def _appended(styles: str, name: str, added: list[str], count: int) -> str:
    found = re.search(rf"<{name}\b([^>]*?)(/?)>", styles)
    assert found is not None  # `_section` found it
    attributes = re.sub(r'\scount="[0-9]*"', "", found.group(1))
    opening = f'<{name}{attributes} count="{count}">'
    if found.group(2):
        return styles[: found.start()] + opening + "".join(added) + f"</{name}>" + styles[found.end() :]
    close = styles.index(f"</{name}>", found.end())
    return styles[: found.start()] + opening + styles[found.end() : close] + "".join(added) + styles[close:]


def _declaring_relationships(sheet: bytes, part: str) -> bytes:
    """The worksheet with the `r` prefix bound to relationships (openpyxl leaves it out)."""
    root = sheet.find(b"<worksheet")
    head = sheet[root : sheet.find(b">", root)]
    if f'xmlns:r="{REL_NS}"'.encode() in head:
        return sheet
    if root < 0 or b"xmlns:r=" in head:
        raise Unsupported(f"{part}: the prefix r is bound to another namespace")
    at = root + len(b"<worksheet")
    return sheet[:at] + f' xmlns:r="{REL_NS}"'.encode() + sheet[at:]


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return f"{folder}/_rels/{name}.rels"


def _free_name(taken: set[str], pattern: str) -> str:
    return next(pattern.format(n) for n in range(1, len(taken) + 2) if pattern.format(n) not in taken)


def _clean(text: str) -> str:
    """Text without the control characters XML 1.0 cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _row_and_column(reference: str) -> tuple[int, int]:
    letters = reference.rstrip("0123456789")
    return int(reference[len(letters) :]), _column(letters.encode("ascii"))


def _column(letters: bytes) -> int:
    column = 0
    for letter in letters:
        column = column * 26 + letter - 64
    return column
