"""The Word reader gives the lines of the text export the samples came from.

Word versions of the 小諸市 table and the 小平市 plan are built by code from the sample
texts (tests/build_docs.py); reading them back must give the same non-blank lines, so
any mapping gives the same records for the Word file and for its text export.
"""

from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

import docx
import pytest
from build_docs import add_abstract_list, add_num, kodaira_docx, komoro_docx, set_numbering
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st

from etl import convert_document
from etl.convert import map_document
from etl.mapping import apply_mapping, load_mapping
from etl.problems import EtlError
from etl.read import ReadOptions, read_document
from etl.read.layout import Cell, Row, render_rows
from etl.read.numbering import format_number

MAPPINGS = Path(__file__).resolve().parent.parent / "mappings"
KODAIRA = MAPPINGS / "kodaira" / "sample.txt"
CELL_LINES = ReadOptions(table_style="cell_lines")


def cleaned_lines(lines: list[str], mapping_path: Path) -> list[str]:
    """Non-blank lines after the mapping's `clean` rules."""
    patterns = [re.compile(p) for p in load_mapping(mapping_path).data.get("clean", [])]
    out = []
    for line in lines:
        text = line
        for pattern in patterns:
            text = pattern.sub("", text)
        if text.strip():
            out.append(text)
    return out


@pytest.fixture
def komoro_word(komoro, tmp_path: Path) -> Path:
    text_path, mapping_path = komoro
    mapping = load_mapping(mapping_path)
    sections = [re.compile(s["pattern"]) for s in mapping.data["sections"]]
    columns = len(mapping.data["layout"]["columns"])
    return komoro_docx(text_path.read_text(encoding="utf-8"), columns, sections, tmp_path / "komoro.docx")


# --- the samples -----------------------------------------------------------------------


def test_komoro_word_table_reads_as_its_text_export(komoro, komoro_word: Path):
    text_path, mapping_path = komoro
    expected = cleaned_lines(text_path.read_text(encoding="utf-8").split("\n"), mapping_path)
    document = read_document(komoro_word, CELL_LINES)
    assert cleaned_lines([line.text for line in document.lines], mapping_path) == expected
    assert not any("bookmark" in line.text for line in document.lines)  # bookmarks are not text in Word


def test_komoro_word_file_gives_the_same_projects(komoro, komoro_word: Path):
    text_path, mapping_path = komoro
    mapping = load_mapping(mapping_path)
    from_text = apply_mapping(mapping, read_document(text_path)).records.projects
    from_word = apply_mapping(mapping, read_document(komoro_word, CELL_LINES)).records.projects
    assert len(from_word) == len(from_text) == 52

    def content(project):
        return dataclasses.replace(project, source=None)

    assert [content(p) for p in from_word] == [content(p) for p in from_text]
    first = from_word[0]
    assert first.project_id == "1-1-1"
    assert first.source.origin == "表1 行2 セル1"  # the cell the project was read from


def test_kodaira_word_plan_reads_as_its_text_export(tmp_path: Path):
    text = KODAIRA.read_text(encoding="utf-8")
    built = kodaira_docx(text, tmp_path / "kodaira.docx")
    assert built.numbered >= 100  # most items carry Word's automatic numbers, not typed ones
    document = read_document(built.path)
    assert [line.text for line in document.non_blank] == [line for line in text.split("\n") if line.strip()]
    headings = {line.text: line.heading for line in document.lines if line.heading}
    assert headings == built.headings
    assert headings["【実施事業】"] == 1 and headings["福祉総務課"] == 2 and headings["1 法人運営係"] == 3
    assert document.non_blank[0].origin == "段落1"


# --- paragraphs -------------------------------------------------------------------------


def lines_of(document: docx.document.Document, tmp_path: Path, options: ReadOptions | None = None) -> list[str]:
    path = tmp_path / "test.docx"
    document.save(str(path))
    return [line.text for line in read_document(path, options).lines]


def test_only_displayed_text_is_read(tmp_path: Path):
    document = docx.Document()
    paragraph = document.add_paragraph("見える")
    hidden = paragraph.add_run("隠し文字")
    hidden.font.hidden = True
    deleted = OxmlElement("w:del")
    run = OxmlElement("w:r")
    text = OxmlElement("w:delText")
    text.text = "削除済み"
    run.append(text)
    deleted.append(run)
    paragraph._p.append(deleted)
    inserted = OxmlElement("w:ins")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "挿入"
    run.append(text)
    inserted.append(run)
    paragraph._p.append(inserted)
    broken = document.add_paragraph("一行目")
    broken.add_run().add_break()
    broken.add_run("二行目\tタブ")
    assert lines_of(document, tmp_path) == ["見える挿入", "一行目", "二行目\tタブ"]


