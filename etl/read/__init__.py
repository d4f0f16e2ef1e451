"""Stage 1, read: any council document -> `SourceDocument` (lines with locations).

Every reader produces the same form, so one mapping serves a council whether it sends
the Word file, the Excel file, a PDF or a text export of any of them. Zip containers
are checked by `guard.inspect_container` before a parser sees them.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable
from pathlib import Path

from ..problems import EtlError, file_error
from .docx import read_docx_document
from .layout import TABLE_STYLES, ReadOptions, TableStyle
from .pdf import read_pdf_document
from .source import SourceDocument, SourceLine
from .text import read_text_document
from .xlsx import read_xlsx_document

__all__ = [
    "READERS",
    "TABLE_STYLES",
    "ReadOptions",
    "SourceDocument",
    "SourceLine",
    "TableStyle",
    "read_document",
]

Reader = Callable[[Path, ReadOptions], SourceDocument]


def _read_text(path: Path, options: ReadOptions) -> SourceDocument:
    return read_text_document(path)  # plain text has no tables to lay out


READERS: dict[str, Reader] = {
    ".txt": _read_text,
    ".md": _read_text,
    ".docx": read_docx_document,
    ".docm": read_docx_document,  # macros are flagged, never run
    ".xlsx": read_xlsx_document,
    ".xlsm": read_xlsx_document,
    ".pdf": read_pdf_document,
}

_LEGACY = {".doc": ".docx", ".xls": ".xlsx"}


def read_document(path: Path, options: ReadOptions | None = None) -> SourceDocument:
    """Read a document with the reader its suffix names."""
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise _unsupported(path, suffix)
    if not path.is_file():
        raise file_error("read.not_found", path, ja="ファイルが見つかりません", en="file not found")
    return _composed(reader(path, options or ReadOptions()))


def _composed(document: SourceDocument) -> SourceDocument:
    """The document in NFC, the form mappings are read in: a file saved in NFD (as macOS
    does, ボ as ホ + ゙) matches the same patterns and gives the same names. Columns then
    count the composed characters."""
    if all(unicodedata.is_normalized("NFC", line.text) for line in document.lines):
        return document
    lines = tuple(dataclasses.replace(line, text=unicodedata.normalize("NFC", line.text)) for line in document.lines)
    return dataclasses.replace(document, lines=lines)


def _unsupported(path: Path, suffix: str) -> EtlError:
    resave = _LEGACY.get(suffix)
    hint = (
        f"{resave} 形式で保存し直してください（Word / Excel の「名前を付けて保存」）"
        if resave
        else f"対応している形式: {', '.join(sorted(READERS))}"
    )
    return file_error(
        "read.unsupported_type",
        path,
        ja=f"この種類のファイルは読めません: {suffix or '(拡張子なし)'}",
        en=f"unsupported document type {suffix or '(no suffix)'}" + (f": save it as {resave}" if resave else ""),
        hint=hint,
    )
