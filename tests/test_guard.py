"""The container guard: every hostile or broken file gets its own clear code and message.

Each test builds its own file: zip bombs from highly compressible data, XML with a
DTD, OLE2 compound files written byte by byte, truncated copies, flipped CRC fields.
"""

from __future__ import annotations

import io
import random
import struct
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from etl.problems import EtlError, Severity
from etl.read import guard, read_document
from etl.read.guard import inspect_container

REPO = Path(__file__).resolve().parent.parent


# --- builders ------------------------------------------------------------------------


def word_file(path: Path, text: str = "社協") -> Path:
    document = docx.Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


def excel_file(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "事業名"
    workbook.save(path)
    return path


def rewrite(source: Path, target: Path, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None):
    """A copy of a zip with some members replaced or added."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
        for name, data in add.items():
            new.writestr(name, data)
    return target


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) holding `streams`.

    Streams are padded to 4096 bytes so that none lives in the mini stream.
    """
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    fat = [fat_sector, end]  # sector 0 holds the FAT, sector 1 the directory
    body, starts = b"", []
    for content in streams.values():
        padded = content.ljust(max(4096, -(-len(content) // 512) * 512), b"\0")
        first, count = len(fat), len(padded) // 512
        starts.append(first)
        fat += [*range(first + 1, first + count), end]
        body += padded
    assert len(fat) <= 128

    def entry(name: str, kind: int, *, right: int, child: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        return struct.pack(
            "<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, no_stream, right, child, b"", 0, 0, 0, start, size
        )

    names = list(streams)
    entries = [entry("Root Entry", 5, right=no_stream, child=1, start=end, size=0)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else no_stream
        entries.append(
            entry(name, 2, right=right, child=no_stream, start=starts[i], size=max(4096, len(streams[name])))
        )
    unused = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, no_stream, no_stream, no_stream, b"", 0, 0, 0, 0, 0)
    assert len(entries) <= 4  # one directory sector
    directory = (b"".join(entries) + unused * 4)[:512]
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        guard.OLE2_MAGIC,
        b"",
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"",
        0,
        1,
        1,
        0,
        4096,
        end,
        0,
        end,
        0,
        0,
        *([free] * 108),
    )
    return header + struct.pack("<128I", *(fat + [free] * (128 - len(fat)))) + directory + body


def flip_crc(data: bytes, member: str) -> bytes:
    """The archive with `member`'s CRC in the central directory changed."""
    out = bytearray(data)
    position = out.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack_from("<H", out, position + 28)[0]
        if out[position + 46 : position + 46 + name_length].decode() == member:
            out[position + 16] ^= 0xFF
            return bytes(out)
        position = out.find(b"PK\x01\x02", position + 4)
    raise AssertionError(f"{member} not in the central directory")


def code_of(path: Path, expect: guard.Expected) -> str:
    with pytest.raises(EtlError) as caught:
        inspect_container(path, expect=expect)
    problem = caught.value.problem
    assert problem.location.file == str(path)
    assert path.name in problem.message_ja and path.name in problem.message_en
    return problem.code


# --- the real type from the first bytes -----------------------------------------------


def test_a_good_word_file_passes_with_no_warnings(tmp_path: Path):
    info = inspect_container(word_file(tmp_path / "plan.docx"), expect="docx")
    assert info.kind == "docx"
    assert info.members > 3 and info.uncompressed > 0
    assert not info.macros and not info.external_links and not info.warnings


@pytest.mark.parametrize("expect", ["docx", "xlsx", "pdf"])
def test_empty_file(tmp_path: Path, expect: guard.Expected):
    path = tmp_path / f"plan.{expect}"
    path.write_bytes(b"")
    assert code_of(path, expect) == "file.empty"


def test_legacy_word_file_says_save_as_docx(tmp_path: Path):
    path = tmp_path / "plan.docx"
    path.write_bytes(cfb({"WordDocument": b"\xec\xa5" + b"\0" * 600}))
    with pytest.raises(EtlError) as caught:
        inspect_container(path, expect="docx")
    problem = caught.value.problem
    assert problem.code == "file.legacy_ole"
    assert ".doc" in problem.message_ja and ".docx" in problem.hint


def test_bare_ole2_header_is_a_legacy_file(tmp_path: Path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(guard.OLE2_MAGIC + b"\0" * 100)
    assert code_of(path, "xlsx") == "file.legacy_ole"


def test_password_protected_office_file_is_encrypted_not_legacy(tmp_path: Path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(cfb({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 100, "EncryptedPackage": b"\1" * 5000}))
    with pytest.raises(EtlError) as caught:
        inspect_container(path, expect="xlsx")
    assert caught.value.problem.code == "file.encrypted"
    assert "パスワード" in caught.value.problem.message_ja


def test_pdf_renamed_to_docx(tmp_path: Path):
    path = tmp_path / "plan.docx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    assert code_of(path, "docx") == "file.not_zip"
    with pytest.raises(EtlError) as caught:
        inspect_container(path, expect="docx")
    assert "PDF" in caught.value.problem.message_ja


def test_text_file_renamed_to_xlsx(tmp_path: Path):
    path = tmp_path / "book.xlsx"
    path.write_text("事業名,目的\n", encoding="utf-8")
    assert code_of(path, "xlsx") == "file.not_zip"


def test_not_a_pdf(tmp_path: Path):
    path = tmp_path / "plan.pdf"
    path.write_text("事業計画", encoding="utf-8")
    assert code_of(path, "pdf") == "file.not_pdf"


def test_excel_file_named_docx_says_what_it_is(tmp_path: Path):
    path = excel_file(tmp_path / "book.xlsx").rename(tmp_path / "plan.docx")
    with pytest.raises(EtlError) as caught:
        inspect_container(path, expect="docx")
    assert caught.value.problem.code == "file.not_ooxml"
    assert "Excel" in caught.value.problem.message_ja


def test_truncated_download(tmp_path: Path):
    data = word_file(tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "plan.docx"
    path.write_bytes(data[: len(data) // 2])
    assert code_of(path, "docx") == "file.truncated"


def test_bad_crc(tmp_path: Path):
    data = word_file(tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "plan.docx"
    path.write_bytes(flip_crc(data, "word/document.xml"))
    assert code_of(path, "docx") == "file.bad_crc"
    with pytest.raises(EtlError) as caught:
        inspect_container(path, expect="docx")
    assert "word/document.xml" in caught.value.problem.message_ja


def test_damaged_compressed_data(tmp_path: Path):
    source = rewrite(word_file(tmp_path / "whole.docx"), tmp_path / "big.docx", add={"word/x.xml": b"<a>" * 5000})
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo("word/x.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start : start + 20] = b"\xff" * 20
    path = tmp_path / "plan.docx"
    path.write_bytes(bytes(data))
    assert code_of(path, "docx") in {"file.corrupt", "file.bad_crc"}


# --- limits ----------------------------------------------------------------------------


def test_too_many_members(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(guard, "MAX_MEMBERS", 20)
    extra = {f"word/media/image{i}.png": b"x" for i in range(20)}
    path = rewrite(word_file(tmp_path / "whole.docx"), tmp_path / "plan.docx", add=extra)
    assert code_of(path, "docx") == "zip.too_many_members"


def test_too_large_in_total(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(guard, "MAX_TOTAL_UNCOMPRESSED", 2**20)
    noise = random.Random(0).randbytes(2**20)  # incompressible: large, not a bomb
    path = rewrite(word_file(tmp_path / "whole.docx"), tmp_path / "plan.docx", add={"word/media/a.bin": noise})
    assert code_of(path, "docx") == "zip.too_large"


def test_compression_ratio_of_a_bomb(tmp_path: Path):
    zeros = b"\0" * (20 * 2**20)
    path = rewrite(word_file(tmp_path / "whole.docx"), tmp_path / "plan.docx", add={"word/media/a.bin": zeros})
    assert code_of(path, "docx") == "zip.ratio"


def test_compressible_parts_below_the_floor_pass(tmp_path: Path):
    repetitive = b"<w:p/>" * 100_000  # 600 KB that compress well over 100:1
    path = rewrite(word_file(tmp_path / "whole.docx"), tmp_path / "plan.docx", add={"word/x.xml": repetitive})
    assert inspect_container(path, expect="docx").members > 0


_ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"""


@pytest.mark.parametrize(
    ("member", "content"),
    [
        ("word/document.xml", _ENTITY_BOMB),
        ("word/document.xml", b'<?xml version="1.0"?><!-- note --> \n<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>'),
        ("word/document.xml", '\ufeff<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><x/>'.encode("utf-16-le")),
        ("customXml/item1.xml", b'<!ENTITY x "y"><x/>'),
        ("word/_rels/document.xml.rels", b"<!DOCTYPE r><Relationships/>"),
    ],
)
def test_dtd_in_any_xml_part_is_refused(tmp_path: Path, member: str, content: bytes):
    source = word_file(tmp_path / "whole.docx")
    with zipfile.ZipFile(source) as archive:
        present = member in archive.namelist()
    path = rewrite(
        source,
        tmp_path / "plan.docx",
        replace={member: content} if present else {},
        add={} if present else {member: content},
    )
    with pytest.raises(EtlError) as caught:
        inspect_container(path, expect="docx")
    assert caught.value.problem.code == "xml.dtd"
    assert member in caught.value.problem.message_ja


def test_readers_run_the_guard_first(tmp_path: Path):
    """The Word reader never parses a part with an entity declaration."""
    path = rewrite(
        word_file(tmp_path / "whole.docx"), tmp_path / "plan.docx", replace={"word/document.xml": _ENTITY_BOMB}
    )
    with pytest.raises(EtlError) as caught:
        read_document(path)
    assert caught.value.problem.code == "xml.dtd"
    book = tmp_path / "book.xlsx"
    book.write_bytes(cfb({"Workbook": b"\x09\x08" + b"\0" * 100}))
    with pytest.raises(EtlError) as caught:
        read_document(book)
    assert caught.value.problem.code == "file.legacy_ole"


# --- macros and external links are flags, not errors -------------------------------------


def test_macros_are_flagged(tmp_path: Path):
    path = rewrite(word_file(tmp_path / "whole.docx"), tmp_path / "plan.docm", add={"word/vbaProject.bin": b"\0" * 64})
    info = inspect_container(path, expect="docx")
    assert info.macros
    assert [w.code for w in info.warnings] == ["file.macros"]
    assert info.warnings[0].severity is Severity.WARNING
    document = read_document(path)
    assert [p.code for p in document.problems] == ["file.macros"]


def test_macro_enabled_content_type_is_flagged(tmp_path: Path):
    source = excel_file(tmp_path / "whole.xlsx")
    with zipfile.ZipFile(source) as archive:
        types = archive.read("[Content_Types].xml").replace(
            b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
        )
    path = rewrite(source, tmp_path / "book.xlsm", replace={"[Content_Types].xml": types})
    assert inspect_container(path, expect="xlsx").macros


def test_external_links_are_flagged(tmp_path: Path):
    link = b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    path = rewrite(
        excel_file(tmp_path / "whole.xlsx"), tmp_path / "book.xlsx", add={"xl/externalLinks/externalLink1.xml": link}
    )
    info = inspect_container(path, expect="xlsx")
    assert info.external_links == ("xl/externalLinks/externalLink1.xml",)
    assert [w.code for w in info.warnings] == ["file.external_links"]


# --- bounded memory ----------------------------------------------------------------------

_LIMITED = textwrap.dedent(
    """
    import resource, sys, zipfile
    from pathlib import Path
    from etl.problems import EtlError
    from etl.read import guard

    def vm_size():
        for line in open("/proc/self/status"):
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024

    limit = vm_size() + 256 * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    bomb = Path(sys.argv[1])
    try:
        guard.inspect_container(bomb, expect="xlsx")
    except EtlError as err:
        print("rejected", err.problem.code)
    guard.MAX_TOTAL_UNCOMPRESSED, guard.MAX_RATIO = 2**40, 2**40  # now it must inflate it all
    print("streamed", guard.inspect_container(bomb, expect="xlsx").uncompressed)
    try:
        zipfile.ZipFile(bomb).read("xl/bomb.bin")
    except MemoryError:
        print("naive read: MemoryError")
    """
)


def test_a_bomb_is_rejected_and_streamed_within_a_memory_limit(tmp_path: Path):
    bomb = tmp_path / "bomb.xlsx"
    size = 320 * 2**20  # over the 200 MB limit, and over the 256 MB of headroom below
    rewrite(excel_file(tmp_path / "whole.xlsx"), bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/bomb.bin", "w") as member:
        chunk = b"\0" * 2**20
        for _ in range(size // len(chunk)):
            member.write(chunk)
    assert bomb.stat().st_size < 2 * 2**20
    result = subprocess.run(
        [sys.executable, "-c", _LIMITED, str(bomb)], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "rejected zip.too_large"
    assert lines[1].startswith("streamed ") and int(lines[1].split()[1]) > size
    assert lines[2] == "naive read: MemoryError"  # the limit is real: inflating in memory fails


def test_member_bytes_are_counted_not_trusted(tmp_path: Path):
    """A header that understates a member's size cannot make the guard inflate more."""
    source = word_file(tmp_path / "whole.docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info.filename))
        new.writestr("word/media/big.bin", b"\0" * 2**20)
    data = bytearray(buffer.getvalue())
    position = data.rfind(b"PK\x01\x02")  # the last central directory entry: big.bin
    struct.pack_into("<I", data, position + 24, 1000)  # declared uncompressed size
    path = tmp_path / "plan.docx"
    path.write_bytes(bytes(data))
    assert code_of(path, "docx") == "file.bad_crc"
