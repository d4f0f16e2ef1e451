"""Collect: consolidate the filled workbooks of many councils, and tell each what to fix.

    outcome = collect(["受信フォルダ/"], Path("集約.xlsx"), feedback_dir=Path("返送"), jobs=None)

reads every workbook (files, folders, globs; over `jobs` processes, None for all cores),
validates all entries of all files in one pass, writes the consolidated workbook with a
CSV twin of each list sheet, and, with `feedback_dir`, a copy of each council's workbook
with its problem cells marked. A file that is not a workbook of ours is one problem; the
others are consolidated all the same. `outcome.workbooks` has one row per file (the
closing table), and the run is logged to `shakyo-pdca.log` beside the output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..batch import LOG_NAME, Crash, FileSummary, Plan, Progress, append_log, crash_problem, run_each
from ..fileio import safe_filename
from ..history import HistoryError, HistoryRow, Recorded, merged
from ..inputs import expand_inputs
from ..problems import EtlError, Location, Problem, Problems, Severity, count, problem
from .checks import Entry, read_entries, validate_entries
from .feedback import write_feedback
from .gather import WORKBOOK_SUFFIXES, Submission, read_submission
from .tables import (
    CATEGORY,
    CHARTS,
    INDICATORS,
    PDCA,
    PROBLEMS,
    PROJECTS,
    SUMMARY,
    UNCLASSIFIED,
    build_tables,
    values_by_file,
)
from .write import Table, write_csvs, write_workbook
from .years import HISTORY_CHART, history_table, recorded, spans_years

if TYPE_CHECKING:
    from ..history import HistoryDB, RecordOutcome

__all__ = ["CollectOutcome", "collect", "collect_plan"]

SHEETS = (SUMMARY, PROJECTS, INDICATORS, PDCA, CATEGORY, PROBLEMS)  # each also written as a CSV


@dataclass
class CollectOutcome:
    output: Path | None
    files: list[Path] = field(default_factory=list)
    councils: list[str] = field(default_factory=list)  # council ids consolidated
    csvs: list[Path] = field(default_factory=list)
    feedback: list[Path] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    workbooks: list[FileSummary] = field(default_factory=list)  # one per file, in input order
    log: Path | None = None
    history: RecordOutcome | None = None  # what the history database recorded, if it was used

    @property
    def errors(self) -> int:
        return count(self.problems, Severity.ERROR)

    @property
    def warnings(self) -> int:
        return count(self.problems, Severity.WARNING)


@dataclass
class _Read:
    """What a worker sends back for one file: its submission (without the cells) and entries,
    or the problem that refused it."""

    path: Path
    submission: Submission | None
    entries: list[Entry] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    entered: int = 0  # entries holding a value
    seconds: float = 0.0


def collect(
    inputs: Sequence[str | Path],
    output: Path,
    *,
    feedback_dir: Path | None = None,
    jobs: int | None = 1,
    progress: Progress | None = None,
    log: bool = True,
    history: HistoryDB | None = None,
) -> CollectOutcome:
    """With `history`, the consolidated submissions are recorded there (one transaction, after
    the outputs are written), and the workbook gains the 経年比較 sheet once it spans years."""
    found = expand_inputs(inputs, WORKBOOK_SUFFIXES)
    outcome = CollectOutcome(None, found.files, problems=Problems(found.problems))
    reads = _read_all(found.files, jobs, progress)
    outcome.problems.extend(p for r in reads if r.submission is None for p in r.problems)
    current = _newest_per_council([r.submission for r in reads if r.submission is not None], outcome.problems)
    kept = {id(s) for s in current}
    tables, pending = _consolidate(reads, kept, outcome.problems, history=history is not None)
    outcome.councils = [s.council_id for s in sorted(current, key=lambda s: s.council_id)]
    years = _years_so_far(history, pending, outcome.problems) if history is not None else None
    if years is not None and spans_years(years):
        tables.append(history_table(years))
    try:
        outcome.output = write_workbook(output, tables, (*CHARTS, HISTORY_CHART))
        outcome.csvs = write_csvs(output.parent, output.stem, tables)
    except EtlError as err:  # e.g. the consolidated workbook is open in Excel: the old one stays
        outcome.problems.append(err.problem)
    if history is not None and years is not None and outcome.output is not None:
        outcome.history = _record(history, pending, outcome.problems)
    if feedback_dir is not None:
        outcome.feedback, failed = write_feedback(current, outcome.problems, feedback_dir)
        outcome.problems.extend(failed)
    outcome.workbooks = _summaries(found.problems, reads, kept, outcome.problems)
    if log:
        outcome.log = append_log(output.parent, "collect", outcome.workbooks, _closing(outcome))
    return outcome


def _consolidate(
    reads: list[_Read], kept: set[int], problems: Problems, *, history: bool
) -> tuple[list[Table], list[Recorded]]:
    """Validate the entries of the councils' current workbooks (`kept`), then build the tables
    (and, with `history`, what the history is to record of each workbook). The entries are the
    bulk of a national run's memory: they go once the tables are built."""
    submissions: list[Submission] = []
    entries: list[Entry] = []
    for read in reads:
        if read.submission is None or id(read.submission) not in kept:
            continue
        submissions.append(read.submission)
        entries.extend(read.entries)
        read.entries = []
        problems.extend(read.submission.problems)
        problems.extend(read.problems)
        problems.extend(_unclassified(read.submission))
    problems.extend(validate_entries(entries, {str(s.path): s for s in submissions}))
    pending = []
    if history:
        values = values_by_file(entries)
        pending = [recorded(s, values.get(str(s.path), {}), problems) for s in submissions]
    return build_tables(submissions, entries, problems), pending


