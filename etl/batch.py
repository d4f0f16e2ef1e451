"""Work on many files at once: over the machine's cores, with progress, a summary and a log.

convert and collect hand `run_each` a function of one file (a document, a workbook)
that returns a small value — an outcome and its problems, never whole sheets — and get
the values back in input order, each with the time it took. With `jobs=1` the work runs
in this process (tests and debugging); otherwise in a pool of worker processes. Work
that raises (a defect of the tool, not of the file) becomes an `internal.error` problem
for that file, and the other files go on.

Each file ends as a `FileSummary` (one row of the closing table and of the JSON), and
`append_log` writes one English line per file, with its time and problems, to
`shakyo-pdca.log` beside the outputs.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Generic, TypeVar

from .problems import Location, Problem, Problems, Severity, count, problem

LOG_NAME = "shakyo-pdca.log"

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[str], None]  # called with the name of each file as its work ends


@dataclass(frozen=True)
class Crash:
    """Work that raised: what it raised, and the line of ours it came from (for a bug report)."""

    error: str
    where: str = ""


@dataclass(frozen=True)
class Done(Generic[R]):
    value: R | Crash
    seconds: float


@dataclass(frozen=True)
class FileSummary:
    """One file of a batch: a row of the closing table, of the JSON summary and of the log."""

    file: str
    council: str
    count: int  # projects (convert) or entered cells (collect)
    status: str  # ok, warnings, failed (convert); ok, warnings, errors, refused, superseded (collect)
    problems: tuple[Problem, ...] = ()
    seconds: float = field(default=0.0, compare=False)

    @property
    def errors(self) -> int:
        return count(self.problems, Severity.ERROR)

    @property
    def warnings(self) -> int:
        return count(self.problems, Severity.WARNING)

    def to_dict(self) -> dict[str, object]:
        """The JSON form; the time is left out so that equal runs give equal JSON."""
        return {
            "file": self.file,
            "council": self.council,
            "count": self.count,
            "errors": self.errors,
            "warnings": self.warnings,
            "status": self.status,
        }


@dataclass
class Plan:
    """What a dry run found: the files it would read and those it would write."""

    reads: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)

    def to_dict(self) -> dict[str, object]:
        return {"read": self.reads, "write": self.writes, "problems": [p.to_dict() for p in self.problems]}


def default_jobs() -> int:
    """The cores this process may use."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def run_each(
    work: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int | None = 1,
    progress: Progress | None = None,
    name: Callable[[T], str] = str,
) -> list[Done[R]]:
    """`work(item)` for every item, in input order, each timed; a crash is a `Crash` value.

    `work` must be a module-level function (worker processes import it by name) and
    return something small to send back. `jobs` is the number of processes (None: all
    cores); with one job, or one item, the work runs here.
    """
    workers = min(jobs or default_jobs(), len(items))
    call = partial(_timed, work)
    if workers <= 1:
        done = []
        for item in items:
            done.append(call(item))
            if progress is not None:
                progress(name(item))
        return done
    return _in_pool(call, items, workers, progress, name)


def crash_problem(file: str, crash: Crash) -> Problem:
    where = f" at {crash.where}" if crash.where else ""
    return problem(
        "internal.error",
        Location(file=file),
        ja="内部エラーのため、このファイルを処理できませんでした（ツールの不具合です）",
        en=f"internal error (a defect of shakyo-pdca, not of the file): {crash.error}{where}",
        hint=f"不具合として報告してください（{LOG_NAME} とこのファイルを添えて）",
    )


def append_log(folder: Path, command: str, rows: Sequence[FileSummary], closing: str) -> Path:
    """Append this run to `folder/shakyo-pdca.log`: a header, one line per file, the closing line.

    The log grows run after run (appending, unlike the outputs, which are replaced atomically).
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / LOG_NAME
    started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    lines = [f"{started} {command}: {len(rows)} files"]
    lines.extend(_log_line(row) for row in rows)
    lines.append(f"{started} {closing}")
    with target.open("a", encoding="utf-8", newline="\n") as stream:
        stream.write("\n".join(lines) + "\n")
    return target


def _log_line(row: FileSummary) -> str:
    codes = Counter(p.code for p in row.problems if p.severity is not Severity.INFO)
    listed = ", ".join(f"{code} x{count}" for code, count in sorted(codes.items()))
    problems = f"{row.errors} errors, {row.warnings} warnings" + (f" ({listed})" if listed else "")
    return f"  {row.status:10} {row.seconds:7.2f}s  {row.file}  [{row.council or '?'}: {row.count}]  {problems}"


def _timed(work: Callable[[T], R], item: T) -> Done[R]:
    start = time.perf_counter()
    try:
        value: R | Crash = work(item)
    except Exception as err:  # a defect of the tool: reported for this file, and the batch goes on
        value = Crash(f"{type(err).__name__}: {err}", _innermost(err))
    return Done(value, time.perf_counter() - start)


def _innermost(err: Exception) -> str:
    frames = traceback.extract_tb(err.__traceback__)
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""


def _in_pool(
    call: Callable[[T], Done[R]], items: Sequence[T], workers: int, progress: Progress | None, name: Callable[[T], str]
) -> list[Done[R]]:
    done: list[Done[R] | None] = [None] * len(items)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(call, item): index for index, item in enumerate(items)}
        for future in as_completed(futures):
            index = futures[future]
            error = future.exception()
            if error is None:
                done[index] = future.result()
            else:  # a worker process died (killed, out of memory): every file it left undone is reported
                done[index] = Done(Crash(f"{type(error).__name__}: {error}"), 0.0)
            if progress is not None:
                progress(name(items[index]))
    return [d for d in done if d is not None]
