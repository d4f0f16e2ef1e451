"""Next year's workbook: last year's filled workbook read back beside this year's plan.

`convert --previous FILLED.xlsx` (or a folder, matched by council) reads the previous
workbook (etl.workbook.readback) and matches its projects to this year's:

- by project key (the same id and name, or the same id under a new name);
- a project renumbered this year is found by its name, and listed;
- a project missing this year whose 今後の方向性 last year was 終了 is listed as ended; any
  other is listed as not matched;
- a project not in last year's plan is new, and its card says so.

Each matched card shows, locked, what staff wrote last year (DO, CHECK, ACTION) and the
results against its targets, beside this year's inputs. Years the two plans share (a
multi-year plan converted again) are carried into the inputs as regenerating does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..inputs import expand_inputs
from ..jp import nfkc
from ..model import Indicator, Project, Records
from ..problems import EtlError, Location, Problem, Problems, file_error, problem
from .carryover import Carry, carry_over
from .contract import PDCA_FIELDS, Meta, indicator_result_key, parse_key, pdca_key
from .indicators import achieved, indicator_unit, resolved_plan
from .readback import FilledWorkbook, read_filled_workbook

ENDED = "終了"


@dataclass(frozen=True)
class Before:
    """What one project's card shows of last year."""

    year: int
    project_id: str  # its id last year
    name: str  # its name last year
    renumbered: bool
    fields: dict[str, str]  # PDCA field -> what the previous workbook holds for the year
    results: tuple[str, ...]  # one line per target: name, plan, result, whether achieved


@dataclass(frozen=True)
class Match:
    """A row of the 前年度との対応 sheet: a project of last year, this year, or both."""

    change: str  # same, renamed, renumbered, new, ended, unmatched
    before: Project | None
    direction: str  # 今後の方向性 last year
    now: Project | None


@dataclass
class Previous:
    """The previous workbook matched to this year's plan."""

    workbook: FilledWorkbook
    year: int | None  # the year shown on the cards; None when the plans share every year
    before: dict[str, Before] = field(default_factory=dict)  # by this year's project id
    new: set[str] = field(default_factory=set)  # this year's project ids not in last year's plan
    carry: Carry | None = None  # the entries of the years both plans have
    problems: Problems = field(default_factory=Problems)  # what the match found
    matches: list[Match] = field(default_factory=list)  # this year's projects in order, then those gone


@dataclass(frozen=True)
class PreviousSource:
    """Where previous workbooks are: one file (for any council), or a folder indexed by council."""

    file: Path | None = None
    folder: Path | None = None
    by_council: dict[str, tuple[Path, ...]] = field(default_factory=dict)

    @classmethod
    def at(cls, path: Path) -> PreviousSource:
        if not path.is_dir():
            return cls(file=path)
        index: dict[str, list[Path]] = {}
        for candidate in expand_inputs([path], (".xlsx",)).files:
            try:
                council = read_filled_workbook(candidate).metadata.get(Meta.COUNCIL_ID, "")
            except EtlError:
                continue  # not a workbook of ours: not a candidate
            index.setdefault(council, []).append(candidate)
        return cls(folder=path, by_council={k: tuple(v) for k, v in index.items()})

    def read(self, records: Records) -> Previous | None:
        """The council's previous workbook matched to `records`; raises EtlError if it cannot be used."""
        if self.file is not None:
            return match_previous(read_filled_workbook(self.file), records)
        found = [read_filled_workbook(p) for p in self.by_council.get(records.council.id, ())]
        earlier = [w for w in found if _years(w) and min(_years(w)) < min(records.document.fiscal_years)]
        if not earlier:
            return None
        latest = max(earlier, key=lambda w: (max(_years(w)), w.saved_at or dt.datetime.min.replace(tzinfo=dt.UTC)))
        return match_previous(latest, records)


def match_previous(workbook: FilledWorkbook, records: Records) -> Previous:
    """Match the previous workbook's projects to this year's; raises EtlError if it cannot be used."""
    before_records = _checked(workbook, records)
    years = set(records.document.fiscal_years)
    carried = carry_over(workbook, records)
    shared = Carry(workbook, {key: v for key, v in carried.values.items() if _year(key) in years}, carried.problems)
    earlier = [y for y in before_records.document.fiscal_years if y < min(years)]
    previous = Previous(workbook, max(earlier) if earlier else None, carry=shared)
    if previous.year is not None:
        _match_projects(previous, before_records, records)
    elif not years & set(before_records.document.fiscal_years):
        previous.problems.append(_not_earlier(workbook, before_records))
    return previous


def _checked(workbook: FilledWorkbook, records: Records) -> Records:
    council = workbook.metadata.get(Meta.COUNCIL_ID, "")
    if council != records.council.id:
        raise file_error(
            "previous.other_council",
            workbook.path,
            ja=f"前年度のワークブックが別の社協（{council or '不明'}）のものです（この文書は {records.council.id}）",
            en=f"the previous workbook is of council {council or '?'}, not {records.council.id}",
            hint="--previous にこの社協の前年度のワークブックを指定してください",
        )
    if workbook.records is None:
        raise file_error(
            "previous.no_snapshot",
            workbook.path,
            ja="前年度のワークブックの計画の控え（隠しシート）が読めません",
            en="the previous workbook's plan snapshot (hidden sheet) is missing or unreadable",
        )
    return workbook.records