def test_content_controls_and_document_order(tmp_path: Path):
    document = docx.Document()
    document.add_paragraph("前")
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "表"
    after = document.add_paragraph("後")
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    inner = document.add_paragraph("コントロールの中")._p
    content.append(inner)
    sdt.append(content)
    after._p.addnext(sdt)
    assert lines_of(document, tmp_path) == ["前", "表\t", "後", "コントロールの中"]


@pytest.mark.parametrize(
    ("levels", "paragraphs", "expected"),
    [
        ([("decimal", "%1."), ("lowerLetter", "%1.%2")], [0, 1, 1, 0, 1], ["1. a", "1.a b", "1.b c", "2. d", "2.a e"]),
        ([("decimalFullWidth", "第%1章")], [0, 0], ["第１章 a", "第２章 b"]),
        ([("upperRoman", "%1"), ("ideographTraditional", "%2")], [0, 1, 1], ["I a", "甲 b", "乙 c"]),
        ([("bullet", "\uf0b7")], [0, 0], ["• a", "• b"]),
    ],
)
def test_list_numbers_as_word_displays_them(tmp_path: Path, levels, paragraphs, expected):
    document = docx.Document()
    num = add_num(document, add_abstract_list(document, levels))
    for ilvl, text in zip(paragraphs, "abcde", strict=False):
        set_numbering(document.add_paragraph(text), num, ilvl)
    assert lines_of(document, tmp_path) == expected


def test_lists_continue_across_instances_unless_restarted(tmp_path: Path):
    document = docx.Document()
    abstract = add_abstract_list(document, [("decimal", "(%1)")])
    first, continued = add_num(document, abstract), add_num(document, abstract)
    restarted = add_num(document, abstract, restart=True)
    for num, text in ((first, "a"), (first, "b"), (continued, "c"), (restarted, "d"), (restarted, "e")):
        set_numbering(document.add_paragraph(text), num, 0)
    assert lines_of(document, tmp_path) == ["(1) a", "(2) b", "(3) c", "(1) d", "(2) e"]


def test_numbering_from_the_paragraph_style(tmp_path: Path):
    document = docx.Document()
    for text in ("一つ目", "二つ目"):
        document.add_paragraph(text, style="List Number")
    assert lines_of(document, tmp_path) == ["1. 一つ目", "2. 二つ目"]


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (3, "decimalEnclosedCircle", "③"),
        (21, "decimalEnclosedCircle", "㉑"),
        (51, "decimalEnclosedCircle", "51"),
        (2, "aiueoFullWidth", "イ"),
        (2, "aiueo", "ｲ"),
        (3, "irohaFullWidth", "ハ"),
        (14, "upperRoman", "XIV"),
        (28, "upperLetter", "BB"),
        (21, "japaneseCounting", "二十一"),
        (1234, "japaneseCounting", "千二百三十四"),
        (20, "ideographDigital", "二〇"),
        (7, "decimalZero", "07"),
        (4, "somethingNew", "4"),
    ],
)
def test_number_formats(value: int, fmt: str, text: str):
    assert format_number(value, fmt) == text


# --- tables -----------------------------------------------------------------------------


def merged_table_document() -> docx.document.Document:
    """A 3x3 table: A1:B1 merged across, C2:C3 merged down, a two-paragraph cell."""
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(["ABC", "DEF", "GHI"]):
        for c, letter in enumerate(row):
            table.cell(r, c).text = letter
    table.cell(0, 0).merge(table.cell(0, 1)).text = "AB"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "CF"
    table.cell(1, 0).add_paragraph("D2")
    return document


def test_merged_cells_resolve_to_the_grid_in_tab_rows(tmp_path: Path):
    assert lines_of(merged_table_document(), tmp_path) == ["AB\t\tC", "D D2\tE\tCF", "G\tH\t"]


def test_merged_cells_resolve_to_the_grid_in_cell_lines(tmp_path: Path):
    lines = lines_of(merged_table_document(), tmp_path, CELL_LINES)
    assert lines == ["\tAB", "\t", "\tC", "", "\tD", "D2", "\tE", "\tCF", "", "\tG", "\tH", "\t", ""]


