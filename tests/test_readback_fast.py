"""The direct reader of workbook parts (etl.workbook.xlsxparts) reads what openpyxl reads: every input
cell of the bundled councils' workbooks, filled as staff would, with formulas (and their
saved results), dates, booleans and error values; and it reads no further than the
template's range whatever dimension a workbook declares."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from etl.demo import fill_workbook
from etl.render import render_workbook
from etl.workbook import readback
from etl.workbook.contract import input_name
from etl.workbook.readback import FilledWorkbook, read_filled_workbook
from etl.workbook.xlsxparts import open_package
from tests import records_fixtures as rf

MISTAKES = ["text_in_number", "error_value", "formula", "boolean", "pasted_direction", "pasted_achievement"]
MAX_DIMENSION = b'<dimension ref="A1:XFD1048576"/>'


@pytest.fixture(scope="module")
def filled(bundled_workbooks: list[Path], tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """美作市's workbook filled with mistakes, then given what only Excel or LibreOffice write:
    a date, saved results of formulas, a formula giving text and one giving an error."""
    source = next(p for p in bundled_workbooks if p.name.startswith("332151"))
    target = tmp_path_factory.mktemp("filled") / source.name
    injected = {i.mistake: i for i in fill_workbook(source, target, mistakes=MISTAKES, seed=3)}
    assert set(injected) == set(MISTAKES)
    number_cells = [c for c in read_filled_workbook(target).inputs if c.kind == "number" and c.value is None]
    text_cells = [c for c in read_filled_workbook(target).inputs if c.kind == "text" and c.value is None]
    date_style = add_date_style(target)
    formula = injected["formula"]
    patch_cell(target, formula.sheet, formula.cell, f'<c r="{formula.cell}"><f>1+2</f><v>3</v></c>')
    date_cell, error_cell, text_cell = number_cells[0], number_cells[1], text_cells[0]
    patch_cell(target, date_cell.sheet, date_cell.cell, f'<c r="{date_cell.cell}" s="{date_style}"><v>45017.5</v></c>')
    patch_cell(
        target, error_cell.sheet, error_cell.cell, f'<c r="{error_cell.cell}" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    )
    text = f'<c r="{text_cell.cell}" t="str"><f>"R"&amp;"5"</f><v>R5 &amp; &lt;次&gt;</v></c>'
    patch_cell(target, text_cell.sheet, text_cell.cell, text)
    keys = {"formula": formula.key, "date": date_cell.key, "error": error_cell.key, "text": text_cell.key}
    keys |= {name: injected[name].key for name in ("boolean", "error_value", "text_in_number")}
    return target, keys


def part_of(archive: zipfile.ZipFile, sheet: str) -> str:
    workbook = archive.read("xl/workbook.xml").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="(\w+)"', workbook).group(1)
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels) or re.search(
        rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels
    )
    return target.group(1).lstrip("/") if target.group(1).startswith("/") else "xl/" + target.group(1)


def rewrite(path: Path, change) -> None:
    """Rewrite the zip at `path`, each member's bytes through `change(name, data)`."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info, change(info.filename, data))


def patch_cell(path: Path, sheet: str, cell: str, xml: str) -> None:
    with zipfile.ZipFile(path) as archive:
        part = part_of(archive, sheet)
    pattern = re.compile(rf'<c r="{cell}"[^>]*?(?:/>|>.*?</c>)'.encode(), re.DOTALL)

    def change(name: str, data: bytes) -> bytes:
        if name != part:
            return data
        patched, count = pattern.subn(xml.encode(), data, count=1)
        assert count == 1, (sheet, cell)
        return patched

    rewrite(path, change)


def add_date_style(path: Path) -> int:
    """A cell style showing a date (number format 14); its index."""
    with zipfile.ZipFile(path) as archive:
        count = int(re.search(rb'<cellXfs count="(\d+)"', archive.read("xl/styles.xml")).group(1))

    def change(name: str, data: bytes) -> bytes:
        if name != "xl/styles.xml":
            return data
        data = data.replace(b"</cellXfs>", b'<xf numFmtId="14" fontId="0" fillId="0" borderId="0"/></cellXfs>')
        return data.replace(f'<cellXfs count="{count}"'.encode(), f'<cellXfs count="{count + 1}"'.encode())

    rewrite(path, change)
    return count


def same_reading(fast: FilledWorkbook, slow: FilledWorkbook) -> None:
    assert fast.inputs == slow.inputs
    assert (fast.metadata, fast.records, fast.problems, fast.saved_at) == (
        slow.metadata,
        slow.records,
        slow.problems,
        slow.saved_at,
    )


@pytest.fixture
def openpyxl_forbidden(monkeypatch):
    """Fail if read-back falls back to openpyxl: the direct reader must read the file itself."""

    def refuse(path: Path) -> None:
        raise AssertionError(f"{path} was read with openpyxl")

    monkeypatch.setattr(readback, "_OpenpyxlSource", refuse)


