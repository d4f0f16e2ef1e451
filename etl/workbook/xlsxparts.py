"""Read the few parts of an xlsx package that read-back needs, without building a workbook.

openpyxl makes an object of every style, defined name and cell of every sheet it
touches; read-back needs only the hidden sheets, the defined names and the cells that
staff fill in. This module reads those parts as bytes and picks cells out with regular
expressions and direct look-ups, written for the SpreadsheetML that Excel, LibreOffice,
xlsxwriter and openpyxl save: UTF-8, the main namespace as the default one, every cell
as `<c r="F12" s=".." t="..">` (reference first), no CDATA, comments or DTD. A package
outside that dialect, a part larger than `MAX_PART_BYTES`, or a shared or array formula
raises `Unsupported`, and the caller reads the file with openpyxl, whose values this
module reproduces: a formula keeps its text and cached value, an error value is its
string (`#DIV/0!`), a date is a datetime, a boolean a bool.

The container guard (`etl.read.guard.inspect_container`) has checked the zip first, and
can hand over the parts it inflated (`keep_part` says which), so that none is inflated twice.
No declared dimension is trusted: only the rows and cells asked for are read.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_REVERSE, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601
from openpyxl.workbook.defined_name import DefinedName

MAX_PART_BYTES = 32 * 2**20  # our largest part is well under 1 MB; openpyxl streams anything bigger
MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"

RawValue = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None


class Unsupported(Exception):
    """The package is not in the dialect this reader knows; read it with openpyxl."""


class Cell(NamedTuple):
    value: RawValue  # for a formula, the value it last computed (None if never computed)
    formula: str  # `=...` when the cell holds a formula, else ""


class _Relationship(NamedTuple):
    path: str
    kind: str  # the last part of the relationship type: `worksheet`, `sharedStrings`, `styles` ...


_ROOT = re.compile(rb"\A(?:\xef\xbb\xbf)?(?:<\?xml[^>]*\?>)?\s*<(?P<tag>[\w:]+)\b[^>]*?\bxmlns=\"(?P<ns>[^\"]*)\"")
_ENCODING = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml[^>]*\bencoding=[\"']([\w-]+)[\"']")
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]{1,9})")?(?: t="([A-Za-z]{1,9})")?(?: (?![rst]=)[\w:]+="[^"]*")*\s*'
    rb"(?:/>|><v>([^<]*)</v></c>|>(.*?)</c>)",  # empty, a value alone (most cells), anything else
    re.DOTALL,
)
_SHARED_STRING_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="[0-9]{1,9}")? t="s"><v>([0-9]{1,9})</v></c>')
_MARKUP_DECLARATION = re.compile(rb"<!")  # CDATA, a comment, a DTD: none in the parts these tools write
_FEW = 32  # `!`s in a part below which looking at each is the faster way to find `<!`
_CHUNK = 2**20  # sheets are read in pieces of about this many bytes, each ending before a row
_VALUE = re.compile(r"<v(?:\s[^>]*)?>([^<]*)</v>")
_FORMULA = re.compile(r"<f\b([^>]*?)(?:/>|>([^<]*)</f>)")
_INLINE = re.compile(r"<is\b[^>]*>(.*?)</is>", re.DOTALL)
_STRING_ITEM = re.compile(r"<si>(?:<t(?:\s[^>]*)?>([^<]*)</t>|<t\s*/>)</si>|<si\b[^>]*?(?:/>|>(.*?)</si>)", re.DOTALL)
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>|<rPh\b[^>]*/>|<phoneticPr\b[^>]*/>", re.DOTALL)
_TEXT = re.compile(r"<t(?:\s[^>]*)?>([^<]*)</t>")
_SHEET = re.compile(r"<sheet\b([^>]*?)/?>")
_PLAIN_SHEET = re.compile(r'<sheet name="([^"&]*)" sheetId="[0-9]{1,9}"(?: state="[A-Za-z]{1,12}")? r:id="([^"&]*)"/>')
_PLAIN_DEFINED_NAME = re.compile(r'<definedName name="([^"&]*)">([^<&]*)</definedName>')
_OTHER_DEFINED_NAME = re.compile(r'<definedName (?!name="[^"&]*">[^<&]*<)([^>]*)>([^<]*)</definedName>')
_WORKBOOK_PR = re.compile(r"<workbookPr\b([^>]*?)/?>")
_RELATIONSHIP = re.compile(r"<Relationship\b([^>]*?)/?>")
_PLAIN_RELATIONSHIP = re.compile(r'<Relationship Id="([^"&]*)" Type="([^"&]*)" Target="([^"&]*)"/>')
_NUM_FMT = re.compile(r"<numFmt\b([^>]*?)/?>")
_CELL_XFS = re.compile(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.DOTALL)
_XF = re.compile(r"<xf\b([^>]*?)/?>")
_PROTECTED = re.compile(rb'<sheetProtection\b[^>]*\bsheet="(?:1|true)"')
_MODIFIED = re.compile(r"<dcterms:modified\b[^>]*>([^<]*)</dcterms:modified>")
_DOUBLE_QUOTED_ATTRIBUTE = re.compile(r"([\w:.-]+)\s*=\s*\"([^\"]*)\"")
_ATTRIBUTE = re.compile(r"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ENTITY = re.compile(r"&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));")
_NAMED_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_SINGLE_CELL = re.compile(r"(?:'([^']*(?:''[^']*)*)'|([^'!\s(),]+))!\$([A-Z]{1,3})\$([0-9]{1,7})\Z")
# `'sheet'!$F$12`, `sheet!F12` or a range: the forms the name of an input cell takes.
_DESTINATION = re.compile(
    r"(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^'!\s(),]+))!"
    r"(?P<cells>\$?[A-Z]{1,3}\$?[0-9]+(?::\$?[A-Z]{1,3}\$?[0-9]+)?)\Z"
)


class Package:
    """An open xlsx package; `open_package` is the way to get one."""

    def __init__(self, path: Path, parts: Mapping[str, bytes] | None = None) -> None:
        self._path = path
        self._parts = parts or {}  # parts already inflated (by the guard)
        self._checked_parts: dict[tuple[str, bytes], bytes] = {}
        self._archive: zipfile.ZipFile | None = None if parts else zipfile.ZipFile(path)  # else opened when needed
        try:
            self._read_workbook()
        except BaseException:
            self.close()
            raise

    def _read_workbook(self) -> None:
        workbook = _text(self._part("xl/workbook.xml", b"workbook"))
        rels = _relationships(_text(self._read("xl/_rels/workbook.xml.rels")), "xl")
        self._sheet_parts: dict[str, str] = {}
        names_start = workbook.find("<definedNames")
        head = workbook[:names_start] if names_start >= 0 else workbook  # the sheets come before the names
        sheets = _PLAIN_SHEET.findall(head)  # the usual form: these attributes in this order, nothing escaped
        if len(sheets) != head.count("<sheet") - head.count("<sheets"):
            sheets = [(attributes.get("name"), attributes.get("r:id", "")) for attributes in _sheet_attributes(head)]
        for name, rid in sheets:
            target = rels.get(rid)
            if name is None or target is None:
                raise Unsupported("a sheet without a name or a part")
            self._sheet_parts[name] = target.path
        self.defined_names = _global_names(workbook[names_start:]) if names_start >= 0 else {}
        properties = _WORKBOOK_PR.search(head)
        date1904 = properties is not None and _attributes(properties.group(1)).get("date1904") in ("1", "true")
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self._strings_part = next((r.path for r in rels.values() if r.kind == "sharedStrings"), None)
        self._styles_part = next((r.path for r in rels.values() if r.kind == "styles"), None)

    @property
    def sheetnames(self) -> list[str]:
        return list(self._sheet_parts)

    def sheet_part(self, sheet: str) -> str:
        """The name of the part that holds `sheet` (like `xl/worksheets/sheet3.xml`)."""
        try:
            return self._sheet_parts[sheet]
        except KeyError:
            raise Unsupported(f"no sheet {sheet!r}") from None

    @cached_property
    def modified(self) -> dt.datetime | None:
        """When the workbook was last saved, as its core properties say (naive, UTC)."""
        package_rels = _relationships(_text(self._read("_rels/.rels")), "")
        core = next((r.path for r in package_rels.values() if r.kind == "core-properties"), None)
        found = _MODIFIED.search(_text(self._read(core))) if core else None
        try:
            value = from_ISO8601(found.group(1).strip()) if found else None
        except ValueError:
            return None
        return value if isinstance(value, dt.datetime) else None

    @cached_property
    def single_cells(self) -> dict[str, tuple[str, str]]:
        """The names that point at one cell in the usual form (`'sheet'!$F$12`, or `sheet!$F$12`):
        sheet and `F12`."""
        found = {}
        for name, text in self.defined_names.items():
            match = _SINGLE_CELL.match(text)
            if match is not None:
                quoted, plain, column, row = match.groups()
                found[name] = (plain if quoted is None else quoted.replace("''", "'"), column + row)
        return found

    def destinations(self, name: str) -> list[tuple[str, str]]:
        """(sheet, cells) of each place a workbook-scoped name points at, as openpyxl gives them."""
        text = self.defined_names[name]
        found = _DESTINATION.match(text)
        if found is not None:
            return [(found.group("quoted") or found.group("plain"), found.group("cells"))]
        return list(DefinedName(name=name, attr_text=text).destinations)

    def values(self, sheet: str, *, max_row: int, max_col: int) -> list[tuple[RawValue, ...]]:
        """Rows 1..`max_row` as openpyxl's `iter_rows(values_only=True)` gives them (`max_col`
        values each, a formula as its text), except that a row holding nothing is `()` and
        the rows end with the last one holding something.

        Rows come in order in a sheet, so reading stops at the first row beyond `max_row`.
        """
        rows: dict[int, list[RawValue]] = {}
        for chunk in _chunks(self._sheet_data(sheet)):
            if not self._add_values(chunk, rows, max_row, max_col):
                break
        return [tuple(rows[r]) if r in rows else () for r in range(1, max(rows, default=0) + 1)]

    def cells(self, sheet: str, references: Iterable[str]) -> dict[str, Cell]:
        """The cells at `references` (like `F12`) that hold something, each looked up directly."""
        data = self._sheet_data(sheet)
        found, position = {}, 0
        for reference in sorted(references, key=_row_and_column):
            tag = _tag(reference)
            start = data.find(tag, position)  # cells come in order: each search goes on from the last
            if start < 0:
                start = data.find(tag, 0, position + len(tag))
                if start < 0:
                    if b' r="%s"' % reference.encode("ascii") in data:  # the cell is there, its reference not first
                        raise Unsupported(f"the cell {reference} does not have its reference first")
                    continue  # no such cell: empty
            match = _CELL.match(data, start)
            if match is None:
                raise Unsupported(f"the cell {reference} is outside the usual form")
            position = match.end()
            _, _, style, kind, value, content = match.groups()
            if value or content:
                found[reference] = self._cell(value, content, kind, style)
        return found

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def protected(self, sheet: str) -> bool:
        """Whether the sheet is protected (its locked cells cannot be typed over)."""
        worksheet = self._part(self._sheet_parts[sheet], b"worksheet")
        at = worksheet.rfind(b"<sheetProtection")  # one at most, after the cells: looked for from the end
        return at >= 0 and _PROTECTED.match(worksheet, at) is not None

    def _sheet_data(self, sheet: str) -> bytes:
        """The `<sheetData>` of a sheet (the callers check its cells are in the dialect `_CELL` reads)."""
        worksheet = self._part(self._sheet_parts[sheet], b"worksheet")
        start = worksheet.find(b"<sheetData>")
        end = worksheet.rfind(b"</sheetData>")  # near the end of the part: looked for from there
        if start < 0 or end < start:
            if b"<sheetData/>" in worksheet:
                return b""
            raise Unsupported("no sheet data in the usual form")
        return worksheet[start:end]

    def _add_values(self, chunk: bytes, rows: dict[int, list[RawValue]], max_row: int, max_col: int) -> bool:
        """Put the values of `chunk`'s cells in `rows`; False once a row beyond `max_row` is met."""
        cells = chunk.count(b"<c")  # every cell, and any element whose name starts with c (then: openpyxl)
        plain = _SHARED_STRING_CELL.findall(chunk)  # hidden sheets hold text only: the fast way
        if len(plain) == cells:
            strings = self._shared_strings
            try:
                found = [(letters, row, strings[int(index)]) for letters, row, index in plain]
            except IndexError:
                raise Unsupported("a shared string index beyond the table") from None
        else:
            general = _CELL.findall(chunk)
            if len(general) != cells:
                raise Unsupported("cells outside the usual form")
            found = [
                (letters, row, cached if formula == "" else formula)
                for letters, row, style, kind, value, content in general
                for cached, formula in (self._cell(value, content, kind, style),)
            ]
        for letters, row_text, value in found:
            row = int(row_text)
            if row > max_row:
                return False
            column = _column(letters)
            if column <= max_col and value is not None:
                cells_of_row = rows.get(row)
                if cells_of_row is None:
                    cells_of_row = rows[row] = [None] * max_col
                cells_of_row[column - 1] = value
        return True

    def _cell(self, value: bytes | None, content: bytes | None, kind: bytes | None, style: bytes | None) -> Cell:
        """A cell from `_CELL`'s groups: `value` when it holds a value alone, else `content`."""
        if value:  # the usual cell: a value alone
            if kind == b"s":
                return Cell(self._shared_string(value), "")
            return Cell(self._typed(_unescape(_text(value)), kind or b"n", int(style or 0)), "")
        if not content:  # empty, `<v></v>` or `<c ...></c>` (a group that took no part is b"" in findall)
            return Cell(None, "")
        text = _text(content)
        if kind == b"inlineStr":
            inline = _INLINE.search(text)
            return Cell(_rich_text(inline.group(1)) if inline else None, "")
        found = _VALUE.search(text)
        cached = _unescape(found.group(1)) if found else ""
        typed = self._typed(cached, kind or b"n", int(style or 0)) if cached else None
        formula = _FORMULA.search(text)
        if formula is None:
            return Cell(typed, "")
        if _attributes(formula.group(1)).get("t", "normal") != "normal":
            raise Unsupported("a shared, array or data-table formula")
        return Cell(typed, "=" + _unescape(formula.group(2) or ""))

    def _typed(self, text: str, kind: bytes, style: int) -> RawValue:
        """A value as its type says: a shared string, a number or date, a bool, or text as is."""
        try:
            if kind == b"s":
                return self._shared_string(text.encode("ascii"))
            if kind == b"b":
                return bool(int(text))
            if kind == b"d":
                return from_ISO8601(text)
            if kind == b"n":
                return self._number(text, style)
        except (ValueError, UnicodeEncodeError):
            raise Unsupported(f"a value {text[:20]!r} that does not read as its type {kind!r}") from None
        return text  # `str` (a formula's text result) and `e` (an error value like #DIV/0!)

    def _number(self, text: str, style: int) -> RawValue:
        number = float(text) if "." in text or "e" in text or "E" in text else int(text)
        dates, durations = self._styles
        if style not in dates:
            return number
        try:
            return from_excel(number, self.epoch, timedelta=style in durations)
        except (OverflowError, ValueError):
            return "#VALUE!"  # as openpyxl reads a date serial outside the calendar

    def _shared_string(self, index: bytes) -> str:
        try:
            return self._shared_strings[int(index)]
        except (IndexError, ValueError):
            raise Unsupported(f"no shared string {index[:20]!r}") from None

    @cached_property
    def _shared_strings(self) -> list[str]:
        if self._strings_part is None:
            return []
        strings = []
        for plain, rich in _STRING_ITEM.findall(_text(self._part(self._strings_part, b"sst"))):
            text = _unescape(plain) if plain else _rich_text(rich)
            strings.append(text.replace("x005F_", "") if "x005F_" in text else text)
        return strings

    @cached_property
    def _styles(self) -> tuple[frozenset[int], frozenset[int]]:
        """The cell styles that show a date, and those that show a duration."""
        if self._styles_part is None:
            return frozenset(), frozenset()
        text = _text(self._part(self._styles_part, b"styleSheet"))
        custom = {}
        for match in _NUM_FMT.finditer(text):
            attributes = _attributes(match.group(1))
            custom[int(attributes.get("numFmtId", "-1"))] = attributes.get("formatCode", "")
        dates, durations = set(), set()
        xfs = _CELL_XFS.search(text)
        for index, match in enumerate(_XF.finditer(xfs.group(1) if xfs else "")):
            number_format = _format_code(int(_attributes(match.group(1)).get("numFmtId", "0")), custom)
            if number_format is not None and is_date_format(number_format):
                dates.add(index)
            if number_format is not None and is_timedelta_format(number_format):
                durations.add(index)
        return frozenset(dates), frozenset(durations)

    def _read(self, name: str) -> bytes:
        data = self._parts.get(name)
        if data is None:
            if self._archive is None:
                self._archive = zipfile.ZipFile(self._path)
            try:
                info = self._archive.getinfo(name)
            except KeyError:
                return b""
            if info.file_size > MAX_PART_BYTES:
                raise Unsupported(f"{name} is larger than {MAX_PART_BYTES} bytes")
            data = self._archive.read(info)
        declared = _ENCODING.match(data[:200])
        if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
            raise Unsupported(f"{name} is not UTF-8")
        return data

    def _part(self, name: str, root: bytes) -> bytes:
        """A SpreadsheetML part whose root element is `root` in the main namespace, unprefixed
        (checked once: a sheet's part is read for its cells and again for its protection)."""
        data = self._checked_parts.get((name, root))
        if data is not None:
            return data
        data = self._read(name)
        head = _ROOT.match(data)
        if head is None or head.group("tag") != root or head.group("ns") != MAIN_NS:
            raise Unsupported(f"{name}: not an unprefixed <{root.decode()}> in the main namespace")
        if _has_markup_declaration(data):
            raise Unsupported(f"{name}: CDATA, comments or a DTD")
        self._checked_parts[(name, root)] = data
        return data


