"""The hidden input index: JSON in chunks down one column since template version 2, a table
in version 1; workbooks of both versions are read back alike."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import openpyxl.utils.cell
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
    LANDMARKS,
    META_SHEET,
    RECORDS_CHUNK,
    TEMPLATE_V1,
    TEMPLATE_VERSION,
    Meta,
    chunked,
    fingerprint_v1,
    index_from_json,
    index_json,
    input_name,
    read_index,
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


def test_the_index_is_in_cells_of_a_fixed_length_read_back_whole(tmp_path: Path):
    path = render_workbook(rf.pdca_records(), tmp_path / "small.xlsx").path
    chunks = [row[0] for row in openpyxl.load_workbook(path, read_only=True)[INDEX_SHEET].iter_rows(values_only=True)]
    assert all(len(chunk) == RECORDS_CHUNK for chunk in chunks[:-1]) and 0 < len(chunks[-1]) <= RECORDS_CHUNK
    assert len(index_from_json("".join(chunks))) == len(read_filled_workbook(path).inputs)


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


# --- the landmarks each input's row is checked by -----------------------------------------


def index_of(path: Path) -> tuple[list, list | None]:
    book = openpyxl.load_workbook(path, read_only=True)
    return read_index("".join(row[0] for row in book[INDEX_SHEET].iter_rows(values_only=True)))


def with_landmarks(source: Path, target: Path, landmarks: object) -> Path:
    """The workbook with its index's landmarks replaced by `landmarks` (left out when None),
    as a workbook written before they were stored has it."""
    book = openpyxl.load_workbook(source)
    sheet = book[INDEX_SHEET]
    data = json.loads("".join(row[0] for row in sheet.iter_rows(values_only=True)))
    if landmarks is None:
        del data[LANDMARKS]
    else:
        data[LANDMARKS] = landmarks
    sheet.delete_rows(1, sheet.max_row)
    for chunk in chunked(json.dumps(data, ensure_ascii=False)):
        sheet.append([chunk])
    book.save(target)
    return target


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return render_workbook(rf.pdca_records(), tmp_path_factory.mktemp("small") / "small.xlsx").path


def test_each_input_stores_the_headings_of_its_row_as_the_sheet_shows_them(small: Path):
    rows, landmarks = index_of(small)
    assert landmarks is not None and len(landmarks) == len(rows) and all(landmarks)
    book = openpyxl.load_workbook(small)
    for row, marks in zip(rows, landmarks, strict=True):
        line = openpyxl.utils.cell.coordinate_to_tuple(row.cell)[0]
        for letters, text in zip(marks[::2], marks[1::2], strict=True):
            assert re.sub(r"\s+", "", book[row.sheet][f"{letters}{line}"].value) == text
        assert any(text in re.sub(r"\s+", "", row.label) for text in marks[1::2])  # what vouches for the row


@pytest.mark.parametrize(
    "landmarks",
    [None, "not a list", [["B"]], [["B1", "x"]] * 200, [["B", "違う見出し"]] * 200],
    ids=["none (made before they were stored)", "not a list", "odd", "no column", "other text"],
)
def test_without_sound_landmarks_each_sheet_is_checked_in_full_and_reads_the_same(small, tmp_path, landmarks):
    rows, _ = index_of(small)
    stored = landmarks[: len(rows)] if isinstance(landmarks, list) else landmarks
    other = with_landmarks(small, tmp_path / "other.xlsx", stored)
    assert index_of(other)[1] is None or len(index_of(other)[1]) == len(rows)
    filled = read_filled_workbook(other)
    assert filled.inputs == read_filled_workbook(small).inputs
    assert not filled.problems


@pytest.mark.parametrize("stored", [True, False], ids=["landmarks", "none stored"])
def test_a_row_inserted_by_openpyxl_is_found_with_or_without_stored_landmarks(small, tmp_path, stored):
    source = small if stored else with_landmarks(small, tmp_path / "old.xlsx", None)
    book = openpyxl.load_workbook(source)
    key = "pdca|5-1-1|2024|do"
    rf.fill(book, {key: "二〇二四年度の取組み"})
    card, cell = rf.name_target(book, input_name(key))
    book[card].insert_rows(openpyxl.utils.cell.coordinate_to_tuple(cell)[0])  # the name stays, the row moves down
    book.save(tmp_path / "inserted.xlsx")
    filled = read_filled_workbook(tmp_path / "inserted.xlsx")
    assert filled.by_key()[key].value == "二〇二四年度の取組み"
    assert key in {p.location.key for p in filled.problems if p.code == "readback.name_moved"}


def test_line_breaks_libreoffice_puts_into_long_hidden_cells_are_read_past(generated: Path, tmp_path: Path):
    """LibreOffice, saving again a workbook it saved, may break a long cell of the index or the
    records: workbooks sent out with 30,000-character cells still read whole."""
    book = openpyxl.load_workbook(generated)
    for name in (INDEX_SHEET, "_records"):
        cell = book[name]["A1"]
        cell.value = f"{cell.value[:5000]}\n{cell.value[5000:]}"
    broken = tmp_path / "broken.xlsx"
    book.save(broken)
    original, again = read_filled_workbook(generated), read_filled_workbook(broken)
    assert again.records is not None and again.records == original.records
    assert [entry.key for entry in again.inputs] == [entry.key for entry in original.inputs]
    assert not [p.code for p in again.problems if p.code.startswith(("readback.index", "readback.records"))]
