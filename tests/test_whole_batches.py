"""Issue 20: whole batches, consistent outputs, contained forgeries.

Each finding of the issue is reproduced here by a file, a process or a filesystem the
test builds itself: names that are not UTF-8 (bytes paths), forged hidden sheets,
killed processes, a full disk (a faked ENOSPC), an openpyxl row insert, long names,
symbolic links, outputs written inside the inputs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from etl import collect_workbooks
from etl import convert as convert_module
from etl.batch import LOG_NAME
from etl.cli import main
from etl.collect import collect
from etl.collect.duplicates import Candidate, Reason, choose_submission
from etl.collect.write import csv_safe
from etl.convert import output_name
from etl.demo import fill_workbook
from etl.fileio import TEMP_PREFIX, atomic_path, remove_leftovers, safe_filename
from etl.inputs import expand_inputs
from etl.model import Records
from etl.render import render_workbook
from etl.signing import KEY_ENV, Trust
from etl.workbook.contract import Meta, fingerprint, input_name
from etl.workbook.readback import read_filled_workbook
from etl.workbook.snapshot import records_from_json
from tests import records_fixtures as rf

REPO = Path(__file__).resolve().parent.parent
KOMORO = REPO / "mappings" / "komoro"


def council_records(council_id: str = "339997", name: str = "さくら台市社会福祉協議会") -> Records:
    records = rf.pdca_records()
    return dataclasses.replace(records, council=dataclasses.replace(records.council, id=council_id, name=name))


def workbook(path: Path, council_id: str = "339997", name: str = "さくら台市社会福祉協議会") -> Path:
    rendered = render_workbook(council_records(council_id, name), path)
    assert rendered.path == path
    return path


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, Path]:
    """Two workbooks of two councils, generated once; tests copy them."""
    root = tmp_path_factory.mktemp("generated")
    return workbook(root / "a.xlsx"), workbook(root / "b.xlsx", "339998", "もみじ町社会福祉協議会")


def copy(source: Path, target: Path | bytes) -> Path | bytes:
    Path(os.fsdecode(target)).parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as stream:  # noqa: PTH123 - a bytes path
        stream.write(source.read_bytes())
    return target


# --- 1. a file name that is not UTF-8 -------------------------------------------------


def test_a_name_that_is_not_utf8_is_one_located_problem_and_the_others_are_consolidated(generated, tmp_path):
    inbox = tmp_path / "受信"
    copy(generated[0], inbox / "good.xlsx")
    copy(generated[1], os.fsencode(inbox) + b"/\x93\xfa\x96{.xlsx")  # 日本 in CP932, as unzip leaves it
    outcome = collect([inbox], tmp_path / "out" / "集約.xlsx")
    assert outcome.output is not None
    assert outcome.councils == ["339997"]
    [bad] = [p for p in outcome.problems if p.code == "input.name_not_utf8"]
    assert bad.location.file.endswith("\\x93\\xfa\\x96{.xlsx")
    assert "日本" in bad.message_ja
    assert outcome.log is not None
    assert "input.name_not_utf8" in outcome.log.read_text(encoding="utf-8")


# --- 8. globs and symbolic links ------------------------------------------------------


def test_globs_and_folders_skip_links_leading_outside_with_a_warning(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET LINE\n", encoding="utf-8")
    inbox = tmp_path / "dir"
    inbox.mkdir()
    (inbox / "a.txt").symlink_to(secret)
    runner = CliRunner()
    for given in ([f"{inbox}/*.txt"], [str(inbox)]):
        printed = runner.invoke(main, ["convert", *given, "-m", str(KOMORO / "mapping.yaml"), "-o", str(tmp_path)])
        assert "TOP SECRET" not in printed.output
        assert "input.symlink_outside" in printed.output, given
        assert printed.exit_code == 1
    found = expand_inputs([f"{inbox}/*.txt"], [".txt"])
    assert found.files == []
    assert "input.symlink_outside" in [p.code for p in found.problems]


# --- 11. minor: the log and the CSV guard ---------------------------------------------


def test_a_line_break_in_a_file_name_cannot_forge_a_log_line(generated, tmp_path):
    inbox = tmp_path / "in"
    copy(generated[0], inbox / "a\n2026-01-01T00:00:00+09:00 collect: forged.xlsx")
    outcome = collect([inbox], tmp_path / "out" / "集約.xlsx")
    assert outcome.log is not None
    lines = outcome.log.read_text(encoding="utf-8").splitlines()
    assert not [line for line in lines if line.startswith("2026-01-01")]
    assert any("a\\n2026-01-01" in line for line in lines)


@pytest.mark.parametrize("text", ["﹦1+1", "﹢1", "﹣1", "＠SUM(A1)", "﹫SUM(A1)", "\u200b=1+1", "\ufeff+1", "\n=1"])
def test_the_csv_guard_catches_compatibility_forms_and_invisible_prefixes(text: str):
    assert csv_safe(text) == f"'{text}"


# --- 2. the consolidated set is replaced together --------------------------------------


def output_set(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != LOG_NAME}


def test_a_csv_that_cannot_be_replaced_keeps_the_whole_old_set(generated, tmp_path, monkeypatch):
    inbox, out = tmp_path / "in", tmp_path / "out"
    copy(generated[0], inbox / "a.xlsx")
    collect([inbox], out / "集約.xlsx")
    before = output_set(out)
    assert len(before) == 7
    copy(generated[1], inbox / "b.xlsx")
    replace = Path.replace

    def held_open_in_excel(self: Path, target: Path) -> Path:  # Windows moves no file open in Excel
        if self.name == "集約_PDCA.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return replace(self, target)

    monkeypatch.setattr(Path, "replace", held_open_in_excel)
    outcome = collect([inbox], out / "集約.xlsx")
    assert outcome.output is None
    [held] = [p for p in outcome.problems if p.code == "output.not_replaced"]
    assert held.location.file.endswith("集約_PDCA.csv")
    assert output_set(out) == before  # every file of the old set, none of the new


KILL_MID_SWAP = """
import os, sys
from pathlib import Path
from etl.collect import collect
replaced = []
original = Path.replace
def replace(self, target):
    replaced.append(target)
    if len(replaced) == 5:  # the workbook and a CSV are in, the next is set aside: killed here
        os._exit(9)
    return original(self, target)