def keep_part(info: zipfile.ZipInfo) -> bool:
    """Whether a package reader needs the member: the XML parts it may read, within its limit."""
    return info.file_size <= MAX_PART_BYTES and info.filename.endswith((".xml", ".rels"))


def open_package(path: Path, parts: Mapping[str, bytes] | None = None) -> Package:
    """Open `path`, reading the parts in `parts` from there rather than from the file; raises
    `Unsupported` for anything but a plain xlsx package, and `zipfile.BadZipFile` or `OSError`
    for a file that is not a zip."""
    return Package(path, parts)


def _relationships(text: str, base: str) -> dict[str, _Relationship]:
    plain = _PLAIN_RELATIONSHIP.findall(text)  # the usual form: the attributes in this order, nothing escaped
    if len(plain) == text.count("<Relationship "):
        return {rid: _relationship(base, target, kind) for rid, kind, target in plain}
    found = {}
    for match in _RELATIONSHIP.finditer(text):
        attributes = _attributes(match.group(1))
        if attributes.get("TargetMode") == "External" or "Id" not in attributes or "Target" not in attributes:
            continue
        found[attributes["Id"]] = _relationship(base, attributes["Target"], attributes.get("Type", ""))
    return found


def _relationship(base: str, target: str, kind: str) -> _Relationship:
    if target.startswith("/"):
        path = target.lstrip("/")
    elif "." in target.rpartition("/")[0] or "//" in target or not base:  # `..`, `./`: normalised
        path = posixpath.normpath(posixpath.join(base, target))
    else:
        path = f"{base}/{target}"  # the usual `worksheets/sheet1.xml`
    return _Relationship(path, kind.rpartition("/")[2])


