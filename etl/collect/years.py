"""Collect across years: what the history records of each consolidated workbook, and the
`経年比較` sheet that compares each council's years once the history holds more than one
year of a council.

A submission is recorded for the fiscal years staff entered something for (a multi-year
plan collected in its first year is not yet a record of the later ones); a workbook with
nothing entered is recorded for its first year.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter

from ..history import EntryRow, HistoryRow, Recorded, YearFigures
from ..jp import wareki
from ..model import DIRECTIONS
from ..problems import Problem
from ..workbook.contract import Meta, fingerprint, parse_key
from ..workbook.indicators import achieved
from .gather import Submission
from .tables import COUNCIL_COLUMNS, indicator_years
from .write import Chart, Table

HISTORY = "経年比較"
HISTORY_LABEL = "社協・年度"
HISTORY_CHART = Chart(HISTORY, "年度別の入力率と達成率", HISTORY_LABEL, ("入力率", "達成率"))

Values = dict[str, str | float | None]  # the value of each input key (None: empty)


def recorded(submission: Submission, values: Values, problems: list[Problem]) -> Recorded:
    """What the history keeps of one consolidated workbook: its figures per year, entries and problems."""
    records = submission.records
    years = records.document.fiscal_years
    entries = [row for key, value in values.items() if (row := _entry_row(key, value)) is not None]
    entered_years = sorted({e.fiscal_year for e in entries} & set(years)) or list(years[:1])
    return Recorded(
        council_id=records.council.id,
        council_name=records.council.name,
        prefecture=records.council.prefecture,
        document_kind=records.document.kind.value,
        document_title=records.document.title,
        first_year=min(years),
        last_year=max(years),
        template_version=submission.metadata.get(Meta.TEMPLATE_VERSION, ""),
        file_name=submission.path.name,
        file_sha256=hashlib.sha256(submission.path.read_bytes()).hexdigest(),
        plan_fingerprint=fingerprint(records),
        saved_at=submission.saved_at,
        received_at=dt.datetime.fromtimestamp(submission.path.stat().st_mtime, tz=dt.UTC),
        entries_sha256=_digest(entries),
        years=[year_figures(submission, values, year) for year in entered_years],
        entries=entries,
        problems=[p for p in problems if p.location.file == str(submission.path)],
    )


def year_figures(submission: Submission, values: Values, year: int) -> YearFigures:
    """The 集計 sheet's figures of one council, for one fiscal year."""
    mine = {key: value for key, value in values.items() if (parsed := parse_key(key)) and parsed.fiscal_year == year}
    judged = [achieved(values, i, y) for i, y in indicator_years(submission) if y == year]
    judged = [j for j in judged if j is not None]
    directions = Counter(value for key, value in mine.items() if key.endswith("|direction"))
    return YearFigures(
        fiscal_year=year,
        projects=len(submission.records.projects),
        targets=sum(y == year for _, y in indicator_years(submission)),
        inputs=len(mine),
        entered=sum(value is not None for value in mine.values()),
        judged=len(judged),
        achieved=sum(judged),
        directions=tuple(directions.get(d, 0) for d in DIRECTIONS),
    )


def history_table(rows: list[HistoryRow]) -> Table:
    """One row per council and fiscal year, in council and year order."""
    columns = [*COUNCIL_COLUMNS, "年度", "和暦", HISTORY_LABEL, "文書", "ファイル", "事業数", "達成目標数"]
    columns += ["入力欄", "入力済", "入力率", "結果あり", "達成", "達成率", *DIRECTIONS]
    table = Table(HISTORY, columns, percent_columns=frozenset({"入力率", "達成率"}))
    for row in rows:
        f = row.figures
        table.rows.append(
            [
                row.council_id,
                row.council_name,
                row.prefecture,
                f.fiscal_year,
                wareki(f.fiscal_year),
                f"{row.council_name} {wareki(f.fiscal_year)}",
                row.document_title,
                row.file_name,
                f.projects,
                f.targets,
                f.inputs,
                f.entered,
                f.percent_entered,
                f.judged,
                f.achieved,
                f.percent_achieved,
                *f.directions,
            ]
        )
    return table


def spans_years(rows: list[HistoryRow]) -> bool:
    """Whether there is anything to compare: some council with more than one fiscal year."""
    councils = [row.council_id for row in rows]
    return len(set(councils)) < len(councils)


def _entry_row(key: str, value: str | float | None) -> EntryRow | None:
    parsed = parse_key(key)
    if value is None or parsed is None:
        return None
    text, number = (None, float(value)) if isinstance(value, int | float) else (str(value), None)
    return EntryRow(key, parsed.project_id, parsed.fiscal_year, parsed.field, parsed.number, text, number)


def _digest(entries: list[EntryRow]) -> str:
    """sha256 of what staff entered, whatever the order of the cells."""
    rows = sorted((e.key, e.text, e.number) for e in entries)
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()