def _years_so_far(history: HistoryDB, pending: list[Recorded], problems: Problems) -> list[HistoryRow] | None:
    """What the history will hold by council and year once this run is recorded; None if it cannot be read."""
    try:
        return merged(history.rows(), pending)
    except HistoryError as err:
        problems.append(err.problem)
        return None


def _record(history: HistoryDB, pending: list[Recorded], problems: Problems) -> RecordOutcome | None:
    try:
        return history.record(pending)
    except HistoryError as err:
        problems.append(err.problem)
        return None


def collect_plan(
    inputs: Sequence[str | Path], output: Path, *, feedback_dir: Path | None = None, history: HistoryDB | None = None
) -> Plan:
    """What `collect` would read and write, found without opening a workbook."""
    found = expand_inputs(inputs, WORKBOOK_SUFFIXES)
    csvs = [output.parent / safe_filename(f"{output.stem}_{sheet}.csv") for sheet in SHEETS]
    writes = [str(output), *map(str, csvs)]
    if feedback_dir is not None:
        writes.append(f"{feedback_dir / '<workbook>_要修正.xlsx'} (for each council with problems)")
    if history is not None:
        writes.append(f"{history.shown} (history: the consolidated submissions, in one transaction)")
    writes.append(str(output.parent / LOG_NAME))
    return Plan([str(f) for f in found.files], writes, Problems(found.problems))


def _read_all(files: list[Path], jobs: int | None, progress: Progress | None) -> list[_Read]:
    done = run_each(_read_one, files, jobs=jobs, progress=progress, name=lambda path: path.name)
    reads = []
    for path, result in zip(files, done, strict=True):
        read = result.value
        if isinstance(read, Crash):
            read = _Read(path, None, problems=Problems([crash_problem(str(path), read)]))
        read.seconds = result.seconds
        reads.append(read)
    return reads


def _read_one(path: Path) -> _Read:
    """Read one workbook and its entries (in a worker process when there are several)."""
    try:
        submission = read_submission(path)
    except EtlError as err:
        return _Read(path, None, problems=Problems([err.problem]))
    entries, problems = read_entries(submission)
    submission.inputs = []  # read into entries: not worth sending back
    return _Read(path, submission, entries, Problems(problems), sum(e.value is not None for e in entries))


def _summaries(skipped: Problems, reads: list[_Read], kept: set[int], problems: Problems) -> list[FileSummary]:
    """One row per file: skipped inputs first, then every file read, in input order."""
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        if p.severity is not Severity.INFO:
            by_file.setdefault(p.location.file, []).append(p)
    rows = [FileSummary(p.location.file, "", 0, "skipped", (p,)) for p in skipped]
    for read in reads:
        mine = tuple(by_file.get(str(read.path), ()))
        submission = read.submission
        if submission is None:
            rows.append(FileSummary(str(read.path), "", 0, "refused", mine, read.seconds))
            continue
        status = "superseded" if id(submission) not in kept else _status(mine)
        rows.append(FileSummary(str(read.path), submission.council_name, read.entered, status, mine, read.seconds))
    return rows


def _status(problems: Sequence[Problem]) -> str:
    if count(problems, Severity.ERROR):
        return "errors"
    return "warnings" if problems else "ok"


def _closing(outcome: CollectOutcome) -> str:
    return (
        f"collect: {len(outcome.files)} files, {len(outcome.councils)} councils consolidated -> {outcome.output}; "
        f"{outcome.errors} errors, {outcome.warnings} warnings"
    )


def _newest_per_council(submissions: list[Submission], problems: Problems) -> list[Submission]:
    """The same council submitted twice: the most recently saved workbook wins, reported."""
    by_council: dict[str, list[Submission]] = {}
    for submission in submissions:
        by_council.setdefault(submission.council_id, []).append(submission)
    kept = []
    for group in by_council.values():
        group.sort(key=lambda s: (s.saved_at, s.path.name), reverse=True)
        newest, *older = group
        kept.append(newest)
        problems.extend(_superseded(old, newest) for old in older)
    return kept


def _superseded(old: Submission, newest: Submission) -> Problem:
    return problem(
        "collect.duplicate_council",
        Location(file=str(old.path)),
        ja=f"{old.council_name} のワークブックが複数あります。"
        f"新しい {newest.path.name} を集計し、このファイルは使いません",
        en=f"council {old.council_id} submitted twice: {newest.path.name} (saved later) is used, this file is not",
        severity=Severity.WARNING,
    )


def _unclassified(submission: Submission) -> list[Problem]:
    return [
        problem(
            "collect.unclassified",
            Location(file=str(submission.path), key=project.project_id),
            ja=f"事業「{project.project_id} {project.name}」の標準分類が決まりません（{UNCLASSIFIED}として集計）",
            en=f"project {project.project_id} has no standard category; consolidated as {UNCLASSIFIED}",
            severity=Severity.INFO,
            hint="マッピングファイルの categories.overrides で分類を指定できます",
        )
        for project in submission.records.projects
        if not project.category
    ]
