"""The largest inputs the readers accept, and the slow shapes, each converted in a fresh process.

    python bench/limits.py            # every row (several minutes on 2 cores)
    python bench/limits.py text_lines docx   # some rows

Each row makes its input in `bench/.corpus/limits/` (kept), converts it with `--jobs 1`
in a process of its own and reports the processor time of the conversion and the
process's peak resident memory (its high-water mark, imports included), against the stated
limit of 1 GB per worker. Not part of the tests: the tests reproduce each finding at a
size that runs in seconds (`tests/test_limits.py`).
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # measure the tree this file is in, installed or not

from etl.mapping.patterns import DEFAULT_TIME_LIMIT  # noqa: E402
from etl.read.docx import MAX_BODY_TAGS  # noqa: E402
from etl.read.guard import MAX_TOTAL_UNCOMPRESSED  # noqa: E402
from etl.read.pdf import MAX_PAGES  # noqa: E402
from etl.read.source import MAX_LINES  # noqa: E402
from etl.read.text import MAX_TEXT_BYTES  # noqa: E402
from etl.read.xlsx import MAX_ROWS  # noqa: E402
from tests.build_pdf import tiny_pdf  # noqa: E402

CORPUS = ROOT / "bench" / ".corpus" / "limits"
KOMORO = ROOT / "mappings" / "komoro" / "mapping.yaml"
LIMIT_MB = 1024
XLSX_CELLS_PER_ROW = 60  # some 30 bytes of sheet XML a cell: 6 million cells fill the guard's 200 MB
KANJI = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]  # varied enough to compress like text


def words(rng: random.Random, count: int) -> str:
    return "".join(rng.choices(KANJI, k=count))


def text_long_lines(path: Path) -> None:
    """Just under the byte cap, in lines of some 200 characters."""
    rng = random.Random(1)
    line = "\n".join(words(rng, 199) for _ in range(100)) + "\n"  # 60 KB block, repeated
    path.write_text(line * ((MAX_TEXT_BYTES - 1) // len(line.encode())), encoding="utf-8")


def text_lines(path: Path) -> None:
    """Just under both caps: MAX_LINES - 1 lines filling MAX_TEXT_BYTES."""
    width = MAX_TEXT_BYTES // MAX_LINES - 1
    path.write_bytes(b"".join(b"%0*d\n" % (width, n) for n in range(MAX_LINES - 1)))


def spaces_heading(path: Path) -> None:
    """A heading with 100,000 ideographic spaces in the bundled 小諸市 sample (55 s before)."""
    sample = (ROOT / "mappings" / "komoro" / "sample.txt").read_text(encoding="utf-8")
    path.write_text(f"{sample}\n５\u3000見出し{chr(0x3000) * 100_000}終\n", encoding="utf-8")


def docx_paragraphs(path: Path) -> None:
    """A Word document whose body fills the guard's limit with paragraphs, under the line cap."""
    import docx  # noqa: PLC0415

    docx.Document().save(str(path))
    rng = random.Random(2)
    budget = MAX_TOTAL_UNCOMPRESSED - 2 * 2**20
    paragraphs = MAX_BODY_TAGS // 6 - 1000  # six tags each: <w:p><w:r><w:t> and their ends
    kanji = (budget // paragraphs - 60) // 3
    block = "".join(f"<w:p><w:r><w:t>{words(rng, kanji)}</w:t></w:r></w:p>" for _ in range(1000))
    _replace_member(path, "word/document.xml", _docx_body(block.encode(), paragraphs // 1000))


def _docx_body(block: bytes, repeats: int) -> list[bytes]:
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    )
    return [head, *[block] * repeats, b"</w:body></w:document>"]


def _replace_member(path: Path, member: str, chunks: list[bytes]) -> None:
    with zipfile.ZipFile(path) as source:
        original = {name: source.read(name) for name in source.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in original.items():
            if name == member:
                with target.open(name, "w", force_zip64=True) as part:
                    for chunk in chunks:
                        part.write(chunk)
            else:
                target.writestr(name, data)


def xlsx_rows(path: Path) -> None:
    """An Excel sheet of MAX_ROWS rows of text, as large as the guard allows."""
    from openpyxl import Workbook  # noqa: PLC0415

    rng = random.Random(3)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("計画")
    cells = 9  # under MAX_CELLS, and under MAX_LINES with a line per cell
    width = (MAX_TOTAL_UNCOMPRESSED // 4) // (MAX_ROWS * cells * 3)  # inline strings, with their markup
    row = [words(rng, width) for _ in range(cells)]
    for _ in range(MAX_ROWS - 1):
        sheet.append(row)
    book.save(path)


def xlsx_cells(path: Path) -> None:
    """An Excel sheet of MAX_ROWS rows of small numbers: six times MAX_CELLS, within the guard."""
    from openpyxl import Workbook  # noqa: PLC0415

    book = Workbook(write_only=True)
    sheet = book.create_sheet("計画")
    row = list(range(1, XLSX_CELLS_PER_ROW + 1))
    for _ in range(MAX_ROWS - 1):
        sheet.append(row)
    book.save(path)


def pdf_pages(path: Path) -> None:
    """MAX_PAGES pages of dense text (a text layer, Helvetica)."""
    lines = [f"({n:03d} " + "The council plans and reports its projects for the year. " * 1 + ")" for n in range(60)]
    content = "BT /F1 9 Tf 36 800 Td 12 TL " + " ".join(f"{line} '" for line in lines) + " ET"
    tiny_pdf(path, [content] * MAX_PAGES)


def text_short_lines(path: Path) -> None:
    """40 MB in three million short lines: refused by the line cap before a line is made."""
    path.write_bytes(b"".join(b"%07d\n" % (n % 10**7) for n in range(MAX_TEXT_BYTES * 4 // 5 // 8)))


CATASTROPHIC_MAPPING = """\
version: 1
council: {id: "132187", name: テスト市社会福祉協議会, prefecture: 東京都}
document: {kind: plan, title: 事業計画, fiscal_years: [2024]}
ignore:
  - {pattern: '^(a|aa)+$', reason: backtracks for hours on a line that almost matches}
layout:
  type: outline
  project: '^(?P<printed>\\((?P<id>[0-9]+)\\))\\s*(?P<name>\\S(?:.*\\S)?)\\s*$'
"""


def catastrophic(path: Path) -> None:
    """A mapping pattern that backtracks for hours, stopped by a 5-second budget."""
    path.write_text("(1) 見守り活動\n" + "a" * 40 + "b\n", encoding="utf-8")
    path.with_suffix(".yaml").write_text(CATASTROPHIC_MAPPING, encoding="utf-8")


ROWS: dict[str, tuple[str, str, Callable[[Path], None]]] = {
    "text_long_lines": ("txt", "text, 50 MB in lines of 200 characters", text_long_lines),
    "text_lines": ("txt", f"text, 50 MB in {MAX_LINES - 1:,} lines", text_lines),
    "spaces_heading": ("txt", "小諸市 sample + a heading of 100,000 spaces", spaces_heading),
    "docx": ("docx", f"docx, 200 MB body of {MAX_BODY_TAGS // 6 - 1000:,} paragraphs", docx_paragraphs),
    "xlsx": ("xlsx", f"xlsx, {MAX_ROWS - 1:,} rows x 9 cells of text", xlsx_rows),
    "xlsx_cells": ("xlsx", f"xlsx, {MAX_ROWS - 1:,} rows x {XLSX_CELLS_PER_ROW} numbers", xlsx_cells),
    "pdf": ("pdf", f"pdf, {MAX_PAGES} dense pages", pdf_pages),
    "text_short_lines": ("txt", "text, 40 MB in 4,000,000 lines", text_short_lines),
    "catastrophic": ("txt", "pattern ^(a|aa)+$ on 41 characters, --time-limit 5", catastrophic),
}
PATTERN_BUDGET = 5.0  # seconds, for a document that brings its own mapping


def measure_one(document: Path, out: Path) -> dict[str, object]:
    """Convert `document` here (`--jobs 1`) and report what it took."""
    from etl.convert import convert_document  # noqa: PLC0415

    own = document.with_suffix(".yaml")
    mapping, budget = (own, PATTERN_BUDGET) if own.exists() else (KOMORO, DEFAULT_TIME_LIMIT)
    start = time.process_time()
    outcome = convert_document(document, mapping, out, seconds=budget)
    seconds = time.process_time() - start
    peak = _peak_mb()
    codes = sorted({p.code for p in outcome.problems})
    return {"status": outcome.status, "cpu_s": round(seconds, 1), "peak_mb": peak, "codes": codes}


def _peak_mb() -> int:
    """This process's peak resident memory. Linux's `ru_maxrss` keeps the parent's peak
    across fork and exec; the high-water mark of /proc does not."""
    status = Path("/proc/self/status")
    if status.exists():
        return int(status.read_text().split("VmHWM:")[1].split()[0]) // 1024
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20)  # bytes on macOS


def main(names: list[str]) -> None:
    CORPUS.mkdir(parents=True, exist_ok=True)
    print(f"| input | size MB | status | CPU s | peak MB (limit {LIMIT_MB}) | problems |")
    print("|---|---:|---|---:|---:|---|")
    for name in names or list(ROWS):
        suffix, label, make = ROWS[name]
        document = CORPUS / f"{name}.{suffix}"
        if not document.exists():
            make(document)
        child = subprocess.run(
            [sys.executable, __file__, "--one", str(document), str(CORPUS / "out")],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(child.stdout.splitlines()[-1])
        size = document.stat().st_size / 2**20
        codes = ", ".join(row["codes"])
        print(f"| {label} | {size:.1f} | {row['status']} | {row['cpu_s']} | {row['peak_mb']} | {codes} |", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure_one(Path(sys.argv[2]), Path(sys.argv[3]))))
    else:
        main(sys.argv[1:])