def test_generated_workbooks_of_the_bundled_councils_read_as_openpyxl_reads_them(bundled_workbooks: list[Path]):
    assert len(bundled_workbooks) == 5
    for path in bundled_workbooks:
        same_reading(read_filled_workbook(path), read_filled_workbook(path, engine="openpyxl"))


def test_a_filled_workbook_reads_as_openpyxl_reads_it(filled):
    path, _ = filled
    same_reading(read_filled_workbook(path), read_filled_workbook(path, engine="openpyxl"))


def test_typed_values_keep_their_type(filled, openpyxl_forbidden):
    path, keys = filled
    cells = read_filled_workbook(path).by_key()
    assert (cells[keys["formula"]].value, cells[keys["formula"]].formula) == (3, "=1+2")
    assert cells[keys["date"]].value == dt.datetime(2023, 4, 1, 12, 0)
    assert (cells[keys["error"]].value, cells[keys["error"]].is_formula) == ("#DIV/0!", True)
    assert (cells[keys["text"]].value, cells[keys["text"]].formula) == ("R5 & <次>", '="R"&"5"')
    assert cells[keys["boolean"]].value is True
    assert cells[keys["error_value"]].value == "#DIV/0!"
    assert cells[keys["text_in_number"]].value == "未定"


def test_a_declared_maximum_dimension_is_never_read(tmp_path: Path, openpyxl_forbidden):
    path = tmp_path / "huge.xlsx"
    render_workbook(rf.pdca_records(), path)
    before = read_filled_workbook(path)
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row></sheetData>'

    def claim_everything(name: str, data: bytes) -> bytes:
        if not name.startswith("xl/worksheets/"):
            return data
        data = re.sub(rb'<dimension ref="[^"]*"/>', MAX_DIMENSION, data)
        return data.replace(b"</sheetData>", far)

    rewrite(path, claim_everything)
    with zipfile.ZipFile(path) as archive:
        assert all(MAX_DIMENSION in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    after = read_filled_workbook(path)
    assert after.inputs == before.inputs and after.problems == []


def test_a_name_pointing_beyond_the_template_range_is_reported_not_read(tmp_path: Path, openpyxl_forbidden):
    path = tmp_path / "far.xlsx"
    render_workbook(rf.pdca_records(), path)
    key = "pdca|5-1-1|2023|do"
    name = input_name(key).encode()

    def point_far(member: str, data: bytes) -> bytes:
        if member != "xl/workbook.xml":
            return data
        far = "'5-1-1 包括的相談支援事業'!$XFD$1048576".encode()
        return re.sub(rb'(<definedName name="' + name + rb'">)[^<]*', lambda m: m.group(1) + far, data)

    rewrite(path, point_far)
    filled = read_filled_workbook(path)
    assert key not in filled.by_key()
    assert [(p.code, p.location.key) for p in filled.problems] == [("readback.input_deleted", key)]


@pytest.fixture
def openpyxl_reads(monkeypatch) -> list[Path]:
    """The files read-back hands to openpyxl, in order."""
    handed: list[Path] = []
    source = readback._OpenpyxlSource

    def recorded(path: Path):
        handed.append(path)
        return source(path)

    monkeypatch.setattr(readback, "_OpenpyxlSource", recorded)
    return handed


def test_a_workbook_in_another_dialect_is_read_by_openpyxl(tmp_path: Path, openpyxl_reads: list[Path]):
    """Cells without their reference first are outside the direct reader's dialect."""
    path = tmp_path / "odd.xlsx"
    render_workbook(rf.pdca_records(), path)
    shutil.copy(path, tmp_path / "plain.xlsx")
    rewrite(path, lambda name, data: re.sub(rb'<c r="([A-Z]+[0-9]+)" t="s">', rb'<c t="s" r="\1">', data))
    same_reading(read_filled_workbook(path), read_filled_workbook(tmp_path / "plain.xlsx"))
    assert openpyxl_reads == [path]  # the plain workbook was read directly


cell_values = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=30).map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.datetimes(dt.datetime(1901, 1, 1), dt.datetime(2099, 12, 31)).map(lambda d: d.replace(microsecond=0)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cell_values, min_size=1, max_size=4), min_size=1, max_size=6))
def test_any_values_openpyxl_writes_read_back_as_openpyxl_reads_them(rows, tmp_path: Path):
    path = tmp_path / "values.xlsx"
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    expected = openpyxl.load_workbook(path, read_only=True)
    wanted = [
        row if any(v is not None for v in row) else () for row in expected.active.iter_rows(max_col=5, values_only=True)
    ]
    expected.close()
    while wanted and wanted[-1] == ():
        wanted.pop()  # rows holding nothing: openpyxl gives them, the direct reader does not
    with open_package(path) as package:
        assert package.values(package.sheetnames[0], max_row=10, max_col=5) == wanted
