"""PDF documents with a text layer: lines top to bottom, ruled tables as tables.

pdfplumber (the optional `pdf` extra) finds tables from their ruling lines; each table
is laid out in the mapping's table style, and the text around tables becomes lines in
reading order. What a PDF cannot give back is stated, not guessed: line breaks are
the page's, not the document's paragraphs (a wrapped paragraph is several lines, and
so is a wrapped table cell); a table continued on the next page is a second table;
multi-column pages read across; scanned pages have no text (OCR is not supported).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..problems import EtlError, Location, Problem, file_error, problem
from .guard import inspect_container
from .layout import Cell, Line, ReadOptions, Row, TableStyle, numbered, render_rows
from .source import SourceDocument

try:  # the optional `pdf` extra; Word, Excel and text documents read without it
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException
except ImportError:
    pdfplumber = None

if TYPE_CHECKING:
    from pdfplumber.page import Page
    from pdfplumber.table import Table

MAX_PAGES = 500
PDF_EXTRA = 'pip install "shakyo-pdca[pdf]"'
_ENCRYPTED = ("パスワードで保護（暗号化）されているため読めません", "password-protected (encrypted)")


def read_pdf_document(path: Path, options: ReadOptions) -> SourceDocument:
    inspect_container(path, expect="pdf")
    if pdfplumber is None:
        raise file_error(
            "read.missing_extra",
            path,
            ja=f"{path.name}: PDF を読むための追加パッケージ (pdf) が入っていません",
            en=f"{path.name}: reading PDF needs the 'pdf' extra: {PDF_EXTRA}",
            hint=PDF_EXTRA,
        )
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise _error(path, "pdf.too_many_pages", f"{MAX_PAGES} ページを超えています", f"over {MAX_PAGES} pages")
            pages = [_read_page(page, options.table_style) for page in pdf.pages]
    except (PdfminerException, PSException) as err:
        cause = err.args[0] if isinstance(err, PdfminerException) and err.args else err
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise _error(path, "file.encrypted", *_ENCRYPTED) from None
        raise _error(path, "pdf.unreadable", "PDF として読めません", f"unreadable PDF ({cause!r})") from None
    return numbered(path, _joined(path, pages), _pages_without_text(path, pages))


def _read_page(page: Page, style: TableStyle) -> list[Line]:
    try:
        return list(_page_lines(page, style))
    finally:
        page.close()  # pdfplumber keeps every page's characters otherwise: memory one page deep


def _page_lines(page: Page, style: TableStyle) -> Iterator[Line]:
    """Text lines and tables of one page, ordered by their top edge."""
    origin = f"p.{page.page_number}"
    tables = page.find_tables()
    outside = page.filter(lambda obj: not any(_inside(obj, table) for table in tables))
    items: list[tuple[float, list[Line]]] = [
        (line["top"], [Line(line["text"], origin)]) for line in outside.extract_text_lines(return_chars=False)
    ]
    for number, table in enumerate(tables, start=1):
        rows = _table_rows(table, f"{origin} 表{number}")
        items.append((table.bbox[1], list(render_rows(rows, style))))
    for _, lines in sorted(items, key=lambda item: item[0]):
        yield from lines


def _inside(obj: dict[str, Any], table: Table) -> bool:
    x0, top, x1, bottom = table.bbox
    cx = (float(obj["x0"]) + float(obj["x1"])) / 2
    cy = (float(obj["top"]) + float(obj["bottom"])) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _table_rows(table: Table, origin: str) -> list[Row]:
    rows = []
    for r, cells in enumerate(table.extract(), start=1):
        row_origin = f"{origin} 行{r}"
        rows.append(
            Row(
                tuple(
                    Cell(tuple((text or "").split("\n")) if text else (), f"{row_origin} セル{c}")
                    for c, text in enumerate(cells, start=1)
                ),
                row_origin,
            )
        )
    return rows


def _joined(path: Path, pages: list[list[Line]]) -> Iterator[Line]:
    if not any(line.text.strip() for lines in pages for line in lines):
        raise _error(
            path,
            "pdf.no_text_layer",
            "文字情報（テキストレイヤー）がありません。スキャンした画像の PDF は読めません（OCR には対応していません）",
            "no text layer: OCR is not supported",
            hint="元の Word / Excel ファイルか、文字を選択できる PDF を使ってください",
        )
    for lines in pages:
        yield from lines


def _pages_without_text(path: Path, pages: list[list[Line]]) -> tuple[Problem, ...]:
    return tuple(
        problem(
            "pdf.page_without_text",
            Location(file=str(path)),
            ja=f"{path.name} の {number} ページ目には文字情報がありません（画像のみのページは読めません）",
            en=f"{path.name}: page {number} has no text layer (OCR is not supported)",
        )
        for number, lines in enumerate(pages, start=1)
        if not any(line.text.strip() for line in lines)
    )


def _error(path: Path, code: str, ja: str, en: str, hint: str = "") -> EtlError:
    location = Location(file=str(path))
    return EtlError(problem(code, location, ja=f"{path.name} は{ja}", en=f"{path.name}: {en}", hint=hint))
