"""The hidden input index: JSON in chunks down one column since template version 2, a table
in version 1; workbooks of both versions are read back alike."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl import convert_document
from etl.collect.gather import read_submission
from etl.problems import EtlError
from etl.render import render_workbook
from etl.workbook.contract import (
    INDEX_HEADER,
    INDEX_SHEET,
    META_SHEET,
    RECORDS_CHUNK,
    TEMPLATE_V1,
    TEMPLATE_VERSION,
    Meta,
    fingerprint_v1,
    index_from_json,
    index_json,
)
from etl.workbook.readback import read_filled_workbook
from tests import records_fixtures as rf


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """小諸市's workbook: 52 projects, an index longer than one cell holds."""
    folder = Path(__file__).resolve().parent.parent / "mappings" / "komoro"
    outcome = convert_document(folder / "sample.txt", folder / "mapping.yaml", tmp_path_factory.mktemp("index"))
    assert outcome.output is not None
    return outcome.output


def test_a_small_index_is_one_cell(tmp_path: Path):
    path = render_workbook(rf.pdca_records(), tmp_path / "small.xlsx").path
    chunks = list(openpyxl.load_workbook(path, read_only=True)[INDEX_SHEET].iter_rows(values_only=True))
    assert len(chunks) == 1 and len(index_from_json(chunks[0][0])) == len(read_filled_workbook(path).inputs)


def as_version_1(source: Path, target: Path) -> None:
    """The workbook as template version 1 wrote it: the index a table, one row per input
    cell, and the fingerprint of the records dumped as JSON."""
    book = openpyxl.load_workbook(source)
    sheet = book[INDEX_SHEET]
    rows = index_from_json("".join(row[0] for row in sheet.iter_rows(values_only=True)))
    sheet.delete_rows(1, sheet.max_row)
    sheet.append(INDEX_HEADER)
    for row in rows:
        sheet.append(list(row))
    meta = book[META_SHEET]
    for key, value in meta.iter_rows():
        if key.value == Meta.TEMPLATE_VERSION:
            value.value = TEMPLATE_V1
        if key.value == Meta.FINGERPRINT:
            value.value = fingerprint_v1(read_filled_workbook(source).records)
    book.save(target)


def test_a_version_2_index_is_json_in_cells_an_excel_cell_holds(generated: Path):
    book = openpyxl.load_workbook(generated, read_only=True)
    chunks = [row for row in book[INDEX_SHEET].iter_rows(values_only=True)]
    assert len(chunks) > 1 and all(len(row) == 1 and len(row[0]) <= RECORDS_CHUNK for row in chunks)
    assert len(index_from_json("".join(row[0] for row in chunks))) == len(read_filled_workbook(generated).inputs)
    assert read_filled_workbook(generated).metadata[Meta.TEMPLATE_VERSION] == TEMPLATE_VERSION == "pdca_v2"


@pytest.mark.parametrize("engine", ["auto", "openpyxl"])
def test_a_version_1_workbook_reads_back_as_its_version_2_twin(generated: Path, tmp_path: Path, engine: str):
    old = tmp_path / "v1.xlsx"
    as_version_1(generated, old)
    assert read_filled_workbook(old, engine=engine).inputs == read_filled_workbook(generated).inputs
    codes = {p.code for p in read_submission(old).problems}
    assert not codes & {"collect.unknown_template", "collect.snapshot_altered"}
    with pytest.raises(EtlError) as refused:
        read_submission(altered_v1(old, tmp_path))
    assert refused.value.problem.code == "collect.snapshot_altered"


def altered_v1(workbook: Path, folder: Path) -> Path:
    """A version 1 workbook whose fingerprint is not of its records."""
    book = openpyxl.load_workbook(workbook)
    for key, value in book[META_SHEET].iter_rows():
        if key.value == Meta.FINGERPRINT:
            value.value = "0" * 64
    book.save(folder / "altered.xlsx")
    return folder / "altered.xlsx"


def test_an_index_that_is_not_ours_gives_no_inputs(generated: Path, tmp_path: Path):
    book = openpyxl.load_workbook(generated)
    book[INDEX_SHEET]["A1"].value = '{"format": 3, "rows": []}'
    odd = tmp_path / "odd.xlsx"
    book.save(odd)
    assert read_filled_workbook(odd).inputs == []


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(st.lists(st.lists(texts, min_size=len(INDEX_HEADER), max_size=len(INDEX_HEADER)), max_size=20))
def test_index_json_reads_back_what_it_wrote(rows):
    assert index_from_json(index_json(rows)) == [tuple(row) for row in rows]


@pytest.mark.parametrize("text", ["[]", "{}", '{"format":2,"fields":[],"rows":[]}', "not json"])
def test_other_texts_are_not_an_index(text: str):
    with pytest.raises(ValueError):
        index_from_json(text)
