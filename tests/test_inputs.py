"""Files, folders and globs become one list of inputs; lock files and escaping links are skipped."""

from pathlib import Path

from etl.inputs import expand_inputs

XLSX = (".xlsx", ".xlsm")


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def test_folders_are_searched_recursively_in_a_stable_order(tmp_path: Path):
    touch(tmp_path / "in" / "b.xlsx")
    touch(tmp_path / "in" / "sub" / "a.XLSX")
    touch(tmp_path / "in" / "notes.txt")
    found = expand_inputs([tmp_path / "in"], XLSX)
    assert [p.name for p in found.files] == ["b.xlsx", "a.XLSX"]
    assert found.problems == []


def test_globs_files_and_duplicates(tmp_path: Path):
    a = touch(tmp_path / "a.xlsx")
    touch(tmp_path / "b.xlsm")
    found = expand_inputs([str(tmp_path / "*.xls*"), a, tmp_path], XLSX)
    assert [p.name for p in found.files] == ["a.xlsx", "b.xlsm"]


def test_lock_files_are_skipped_with_a_warning(tmp_path: Path):
    touch(tmp_path / "~$a.xlsx")
    touch(tmp_path / "a.xlsx")
    found = expand_inputs([tmp_path], XLSX)
    assert [p.name for p in found.files] == ["a.xlsx"]
    [warning] = found.problems
    assert warning.code == "input.lock_file"
    assert warning.severity == "warning"


def test_links_leading_outside_the_folder_are_skipped(tmp_path: Path):
    secret = touch(tmp_path / "outside" / "secret.xlsx")
    inside = touch(tmp_path / "in" / "ok.xlsx")
    (tmp_path / "in" / "link.xlsx").symlink_to(secret)
    (tmp_path / "in" / "alias.xlsx").symlink_to(inside)
    found = expand_inputs([tmp_path / "in"], XLSX)
    assert [p.name for p in found.files] == ["alias.xlsx"]  # ok.xlsx is the same file
    assert [p.code for p in found.problems] == ["input.symlink_outside"]


def test_missing_inputs_are_problems_not_exceptions(tmp_path: Path):
    found = expand_inputs([tmp_path / "nothing", str(tmp_path / "*.xlsx")], XLSX)
    assert found.files == []
    assert [p.code for p in found.problems] == ["input.not_found", "input.not_found"]
