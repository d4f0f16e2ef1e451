"""Check a document or workbook file before any parser touches it.

Office files arrive by e-mail from many offices: the suffix may lie (an old `.xls`
renamed `.xlsx`, a password-protected workbook, a truncated download) and a zip
container may be hostile (a zip bomb, an XML entity bomb). `inspect_container`
recognises the real type from the first bytes, then reads every zip member once as a
stream, counting the bytes it actually inflates against fixed limits, and scans the
prolog of every XML part for a DTD. Parsers run only on files that pass. The members a
parser will need can be kept as they are inflated (`keep`), so that no part is inflated
twice.

Macros and external links are not errors for a document, but whoever consolidates
filled workbooks must know: they come back as warnings and flags.
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import olefile

from ..problems import EtlError, Location, Problem, file_error, problem

Expected = Literal["docx", "xlsx", "pdf"]

MAX_MEMBERS = 10_000
MAX_TOTAL_UNCOMPRESSED = 200 * 2**20
MAX_RATIO = 100  # uncompressed:compressed, per member ...
RATIO_FLOOR = 2**20  # ... once it inflates beyond this many bytes
XML_PROLOG_LIMIT = 64 * 2**10  # the root element must start within this many bytes
CHUNK = 64 * 2**10
SMALL_PART_LIMIT = 2**20  # [Content_Types].xml is a few KiB

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
PDF_MAGIC = b"%PDF-"
PDF_HEADER_WINDOW = 1024  # readers accept junk before `%PDF-` within the first KiB

# Every Word package keeps its parts under word/, every Excel package under xl/.
_PART_FOLDER = {"docx": "word/", "xlsx": "xl/"}
_KIND_JA = {"docx": "Word 文書 (.docx)", "xlsx": "Excel ブック (.xlsx)", "pdf": "PDF"}
_MACRO_CONTENT_TYPE = re.compile(rb"macroEnabled|vbaProject", re.IGNORECASE)
_EXTERNAL_LINKS = "xl/externalLinks/"
# XML declaration, comments, processing instructions and whitespace before the root.
_PROLOG = re.compile(r"\A\ufeff?(?:\s|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
# An XML declaration (no `<` or `>` inside) followed by the root element's name: nothing to decode.
_PLAIN_START = re.compile(rb"\A(?:<\?xml [^<>]*\?>)?\s*<[A-Za-z]")


@dataclass(frozen=True)
class ContainerInfo:
    """What the guard learnt about a file that passed."""

    path: Path
    kind: Expected
    members: int = 0
    uncompressed: int = 0
    macros: bool = False
    external_links: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = ()
    parts: Mapping[str, bytes] = field(default_factory=dict, repr=False)  # the members asked to be kept


def inspect_container(
    path: Path, *, expect: Expected, keep: Callable[[zipfile.ZipInfo], bool] | None = None
) -> ContainerInfo:
    """Recognise the file's real type and check a zip container's limits; the members for
    which `keep` is true are kept in `parts`, inflated (and checked) once.

    Raises `EtlError` with a stable code (`file.*`, `zip.*`, `xml.*`) for anything
    a parser should not see.
    """
    with path.open("rb") as stream:
        head = stream.read(PDF_HEADER_WINDOW)
    if not head:
        raise file_error("file.empty", path, ja=f"{path.name} は空のファイルです", en=f"{path.name} is empty (0 bytes)")
    if head.startswith(OLE2_MAGIC):
        raise _ole2_error(path, expect)
    if expect == "pdf":
        if PDF_MAGIC not in head:
            raise _wrong_type(path, expect, head)
        return ContainerInfo(path, expect)
    if head.startswith(EMPTY_ZIP_MAGIC):
        raise file_error("file.not_ooxml", path, ja=f"{path.name} は空の zip です", en=f"{path.name} is an empty zip")
    if not head.startswith(ZIP_MAGIC):
        raise _wrong_type(path, expect, head)
    return _inspect_zip(path, expect, keep)


def _inspect_zip(path: Path, expect: Expected, keep: Callable[[zipfile.ZipInfo], bool] | None) -> ContainerInfo:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise file_error(
            "file.truncated",
            path,
            ja=f"{path.name} は途中で切れています（ダウンロードやコピーが完了していない可能性があります）",
            en=f"{path.name} is truncated: the zip central directory is missing",
            hint="元のファイルをもう一度受け取り直してください",
        ) from None
    with archive:
        infos = archive.infolist()
        _check_declared(path, infos)
        names = {info.filename for info in infos}
        if not _holds(names, expect):
            raise _not_expected_ooxml(path, expect, names)
        parts: dict[str, bytes] = {}
        total = sum(_read_member(path, archive, info, parts if keep and keep(info) else None) for info in infos)
        content_types = parts.get("[Content_Types].xml") or _small_member(archive, "[Content_Types].xml")
    macros = any(name.lower().endswith("vbaproject.bin") for name in names) or bool(
        _MACRO_CONTENT_TYPE.search(content_types)
    )
    links = tuple(sorted(name for name in names if name.startswith(_EXTERNAL_LINKS) and name.endswith(".xml")))
    return ContainerInfo(path, expect, len(infos), total, macros, links, _warnings(path, macros, links), parts)


def _check_declared(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Headers first: cheap, and enough to reject an honest bomb without inflating."""
    if len(infos) > MAX_MEMBERS:
        raise file_error(
            "zip.too_many_members",
            path,
            ja=f"{path.name} の中のファイル数が多すぎます ({len(infos):,} 個、上限 {MAX_MEMBERS:,} 個)",
            en=f"{path.name} has too many zip members: {len(infos):,} (limit {MAX_MEMBERS:,})",
        )
    declared = sum(info.file_size for info in infos)
    if declared > MAX_TOTAL_UNCOMPRESSED:
        raise _too_large(path, declared)
    for info in infos:
        if info.flag_bits & 0x1:
            raise _encrypted(path)
        _check_ratio(path, info, info.file_size)