def _match_projects(previous: Previous, before: Records, records: Records) -> None:
    """Each of this year's projects with last year's (or new), then last year's that are gone."""
    pairs, gone = _pairs(previous, before.projects, records.projects)
    values = {cell.key: cell.value for cell in previous.workbook.inputs}
    year = previous.year
    direction = {p.project_id: _text(values.get(pdca_key(p.project_id, year, "direction"))) for p in before.projects}
    for project in records.projects:
        change, was = pairs.get(project.project_id, ("new", None))
        if was is None:
            previous.new.add(project.project_id)
        else:
            previous.before[project.project_id] = _before(year, was, project.project_id, before, values)
        previous.matches.append(Match(change, was, direction[was.project_id] if was else "", project))
    for was in gone:
        ended = direction[was.project_id] == ENDED
        previous.matches.append(Match("ended" if ended else "unmatched", was, direction[was.project_id], None))
        previous.problems.append(_gone(previous.workbook, was, ended=ended))


def _pairs(
    previous: Previous, before: list[Project], now: list[Project]
) -> tuple[dict[str, tuple[str, Project]], list[Project]]:
    """This year's id -> (change, last year's project): by key and name, then renumbered ones by
    name, then the same key under a new name; and last year's projects left unmatched."""
    old = {p.project_id: p for p in before}
    pairs: dict[str, tuple[str, Project]] = {}
    for project in now:
        if project.project_id in old and _same_name(old[project.project_id], project):
            pairs[project.project_id] = ("same", old.pop(project.project_id))
    by_name = {_name(p): p for p in old.values()}
    for project in now:
        if project.project_id not in pairs and (match := by_name.pop(_name(project), None)) is not None:
            pairs[project.project_id] = ("renumbered", old.pop(match.project_id))
            previous.problems.append(_renumbered(previous.workbook, match, project))
    for project in now:
        if project.project_id not in pairs and project.project_id in old:
            pairs[project.project_id] = ("renamed", old.pop(project.project_id))
    return pairs, list(old.values())


def _before(year: int, was: Project, project_id: str, records: Records, values: dict[str, object]) -> Before:
    fields = {f: _text(values.get(pdca_key(was.project_id, year, f))) for f in PDCA_FIELDS}
    results = tuple(
        _result_line(indicator, year, values)
        for indicator in records.indicators
        if indicator.project_id == was.project_id
    )
    return Before(year, was.project_id, was.name, was.project_id != project_id, fields, results)


def _result_line(indicator: Indicator, year: int, values: dict[str, object]) -> str:
    unit = indicator_unit(indicator)
    plan = resolved_plan(indicator, year)
    key = indicator_result_key(indicator.project_id, indicator.number, year)
    result = values.get(key)
    judged = achieved({key: _judgeable(result)}, indicator, year)
    mark = "" if judged is None else ("（達成）" if judged else "（未達成）")
    shown = "未入力" if result in (None, "") else f"{_text(result)}{unit if isinstance(result, int | float) else ''}"
    return f"{indicator.name}: 計画 {plan.text if plan else '-'} / 結果 {shown}{mark}"


def _judgeable(value: object) -> str | float | None:
    if isinstance(value, bool) or value is None:
        return None
    return value if isinstance(value, str | int | float) else None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _name(project: Project) -> str:
    return "".join(nfkc(project.name).split())


def _same_name(a: Project, b: Project) -> bool:
    return _name(a) == _name(b)


def _year(key: str) -> int | None:
    parsed = parse_key(key)
    return parsed.fiscal_year if parsed else None


def _years(workbook: FilledWorkbook) -> tuple[int, ...]:
    return workbook.records.document.fiscal_years if workbook.records else ()


def _renumbered(workbook: FilledWorkbook, was: Project, now: Project) -> Problem:
    return problem(
        "previous.renumbered",
        Location(file=str(workbook.path), key=now.project_id),
        ja=f"前年度の {was.project_id}「{was.name}」を番号を変えた同じ事業（{now.project_id}）として引き継ぎました",
        en=f"project {was.project_id} of last year is taken as renumbered {now.project_id} (same name)",
    )


def _gone(workbook: FilledWorkbook, was: Project, *, ended: bool) -> Problem:
    if ended:
        return problem(
            "previous.ended",
            Location(file=str(workbook.path), key=was.project_id),
            ja=f"前年度に「終了」とした事業です: {was.project_id} {was.name}",
            en=f"project {was.project_id} ended last year (今後の方向性 終了) and is not in this year's plan",
        )
    return problem(
        "previous.unmatched",
        Location(file=str(workbook.path), key=was.project_id),
        ja=f"前年度の事業が今年度の計画に見つかりません（番号も名称も一致しません）: {was.project_id} {was.name}",
        en=f"project {was.project_id} of last year matches no project of this year (neither id nor name)",
        hint="事業名が変わった場合は、前年度の記入内容を今年度のシートで確かめてください",
    )


def _not_earlier(workbook: FilledWorkbook, before: Records) -> Problem:
    shown = ",".join(map(str, before.document.fiscal_years))
    return problem(
        "previous.not_earlier",
        Location(file=str(workbook.path)),
        ja=f"前年度として指定したワークブックの年度（{shown}）が今年度の文書より前ではありません",
        en=f"the previous workbook's fiscal years ({shown}) are not before this document's; nothing is shown from it",
    )


def previous_not_found(folder: Path, council: str) -> Problem:
    return problem(
        "previous.not_found",
        Location(file=str(folder)),
        ja=f"前年度のワークブック（社協コード {council}）がフォルダにありません。前年度の記入なしで作成しました",
        en=f"no earlier workbook of council {council} in the folder; converted without last year's entries",
    )


def read_previous(source: PreviousSource, records: Records) -> tuple[Previous | None, list[Problem]]:
    """The previous year for `records`, or the problem that keeps it out."""
    try:
        found = source.read(records)
    except EtlError as err:
        return None, [err.problem]
    if found is None and source.folder is not None:
        return None, [previous_not_found(source.folder, records.council.id)]
    return found, []
