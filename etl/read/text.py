"""Plain-text documents (.txt, .md): encoding recognised, line endings normalised.

Encoding detectors misfire on short Japanese text, so the order is fixed: a BOM
first (UTF-8, UTF-16), then strict UTF-8, then strict CP932. What decodes as neither
is reported with the line and byte position of the first bad byte.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..problems import EtlError, Location, problem
from .source import SourceDocument, SourceLine

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_text_document(path: Path) -> SourceDocument:
    data = path.read_bytes()
    text, encoding = decode(data, str(path))
    return SourceDocument(str(path), tuple(split_lines(text)), encoding)


def decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        bad = utf8_error.start
    if not data[:bad].isascii():
        # Valid multi-byte UTF-8 before the bad byte: a damaged UTF-8 file, not CP932.
        raise _undecodable(data, name, bad)
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError as cp932_error:
        raise _undecodable(data, name, cp932_error.start) from None
    odd = _CP932_ODD.search(text)
    if odd:
        raise _undecodable(data, name, len(text[: odd.start()].encode("cp932")))
    return text, "cp932"


# Python's cp932 maps a few bytes no Japanese text contains to C1 controls or the
# private use area; seeing them means the file is not really CP932.
_CP932_ODD = re.compile("[\x80-\x9f\ue000-\uf8ff]")


def _undecodable(data: bytes, name: str, position: int) -> EtlError:
    line = data.count(b"\n", 0, position) + 1
    column = position - (data.rfind(b"\n", 0, position) + 1) + 1
    return EtlError(
        problem(
            "text.undecodable",
            Location(file=name, line=line, column=column),
            ja=f"文字コードを判別できません（{line}行目、{position}バイト目: 0x{data[position]:02X}）",
            en=f"neither UTF-8 nor CP932 (Shift_JIS): bad byte 0x{data[position]:02X} at byte {position}",
            hint="UTF-8 または Shift_JIS (CP932) で保存し直してください",
        )
    )


def split_lines(text: str) -> list[SourceLine]:
    """CRLF and CR become LF; every line keeps its 1-based number."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return [SourceLine(number, line) for number, line in enumerate(normalised.split("\n"), start=1)]
