"""Collect: consolidate the filled workbooks of many councils, and tell each what to fix.

    outcome = collect(["受信フォルダ/"], Path("集約.xlsx"), feedback_dir=Path("返送"), jobs=None)

reads every workbook (files, folders, globs; over `jobs` processes, None for all cores),
validates all entries of all files in one pass, writes the consolidated workbook with a
CSV twin of each list sheet, and, with `feedback_dir`, a copy of each council's workbook
with its problem cells marked. A file that is not a workbook of ours is one problem; the
others are consolidated all the same. `outcome.workbooks` has one row per file (the
closing table), and the run is logged to `shakyo-pdca.log` beside the output. With
`regenerate=etl.render.render_workbook` (as `etl.collect_workbooks` and the command line do), locked cells typed
over on an unprotected sheet are reported too: collect reads the workbook format and is
handed the writer, never imports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..batch import (
    LOG_NAME,
    Crash,
    FileSummary,
    Interrupted,
    Plan,
    Progress,
    append_log,
    crash_problem,
    interrupted_problem,
    run_each,
)
from ..fileio import remove_leftovers
from ..history import HistoryError, HistoryRow, Recorded, merged
from ..inputs import expand_inputs
from ..problems import EtlError, Location, Problem, Problems, Severity, count, problem
from ..signing import Trust
from .checks import Entry, read_entries, validate_entries
from .duplicates import Candidate, Choice, Reason, choose_submission
from .feedback import write_feedback
from .gather import WORKBOOK_SUFFIXES, OwnOutput, Submission, read_submission
from .locked import Regenerate
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
from .write import Table, csv_paths, write_consolidated
from .years import HISTORY_CHART, history_table, recorded, spans_years

if TYPE_CHECKING:
    from ..history import HistoryDB, RecordOutcome

__all__ = ["OWN_OUTPUTS", "CollectOutcome", "collect", "collect_plan"]

OWN_OUTPUTS = "collect.own_outputs_skipped"  # the note listing them, shown even though it is not a fault
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
    interrupted: bool = False  # stopped by Ctrl-C or SIGTERM while reading: nothing was written
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
    own_output: str = ""  # what it is, when the file is one of this tool's outputs (skipped)


def collect(
    inputs: Sequence[str | Path],
    output: Path,
    *,
    feedback_dir: Path | None = None,
    jobs: int | None = 1,
    progress: Progress | None = None,
    log: bool = True,
    trust: Trust = Trust(),  # noqa: B008 - a frozen value
    prefer: Sequence[Path] = (),
    regenerate: Regenerate | None = None,
    history: HistoryDB | None = None,
) -> CollectOutcome:
    """With `history`, the consolidated submissions are recorded there (one transaction, after
    the outputs are written), and the workbook gains the 経年比較 sheet once it spans years."""
    started = dt.datetime.now(dt.UTC)
    for folder in (output.parent, feedback_dir):
        if folder is not None:
            remove_leftovers(folder)
    found = expand_inputs(inputs, WORKBOOK_SUFFIXES)
    outcome = CollectOutcome(None, found.files, problems=Problems(found.problems))
    outcome.problems.extend(_preferred_not_collected(prefer, found.files))
    try:
        reads = _read_all(found.files, jobs, progress, trust, regenerate)
    except Interrupted as stopped:
        return _stopped(outcome, stopped, output, log=log)
    outcome.problems.extend(_own_outputs(reads))
    outcome.problems.extend(p for r in reads if r.submission is None for p in r.problems)
    current = _one_per_council(reads, outcome.problems, started, prefer)
    kept = {id(s) for s in current}
    tables, pending = _consolidate(reads, kept, outcome.problems, history=history is not None)
    outcome.councils = [s.council_id for s in sorted(current, key=lambda s: s.council_id)]
    years = _years_so_far(history, pending, outcome.problems, started) if history is not None else None
    if years is not None and spans_years(years):
        tables.append(history_table(years))
    try:
        outcome.output, *outcome.csvs = write_consolidated(output, tables, (*CHARTS, HISTORY_CHART))
    except EtlError as err:  # e.g. the consolidated workbook is open in Excel: the old one stays
        outcome.problems.append(err.problem)
    if history is not None and years is not None and outcome.output is not None:
        outcome.history = _record(history, pending, outcome.problems, started)
    if feedback_dir is not None:
        outcome.feedback, failed = write_feedback(current, outcome.problems, feedback_dir)
        outcome.problems.extend(failed)
    outcome.workbooks = _summaries(found.problems, reads, kept, outcome.problems)
    if log:
        try:
            outcome.log = append_log(output.parent, "collect", outcome.workbooks, _closing(outcome))
        except EtlError as err:
            outcome.problems.append(err.problem)
    return outcome


def _stopped(outcome: CollectOutcome, stopped: Interrupted, output: Path, *, log: bool) -> CollectOutcome:
    """An interrupted collect writes nothing but its log: the previous outputs stay as they were."""
    outcome.interrupted = True
    remove_leftovers(output.parent)
    outcome.problems.append(
        interrupted_problem(
            str(output), ja="集約は書いていません（以前の集約はそのままです）", en="nothing consolidated or written"
        )
    )
    rows = [FileSummary(p.location.file, "", 0, "skipped", (p,)) for p in outcome.problems[:-1]]
    rows.extend(
        FileSummary(str(path), "", 0, "read" if done is not None else "interrupted", (), done.seconds if done else 0.0)
        for path, done in zip(outcome.files, stopped.done, strict=True)
    )
    outcome.workbooks = rows
    if log:
        try:
            outcome.log = append_log(output.parent, "collect", rows, _closing(outcome))
        except EtlError as err:
            outcome.problems.append(err.problem)
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


def _years_so_far(
    history: HistoryDB, pending: list[Recorded], problems: Problems, started: dt.datetime
) -> list[HistoryRow] | None:
    """What the history will hold by council and year once this run is recorded; None if it cannot be read."""
    try:
        return merged(history.rows(), pending, started)
    except HistoryError as err:
        problems.append(err.problem)
        return None


def _record(
    history: HistoryDB, pending: list[Recorded], problems: Problems, started: dt.datetime
) -> RecordOutcome | None:
    try:
        return history.record(pending, collected_at=started)
    except HistoryError as err:
        problems.append(err.problem)
        return None


def collect_plan(
    inputs: Sequence[str | Path], output: Path, *, feedback_dir: Path | None = None, history: HistoryDB | None = None
) -> Plan:
    """What `collect` would read and write, found without opening a workbook."""
    found = expand_inputs(inputs, WORKBOOK_SUFFIXES)
    writes = [str(output), *map(str, csv_paths(output, SHEETS))]
    if feedback_dir is not None:
        writes.append(f"{feedback_dir / '<workbook>_要修正.xlsx'} (for each council with problems)")
    if history is not None:
        writes.append(f"{history.shown} (history: the consolidated submissions, in one transaction)")
    writes.append(str(output.parent / LOG_NAME))
    return Plan([str(f) for f in found.files], writes, Problems(found.problems))


def _read_all(
    files: list[Path], jobs: int | None, progress: Progress | None, trust: Trust, regenerate: Regenerate | None
) -> list[_Read]:
    work = partial(_read_one, trust=trust, regenerate=regenerate)
    done = run_each(work, files, jobs=jobs, progress=progress, name=lambda path: path.name)
    reads = []
    for path, result in zip(files, done, strict=True):
        read = result.value
        if isinstance(read, Crash):
            read = _Read(path, None, problems=Problems([crash_problem(str(path), read)]))
        read.seconds = result.seconds
        reads.append(read)
    return reads


def _read_one(path: Path, trust: Trust, regenerate: Regenerate | None) -> _Read:
    """Read one workbook and its entries (in a worker process when there are several)."""
    try:
        submission = read_submission(path, trust, regenerate)
    except EtlError as err:
        return _Read(path, None, problems=Problems([err.problem]))
    except OwnOutput as own:
        return _Read(path, None, own_output=str(own))
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
        if read.own_output:
            rows.append(FileSummary(str(read.path), "", 0, "skipped", mine, read.seconds))
            continue
        if submission is None:
            rows.append(FileSummary(str(read.path), "", 0, "refused", mine, read.seconds))
            continue
        status = "superseded" if id(submission) not in kept else _status(mine)
        rows.append(FileSummary(str(read.path), submission.council_name, read.entered, status, mine, read.seconds))
    return rows


def _own_outputs(reads: list[_Read]) -> list[Problem]:
    """One note for every output of this tool found among the inputs (they are not read)."""
    own = [read for read in reads if read.own_output]
    if not own:
        return []
    listed = ", ".join(f"{read.path.name} ({read.own_output})" for read in own)
    return [
        problem(
            "collect.own_outputs_skipped",
            Location(file=str(own[0].path.parent)),
            ja=f"このツールが書いたファイル {len(own)} 件は入力ではないため読みませんでした: {listed}",
            en=f"skipped {len(own)} files this tool wrote, not submissions: {listed}",
            hint="集約や返送の出力先は受信フォルダの外にすると、この確認は不要です",
        )
    ]


def _status(problems: Sequence[Problem]) -> str:
    if count(problems, Severity.ERROR):
        return "errors"
    return "warnings" if problems else "ok"


def _closing(outcome: CollectOutcome) -> str:
    return (
        f"collect: {len(outcome.files)} files, {len(outcome.councils)} councils consolidated -> {outcome.output}; "
        f"{outcome.errors} errors, {outcome.warnings} warnings" + ("; interrupted" if outcome.interrupted else "")
    )


def _one_per_council(
    reads: list[_Read], problems: Problems, run_started: dt.datetime, preferred: Sequence[Path]
) -> list[Submission]:
    """The submission that counts for each council (`duplicates.choose_submission`); each other
    one is reported with the file kept and why."""
    by_council: dict[str, list[_Read]] = {}
    for read in reads:
        if read.submission is not None:
            by_council.setdefault(read.submission.council_id, []).append(read)
    kept = []
    for group in by_council.values():
        by_path = {read.path: read.submission for read in group if read.submission is not None}
        choice = choose_submission([_candidate(r) for r in group], run_started=run_started, preferred=preferred)
        kept.append(by_path[choice.kept.path])
        problems.extend(_superseded(by_path[other.path], choice) for other in choice.others)
    return kept


def _candidate(read: _Read) -> Candidate:
    saved = read.submission.saved_at if read.submission is not None else None
    received = dt.datetime.fromtimestamp(read.path.stat().st_mtime, tz=dt.UTC)
    entries = frozenset((entry.key, entry.value) for entry in read.entries if entry.value is not None)
    return Candidate(read.path, received, saved, entries)


def _preferred_not_collected(preferred: Sequence[Path], files: Sequence[Path]) -> list[Problem]:
    """`--prefer` naming a file that is not among the inputs (a mistyped name) chooses nothing."""
    inputs = {path.resolve() for path in files}
    return [
        problem(
            "collect.prefer_not_an_input",
            Location(file=str(path)),
            ja="--prefer で指定されたファイルが集計する入力の中にありません。このファイルでは選びません",
            en="the file named with --prefer is not among the inputs: it chooses nothing",
            hint="入力のフォルダの中のファイルを、名前を確かめて指定してください",
        )
        for path in preferred
        if path.resolve() not in inputs
    ]


def _superseded(other: Submission, choice: Choice) -> Problem:
    kept = choice.kept.path.name
    return problem(
        "collect.duplicate_council",
        Location(file=str(other.path)),
        ja=f"{other.council_name} のワークブックが複数あります。{kept} を集計し、このファイルは使いません"
        f"（{choice.reason.ja}）",
        en=f"council {other.council_id} sent more than once: {kept} is used ({choice.reason.en}), this file is not",
        hint="集計するファイルは --prefer で指定できます" if choice.reason is Reason.UNDECIDED else "",
    )


def _unclassified(submission: Submission) -> list[Problem]:
    return [
        problem(
            "collect.unclassified",
            Location(file=str(submission.path), key=project.project_id),
            ja=f"事業「{project.project_id} {project.name}」の標準分類が決まりません（{UNCLASSIFIED}として集計）",
            en=f"project {project.project_id} has no standard category; consolidated as {UNCLASSIFIED}",
            hint="マッピングファイルの categories.overrides で分類を指定できます",
        )
        for project in submission.records.projects
        if not project.category
    ]
