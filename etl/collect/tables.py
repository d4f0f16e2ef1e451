"""The consolidated tables: every council's plan and entries side by side.

One row per council (集計), per project (事業一覧), per indicator and year (達成目標), per
project and year (PDCA), per standard category and council (分類別), and per problem
(問題一覧). Rows come in a stable order (council id, then the plan's order), so that
collecting the same files twice gives the same tables.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..jp import wareki
from ..model import CATEGORIES, DIRECTIONS, Indicator, Project, ValueKind
from ..problems import Problem, Severity
from ..workbook.contract import PDCA_FIELDS, InputKey
from ..workbook.indicators import achieved, indicator_unit, resolved_plan
from .checks import Entry
from .gather import Submission
from .write import Chart, Table

UNCLASSIFIED = "未分類"
SUMMARY, PROJECTS, INDICATORS, PDCA, CATEGORY, PROBLEMS = "集計", "事業一覧", "達成目標", "PDCA", "分類別", "問題一覧"
COUNCIL_COLUMNS = ["社協コード", "社協名", "都道府県"]
PDCA_LABELS = {"do": "DO 取組み内容", "achievement": "達成状況と成果", "issues": "課題", "direction": "今後の方向性"}
PDCA_LABELS["action"] = "ACTION 具体的な取組み内容"


@dataclass
class _Council:
    submission: Submission
    values: dict[str, str | float | None]  # entered value by key

    def council_cells(self) -> list[str]:
        council = self.submission.records.council
        return [council.id, council.name, council.prefecture]


def build_tables(submissions: list[Submission], entries: list[Entry], problems: list[Problem]) -> list[Table]:
    values = values_by_file(entries)
    councils = [_Council(s, values.get(str(s.path), {})) for s in sorted(submissions, key=lambda s: s.council_id)]
    return [
        _summary(councils, problems),
        _projects(councils),
        _indicators(councils),
        _pdca(councils),
        _categories(councils),
        problem_table(problems, {s.path.name: s for s in submissions}),
    ]


CHARTS = (Chart(SUMMARY, "入力率と達成率", "社協名", ("入力率", "達成率")),)


def values_by_file(entries: list[Entry]) -> dict[str, dict[str, str | float | None]]:
    """The entered value of each key, for each file (grouped once: there may be 1,741 files)."""
    by_file: dict[str, dict[str, str | float | None]] = {}
    for e in entries:
        by_file.setdefault(e.file, {})[str(e.key)] = e.value
    return by_file


def _summary(councils: list[_Council], problems: list[Problem]) -> Table:
    columns = [*COUNCIL_COLUMNS, "文書", "ファイル", "事業数", "達成目標数", "入力欄", "入力済", "入力率"]
    columns += ["結果あり", "達成", "達成率", *DIRECTIONS, "エラー", "警告"]
    table = Table(SUMMARY, columns, percent_columns=frozenset({"入力率", "達成率"}))
    severities = Counter((p.location.file, p.severity) for p in problems)
    for council in councils:
        submission = council.submission
        entered = sum(value is not None for value in council.values.values())
        judged = [_achieved(council, i, y) for i, y in indicator_years(submission)]
        judged = [j for j in judged if j is not None]
        directions = Counter(v for k, v in council.values.items() if k.endswith("|direction"))
        table.rows.append(
            [
                *council.council_cells(),
                submission.records.document.title,
                submission.path.name,
                len(submission.records.projects),
                len(submission.records.indicators),
                len(council.values),
                entered,
                _ratio(entered, len(council.values)),
                len(judged),
                sum(judged),
                _ratio(sum(judged), len(judged)),
                *(directions.get(d, 0) for d in DIRECTIONS),
                severities[(str(submission.path), Severity.ERROR)],
                severities[(str(submission.path), Severity.WARNING)],
            ]
        )
    return table


def _projects(councils: list[_Council]) -> Table:
    columns = [*COUNCIL_COLUMNS, "標準分類", "事業ID", "事業名", "階層", "目的", "方法・内容", "目標", "現状と課題"]
    columns += ["新規・拡充", "財源", "タグ", "元文書", "元文書の行"]
    table = Table(PROJECTS, columns)
    for council in councils:
        records = council.submission.records
        for p in records.projects:
            table.rows.append(
                [
                    *council.council_cells(),
                    p.category or UNCLASSIFIED,
                    p.project_id,
                    p.name,
                    " > ".join(p.path),
                    p.purpose,
                    p.method,
                    p.goal,
                    p.situation,
                    p.status.ja,
                    p.funding,
                    " ".join(p.tags),
                    p.source.file,
                    p.source.line,
                ]
            )
    return table


def _indicators(councils: list[_Council]) -> Table:
    columns = [*COUNCIL_COLUMNS, "事業ID", "事業名", "番号", "達成目標", "単位", "年度", "和暦"]
    columns += ["計画（表記）", "計画値", "結果", "結果値", "達成率", "達成"]
    table = Table(INDICATORS, columns, percent_columns=frozenset({"達成率"}))
    for council in councils:
        names = _project_names(council.submission.records.projects)
        for indicator, year in indicator_years(council.submission):
            plan = resolved_plan(indicator, year)
            result = council.values.get(_result_key(indicator, year))
            plan_number = plan.number if plan is not None and plan.kind is ValueKind.NUMBER else None
            achieved = _achieved(council, indicator, year)
            table.rows.append(
                [
                    *council.council_cells(),
                    indicator.project_id,
                    names.get(indicator.project_id, ""),
                    indicator.number,
                    indicator.name,
                    indicator_unit(indicator),
                    year,
                    wareki(year),
                    indicator.plans[year].text if year in indicator.plans else "",
                    plan_number,
                    None if isinstance(result, float) else result,
                    result if isinstance(result, float) else None,
                    result / plan_number if isinstance(result, float) and plan_number else None,
                    None if achieved is None else ("達成" if achieved else "未達成"),
                ]
            )
    return table


def _pdca(councils: list[_Council]) -> Table:
    table = Table(PDCA, [*COUNCIL_COLUMNS, "事業ID", "事業名", "年度", "和暦", *PDCA_LABELS.values()])
    for council in councils:
        records = council.submission.records
        for project in records.projects:
            for year in records.document.fiscal_years:
                values = [council.values.get(str(InputKey("pdca", project.project_id, year, f))) for f in PDCA_FIELDS]
                if any(v is not None for v in values):
                    table.rows.append([*council.council_cells(), project.project_id, project.name, year, wareki(year)])
                    table.rows[-1].extend(values)
    return table


def _categories(councils: list[_Council]) -> Table:
    columns = ["標準分類", *COUNCIL_COLUMNS, "事業数", "達成目標数", "結果あり", "達成", "達成率"]
    table = Table(CATEGORY, columns, percent_columns=frozenset({"達成率"}))
    for category in (*CATEGORIES, UNCLASSIFIED):
        for council in councils:
            records = council.submission.records
            ids = {p.project_id for p in records.projects if (p.category or UNCLASSIFIED) == category}
            if not ids:
                continue
            pairs = [(i, y) for i, y in indicator_years(council.submission) if i.project_id in ids]
            judged = [j for j in (_achieved(council, i, y) for i, y in pairs) if j is not None]
            indicators = sum(i.project_id in ids for i in records.indicators)
            row = [category, *council.council_cells(), len(ids), indicators, len(judged), sum(judged)]
            table.rows.append([*row, _ratio(sum(judged), len(judged))])
    return table


def problem_table(problems: list[Problem], submissions: dict[str, Submission]) -> Table:
    columns = [*COUNCIL_COLUMNS, "ファイル", "シート", "セル", "重要度", "コード", "内容", "ヒント"]
    table = Table(PROBLEMS, columns)
    for p in problems:
        file = p.location.file.replace("\\", "/").rsplit("/", 1)[-1]
        submission = submissions.get(file)
        council = submission.records.council if submission else None
        cells = [council.id, council.name, council.prefecture] if council else ["", "", ""]
        table.rows.append(
            [*cells, file, p.location.sheet, p.location.cell, p.severity.ja, p.code, p.message_ja, p.hint]
        )
    return table


def indicator_years(submission: Submission) -> list[tuple[Indicator, int]]:
    """Each indicator with each fiscal year of the plan it has a plan or a result for."""
    years = submission.records.document.fiscal_years
    return [(i, y) for i in submission.records.indicators for y in years if y in i.plans or y in i.results]


def _result_key(indicator: Indicator, year: int) -> str:
    return str(InputKey("indicator", indicator.project_id, year, "result", indicator.number))


def _achieved(council: _Council, indicator: Indicator, year: int) -> bool | None:
    return achieved(council.values, indicator, year)


def _project_names(projects: list[Project]) -> dict[str, str]:
    return {p.project_id: p.name for p in projects}


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None