def _global_names(workbook: str) -> dict[str, str]:
    """Workbook-scoped defined names (those without `localSheetId`) and what they refer to."""
    names = dict(_PLAIN_DEFINED_NAME.findall(workbook))  # the usual form: a name, nothing to unescape
    if len(names) + workbook.count(" localSheetId=") == workbook.count("<definedName "):
        return names  # every other name is a sheet's (print titles, filters)
    for attribute_text, refers_to in _OTHER_DEFINED_NAME.findall(workbook):
        attributes = _attributes(attribute_text)
        if "localSheetId" not in attributes and "name" in attributes:
            names[attributes["name"]] = _unescape(refers_to)
    return names


def _sheet_attributes(workbook: str) -> list[dict[str, str]]:
    return [_attributes(match.group(1)) for match in _SHEET.finditer(workbook)]


def _attributes(text: str) -> dict[str, str]:
    if "'" not in text and "&" not in text:  # the usual form: double quotes, nothing escaped
        return dict(_DOUBLE_QUOTED_ATTRIBUTE.findall(text))
    return {name: _unescape(double or single) for name, double, single in _ATTRIBUTE.findall(text)}


def _rich_text(content: str) -> str:
    """The text of a string item: its `<t>`, or its runs' `<t>`s, without phonetic guides."""
    if "<rPh" in content or "<phoneticPr" in content:
        content = _PHONETIC.sub("", content)
    return "".join(_unescape(text) for text in _TEXT.findall(content))


