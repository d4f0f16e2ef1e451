"""Which files a batch works on: files, folders and globs given on the command line.

Folders are searched recursively for the suffixes asked for. Excel's lock files
(`~$name.xlsx`, left beside a workbook open in Excel) are skipped; a symbolic link
that leads outside the folder it sits in (for a glob, the folder the pattern starts
from) is skipped and reported, so that a folder received from elsewhere cannot make
the tool read arbitrary files. A file whose name is not valid UTF-8 (a Windows zip
with Japanese names unpacked on Linux) is reported with its name as far as it can be
read, and skipped: its name could be written nowhere else.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Location, Problem, Problems, problem

LOCK_PREFIX = "~$"
_GLOB_CHARS = set("*?[")


@dataclass
class Inputs:
    files: list[Path] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)


def expand_inputs(items: Sequence[str | Path], suffixes: Iterable[str]) -> Inputs:
    """The files named by `items`, each once, in a stable order; skipped ones as problems."""
    wanted = {suffix.lower() for suffix in suffixes}
    found = Inputs()
    seen: set[Path] = set()
    for item in items:
        for path in _candidates(str(item), wanted, found):
            if _usable(path, found) and path.resolve() not in seen:
                seen.add(path.resolve())
                found.files.append(path)
    return found


def _candidates(item: str, wanted: set[str], found: Inputs) -> list[Path]:
    path = Path(item)
    if path.is_dir():
        return sorted(_walk(path, wanted, found))
    if path.exists() or path.is_symlink():
        return [path]
    if _GLOB_CHARS & set(item):
        files = [p for p in glob_paths(item, found.problems) if p.is_file() and p.suffix.lower() in wanted]
        if not files:
            found.problems.append(_missing(item, "no file matches", "パターンに一致するファイルがありません"))
        return files
    found.problems.append(_missing(item, "file or folder not found", "ファイルまたはフォルダが見つかりません"))
    return []


def glob_paths(pattern: str, problems: Problems) -> list[Path]:
    """What a shell-style pattern matches, sorted, less the links that lead outside the folder
    it starts from (`dir` for `dir/*.txt`), each reported in `problems`."""
    root = _pattern_root(pattern)
    # Path.glob takes no absolute patterns; the shell-style pattern comes from the user as typed.
    matches = sorted(Path(p) for p in glob.glob(pattern, recursive=True))  # noqa: PTH207
    return [path for path in matches if within(path, root, problems)]


def within(path: Path, folder: Path, problems: Problems) -> bool:
    """Whether `path`, links followed, stays inside `folder`; if not, a warning says it was skipped."""
    if path.resolve().is_relative_to(folder.resolve()):
        return True
    problems.append(
        problem(
            "input.symlink_outside",
            Location(file=printable(path)),
            ja=f"フォルダ（{printable(folder)}）の外を指すリンクのため読みませんでした",
            en=f"skipped: symbolic link leads outside {printable(folder)}",
        )
    )
    return False


def printable(path: Path | str) -> str:
    """The path as text that can be printed and written anywhere: bytes that are not UTF-8 as `\\x93`."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def readable_name(path: Path, problems: Problems) -> bool:
    """Whether the path is valid UTF-8; if not, an error names it as far as it can be read."""
    if printable(path) == str(path):
        return True
    guess = os.fsencode(path.name).decode("cp932", errors="replace")
    problems.append(
        problem(
            "input.name_not_utf8",
            Location(file=printable(path)),
            ja=f"ファイル名の文字コードが UTF-8 ではないため読みませんでした（Shift_JIS なら「{guess}」）",
            en=f"skipped: the file name is not valid UTF-8 (as Shift_JIS: {guess!r})",
            hint="ファイル名を付け直すか、zip を文字コード指定で展開してください（例: unzip -O cp932）",
        )
    )
    return False


def _pattern_root(pattern: str) -> Path:
    parts = Path(pattern).parts
    stop = next((i for i, part in enumerate(parts) if _GLOB_CHARS & set(part)), len(parts))
    return Path(*parts[:stop])


def _walk(folder: Path, wanted: set[str], found: Inputs) -> Iterable[Path]:
    for path in folder.rglob("*"):
        if path.suffix.lower() in wanted and within(path, folder, found.problems) and path.is_file():
            yield path


def _usable(path: Path, found: Inputs) -> bool:
    if not readable_name(path, found.problems):
        return False
    if path.name.startswith(LOCK_PREFIX):
        found.problems.append(
            problem(
                "input.lock_file",
                Location(file=str(path)),
                ja="Excel の一時ファイル（~$）のため読みませんでした",
                en="skipped: Excel lock file (~$), not a workbook",
                hint="Excel を閉じると消えます",
            )
        )
        return False
    if not path.is_file():
        found.problems.append(_missing(str(path), "not a readable file", "読めるファイルではありません"))
        return False
    return True


def _missing(item: str, en: str, ja: str) -> Problem:
    return problem("input.not_found", Location(file=printable(item)), ja=ja, en=en)
