"""The guard and read-back share one pass: the parts the guard inflates (and checks) are the
parts read-back reads, and keeping them gives up none of the guard's limits."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from etl.problems import EtlError
from etl.read.guard import inspect_container
from etl.render import render_workbook
from etl.workbook.readback import read_filled_workbook
from etl.workbook.xlsxparts import keep_part
from tests import records_fixtures as rf


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    path = render_workbook(rf.pdca_records(), tmp_path_factory.mktemp("guard") / "book.xlsx").path
    assert path is not None
    return path


def with_member(source: Path, target: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, data if info.filename == name else old.read(info.filename))
    return target


def test_the_kept_parts_are_the_members_bytes(workbook: Path):
    parts = inspect_container(workbook, expect="xlsx", keep=keep_part).parts
    with zipfile.ZipFile(workbook) as archive:
        xml = {n: archive.read(n) for n in archive.namelist() if n.endswith((".xml", ".rels"))}
    assert dict(parts) == xml and "xl/workbook.xml" in parts
    assert inspect_container(workbook, expect="xlsx").parts == {}  # nothing kept unless asked


def test_read_back_from_the_kept_parts_is_read_back_from_the_file(workbook: Path):
    parts = inspect_container(workbook, expect="xlsx", keep=keep_part).parts
    shared, alone = read_filled_workbook(workbook, parts=parts), read_filled_workbook(workbook)
    assert shared.inputs == alone.inputs and shared.metadata == alone.metadata and shared.records == alone.records


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<worksheet>" + b"\0" * (20 * 2**20) + b"</worksheet>", "zip.ratio"),
        (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "a">]><worksheet/>', "xml.dtd"),
    ],
    ids=["bomb", "dtd"],
)
def test_a_part_read_back_wants_is_still_checked(workbook: Path, tmp_path: Path, data: bytes, code: str):
    hostile = with_member(workbook, tmp_path / "hostile.xlsx", "xl/worksheets/sheet1.xml", data)
    with pytest.raises(EtlError) as caught:
        inspect_container(hostile, expect="xlsx", keep=keep_part)
    assert caught.value.problem.code == code