def _has_markup_declaration(data: bytes) -> bool:
    """Whether `data` holds `<!`. Searching for the rare `!` alone is a hundred times
    faster than for `<!` in XML, where every other byte sequence starts with `<`."""
    if data.count(b"!") > _FEW:  # a workbook's defined names: `'sheet'!$F$12` each
        return _MARKUP_DECLARATION.search(data) is not None
    at = data.find(b"!")
    while at >= 0:
        if data[at - 1 : at] == b"<":
            return True
        at = data.find(b"!", at + 1)
    return False


def _chunks(data: bytes) -> Iterator[bytes]:
    start = 0
    while start < len(data):
        end = data.find(b"<row", start + _CHUNK)
        end = len(data) if end < 0 else end
        yield data[start:end]
        start = end


@cache
def _column(letters: bytes) -> int:
    return column_index_from_string(letters.decode("ascii"))


@lru_cache(maxsize=8192)  # the same few hundred references come back in every workbook of a layout
def _tag(reference: str) -> bytes:
    return b'<c r="%s"' % reference.encode("ascii")


@lru_cache(maxsize=8192)
def _row_and_column(reference: str) -> tuple[int, int]:
    split = len(reference.rstrip("0123456789"))
    return int(reference[split:]), _column(reference[:split].encode("ascii"))


def _format_code(number_format_id: int, custom: dict[int, str]) -> str | None:
    if number_format_id in custom:
        code = custom[number_format_id]
        return BUILTIN_FORMATS[BUILTIN_FORMATS_REVERSE[code]] if code in BUILTIN_FORMATS_REVERSE else code
    return BUILTIN_FORMATS.get(number_format_id)


def _text(data: bytes) -> str:
    """UTF-8 text with line ends as an XML parser gives them (a reference `&#13;` stays)."""
    try:
        text = data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError:
        raise Unsupported("text that is not UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _unescape(text: str) -> str:
    return _ENTITY.sub(_entity, text) if "&" in text else text


def _entity(match: re.Match[str]) -> str:
    hexadecimal, decimal, named = match.groups()
    if named:
        return _NAMED_ENTITIES[named]
    try:
        return chr(int(hexadecimal, 16) if hexadecimal else int(decimal))
    except (ValueError, OverflowError):
        raise Unsupported(f"a character reference no XML parser accepts: {match.group(0)[:20]}") from None
