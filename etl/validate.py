"""Validate canonical records: pandera schemas run lazily, failures become problems.

Every failure case is turned into a `Problem` located at the source line of the row
that failed, so that a mapping author can go straight to the place in the document.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from .model import SCHEMAS, Records
from .problems import Location, Problem, problem

# Japanese names of the columns staff and mapping authors see.
COLUMN_JA = {
    "council_id": "社協コード",
    "name": "名称",
    "prefecture": "都道府県",
    "kind": "文書の種類",
    "first_fiscal_year": "初年度",
    "last_fiscal_year": "最終年度",
    "project_id": "事業ID",
    "heading": "見出し",
    "text": "本文",
    "status": "新規・拡充",
    "category": "標準分類",
    "fiscal_year": "年度",
    "number": "番号",
    "plan_number": "計画値",
    "direction": "今後の方向性",
}


def validate_records(records: Records) -> list[Problem]:
    """All problems of all tables in one pass; never raises for bad data."""
    frames = records.frames()
    found: list[Problem] = []
    for table, schema in SCHEMAS.items():
        frame = frames[table]
        if frame.empty:
            continue  # nothing to check, and pandera's cost is per column, rows or none (a plan has no results)
        try:
            schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as err:
            found.extend(_failure_problems(table, frame, err.failure_cases, records.document.source_file))
    found.extend(_cross_table_problems(frames, records))
    return found


def _row_location(frame: pd.DataFrame, index: object, default_file: str) -> Location:
    if "source_line" in frame.columns and index in frame.index:
        row = frame.loc[index]
        return Location(file=str(row["source_file"]), line=int(row["source_line"]))
    return Location(file=default_file)


def _failure_problems(table: str, frame: pd.DataFrame, cases: pd.DataFrame, default_file: str) -> list[Problem]:
    problems = []
    for case in cases.itertuples(index=False):
        column = str(case.column) if isinstance(case.column, str) else ""
        index = case.index
        location = _row_location(frame, index, default_file)
        column_ja = COLUMN_JA.get(column, column)
        problems.append(
            problem(
                f"record.{table}.{_check_name(case.check)}",
                location,
                ja=f"{table} の {column_ja or '行'} が規則「{case.check}」を満たしません: {case.failure_case!r}",
                en=f"{table}.{column or '<row>'} fails check {case.check}: {case.failure_case!r}",
                hint="マッピングファイルの該当ルール、または元文書の該当行を確認してください",
                field=column,
            )
        )
    return problems


def _check_name(check: object) -> str:
    text = str(check)
    return text.split("(", 1)[0] or "check"


def _cross_table_problems(frames: dict[str, pd.DataFrame], records: Records) -> list[Problem]:
    known = set(frames["projects"]["project_id"])
    years = set(records.document.fiscal_years)
    found = []
    for table in ("indicators", "results", "pdca"):
        frame = frames[table]
        for index, row in frame.iterrows():
            location = _row_location(frame, index, records.document.source_file)
            if row["project_id"] not in known:
                found.append(
                    problem(
                        "record.unknown_project",
                        location,
                        ja=f"{table} の事業ID「{row['project_id']}」に対応する事業がありません",
                        en=f"{table} refers to unknown project {row['project_id']!r}",
                        field="project_id",
                    )
                )
            if years and row["fiscal_year"] not in years:
                found.append(
                    problem(
                        "record.fiscal_year_outside_document",
                        location,
                        ja=f"{table} の年度 {row['fiscal_year']} が文書の計画期間外です",
                        en=f"{table} fiscal year {row['fiscal_year']} outside the document's years {sorted(years)}",
                        field="fiscal_year",
                    )
                )
    return found
