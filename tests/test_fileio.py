"""Outputs are written atomically, inside their folder, under names valid on Windows."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.fileio import TEMP_PREFIX, atomic_path, remove_leftovers, safe_filename
from etl.problems import EtlError


@given(st.text(max_size=300))
def test_safe_filenames_never_climb_out_or_break_windows(name: str):
    safe = safe_filename(name)
    assert safe and "/" not in safe and "\\" not in safe and ".." not in safe
    assert not set('<>:"|?*') & set(safe)
    assert len(safe.encode("utf-8", "surrogatepass")) <= 255
    assert len(safe.encode("utf-16-le", "surrogatepass")) <= 2 * 255
    assert safe.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path):
    target = tmp_path / "out.xlsx"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("writer failed")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_a_target_that_cannot_be_replaced_keeps_the_old_file_and_says_so(tmp_path: Path, monkeypatch):
    target = tmp_path / "out.xlsx"
    target.write_text("old", encoding="utf-8")

    def locked(self: Path, other: Path) -> None:  # as Windows refuses to replace a file open in Excel
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", locked)
    with pytest.raises(EtlError) as caught, atomic_path(target) as tmp:
        tmp.write_text("new", encoding="utf-8")
    assert caught.value.problem.code == "output.not_replaced"
    assert "Excel" in caught.value.problem.message_ja
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_a_folder_where_the_output_should_be_is_a_problem_saying_so(tmp_path: Path):
    target = tmp_path / "out.xlsx"
    target.mkdir()
    with pytest.raises(EtlError) as caught, atomic_path(target) as tmp:
        tmp.write_text("new", encoding="utf-8")
    assert caught.value.problem.code == "output.is_a_folder"
    assert target.is_dir()
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_outputs_get_the_usual_permissions(tmp_path: Path):
    target = tmp_path / "out.xlsx"
    with atomic_path(target) as tmp:
        tmp.write_text("new", encoding="utf-8")
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_a_temporary_of_an_exited_but_unreaped_writer_is_removed(tmp_path: Path):
    """A worker whose batch was killed may linger as a zombie until it is reaped: it writes
    nothing more, so what it left is removed like a dead writer's."""
    writer = subprocess.Popen([sys.executable, "-c", "pass"])  # never waited for: a zombie once it exits
    while Path(f"/proc/{writer.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
        time.sleep(0.02)
    left = tmp_path / f"{TEMP_PREFIX}{writer.pid}-a1b2.tmp"
    left.write_bytes(b"half a workbook")
    remove_leftovers(tmp_path)
    assert not left.exists()
    writer.wait()
