"""Work on many files at once: over the machine's cores, with progress, a summary and a log.

convert and collect hand `run_each` a function of one file (a document, a workbook)
that returns a small value — an outcome and its problems, never whole sheets — and get
the values back in input order, each with the time it took. Workers never outlive the
batch: interrupted, it stops them; killed, they notice within `WATCH_SECONDS` and exit
without writing anything more. With `jobs=1` the work runs
in this process (tests and debugging); otherwise in a pool of worker processes. Work
that raises (a defect of the tool, not of the file) becomes an `internal.error` problem
for that file, and the other files go on.

Each file ends as a `FileSummary` (one row of the closing table and of the JSON), and
`append_log` writes one English line per file, with its time and problems, to
`shakyo-pdca.log` beside the outputs.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import signal
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import Any, Generic, TypeVar

from .fileio import discard_temporaries, log_error, serve_parent
from .problems import Location, Problem, Problems, Severity, problem
from .repeated import Unlisted, counted

LOG_NAME = "shakyo-pdca.log"
WATCH_SECONDS = 0.2  # how often a worker checks that its batch still wants it
_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")  # would end or forge a line of the log

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


class Interrupted(Exception):
    """The batch was stopped (Ctrl-C, SIGTERM): `done[i]` is item i's result, None if not done."""

    def __init__(self, done: list[Done[Any] | None]) -> None:
        super().__init__("interrupted")
        self.done = done


@dataclass(frozen=True)
class FileSummary:
    """One file of a batch: a row of the closing table, of the JSON summary and of the log."""

    file: str
    council: str
    count: int  # projects (convert) or entered cells (collect)
    status: str  # ok, warnings, failed (convert); ok, warnings, errors, refused, superseded (collect)
    problems: tuple[Problem, ...] = ()
    seconds: float = field(default=0.0, compare=False)
    unlisted: tuple[Unlisted, ...] = ()  # problems counted, not kept (repeated.py)
    note: str = ""  # what the closing table adds beside the file (e.g. `0 projects`)

    @property
    def errors(self) -> int:
        return counted(self.problems, self.unlisted, Severity.ERROR)

    @property
    def warnings(self) -> int:
        return counted(self.problems, self.unlisted, Severity.WARNING)

    def to_dict(self) -> dict[str, object]:
        """The JSON form; the time is left out so that equal runs give equal JSON."""
        return {
            "file": self.file,
            "council": self.council,
            "count": self.count,
            "errors": self.errors,
            "warnings": self.warnings,
            "status": self.status,
        } | ({"note": self.note} if self.note else {})


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
    cores); with one job, or one item, the work runs here. Ctrl-C (or SIGTERM within
    `terminate_as_interrupt`) stops the work, workers included, and raises `Interrupted`
    with what was done.
    """
    workers = min(jobs or default_jobs(), len(items))
    call = partial(_timed, work)
    if workers <= 1:
        done: list[Done[R] | None] = [None] * len(items)
        try:
            for index, item in enumerate(items):
                done[index] = call(item)
                if progress is not None:
                    progress(name(item))
        except KeyboardInterrupt:
            raise Interrupted(done) from None
        return [d for d in done if d is not None]
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


def interrupted_problem(file: str, *, ja: str, en: str) -> Problem:
    """What an interrupted batch says about a file it did not finish (or an output it did not write)."""
    return problem("batch.interrupted", Location(file=file), ja=f"中断しました。{ja}", en=f"interrupted: {en}")


def append_log(folder: Path, command: str, rows: Sequence[FileSummary], closing: str) -> Path:
    """Append this run to `folder/shakyo-pdca.log`: a header, one line per file, the closing line.

    The log grows run after run (appending, unlike the outputs, which are replaced atomically).
    A log that cannot be written raises `EtlError` saying why (read-only folder, full disk).
    """
    target = folder / LOG_NAME
    started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    lines = [f"{started} {command}: {len(rows)} files"]
    lines.extend(_log_line(row) for row in rows)
    lines.append(f"{started} {closing}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8", newline="\n") as stream:
            stream.write("\n".join(lines) + "\n")
    except OSError as err:
        raise log_error(target, err) from None
    return target


def _log_line(row: FileSummary) -> str:
    codes = Counter(p.code for p in row.problems if p.severity is not Severity.INFO)
    for unlisted in row.unlisted:
        codes[unlisted.code] += unlisted.count
    listed = ", ".join(f"{code} x{count}" for code, count in sorted(codes.items()))
    problems = f"{row.errors} errors, {row.warnings} warnings" + (f" ({listed})" if listed else "")
    file, council = _one_line(row.file), _one_line(row.council or "?")
    note = f" ({_one_line(row.note)})" if row.note else ""
    return f"  {row.status:10} {row.seconds:7.2f}s  {file}  [{council}: {row.count}]  {problems}{note}"


def _one_line(text: str) -> str:
    """`text` with every character that could break a log line shown as an escape (`\\n`)."""
    return _LINE_BREAKING.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


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
    context = multiprocessing.get_context()
    stop = context.Event()
    pool = ProcessPoolExecutor(workers, context, initializer=_serve, initargs=(os.getpid(), stop))
    try:
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
    except KeyboardInterrupt:
        stop.set()  # each worker drops what it was writing and exits
        pool.shutdown(wait=True, cancel_futures=True)
        raise Interrupted(done) from None
    pool.shutdown(wait=True)
    return [d for d in done if d is not None]


def _serve(parent: int, stop: EventType) -> None:
    """Start a worker: interrupts are the batch's to handle; once the batch stops or its process
    is gone, the worker writes nothing more and exits."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve_parent(parent, stop)
    threading.Thread(target=_watch, args=(parent, stop), name="watch-parent", daemon=True).start()


def _watch(parent: int, stop: EventType) -> None:
    while not stop.wait(WATCH_SECONDS) and os.getppid() == parent:
        pass
    discard_temporaries()
    os._exit(1)


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM stops the batch as Ctrl-C does (an interrupted summary, exit 130)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _raise_interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt
