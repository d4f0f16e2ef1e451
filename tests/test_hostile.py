"""Hostile and broken input, end to end: a clear message naming the file and the place,
no traceback, no partial output, other files processed, and bounded time and memory.

The unit-level cases live beside their modules (test_guard, test_read_text,
test_mapping_errors, test_collect_values, test_inputs, test_fileio); this file checks the
contract through the library verbs and the command line. Every hostile file is built
here, in the test.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import convert_document, convert_many
from etl.batch import LOG_NAME
from etl.cli import main
from etl.collect import collect
from etl.config.yamlsafe import YamlProblem, load_yaml
from etl.convert import bundled_samples
from etl.problems import EtlError
from etl.workbook.readback import read_filled_workbook

REPO = Path(__file__).resolve().parent.parent
KOMORO = REPO / "mappings" / "komoro"


# --- building hostile files -----------------------------------------------------------


def zip_bomb(path: Path, size: int = 300 * 2**20) -> Path:
    """A small .docx/.xlsx-looking zip whose one part inflates to `size` bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml" if path.suffix == ".docx" else "xl/workbook.xml", "w") as part:
            chunk = b"\0" * 2**20
            for _ in range(size // len(chunk)):
                part.write(chunk)
    return path


def patch_member(workbook: Path, member: str, change) -> None:
    """Rewrite one part of a zip container in place (all other parts kept as they are)."""
    original = io.BytesIO(workbook.read_bytes())
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, change(data) if info.filename == member else data)


def sheet_part(workbook: Path, sheet: str) -> str:
    """The zip member holding `sheet`, found through workbook.xml and its relationships."""
    with zipfile.ZipFile(workbook) as archive:
        book = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rel_id = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', book)[1]
    target = re.search(rf'<Relationship [^>]*Id="{rel_id}"[^>]*Target="([^"]+)"', rels)
    target = target or re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rel_id}"', rels)
    return "xl/" + target[1].lstrip("/").removeprefix("xl/")


def claim_whole_sheet(data: bytes) -> bytes:
    """Declare A1:XFD1048576 and touch the sheet's very last row."""
    text = data.decode()
    text = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', text)
    last_row = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return text.replace("</sheetData>", f"{last_row}</sheetData>").encode()


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


