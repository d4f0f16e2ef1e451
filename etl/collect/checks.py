"""Validate what staff entered, lazily: every problem of every file in one pass.

Each input cell is read for its kind (`values.read_value`); formulas give their cached
value with a warning, except links to other workbooks, whose values staff did not type.
The entries then form one table per run, validated with pandera (allowed dropdown
values, fiscal years of the plan, one entry per key); each failure becomes a problem at
its file, sheet and cell. Cross checks follow: CHECK filled where results exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ..model import ACHIEVEMENTS, DIRECTIONS, MAX_FISCAL_YEAR, MIN_FISCAL_YEAR, Indicator
from ..problems import Location, Problem, Severity, problem
from ..workbook.contract import InputKey, InputKind, parse_key
from ..workbook.indicators import indicator_unit
from ..workbook.readback import InputCell
from .cell_values import Finding, read_value
from .gather import Submission

_EXTERNAL_REFERENCE = re.compile(r"\[[^\]]+\]|'[A-Za-z]:\\|https?://", re.IGNORECASE)
CHECK_FIELDS = ("achievement", "issues", "direction")


@dataclass(frozen=True, slots=True)  # a national run holds some 700,000 of them
class Entry:
    """One input cell as read: what it is for, where it is, and its clean value."""

    council_id: str
    file: str
    sheet: str
    cell: str
    key: InputKey
    kind: InputKind
    value: str | float | None


class EntrySchema(pa.DataFrameModel):
    council_id: Series[str] = pa.Field(str_matches=r"^[0-9]{6}$")
    key: Series[str]
    project_id: Series[str] = pa.Field(str_length={"min_value": 1})
    fiscal_year: Series[int] = pa.Field(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR)
    kind: Series[str] = pa.Field(isin=[k.value for k in InputKind])
    text: Series[str] = pa.Field(nullable=True)
    number: Series[float] = pa.Field(nullable=True, ge=0)
    plan_first_year: Series[int]
    plan_last_year: Series[int]

    @pa.dataframe_check(name="direction_from_the_list")
    @classmethod
    def _direction(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["kind"] != InputKind.DIRECTION.value) | df["text"].isna() | df["text"].isin(DIRECTIONS)

    @pa.dataframe_check(name="achievement_from_the_list")
    @classmethod
    def _achievement(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["kind"] != InputKind.ACHIEVEMENT.value) | df["text"].isna() | df["text"].isin(ACHIEVEMENTS)

    @pa.dataframe_check(name="fiscal_year_of_the_plan")
    @classmethod
    def _year_in_plan(cls, df: pd.DataFrame) -> Series[bool]:
        return df["fiscal_year"].between(df["plan_first_year"], df["plan_last_year"])

    @pa.dataframe_check(name="one_entry_per_key")
    @classmethod
    def _unique(cls, df: pd.DataFrame) -> Series[bool]:
        return ~df.duplicated(["council_id", "key"], keep=False)

    class Config:
        strict = True
        coerce = True


_KINDS = {kind.value: kind for kind in InputKind}  # a look-up, not an Enum call, for each of a run's cells


def read_entries(submission: Submission) -> tuple[list[Entry], list[Problem]]:
    """The entered values of one submission, and the problems reading them."""
    units = _units(submission.records.indicators)
    file = str(submission.path)
    entries, found = [], []
    for cell in submission.inputs:
        key = parse_key(cell.key)
        if key is None:
            continue
        kind = _KINDS.get(cell.kind) or InputKind(cell.kind)
        raw, formula_findings = _raw_value(cell)
        reading = read_value(raw, kind, units.get((key.project_id, key.number), ""))
        for finding in (*formula_findings, *reading.findings):
            found.append(_cell_problem(submission, cell, finding))
        entries.append(Entry(submission.council_id, file, cell.sheet, cell.cell, key, kind, reading.value))
    return entries, found


def validate_entries(entries: list[Entry], submissions: dict[str, Submission]) -> list[Problem]:
    """pandera over all entries of the run, then the cross checks."""
    frame = _frame(entries, submissions)
    found: list[Problem] = []
    try:
        EntrySchema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        for case in err.failure_cases.itertuples(index=False):
            index = case.index
            if isinstance(index, int) and 0 <= index < len(entries):
                found.append(_schema_problem(entries[index], str(case.check), case.failure_case))
    found.extend(_check_missing(entries))
    return found


def _raw_value(cell: InputCell) -> tuple[object, tuple[Finding, ...]]:
    if not cell.is_formula:
        return cell.value, ()
    if _EXTERNAL_REFERENCE.search(cell.formula):
        return None, (
            Finding(
                "value.external_link",
                "他のブックを参照する式です。入力した値として集計しません",
                f"a formula linking another workbook ({cell.formula[:60]}): not consolidated as typed",
            ),
        )
    if cell.value is None:
        return None, (
            Finding(
                "value.formula_without_result", "式の計算結果が保存されていません", "a formula with no saved result"
            ),
        )
    return cell.value, (
        Finding(
            "value.formula",
            f"値ではなく式が入っています。計算結果（{cell.value}）を使いました",
            f"a formula where a value is expected; its cached value {cell.value!r} was used",
            error=False,
        ),
    )


def _units(indicators: list[Indicator]) -> dict[tuple[str, int | None], str]:
    return {(i.project_id, i.number): indicator_unit(i) for i in indicators}


def _frame(entries: list[Entry], submissions: dict[str, Submission]) -> pd.DataFrame:
    """One row per entry, built column by column (a national run has some 700,000 rows)."""
    years = {file: s.records.document.fiscal_years for file, s in submissions.items()}
    columns = {
        "council_id": [e.council_id for e in entries],
        "key": [str(e.key) for e in entries],
        "project_id": [e.key.project_id for e in entries],
        "fiscal_year": [e.key.fiscal_year for e in entries],
        "kind": [e.kind.value for e in entries],
        "text": [e.value if isinstance(e.value, str) else None for e in entries],
        "number": [e.value if isinstance(e.value, float) else None for e in entries],
        "plan_first_year": [min(years[e.file]) for e in entries],
        "plan_last_year": [max(years[e.file]) for e in entries],
    }
    return pd.DataFrame(columns, columns=list(EntrySchema.to_schema().columns))


def _check_missing(entries: list[Entry]) -> list[Problem]:
    """Results or DO entered for a project and year whose CHECK is empty."""
    by_project_year: dict[tuple[str, str, int], list[Entry]] = {}
    for entry in entries:
        by_project_year.setdefault((entry.file, entry.key.project_id, entry.key.fiscal_year), []).append(entry)
    found = []
    for (file, project_id, year), group in sorted(by_project_year.items()):
        acted = any(e.value is not None and (e.key.kind == "indicator" or e.key.field == "do") for e in group)
        checks = [e for e in group if e.key.kind == "pdca" and e.key.field in CHECK_FIELDS]
        if acted and checks and all(e.value is None for e in checks):
            first = next((e for e in checks if e.key.field == "achievement"), checks[0])
            found.append(
                problem(
                    "collect.check_missing",
                    Location(file=file, sheet=first.sheet, cell=first.cell, key=str(first.key)),
                    ja=f"{year}年度の結果や取組みが入力されていますが、CHECK（評価）が空欄です（事業 {project_id}）",
                    en=f"results or DO entered for project {project_id} in FY{year}, but CHECK is empty",
                    hint="達成状況と成果・課題・今後の方向性を記入してください",
                )
            )
    return found


def _cell_problem(submission: Submission, cell: InputCell, finding: Finding) -> Problem:
    return problem(
        finding.code,
        Location(file=str(submission.path), sheet=cell.sheet, cell=cell.cell, key=cell.key),
        ja=f"{cell.label}: {finding.ja}",
        en=f"{cell.key}: {finding.en}",
        severity=Severity.ERROR if finding.error else Severity.WARNING,
        hint=_HINTS.get(finding.code, ""),
        field=cell.key,
    )


def _schema_problem(entry: Entry, check: str, value: object) -> Problem:
    return problem(
        f"collect.{check.split('(', 1)[0]}",
        Location(file=entry.file, sheet=entry.sheet, cell=entry.cell, key=str(entry.key)),
        ja=f"入力値が規則「{check}」を満たしません（{value}）",
        en=f"{entry.key} fails {check}: {value!r}",
        field=str(entry.key),
    )


_HINTS = {
    "value.not_a_number": "数値だけを入力してください（単位は不要です）",
    "value.number_as_text": "数値だけを入力すると確実です",
    "value.not_in_list": "セルの一覧（▼）から選んでください",
    "value.excel_error": "式を消して値を入力してください",
    "value.formula": "式ではなく値を入力してください",
    "value.external_link": "他のブックへのリンクを消して値を入力してください",
    "value.wrong_unit": "目標の単位で数値だけを入力してください",
}