Path.replace = replace
collect([sys.argv[1]], Path(sys.argv[2]))
"""


def test_a_set_left_half_replaced_by_a_kill_is_put_back_whole_by_the_next_run(generated, tmp_path):
    inbox, out = tmp_path / "in", tmp_path / "out"
    copy(generated[0], inbox / "a.xlsx")
    collect([inbox], out / "集約.xlsx")
    before = output_set(out)
    copy(generated[1], inbox / "b.xlsx")
    killed = subprocess.run(
        [sys.executable, "-c", KILL_MID_SWAP, str(inbox), str(out / "集約.xlsx")], cwd=REPO, check=False
    )
    assert killed.returncode == 9
    assert output_set(out) != before  # mixed, with the files set aside and the journal
    remove_leftovers(out)
    assert output_set(out) == before


# --- 7. long names ---------------------------------------------------------------------


LONG_NAME = "社会福祉法人" + "とても長い名前の" * 9 + "社会福祉協議会"  # 85 kanji and kana


def test_a_council_name_of_85_kanji_gives_a_workbook_and_a_send_back_copy(tmp_path):
    assert len(LONG_NAME) == 85
    out = tmp_path / "配布"
    records = council_records("339996", LONG_NAME)
    target = out / output_name(records, out)
    assert len(target.name.encode("utf-8")) <= 255
    render_workbook(records, target)
    inbox = tmp_path / "受信"
    copy(target, inbox / target.name)
    fill_workbook(target, inbox / target.name, mistakes=["text_in_number"])
    outcome = collect([inbox], tmp_path / "集約.xlsx", feedback_dir=tmp_path / "返送")
    assert outcome.councils == ["339996"]
    [sent] = outcome.feedback
    assert sent.name.endswith("_要修正.xlsx")
    assert outcome.log is not None


def test_long_names_fit_linux_windows_and_stay_unique():
    first = safe_filename(f"339996_{LONG_NAME}_事業計画.xlsx", ending="_事業計画.xlsx")
    second = safe_filename(f"339996_{LONG_NAME}別_事業計画.xlsx", ending="_事業計画.xlsx")
    assert first != second
    for name in (first, second):
        assert name.endswith("_事業計画.xlsx")
        assert len(name.encode("utf-8")) <= 255
        assert len(name.encode("utf-16-le")) // 2 <= 255
    deep = Path("C:/" + "深いフォルダ/" * 20)
    assert len(str(deep.absolute())) + 1 + len(safe_filename(f"x{LONG_NAME}.xlsx", folder=deep)) > 0
    shallow = Path("/srv/受信")
    path = shallow / safe_filename(f"339996_{LONG_NAME * 2}_事業計画.xlsx", folder=shallow)
    assert len(str(path)) < 260


# --- 10. the environment, not a defect --------------------------------------------------


def failing(code: int):
    def fail(*_args, **_kwargs):
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize(
    ("code", "expected"), [(errno.ENOSPC, "output.disk_full"), (errno.EROFS, "output.not_writable")]
)
def test_a_full_disk_or_a_read_only_folder_is_a_located_problem_with_the_summary(
    generated, tmp_path, monkeypatch, code, expected
):
    inbox, out = tmp_path / "in", tmp_path / "out"
    copy(generated[0], inbox / "a.xlsx")
    collect([inbox], out / "集約.xlsx")
    before = output_set(out)
    monkeypatch.setattr(tempfile, "mkstemp", failing(code))
    printed = CliRunner().invoke(main, ["collect", str(inbox), "-o", str(out / "集約.xlsx"), "--jobs", "1"])
    assert printed.exit_code == 1
    assert expected in printed.output
    assert "internal" not in printed.output
    assert "1 files, 1 councils consolidated;" in printed.output
    assert output_set(out) == before


def test_an_output_that_is_a_folder_and_a_log_that_cannot_be_written(generated, tmp_path, monkeypatch):
    inbox, out = tmp_path / "in", tmp_path / "out"
    copy(generated[0], inbox / "a.xlsx")
    (out / "集約.xlsx").mkdir(parents=True)
    (out / LOG_NAME).mkdir()
    printed = CliRunner().invoke(main, ["collect", str(inbox), "-o", str(out / "集約.xlsx")])
    assert printed.exit_code == 1
    assert "output.is_a_folder" in printed.output
    assert "log.is_a_folder" in printed.output
    assert "councils consolidated" in printed.output
    assert (out / "集約.xlsx").is_dir()
    folder_is_file = tmp_path / "file"
    folder_is_file.write_text("x", encoding="utf-8")
    printed = CliRunner().invoke(
        main, ["convert", str(KOMORO / "sample.txt"), "-m", str(KOMORO / "mapping.yaml"), "-o", str(folder_is_file)]
    )
    assert printed.exit_code == 1
    assert "output.folder_is_a_file" in printed.output
    assert "log.folder_is_a_file" in printed.output
    assert "1 documents, 0 converted, 1 failed" in printed.output


# --- 4. forged hidden sheets: contained, and signatures ---------------------------------

KEY = b"office secret, 32 characters at least"


def forge(source: Path, target: Path, *, refingerprint: bool) -> Path:
    """Edit the plan in the hidden `_records` as a forger would with openpyxl, and, if asked,
    recompute the fingerprint in `_meta` so that it matches again."""
    book = openpyxl.load_workbook(source)
    cell = book["_records"]["A1"]
    assert "包括的相談支援事業" in cell.value
    cell.value = cell.value.replace("包括的相談支援事業", "偽りの事業")
    if refingerprint:
        meta = book["_meta"]
        row = next(r for r in meta.iter_rows() if r[0].value == Meta.FINGERPRINT)
        row[1].value = fingerprint(records_from_json(cell.value))
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def consolidated_names(outcome) -> set[str]:
    book = openpyxl.load_workbook(outcome.output, read_only=True)
    return {value for row in book["事業一覧"].iter_rows(min_row=2, values_only=True) for value in row}


def test_edited_hidden_records_are_refused_not_consolidated(generated, tmp_path):
    inbox = tmp_path / "in"
    forge(generated[0], inbox / "forged.xlsx", refingerprint=False)
    copy(generated[1], inbox / "b.xlsx")
    outcome = collect([inbox], tmp_path / "out" / "集約.xlsx")
    assert outcome.councils == ["339998"]
    assert [p.code for p in outcome.problems if p.location.file.endswith("forged.xlsx")] == ["collect.snapshot_altered"]
    assert "偽りの事業" not in consolidated_names(outcome)
    assert {Path(w.file).name: w.status for w in outcome.workbooks}["forged.xlsx"] == "refused"


def test_a_recomputed_fingerprint_passes_without_a_key_and_fails_the_signature_with_one(tmp_path):
    signed = render_workbook(council_records(), tmp_path / "signed.xlsx", signing_key=KEY).path
    inbox = tmp_path / "in"
    forge(signed, inbox / "forged.xlsx", refingerprint=True)
    unkeyed = collect([inbox], tmp_path / "a" / "集約.xlsx")
    assert "偽りの事業" in consolidated_names(unkeyed)  # what the fingerprint cannot guard against
    keyed = collect([inbox], tmp_path / "b" / "集約.xlsx", trust=Trust(KEY))
    assert keyed.councils == []
    assert [p.code for p in keyed.problems if p.severity == "error"] == ["collect.signature_invalid"]
    copy(signed, inbox / "forged.xlsx")
    genuine = collect([inbox], tmp_path / "c" / "集約.xlsx", trust=Trust(KEY))
    assert genuine.councils == ["339997"]
    other_key = collect([inbox], tmp_path / "d" / "集約.xlsx", trust=Trust(b"another office"))
    assert other_key.councils == []


def test_with_a_key_unsigned_workbooks_are_refused_unless_allowed(generated, tmp_path, monkeypatch):
    inbox = tmp_path / "in"
    copy(generated[0], inbox / "unsigned.xlsx")
    key_file = tmp_path / "office.key"
    key_file.write_bytes(KEY + b"\n")
    out = str(tmp_path / "out" / "集約.xlsx")
    refused = CliRunner().invoke(main, ["collect", str(inbox), "-o", out, "--key-file", str(key_file)])
    assert refused.exit_code == 1
    assert "collect.unsigned" in refused.output
    assert "0 councils consolidated" in refused.output
    allowed = CliRunner().invoke(
        main, ["collect", str(inbox), "-o", out, "--key-file", str(key_file), "--allow-unsigned"]
    )
    assert "1 councils consolidated" in allowed.output
    assert "collect.unsigned" in allowed.output  # a warning
    monkeypatch.setenv(KEY_ENV, KEY.decode())
    converted = CliRunner().invoke(
        main, ["convert", str(KOMORO / "sample.txt"), "-m", str(KOMORO / "mapping.yaml"), "-o", str(tmp_path / "k")]
    )
    [made] = (tmp_path / "k").glob("*.xlsx")
    assert converted.exit_code in (0, 1)
    assert read_filled_workbook(made).metadata[Meta.SIGNATURE]
    monkeypatch.delenv(KEY_ENV)
    checked = CliRunner().invoke(main, ["collect", str(made), "-o", out, "--key-file", str(key_file)])
    assert "1 councils consolidated" in checked.output


# --- 5. two submissions of one council --------------------------------------------------


def saved_on(workbook_path: Path, when: str) -> None:
    """Set the saved date a workbook claims (docProps/core.xml), as any tool could."""
    original = io.BytesIO(workbook_path.read_bytes())
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(workbook_path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + when.encode(), data)
            target.writestr(info, data)


def received(path: Path, timestamp: float) -> None:
    os.utime(path, (timestamp, timestamp))


def test_a_stale_copy_dated_2099_does_not_beat_the_one_received_last(generated, tmp_path):
    inbox = tmp_path / "in"
    stale = copy(generated[0], inbox / "stale.xlsx")
    saved_on(stale, "2099-01-01T00:00:00Z")
    received(stale, 1_700_000_000)
    fresh = inbox / "fresh.xlsx"
    fill_workbook(generated[0], fresh, seed=3)
    received(fresh, 1_700_000_100)
    outcome = collect([inbox], tmp_path / "out" / "集約.xlsx")
    [duplicate] = [p for p in outcome.problems if p.code == "collect.duplicate_council"]
    assert Path(duplicate.location.file).name == "stale.xlsx"
    assert "fresh.xlsx" in duplicate.message_en
    assert "received last" in duplicate.message_en
    assert {Path(w.file).name: w.status for w in outcome.workbooks}["stale.xlsx"] == "superseded"
    preferred = collect([inbox], tmp_path / "out2" / "集約.xlsx", prefer=[stale])
    [duplicate] = [p for p in preferred.problems if p.code == "collect.duplicate_council"]
    assert Path(duplicate.location.file).name == "fresh.xlsx"
    assert "--prefer" in duplicate.message_en
    assert not [p for p in preferred.problems if p.code == "collect.prefer_not_an_input"]


def test_prefer_naming_a_file_outside_the_inputs_is_a_warning_not_silence(generated, tmp_path):
    inbox = tmp_path / "in"
    copy(generated[0], inbox / "a.xlsx")
    mistyped = tmp_path / "in" / "a (2).xlsx"
    outcome = collect([inbox], tmp_path / "out" / "集約.xlsx", prefer=[mistyped])
    [warning] = [p for p in outcome.problems if p.code == "collect.prefer_not_an_input"]
    assert (warning.location.file, warning.severity) == (str(mistyped), "warning")
    assert outcome.councils == ["339997"]


def test_the_same_entries_twice_keep_one_and_future_times_are_not_trusted(generated, tmp_path):
    inbox = tmp_path / "in"
    received(copy(generated[0], inbox / "a.xlsx"), 1_700_000_000)
    received(copy(generated[0], inbox / "b.xlsx"), 1_700_000_100)
    outcome = collect([inbox], tmp_path / "out" / "集約.xlsx")
    [duplicate] = [p for p in outcome.problems if p.code == "collect.duplicate_council"]
    assert "entries are the same" in duplicate.message_en
    future = time.time() + 10 * 365 * 86400
    candidates = [
        Candidate(Path("a.xlsx"), dt.datetime.fromtimestamp(future, dt.UTC), None, "entries a"),
        Candidate(Path("b.xlsx"), dt.datetime.fromtimestamp(1_700_000_000, dt.UTC), None, "entries b"),
    ]
    choice = choose_submission(candidates, run_started=dt.datetime.now(dt.UTC))
    assert (choice.kept.path.name, choice.reason) == ("b.xlsx", Reason.RECEIVED_LAST)
    both_future = [dataclasses.replace(c, received_at=candidates[0].received_at) for c in candidates]
    assert choose_submission(both_future, run_started=dt.datetime.now(dt.UTC)).reason is Reason.UNDECIDED


# --- 9. outputs written inside the inputs -----------------------------------------------


def test_outputs_inside_the_input_folder_are_not_read_back_unless_staff_changed_them(generated, tmp_path):
    inbox = tmp_path / "受信"
    filled = inbox / "a.xlsx"
    fill_workbook(generated[0], filled, mistakes=["text_in_number"], seed=4)
    received(filled, 1_700_000_000)
    first = collect([inbox], inbox / "集約.xlsx", feedback_dir=inbox / "返送")
    [copy_sent] = first.feedback
    second = collect([inbox], inbox / "集約.xlsx", feedback_dir=inbox / "返送")
    assert second.councils == ["339997"]
    [note] = [p for p in second.problems if p.code == "collect.own_outputs_skipped"]
    assert "集約.xlsx" in note.message_en
    assert copy_sent.name in note.message_en
    assert [p for p in second.problems if p.code != note.code] == [p for p in first.problems]
    assert {Path(w.file).name: w.status for w in second.workbooks}["集約.xlsx"] == "skipped"
    # staff correct the copy and send it back: now it is a submission, received last
    book = openpyxl.load_workbook(copy_sent)
    wrong = next(p for p in first.problems if p.code == "value.not_a_number")
    book[wrong.location.sheet][wrong.location.cell] = 3
    book.save(copy_sent)
    third = collect([inbox], tmp_path / "集約.xlsx")
    assert "value.not_a_number" not in [p.code for p in third.problems]
    [duplicate] = [p for p in third.problems if p.code == "collect.duplicate_council"]
    assert duplicate.location.file == str(filled)


# --- 3. workers never outlive the command ------------------------------------------------


def slow_write(item: tuple[str, int]) -> int:
    """Work of a batch in the tests below: about a second, writing its output atomically."""
    folder, number = Path(item[0]), item[1]
    (folder / "started").mkdir(exist_ok=True)
    (folder / "started" / f"{os.getpid()}-{number}").touch()
    with atomic_path(folder / "out" / f"{number}.txt") as tmp:
        for step in range(10):
            tmp.write_text(f"step {step}", encoding="utf-8")
            time.sleep(0.1)
    return number


BATCH = """
import sys
from pathlib import Path
from etl.batch import Interrupted, run_each, terminate_as_interrupt
from etl.fileio import remove_leftovers
from tests.test_whole_batches import slow_write
with terminate_as_interrupt():
    try:
        run_each(slow_write, [(sys.argv[1], n) for n in range(8)], jobs=2)
    except Interrupted as stopped:
        remove_leftovers(Path(sys.argv[1]) / "out")  # as convert and collect do once the workers are gone
        print("interrupted after", sum(d is not None for d in stopped.done), flush=True)
        sys.exit(130)
