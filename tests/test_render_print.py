"""The workbooks printed by LibreOffice: exactly the pages the layout promises.

The promise is read from the workbook itself: one page for the cover and for each
card (fitted to one page), and one page more than its page breaks for each list.
LibreOffice measures columns with the default font's metrics (Calibri, or the
metric-compatible Carlito); with another font in its place columns come out wider
than Excel's, so the test needs one of them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from etl import convert_document
from etl.render import render_workbook
from tests import records_fixtures as rf

SOFFICE, PDFINFO = shutil.which("soffice"), shutil.which("pdfinfo")
CONVERT_SECONDS = 300


def calibri_metrics_font() -> str:
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return ""
    found = subprocess.run([fc_match, "Calibri"], capture_output=True, text=True, check=False).stdout
    return found if re.search(r"Calibri|Carlito", found) else ""


pytestmark = [
    pytest.mark.skipif(not (SOFFICE and PDFINFO), reason="LibreOffice (soffice) or poppler (pdfinfo) is not installed"),
    pytest.mark.skipif(
        bool(SOFFICE) and not calibri_metrics_font(),
        reason="neither Calibri nor Carlito is installed (Debian: fonts-crosextra-carlito); "
        "LibreOffice would lay columns out wider than Excel",
    ),
]


def promised_pages(workbook: Path) -> list[int]:
    """Pages the workbook's own print setup promises per visible sheet: 1 + its page breaks."""
    with zipfile.ZipFile(workbook) as package:
        book = package.read("xl/workbook.xml").decode("utf-8")
        pages = []
        for number, sheet in enumerate(re.findall(r"<sheet [^>]*>", book), start=1):
            if 'state="' in sheet:
                continue  # hidden and very hidden sheets are not printed
            xml = package.read(f"xl/worksheets/sheet{number}.xml").decode("utf-8")
            pages.append(1 + len(re.findall(r"<brk ", xml)))
    return pages


def pdf_pages(workbook: Path, tmp_path: Path) -> int:
    profile = tmp_path / "lo-profile"  # a profile of its own: no clash with another running soffice
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(workbook)],
        check=True, capture_output=True, timeout=CONVERT_SECONDS,
    )  # fmt: skip
    info = subprocess.run([PDFINFO, str(tmp_path / f"{workbook.stem}.pdf")], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))


def test_komoro_workbook_prints_cover_lists_and_one_page_per_card(komoro, tmp_path: Path):
    outcome = convert_document(*komoro, tmp_path)
    cover, policies, projects, targets, *cards = promised_pages(outcome.output)
    assert (cover, policies) == (1, 1)
    assert projects > 1 and targets > 1 and cards == [1] * 52  # 18 targets read from its sentences
    assert pdf_pages(outcome.output, tmp_path) == cover + policies + projects + targets + len(cards)


@pytest.mark.parametrize("records", [rf.pdca_records, rf.single_year_records], ids=["five_years", "one_year"])
def test_fixture_workbooks_print_as_promised(records, tmp_path: Path):
    outcome = render_workbook(records(), tmp_path / "fixture.xlsx")
    promised = sum(promised_pages(outcome.path))
    assert promised == sum(outcome.pages.values())
    assert pdf_pages(outcome.path, tmp_path) == promised


@pytest.mark.parametrize("council", ["kodaira", "shimotsuma", "mimasaka", "tomakomai"])
def test_every_bundled_council_prints_as_promised(council: str, tmp_path: Path):
    folder = Path(__file__).resolve().parent.parent / "mappings" / council
    outcome = convert_document(folder / "sample.txt", folder / "mapping.yaml", tmp_path)
    cover, _policies, _projects, _targets, *cards = promised_pages(outcome.output)
    assert cover == 1 and cards == [1] * outcome.projects
    assert pdf_pages(outcome.output, tmp_path) == sum(promised_pages(outcome.output))
