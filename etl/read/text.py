"""Plain-text documents (.txt, .md): encoding recognised, line endings normalised.

Encoding detectors misfire on short Japanese text, so the order is fixed: a BOM
first (UTF-8, UTF-16), then UTF-16 without a BOM (recognised by its NUL bytes), then
strict UTF-8, then strict CP932. What decodes as none of these, and any other NUL
byte, is reported with the line and byte position of the first bad byte.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..problems import EtlError, Location, file_error, problem
from .source import MAX_LINES, SourceDocument, SourceLine, too_many_lines

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


MAX_TEXT_BYTES = 50_000_000  # a council plan is well under 1 MB


def read_text_document(path: Path) -> SourceDocument:
    if path.stat().st_size > MAX_TEXT_BYTES:
        too_large = f"larger than {MAX_TEXT_BYTES:,} bytes"
        raise file_error("text.too_large", path, ja="ファイルが大きすぎます", en=too_large)
    data = path.read_bytes()
    text, encoding = decode(data, str(path))
    if not text.strip():
        empty = "the document is empty or only whitespace"
        raise file_error("text.empty", path, ja="文書が空です（空白のみ）", en=empty)
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    if breaks >= MAX_LINES:  # counted before a line is made
        raise too_many_lines(path)
    return SourceDocument(str(path), tuple(split_lines(text)), encoding)


def decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_strict(data, encoding, name, len(bom)), encoding
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _decode_strict(data, utf16, name, 0), utf16
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _bad_byte(data, name, nul, "NUL byte: a binary file, not text")
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


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a BOM. Only UTF-16 puts NUL bytes in text; of the two byte
    orders, the right one decodes to ordinary Japanese and ASCII characters."""
    if b"\x00" not in data or len(data) % 2:
        return None
    scores = {}
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        scores[encoding] = len(_ORDINARY.findall(text)) / max(len(text), 1)
    best = max(scores, key=scores.__getitem__, default=None)
    return best if best and scores[best] > 0.9 else None


# ASCII text, kana, kanji, full-width forms and CJK punctuation.
_ORDINARY = re.compile("[\t\n\r\x20-\x7e\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")


def _decode_strict(data: bytes, encoding: str, name: str, start: int) -> str:
    try:
        return data[start:].decode(encoding.removesuffix("-sig") if encoding == "utf-8-sig" else encoding)
    except UnicodeDecodeError as err:
        raise _bad_byte(data, name, start + err.start, f"invalid {encoding}") from None


def _undecodable(data: bytes, name: str, position: int) -> EtlError:
    return _bad_byte(data, name, position, "neither UTF-8 nor CP932 (Shift_JIS)")


def _bad_byte(data: bytes, name: str, position: int, why: str) -> EtlError:
    line = data.count(b"\n", 0, position) + 1
    column = position - (data.rfind(b"\n", 0, position) + 1) + 1
    return EtlError(
        problem(
            "text.undecodable",
            Location(file=name, line=line, column=column),
            ja=f"文字コードを判別できません（{line}行目、{position}バイト目: 0x{data[position]:02X}）",
            en=f"{why}: bad byte 0x{data[position]:02X} at byte {position} (line {line})",
            hint="UTF-8 または Shift_JIS (CP932) で保存し直してください",
        )
    )


def split_lines(text: str) -> list[SourceLine]:
    """CRLF and CR become LF; every line keeps its 1-based number."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return [SourceLine(number, line) for number, line in enumerate(normalised.split("\n"), start=1)]
