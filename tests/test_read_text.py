"""The text reader recognises UTF-8, UTF-8 with BOM and CP932, and keeps line numbers."""

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.mapping import apply_mapping, load_mapping
from etl.problems import EtlError
from etl.read import read_document
from etl.read.text import split_lines


@pytest.fixture
def seed_text(komoro) -> str:
    return komoro[0].read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp932", "cp932"), ("utf-16", "utf-16")],
)
def test_encodings_are_recognised(tmp_path: Path, seed_text: str, encoding: str, expected: str):
    path = tmp_path / "plan.txt"
    path.write_bytes(seed_text.encode(encoding))
    document = read_document(path)
    assert document.encoding == expected
    assert [line.text for line in document.lines] == seed_text.split("\n")


def test_a_document_saved_in_nfd_maps_as_its_nfc_twin(tmp_path: Path, komoro):
    document, mapping = komoro
    decomposed = tmp_path / "plan.txt"
    decomposed.write_text(unicodedata.normalize("NFD", document.read_text(encoding="utf-8")), encoding="utf-8")
    assert decomposed.read_bytes() != document.read_bytes()
    twin, original = (apply_mapping(load_mapping(mapping), read_document(path)) for path in (decomposed, document))
    assert [(p.project_id, p.name, p.purpose) for p in twin.records.projects] == [
        (p.project_id, p.name, p.purpose) for p in original.records.projects
    ]
    assert twin.unaccounted == original.unaccounted == []


def test_short_cp932_text_is_not_mojibake(tmp_path: Path):
    path = tmp_path / "short.txt"
    path.write_bytes("社協".encode("cp932"))
    assert read_document(path).lines[0].text == "社協"


def test_crlf_and_cr_are_normalised_keeping_line_numbers(tmp_path: Path):
    path = tmp_path / "plan.txt"
    path.write_bytes("一\r\n二\r三\n\n五".encode())
    lines = read_document(path).lines
    assert [(line.number, line.text) for line in lines] == [(1, "一"), (2, "二"), (3, "三"), (4, ""), (5, "五")]


def test_undecodable_bytes_are_reported_with_line_and_byte(tmp_path: Path):
    path = tmp_path / "bad.txt"
    path.write_bytes("一行目\n".encode() + b"\x82\xa0\xff\xfe\n")
    with pytest.raises(EtlError) as caught:
        read_document(path)
    problem = caught.value.problem
    assert problem.code == "text.undecodable"
    assert problem.location.line == 2
    assert "0x" in problem.message_ja


def test_unsupported_suffix_is_a_clear_problem(tmp_path: Path):
    path = tmp_path / "plan.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(EtlError) as caught:
        read_document(path)
    assert caught.value.problem.code == "read.unsupported_type"


@given(st.lists(st.text(alphabet=st.characters(exclude_characters="\r\n"), max_size=20), max_size=20))
def test_split_lines_numbers_every_line_once(texts: list[str]):
    joined = "\r\n".join(texts)
    lines = split_lines(joined)
    assert [line.number for line in lines] == list(range(1, len(lines) + 1))
    assert [line.text for line in lines] == (texts or [""])


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(tmp_path: Path, seed_text: str, encoding: str):
    path = tmp_path / "plan.txt"
    path.write_bytes(seed_text.encode(encoding))
    document = read_document(path)
    assert document.encoding == encoding
    assert document.lines[0].text == seed_text.split("\n", maxsplit=1)[0]


def test_a_nul_byte_is_reported_with_its_line_and_byte(tmp_path: Path):
    path = tmp_path / "plan.txt"
    path.write_bytes("一行目\n二行目\x00です\n".encode())
    with pytest.raises(EtlError) as caught:
        read_document(path)
    problem = caught.value.problem
    assert (problem.code, problem.location.line) == ("text.undecodable", 2)
    assert "NUL" in problem.message_en
    before = "一行目\n二行目".encode()
    assert f"at byte {len(before)}" in problem.message_en


def test_broken_utf16_after_a_bom_is_reported(tmp_path: Path):
    path = tmp_path / "plan.txt"
    path.write_bytes(b"\xff\xfe" + "社協".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    with pytest.raises(EtlError) as caught:
        read_document(path)
    assert "invalid utf-16" in caught.value.problem.message_en


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n", "\u3000\n".encode()])
def test_empty_or_blank_documents_are_a_clear_problem(tmp_path: Path, content: bytes):
    path = tmp_path / "plan.txt"
    path.write_bytes(content)
    with pytest.raises(EtlError) as caught:
        read_document(path)
    assert caught.value.problem.code == "text.empty"