# --- documents --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("bomb.docx", None, "zip.too_large"),
        ("empty.docx", b"", "file.empty"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "read.unsupported_type"),
        ("renamed.docx", b"%PDF-1.4\n", "file.not_zip"),
        ("binary.txt", b"\x00\x01\x02\x03garbage", "text.undecodable"),
    ],
)
def test_a_hostile_document_is_one_clear_problem_and_no_output(tmp_path: Path, name, content, code):
    document = tmp_path / name
    if content is None:
        zip_bomb(document)
    else:
        document.write_bytes(content)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["convert", str(document), "-m", str(KOMORO / "mapping.yaml"), "-o", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert name in result.output and code in result.output
    assert not out.exists() or files_in(out) == [LOG_NAME]  # the run's log, and no partial workbook


def test_good_and_bad_documents_together_give_the_clean_outputs(tmp_path: Path):
    bad = tmp_path / "bad"
    bad.mkdir()
    pairs = [(zip_bomb(bad / "bomb.docx"), KOMORO / "mapping.yaml"), (bad / "missing.txt", KOMORO / "mapping.yaml")]
    mixed = convert_many([*pairs, *bundled_samples()], tmp_path / "mixed")
    clean = convert_many(bundled_samples(), tmp_path / "clean")
    assert [o.ok for o in mixed] == [False, False] + [True] * len(clean)
    assert files_in(tmp_path / "mixed") == files_in(tmp_path / "clean")
    for good, reference in zip(mixed[2:], clean, strict=True):
        assert visible_cells(good.output) == visible_cells(reference.output)


def visible_cells(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets if ws.title != "_meta"}


def test_council_names_never_become_paths_outside_the_output_folder(tmp_path: Path):
    text = (KOMORO / "mapping.yaml").read_text(encoding="utf-8")
    evil = text.replace("name: 小諸市社会福祉協議会", 'name: "../../..\\\\CON:<名前>*?|"')
    mapping = tmp_path / "evil.yaml"
    mapping.write_text(evil, encoding="utf-8")
    out = tmp_path / "deep" / "out"
    outcome = convert_document(KOMORO / "sample.txt", mapping, out)
    assert outcome.output is not None
    assert outcome.output.resolve().parent == out.resolve()
    assert not set('<>:"|?*\\/') & set(outcome.output.name)
    assert files_in(tmp_path / "deep") == [outcome.output.name]


# --- mapping files ------------------------------------------------------------------------


def test_an_alias_bomb_is_refused_at_once():
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    bomb += "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(8))
    with pytest.raises(YamlProblem, match="anchors"):
        load_yaml(bomb)


@pytest.mark.parametrize("text", ["011002", "0123", "yes", "no", "on", "off", "2022-04-01", "1e3x", "0x1F", "12:30"])
def test_yaml_1_1_look_alikes_stay_text(text: str):
    assert load_yaml(f"value: {text}\n").data == {"value": text}


# --- filled workbooks ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(bundled_workbooks: list[Path]) -> Path:
    """The folder of the bundled workbooks (read only: copy before changing one)."""
    return bundled_workbooks[0].parent


def test_a_workbook_claiming_the_whole_sheet_is_read_within_its_known_range(generated: Path, tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    target = inbox / "claims.xlsx"
    shutil.copy(next(generated.glob("202088_*.xlsx")), target)
    for sheet in ("_meta", "_index", "_records", "達成目標"):
        patch_member(target, sheet_part(target, sheet), claim_whole_sheet)
    outcome = run_collect_limited(inbox, tmp_path / "集約.xlsx")
    assert outcome.returncode == 0, outcome.stderr
    assert "1 councils consolidated" in outcome.stdout


def test_hostile_workbooks_are_one_problem_each_within_a_memory_limit(generated: Path, tmp_path: Path):
    inbox = tmp_path / "inbox"
    shutil.copytree(generated, inbox)
    zip_bomb(inbox / "bomb.xlsx")
    good = next(generated.glob("082104_*.xlsx"))
    shutil.copy(good, inbox / "dtd.xlsx")
    patch_member(
        inbox / "dtd.xlsx",
        "xl/workbook.xml",
        lambda data: data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1),
    )
    (inbox / "encrypted.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    outcome = run_collect_limited(inbox, tmp_path / "集約.xlsx")
    assert outcome.returncode == 1
    assert "Traceback" not in outcome.stdout + outcome.stderr
    assert "5 councils consolidated" in outcome.stdout.splitlines()[-1]
    for name, code in (("bomb.xlsx", "zip.too_large"), ("dtd.xlsx", "xml.dtd"), ("encrypted.xlsx", "file.legacy_ole")):
        problems = [line for line in outcome.stdout.splitlines() if f"/{name}: " in line]  # a problem's first line
        assert len(problems) == 1 and code in problems[0], (name, problems)


def run_collect_limited(inbox: Path, output: Path, limit_mb: int = 1024) -> subprocess.CompletedProcess:
    """collect in a child process whose address space is capped, with a hang guard."""
    script = textwrap.dedent(
        f"""
        import resource, sys
        limit = {limit_mb} * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        from etl.cli import main
        sys.exit(main(["collect", {str(inbox)!r}, "-o", {str(output)!r}]))
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=600, cwd=REPO, check=False
    )


def test_staff_text_that_looks_like_a_formula_stays_text_everywhere(generated: Path, tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    target = inbox / "komoro.xlsx"
    shutil.copy(next(generated.glob("202088_*.xlsx")), target)
    payloads = ['=HYPERLINK("http://example.invalid","x")', "＝SUM(A1)", "@cmd", "+1+1", "-2", "\tTAB"]
    text_inputs = [c for c in read_filled_workbook(target).inputs if c.kind == "text"][: len(payloads)]
    book = openpyxl.load_workbook(target)
    for cell, payload in zip(text_inputs, payloads, strict=True):
        book[cell.sheet][cell.cell].value = payload
        book[cell.sheet][cell.cell].data_type = "s"  # typed as text, as Excel keeps it after a leading apostrophe
    book.save(target)
    placed = payloads
    outcome = collect([inbox], tmp_path / "out" / "集約.xlsx")
    consolidated = openpyxl.load_workbook(outcome.output)
    for sheet in consolidated.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} became a formula"
    rows = [row for path in outcome.csvs for row in csv.reader(path.read_text(encoding="utf-8-sig").splitlines())]
    cells = [value for row in rows for value in row]
    for payload in placed:
        assert payload not in cells, payload
        assert any(value == f"'{payload}" for value in cells) or payload.strip() != payload


# --- any text, any mapping values -----------------------------------------------------------

PATTERN_PARTS = st.sampled_from(
    ["^", "$", ".*", "[0-9]+", "(?P<id>[0-9]+)", "(?P<title>.+)", "(", ")", "\\", "事業", "[", "|"]
)
PATTERNS = st.lists(PATTERN_PARTS, min_size=1, max_size=6).map("".join)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)


@pytest.mark.filterwarnings("ignore:Possible nested set:FutureWarning")  # `[[` from the generated patterns
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    document=TEXT,
    section=PATTERNS,
    project=PATTERNS,
    columns=st.lists(st.sampled_from(["name", "purpose", "x", 3]), max_size=4),
    kind=st.sampled_from(["plan", "report", "pdca_plan", "??", ""]),
    years=st.lists(st.integers(1900, 2200), max_size=3),
)
def test_any_text_and_any_mapping_values_give_only_the_tools_own_errors(
    tmp_path: Path, *, document, section, project, columns, kind, years
):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        textwrap.dedent(
            f"""\
            version: 1
            council: {{id: "202088", name: 小諸市社会福祉協議会, prefecture: 長野県}}
            document: {{kind: {kind!r}, title: 計画, fiscal_years: {years}}}
            sections: [{{level: 1, pattern: {section!r}}}]
            layout: {{type: cell_table, columns: {columns}, project_id: {project!r}}}
            """
        ),
        encoding="utf-8",
    )
    source = tmp_path / "doc.txt"
    source.write_text(document, encoding="utf-8")
    try:
        outcome = convert_document(source, mapping, tmp_path / "out")
    except EtlError as err:  # pragma: no cover - convert reports, it does not raise
        pytest.fail(f"convert raised instead of reporting: {err}")
    assert outcome.ok or outcome.problems
