"""Collect: consolidate the filled workbooks of many councils, and tell each what to fix.

    outcome = collect(["受信フォルダ/"], Path("集約.xlsx"), feedback_dir=Path("返送"))

reads every workbook (files, folders, globs), validates all entries of all files in one
pass, writes the consolidated workbook with a CSV twin of each list sheet, and, with
`feedback_dir`, a copy of each council's workbook with its problem cells marked. A file
that is not a workbook of ours is one problem; the others are consolidated all the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..inputs import expand_inputs
from ..problems import EtlError, Location, Problem, Severity, problem
from .checks import Entry, read_entries, validate_entries
from .feedback import write_feedback
from .gather import WORKBOOK_SUFFIXES, Submission, read_submission
from .tables import CHARTS, UNCLASSIFIED, build_tables
from .write import write_csvs, write_workbook

__all__ = ["CollectOutcome", "collect"]


@dataclass
class CollectOutcome:
    output: Path | None
    files: list[Path] = field(default_factory=list)
    councils: list[str] = field(default_factory=list)  # council ids consolidated
    csvs: list[Path] = field(default_factory=list)
    feedback: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity is Severity.WARNING for p in self.problems)


def collect(inputs: Sequence[str | Path], output: Path, *, feedback_dir: Path | None = None) -> CollectOutcome:
    found = expand_inputs(inputs, WORKBOOK_SUFFIXES)
    outcome = CollectOutcome(None, found.files, problems=list(found.problems))
    submissions = []
    for path in found.files:
        try:
            submissions.append(read_submission(path))
        except EtlError as err:
            outcome.problems.append(err.problem)
    current = _newest_per_council(submissions, outcome.problems)
    entries: list[Entry] = []
    for submission in current:
        read, found_problems = read_entries(submission)
        entries.extend(read)
        outcome.problems.extend(submission.problems)
        outcome.problems.extend(found_problems)
        outcome.problems.extend(_unclassified(submission))
    outcome.problems.extend(validate_entries(entries, {str(s.path): s for s in current}))
    outcome.councils = [s.council_id for s in sorted(current, key=lambda s: s.council_id)]
    tables = build_tables(current, entries, outcome.problems)
    outcome.output = write_workbook(output, tables, CHARTS)
    outcome.csvs = write_csvs(output.parent, output.stem, tables)
    if feedback_dir is not None:
        outcome.feedback = write_feedback(current, outcome.problems, feedback_dir)
    return outcome


def _newest_per_council(submissions: list[Submission], problems: list[Problem]) -> list[Submission]:
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
