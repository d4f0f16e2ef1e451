"""What the history keeps: one consolidated submission, its figures per fiscal year, and the rule
that decides between two submissions of the same council and year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..model import DIRECTIONS
from ..problems import EtlError, Problem

DEFAULT_NAME = "history.sqlite"  # beside the consolidated workbook


class HistoryError(EtlError):
    """The history database cannot be read or written; carries the problem to report."""


@dataclass(frozen=True)
class YearFigures:
    """A council's figures for one fiscal year of one submission (as on the 集計 sheet)."""

    fiscal_year: int
    projects: int
    targets: int  # indicators with a plan or a result for the year
    inputs: int  # input cells of the year
    entered: int
    judged: int  # results that can be judged against their plan
    achieved: int
    directions: tuple[int, ...] = (0,) * len(DIRECTIONS)  # counts of 今後の方向性, in DIRECTIONS order

    @property
    def percent_entered(self) -> float | None:
        return _ratio(self.entered, self.inputs)

    @property
    def percent_achieved(self) -> float | None:
        return _ratio(self.achieved, self.judged)


@dataclass(frozen=True)
class EntryRow:
    """One value staff entered, by its key (`workbook.contract` keys)."""

    key: str
    project_id: str
    fiscal_year: int
    field: str
    indicator_number: int | None
    text: str | None
    number: float | None


@dataclass
class Recorded:
    """One consolidated submission, as the history records it."""

    council_id: str
    council_name: str
    prefecture: str
    document_kind: str
    document_title: str
    first_year: int
    last_year: int
    template_version: str
    file_name: str
    file_sha256: str  # of the file's bytes: the same file collected again changes nothing
    plan_fingerprint: str
    saved_at: dt.datetime  # as the workbook says
    received_at: dt.datetime  # the file's modification time on the office's disk
    entries_sha256: str  # of what staff entered: equal entries are the same submission sent twice
    years: list[YearFigures] = field(default_factory=list)
    entries: list[EntryRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class HistoryRow:
    """A council and fiscal year as the history holds it now: the figures of the submission that won."""

    council_id: str
    council_name: str
    prefecture: str
    document_title: str
    file_name: str
    saved_at: dt.datetime
    received_at: dt.datetime
    entries_sha256: str
    figures: YearFigures

    @property
    def fiscal_year(self) -> int:
        return self.figures.fiscal_year


class Submitted(Protocol):
    """What the rule compares of a submission."""

    file_name: str
    saved_at: dt.datetime
    received_at: dt.datetime
    entries_sha256: str


def replaces(new: Submitted, old: Submitted, run_started: dt.datetime) -> bool:
    """Whether `new` takes the place of `old` for a council and year: collect's rule for a
    council's several workbooks (`collect.duplicates.choose_submission`); the same entries
    sent again change nothing."""
    from ..collect.duplicates import Candidate, Reason, choose_submission  # noqa: PLC0415 - collect imports history

    old_one, new_one = (Candidate(Path(s.file_name), s.received_at, s.saved_at, s.entries_sha256) for s in (old, new))
    choice = choose_submission([old_one, new_one], run_started=run_started)
    return choice.kept is new_one and choice.reason is not Reason.SAME_ENTRIES


def merged(current: list[HistoryRow], incoming: list[Recorded], run_started: dt.datetime) -> list[HistoryRow]:
    """The rows the history will hold once `incoming` is recorded, by council and year."""
    rows = {(r.council_id, r.fiscal_year): r for r in current}
    for submission in incoming:
        for figures in submission.years:
            key = (submission.council_id, figures.fiscal_year)
            if key not in rows or replaces(submission, rows[key], run_started):
                rows[key] = row_of(submission, figures)
    return [rows[key] for key in sorted(rows)]


def row_of(submission: Recorded, figures: YearFigures) -> HistoryRow:
    return HistoryRow(
        submission.council_id,
        submission.council_name,
        submission.prefecture,
        submission.document_title,
        submission.file_name,
        submission.saved_at,
        submission.received_at,
        submission.entries_sha256,
        figures,
    )


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
