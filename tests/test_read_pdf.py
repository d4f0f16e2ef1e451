"""The PDF reader, on PDFs that LibreOffice makes from the Word versions of the samples.

What a PDF gives back is measured here, not assumed: text, order and pages survive;
line breaks are the page's (wrapped paragraphs and cells become several lines), runs
of spaces collapse, and a table row broken across pages becomes two rows.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from build_docs import kodaira_docx, komoro_docx
from build_pdf import tiny_pdf

from etl.mapping import apply_mapping, load_mapping
from etl.problems import EtlError, Severity
from etl.read import ReadOptions, read_document
from etl.read import pdf as pdf_reader

REPO = Path(__file__).resolve().parent.parent
KOMORO = REPO / "mappings" / "komoro"
KODAIRA = REPO / "mappings" / "kodaira" / "sample.txt"
CELL_LINES = ReadOptions(table_style="cell_lines")
TABLE_ORIGIN = re.compile(r"^p\.\d+ 表\d+ 行\d+( セル\d+)?$")
NOT_TEXT = re.compile(r"\s|\[bookmark: [^\]]*\]")


def soffice_pdf(source: Path, out_dir: Path, profile: Path, export: str = "pdf") -> Path:
    """`soffice --headless --convert-to pdf`, with a private profile (others may run it too)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs it")
    isolated = f"-env:UserInstallation={profile.as_uri()}"
    done = subprocess.run(
        [soffice, isolated, "--headless", "--convert-to", export, "--outdir", str(out_dir), str(source)],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    pdf = out_dir / f"{source.stem}.pdf"
    if not pdf.exists():  # e.g. LibreOffice without Writer: it says so and writes nothing
        said = " ".join((done.stderr or done.stdout).split())[:300]
        pytest.skip(f"LibreOffice could not make {pdf.name} from {source.name} (exit {done.returncode}): {said}")
    return pdf


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    mapping = load_mapping(KOMORO / "mapping.yaml")
    sections = [re.compile(s["pattern"]) for s in mapping.data["sections"]]
    komoro = komoro_docx((KOMORO / "sample.txt").read_text(encoding="utf-8"), 4, sections, folder / "komoro.docx")
    kodaira = kodaira_docx(KODAIRA.read_text(encoding="utf-8"), folder / "kodaira.docx").path
    profile = folder / "profile"
    encrypted_export = (
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"secret"}}'
    )
    locked_dir = folder / "locked"
    locked_dir.mkdir()
    return {
        "komoro": soffice_pdf(komoro, folder, profile),
        "kodaira": soffice_pdf(kodaira, folder, profile),
        "locked": soffice_pdf(komoro, locked_dir, profile, encrypted_export),
    }


def project_ids(document) -> list[str]:
    """Project numbers where the mapping finds them: alone on a first cell line."""
    project_id = re.compile(r"^\t(?:\[bookmark: [^\]]*\])?([0-9０-９]+(?:[－-][0-9０-９]+){1,2})\s*$")
    return [match[1] for line in document.lines if (match := project_id.match(line.text))]


def test_komoro_pdf_keeps_every_character_in_page_order(pdfs: dict[str, Path]):
    document = read_document(pdfs["komoro"], CELL_LINES)
    text = read_document(KOMORO / "sample.txt")
    assert document.problems == ()
    assert Counter(NOT_TEXT.sub("", "".join(line.text for line in document.lines))) == Counter(
        NOT_TEXT.sub("", "".join(line.text for line in text.lines))
    )
    pages = [int(line.origin.split()[0].removeprefix("p.")) for line in document.lines]
    assert pages[0] == 1 and pages == sorted(pages) and pages[-1] > 5
    assert all(TABLE_ORIGIN.match(line.origin) for line in document.lines if line.text.startswith("\t"))
    assert project_ids(document) == project_ids(text)


def test_komoro_pdf_through_the_mapping(pdfs: dict[str, Path]):
    """Same projects; fields differ only where a row breaks across a page."""
    mapping = load_mapping(KOMORO / "mapping.yaml")
    from_text = apply_mapping(mapping, read_document(KOMORO / "sample.txt")).records.projects
    from_pdf = apply_mapping(mapping, read_document(pdfs["komoro"], CELL_LINES)).records.projects
    assert [p.project_id for p in from_pdf] == [p.project_id for p in from_text]

    def fields(project) -> tuple[str, ...]:
        return tuple(re.sub(r"\s", "", getattr(project, f)) for f in ("name", "purpose", "method", "goal"))

    same = sum(fields(a) == fields(b) for a, b in zip(from_pdf, from_text, strict=True))
    assert same >= 0.8 * len(from_text)
    assert from_pdf[0].source.origin == "p.1 表1 行2 セル1"


def test_kodaira_pdf_shows_the_numbers_word_would(pdfs: dict[str, Path]):
    """LibreOffice renders the list numbers itself: short lines come back verbatim."""
    lines = {line.text for line in read_document(pdfs["kodaira"]).lines}
    short = [line for line in KODAIRA.read_text(encoding="utf-8").split("\n") if line.strip() and len(line) < 30]
    missing = [line for line in short if line not in lines]
    assert len(missing) <= 2, missing  # a title's letter spacing reads as extra spaces
    assert {
        "1 法人運営係",
        "(1) 社協運営 法人",
        "① 役員会等の開催",
        "ア 評議員会",
        "- (2) 利用者本位の福祉サービスの実現",
    } <= lines


def test_password_protected_pdf(pdfs: dict[str, Path]):
    with pytest.raises(EtlError) as caught:
        read_document(pdfs["locked"])
    assert caught.value.problem.code == "file.encrypted"


# --- hand-made PDFs ---------------------------------------------------------------------


TEXT = "BT /F1 12 Tf 72 720 Td (Plan 2021) Tj ET"
DRAWING = "0 0 1 rg 72 600 200 100 re f"  # a scanned page would be an image: no text either


def test_a_pdf_without_text_layer(tmp_path: Path):
    with pytest.raises(EtlError) as caught:
        read_document(tiny_pdf(tmp_path / "scan.pdf", [DRAWING, DRAWING]))
    problem = caught.value.problem
    assert problem.code == "pdf.no_text_layer"
    assert "no text layer: OCR is not supported" in problem.message_en
    assert "OCR" in problem.message_ja


def test_a_page_without_text_is_a_warning(tmp_path: Path):
    document = read_document(tiny_pdf(tmp_path / "mixed.pdf", [TEXT, DRAWING]))
    assert [(line.text, line.origin) for line in document.lines] == [("Plan 2021", "p.1")]
    assert [(p.code, p.severity) for p in document.problems] == [("pdf.page_without_text", Severity.WARNING)]
    assert "2" in document.problems[0].message_ja


def test_a_damaged_pdf(tmp_path: Path):
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really a pdf\n")
    with pytest.raises(EtlError) as caught:
        read_document(path)
    assert caught.value.problem.code == "pdf.unreadable"


def test_without_the_pdf_extra_the_message_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pdf_reader, "pdfplumber", None)
    with pytest.raises(EtlError) as caught:
        read_document(tiny_pdf(tmp_path / "plan.pdf", [TEXT]))
    problem = caught.value.problem
    assert problem.code == "read.missing_extra"
    assert problem.hint == 'pip install "shakyo-pdca[pdf]"'