print("finished")
"""


def start_batch(folder: Path) -> tuple[subprocess.Popen, set[int]]:
    """The batch in a process of its own, once both its workers have begun: it and their pids."""
    batch = subprocess.Popen([sys.executable, "-c", BATCH, str(folder)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    workers = wait_for(lambda: {int(p.name.split("-")[0]) for p in (folder / "started").glob("*")}, enough=2)
    return batch, workers


def wait_for(find, enough: int, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while len(found := find()) < enough:
        assert time.monotonic() < deadline, f"only {found}"
        time.sleep(0.05)
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in {"Z", "X"}  # a zombie has exited; only its parent may reap it


def outputs(folder: Path) -> set[str]:
    return {p.name for p in (folder / "out").glob("*")} if (folder / "out").exists() else set()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_sigterm_stops_the_workers_removes_temporaries_and_says_interrupted(tmp_path):
    batch, workers = start_batch(tmp_path)
    batch.send_signal(signal.SIGTERM)
    printed, _ = batch.communicate(timeout=20)
    assert batch.returncode == 130, printed
    assert "interrupted after" in printed
    assert not [pid for pid in workers if running(pid)], f"workers {workers} outlived the batch"
    assert not [name for name in outputs(tmp_path) if name.startswith(TEMP_PREFIX)], outputs(tmp_path)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_workers_of_a_killed_batch_exit_and_write_nothing_afterwards(tmp_path):
    batch, workers = start_batch(tmp_path)
    batch.kill()
    batch.wait(timeout=20)
    finished = {name for name in outputs(tmp_path) if not name.startswith(TEMP_PREFIX)}
    wait_for(lambda: [pid for pid in workers if not running(pid)], enough=len(workers))
    time.sleep(1.2)  # longer than a work item: without the watch, its output would appear now
    assert {name for name in outputs(tmp_path) if not name.startswith(TEMP_PREFIX)} == finished
    # A worker removes its temporaries as it exits, but a writer it cannot stop may recreate one
    # in the instant before the exit: whatever a dead process left, the next run removes.
    remove_leftovers(tmp_path / "out")
    assert outputs(tmp_path) == finished


def test_temporaries_a_killed_run_left_are_removed_by_the_next(generated, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    left = out / f"{TEMP_PREFIX}{int(dead.stdout)}-x1y2.tmp"
    left.write_bytes(b"half a workbook")
    mine = out / f"{TEMP_PREFIX}{os.getpid()}-a3b4.tmp"  # a run still going: left alone
    mine.write_bytes(b"being written")
    copy(generated[0], tmp_path / "in" / "a.xlsx")
    collect([tmp_path / "in"], out / "集約.xlsx")
    assert not left.exists()
    assert mine.exists()


def test_an_interrupted_convert_prints_its_summary_and_exits_130(tmp_path, monkeypatch):
    documents = tmp_path / "docs"
    for name in ("a.txt", "b.txt"):
        copy(KOMORO / "sample.txt", documents / name)
    real = convert_module.convert_document

    def interrupted_at_b(document, *args, **kwargs):
        if document.name == "b.txt":
            raise KeyboardInterrupt
        return real(document, *args, **kwargs)

    monkeypatch.setattr(convert_module, "convert_document", interrupted_at_b)
    printed = CliRunner().invoke(
        main, ["convert", str(documents), "-m", str(KOMORO / "mapping.yaml"), "-o", str(tmp_path / "out"), "-j", "1"]
    )
    assert printed.exit_code == 130
    assert "interrupted" in printed.output
    assert "batch.interrupted" in printed.output
    assert "1 converted" in printed.output


# --- 6. names left behind by an openpyxl row insert, sheets renamed ----------------------

ENTRIES = {
    "pdca|5-1-1|2023|do": "二〇二三年度の取組み",
    "pdca|5-1-1|2024|do": "二〇二四年度の取組み",
    "pdca|5-1-1|2023|achievement": "計画どおり",
    "pdca|5-1-1|2023|issues": "担い手の確保",
    "pdca|5-1-2|2024|action": "対象を広げる",
    "indicator|5-1-1|1|2023|result": 31,
    "indicator|5-1-1|2|2023|result": 2,
    "indicator|5-1-2|3|2023|result": 4,
}


def test_rows_inserted_without_moving_names_are_followed_by_their_labels(generated, tmp_path):
    book = openpyxl.load_workbook(generated[0])
    rf.fill(book, ENTRIES)
    card, _ = rf.name_target(book, input_name("pdca|5-1-1|2024|do"))
    book[card].insert_rows(16)  # between the DO rows of 2023 and 2024: openpyxl moves cells, not names
    book[card].insert_rows(3, amount=2)  # above everything
    book["達成目標"].insert_rows(3)  # between the two targets of 5-1-1
    other, _ = rf.name_target(book, input_name("pdca|5-1-2|2024|action"))
    book[other].title = "改名したシート"  # openpyxl leaves the names on the old sheet name
    target = tmp_path / "edited.xlsx"
    book.save(target)
    filled = read_filled_workbook(target)
    read = {key: filled.by_key()[key].value for key in ENTRIES}
    assert read == ENTRIES
    moved = {p.location.key for p in filled.problems if p.code == "readback.name_moved"}
    assert {"pdca|5-1-1|2024|do", "pdca|5-1-1|2023|do", "indicator|5-1-1|2|2023|result"} <= moved
    assert "indicator|5-1-1|1|2023|result" not in moved  # above the inserted row: in place
    assert filled.by_key()["pdca|5-1-2|2024|action"].sheet == "改名したシート"
    assert not [p for p in filled.problems if p.code == "readback.input_deleted"]


def test_an_untouched_workbook_reads_without_placement_warnings(generated):
    filled = read_filled_workbook(generated[0])
    assert not [p.code for p in filled.problems]


def test_locked_cells_typed_over_on_an_unprotected_sheet_are_warnings(generated, tmp_path):
    book = openpyxl.load_workbook(generated[0])
    rf.fill(book, ENTRIES)
    targets = book["達成目標"]
    targets.protection.sheet = False  # as staff do with 校閲 > シート保護の解除
    assert targets["F2"].value == 30
    targets["F2"] = 99  # a plan value, locked
    target = tmp_path / "in" / "unprotected.xlsx"
    target.parent.mkdir()
    book.save(target)
    outcome = collect_workbooks([target.parent], tmp_path / "集約.xlsx")  # the library API checks by default
    changed = [p for p in outcome.problems if p.code == "collect.locked_cell_changed"]
    assert [(p.location.sheet, p.location.cell, p.severity) for p in changed] == [("達成目標", "F2", "warning")]
    assert outcome.councils == ["339997"]
    quiet = collect([generated[0]], tmp_path / "集約2.xlsx", regenerate=render_workbook)
    assert not [p for p in quiet.problems if p.code.startswith(("collect.locked", "collect.sheet_unprotected"))]
