"""Stage 1, read: any council document -> `SourceDocument` (lines with locations)."""

from __future__ import annotations

from pathlib import Path

from ..problems import EtlError, Location, problem
from .source import SourceDocument, SourceLine
from .text import read_text_document

__all__ = ["READERS", "SourceDocument", "SourceLine", "read_document"]

READERS = {".txt": read_text_document, ".md": read_text_document}


def read_document(path: Path) -> SourceDocument:
    """Read a document with the reader its suffix names."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise EtlError(
            problem(
                "read.unsupported_type",
                Location(file=str(path)),
                ja=f"この種類のファイルは読めません: {path.suffix or '(拡張子なし)'}",
                en=f"unsupported document type {path.suffix or '(no suffix)'}",
                hint=f"対応している形式: {', '.join(sorted(READERS))}",
            )
        )
    if not path.is_file():
        raise EtlError(
            problem(
                "read.not_found",
                Location(file=str(path)),
                ja="ファイルが見つかりません",
                en="file not found",
            )
        )
    return reader(path)