def test_cell_origins_name_table_row_and_grid_cell(tmp_path: Path):
    path = tmp_path / "t.docx"
    merged_table_document().save(str(path))
    origins = [(line.text, line.origin) for line in read_document(path, CELL_LINES).lines]
    assert origins[2] == ("\tC", "表1 行1 セル3")
    assert origins[8] == ("", "表1 行2")


def test_nested_table_text_stays_in_its_cell(tmp_path: Path):
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "外"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内1"
    inner.cell(0, 1).text = "内2"
    assert lines_of(document, tmp_path) == ["外\t内1 内2"]


def test_a_tab_inside_a_cell_cannot_split_it(tmp_path: Path):
    document = docx.Document()
    document.add_table(rows=1, cols=2).cell(0, 0).text = "前\t後"
    assert lines_of(document, tmp_path) == ["前 後\t"]


# --- the two table styles round-trip any cell texts ----------------------------------------

cell_text = st.text(alphabet=st.characters(exclude_characters="\t\n\r", exclude_categories=("Cs",)), max_size=8)
tables = st.integers(1, 5).flatmap(lambda width: st.lists(st.lists(cell_text, min_size=width, max_size=width)))


def parse_tab_rows(lines: list[str]) -> list[list[str]]:
    return [line.split("\t") for line in lines]


def parse_cell_lines(lines: list[str]) -> list[list[str]]:
    rows, row = [], []
    for line in lines:
        if line.startswith("\t"):
            row.append(line[1:])
        else:
            assert line == ""
            rows.append(row)
            row = []
    return rows


@given(tables)
def test_table_styles_round_trip(rows: list[list[str]]):
    table = [Row(tuple(Cell((text,), "") for text in row), "") for row in rows]
    assert parse_tab_rows([line.text for line in render_rows(table, "tab_rows")]) == rows
    assert parse_cell_lines([line.text for line in render_rows(table, "cell_lines")]) == rows


def test_a_hostile_grid_span_is_capped(tmp_path: Path):
    document = docx.Document()
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "広い"
    tc_pr = table.cell(0, 0)._tc.get_or_add_tcPr()
    tc_pr.append(OxmlElement("w:gridSpan", {qn("w:val"): "999999999"}))
    assert lines_of(document, tmp_path) == ["広い"]  # an out-of-range span counts as one cell


def test_a_package_python_docx_cannot_open(tmp_path: Path):
    path = tmp_path / "plan.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(EtlError) as caught:
        read_document(path)
    assert caught.value.problem.code == "docx.unreadable"


def test_unknown_table_style_is_a_programming_error():
    with pytest.raises(ValueError, match="table_style"):
        ReadOptions(table_style="columns")


def test_a_document_without_list_definitions(tmp_path: Path):
    source = tmp_path / "with.docx"
    document = docx.Document()
    document.add_paragraph("番号なし")
    document.save(str(source))
    path = tmp_path / "without.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "word/numbering.xml":
                continue
            if info.filename in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
                data = re.sub(rb"<(Relationship|Override)[^>]*numbering[^>]*/>", b"", data)
            new.writestr(info.filename, data)
    assert [line.text for line in read_document(path).lines] == ["番号なし"]


def test_komoro_word_file_converts_with_the_mapping_of_its_text(komoro, komoro_word: Path, tmp_path: Path):
    text_path, mapping_path = komoro
    from_text = convert_document(text_path, mapping_path, tmp_path / "text")
    from_word = convert_document(komoro_word, mapping_path, tmp_path / "word")
    assert from_word.ok, from_word.problems
    assert (from_word.projects, from_word.unaccounted) == (from_text.projects, 0) == (52, 0)


def test_kodaira_word_file_gives_the_records_of_its_text(tmp_path: Path):
    built = kodaira_docx(KODAIRA.read_text(encoding="utf-8"), tmp_path / "kodaira.docx")
    mapping = MAPPINGS / "kodaira" / "mapping.yaml"
    from_text = convert_document(KODAIRA, mapping, tmp_path / "text")
    from_word = convert_document(built.path, mapping, tmp_path / "word")
    assert from_word.ok and from_word.unaccounted == 0, from_word.problems
    text_records = map_document(KODAIRA, mapping).records
    word_records = map_document(built.path, mapping).records
    assert [dataclasses.replace(p, source=None) for p in word_records.projects] == [
        dataclasses.replace(p, source=None) for p in text_records.projects
    ]
    assert [(p.heading, p.text) for p in word_records.policies] == [(p.heading, p.text) for p in text_records.policies]
    assert from_text.projects == from_word.projects == 57