def _read_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, kept: dict[str, bytes] | None) -> int:
    """Inflate one member as a stream, never holding more than a chunk and a prolog (and,
    with `kept`, the member itself, put there once it passed).

    zipfile stops inflating at the declared size (already bounded above) and then
    checks the CRC, so a header that lies about the size shows up as a bad CRC; the
    ratio is checked on the bytes actually inflated.
    """
    size = 0
    prolog = b""
    chunks = []
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                size += len(chunk)
                _check_ratio(path, info, size)
                if len(prolog) < XML_PROLOG_LIMIT:
                    prolog += chunk[: XML_PROLOG_LIMIT - len(prolog)]
                if kept is not None:
                    chunks.append(chunk)
    except zipfile.BadZipFile as err:
        raise _damaged(path, info.filename, str(err)) from None
    except (EOFError, zlib.error) as err:
        raise _damaged(path, info.filename, f"{type(err).__name__}: {err}") from None
    except NotImplementedError as err:  # a compression method zipfile does not know
        raise file_error(
            "file.corrupt",
            path,
            ja=f"{path.name} の {info.filename} が未対応の方式で圧縮されています",
            en=f"{path.name}: {info.filename}: {err}",
        ) from None
    _check_xml_prolog(path, info.filename, prolog)
    if kept is not None:
        kept[info.filename] = b"".join(chunks)
    return size


def _check_ratio(path: Path, info: zipfile.ZipInfo, size: int) -> None:
    if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
        raise file_error(
            "zip.ratio",
            path,
            ja=f"{path.name} の {info.filename} の圧縮率が異常です（{MAX_RATIO}倍を超えて展開されます）。"
            "zip 爆弾の可能性があります",
            en=f"{path.name}: {info.filename} inflates more than {MAX_RATIO}:1 "
            f"({info.compress_size:,} bytes compressed): a possible zip bomb",
        )


def _check_xml_prolog(path: Path, member: str, head: bytes) -> None:
    if _PLAIN_START.match(head):
        return  # the usual start: a declaration, then the root element
    text = _decode_head(head)
    if text is None:
        return  # not XML: images, binary parts
    prolog = _PROLOG.match(text)
    rest = text[prolog.end() :] if prolog else text
    if rest.startswith("<!"):
        raise file_error(
            "xml.dtd",
            path,
            ja=f"{path.name} の {member} に DTD（<!DOCTYPE> / <!ENTITY> 宣言）があります。"
            "Office ファイルには不要なため、安全のため読みません",
            en=f"{path.name}: {member} declares a DTD (<!DOCTYPE>/<!ENTITY>): refused, Office parts never need one",
        )
    if not rest and len(head) >= XML_PROLOG_LIMIT:
        raise file_error(
            "xml.dtd",
            path,
            ja=f"{path.name} の {member} の先頭 {XML_PROLOG_LIMIT // 1024} KiB に XML の要素がありません",
            en=f"{path.name}: {member} has no XML element within the first {XML_PROLOG_LIMIT // 1024} KiB",
        )


