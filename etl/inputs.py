"""Which files a batch works on: files, folders and globs given on the command line.

Folders are searched recursively for the suffixes asked for. Excel's lock files
(`~$name.xlsx`, left beside a workbook open in Excel) are skipped; a symbolic link
that leads outside the folder it sits in is skipped and reported, so that a folder
received from elsewhere cannot make the tool read arbitrary files.
"""

from __future__ import annotations

import glob
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Location, Problem, Problems, Severity, problem

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
        # Path.glob takes no absolute patterns; the shell-style pattern comes from the user as typed.
        matches = sorted(Path(p) for p in glob.glob(item, recursive=True))  # noqa: PTH207
        files = [p for p in matches if p.is_file() and p.suffix.lower() in wanted]
        if not files:
            found.problems.append(_missing(item, "no file matches", "パターンに一致するファイルがありません"))
        return files
    found.problems.append(_missing(item, "file or folder not found", "ファイルまたはフォルダが見つかりません"))
    return []


def _walk(folder: Path, wanted: set[str], found: Inputs) -> Iterable[Path]:
    root = folder.resolve()
    for path in folder.rglob("*"):
        if path.suffix.lower() not in wanted:
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            found.problems.append(
                problem(
                    "input.symlink_outside",
                    Location(file=str(path)),
                    ja="フォルダの外を指すリンクのため読みませんでした",
                    en=f"skipped: symbolic link leads outside {folder}",
                    severity=Severity.WARNING,
                )
            )
            continue
        if path.is_file():
            yield path


def _usable(path: Path, found: Inputs) -> bool:
    if path.name.startswith(LOCK_PREFIX):
        found.problems.append(
            problem(
                "input.lock_file",
                Location(file=str(path)),
                ja="Excel の一時ファイル（~$）のため読みませんでした",
                en="skipped: Excel lock file (~$), not a workbook",
                severity=Severity.WARNING,
                hint="Excel を閉じると消えます",
            )
        )
        return False
    if not path.is_file():
        found.problems.append(_missing(str(path), "not a readable file", "読めるファイルではありません"))
        return False
    return True


def _missing(item: str, en: str, ja: str) -> Problem:
    return problem("input.not_found", Location(file=item), ja=ja, en=en)