def _decode_head(head: bytes) -> str | None:
    """The start of an XML part as text, or None when the part is not XML."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or head[:2] in (b"<\x00", b"\x00<"):
        encoding = "utf-16-be" if head.startswith(codecs.BOM_UTF16_BE) or head[:1] == b"\x00" else "utf-16-le"
        text = head[: len(head) // 2 * 2].decode(encoding, errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    stripped = text.lstrip("\ufeff \t\r\n")
    return text if stripped.startswith("<") else None


def _small_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """The start of a member the guard already inflated once within the limits."""
    try:
        with archive.open(name) as member:
            return member.read(SMALL_PART_LIMIT)
    except KeyError:
        return b""


def _warnings(path: Path, macros: bool, links: tuple[str, ...]) -> tuple[Problem, ...]:
    found = []
    if macros:
        found.append(
            problem(
                "file.macros",
                Location(file=str(path)),
                ja=f"{path.name} にはマクロが含まれています。マクロは実行も出力へのコピーもしません",
                en=f"{path.name} contains macros (VBA): never run, never copied to outputs",
            )
        )
    if links:
        found.append(
            problem(
                "file.external_links",
                Location(file=str(path)),
                ja=f"{path.name} は他のファイルへの外部リンクを含みます ({len(links)} 件)。"
                "リンク先の値は入力値として扱いません",
                en=f"{path.name} links to {len(links)} external workbook(s): linked values are not input",
            )
        )
    return tuple(found)


def _ole2_error(path: Path, expect: Expected) -> EtlError:
    if _has_encryption_info(path):
        return _encrypted(path)
    new = {"docx": ".docx", "xlsx": ".xlsx"}.get(expect, ".docx / .xlsx")
    return file_error(
        "file.legacy_ole",
        path,
        ja=f"{path.name} は古い形式の Office ファイル (.doc / .xls) です",
        en=f"{path.name} is a legacy Office file (.doc/.xls, OLE2), not {_KIND_JA[expect]}",
        hint=f"Word / Excel で開き、{new} 形式で保存し直してください",
    )


def _has_encryption_info(path: Path) -> bool:
    """An encrypted OOXML file is an OLE2 file holding `EncryptionInfo` and the package."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            return bool(ole.exists("EncryptionInfo"))
    except (OSError, ValueError, IndexError):
        return False  # unreadable OLE2: reported as a legacy or damaged Office file


def _encrypted(path: Path) -> EtlError:
    return file_error(
        "file.encrypted",
        path,
        ja=f"{path.name} はパスワードで保護（暗号化）されているため読めません",
        en=f"{path.name} is password-protected (encrypted)",
        hint="パスワードを解除して保存し直したファイルを使ってください",
    )


def _wrong_type(path: Path, expect: Expected, head: bytes) -> EtlError:
    if expect == "pdf":
        return file_error(
            "file.not_pdf",
            path,
            ja=f"{path.name} は PDF ファイルではありません",
            en=f"{path.name} is not a PDF file (no %PDF- header)",
            hint="拡張子が中身と合っているか確認してください",
        )
    actual = ("PDF", "PDF") if PDF_MAGIC in head else ("zip 形式ではないファイル", "not a zip")
    return file_error(
        "file.not_zip",
        path,
        ja=f"{path.name} は {_KIND_JA[expect]} ではありません（中身は {actual[0]} です）",
        en=f"{path.name} is not {expect} (an Office Open XML zip): its content is {actual[1]}",
        hint="拡張子が中身と合っているか確認してください",
    )


def _holds(names: set[str], kind: Expected) -> bool:
    return any(name.startswith(_PART_FOLDER[kind]) for name in names)


def _not_expected_ooxml(path: Path, expect: Expected, names: set[str]) -> EtlError:
    other: Expected | None = "xlsx" if _holds(names, "xlsx") else "docx" if _holds(names, "docx") else None
    actual = f"中身は {_KIND_JA[other]} です" if other else "Office 文書の本体がありません"
    return file_error(
        "file.not_ooxml",
        path,
        ja=f"{path.name} は {_KIND_JA[expect]} ではありません（{actual}）",
        en=f"{path.name} is not {expect}: {other or 'no Office main part'} found",
        hint="拡張子が中身と合っているか確認してください",
    )


def _too_large(path: Path, size: int) -> EtlError:
    limit = MAX_TOTAL_UNCOMPRESSED // 2**20
    return file_error(
        "zip.too_large",
        path,
        ja=f"{path.name} は展開後のサイズが大きすぎます（{size / 2**20:,.0f} MB、上限 {limit} MB）",
        en=f"{path.name} inflates to {size:,} bytes, over the {limit} MB limit",
    )


def _damaged(path: Path, member: str, detail: str) -> EtlError:
    if "CRC" in detail:
        return file_error(
            "file.bad_crc",
            path,
            ja=f"{path.name} の {member} が壊れています（CRC 不一致）",
            en=f"{path.name}: {member} has a bad CRC, the file is damaged",
            hint="元のファイルをもう一度受け取り直してください",
        )
    return file_error(
        "file.corrupt",
        path,
        ja=f"{path.name} の {member} が壊れています",
        en=f"{path.name}: {member} is damaged ({detail})",
        hint="元のファイルをもう一度受け取り直してください",
    )
