"""Outcomes that tell the truth: what a mapping made of a document, said as problems.

A converted workbook of empty sheets, a policy heading whose text went nowhere, a
marker that matched but set nothing: each is a problem with its place, so that the
summary says what happened instead of "ok".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TypeGuard, TypeVar

from ..model import Indicator, Policy, ValueKind
from ..problems import Location, Problem, Severity, problem
from ..read.source import SourceDocument, SourceLine
from ..repeated import Unlisted
from .coverage import LOW_COVERAGE, Coverage, Leftover

if TYPE_CHECKING:
    from .context import Context

# Warnings that `--strict` makes errors.
STRICT_CODES = frozenset({"mapping.no_projects", "mapping.unaccounted_text"})

Counted = TypeVar("Counted", Problem, Unlisted)  # a problem listed, or a count of those not listed


def outcome_problems(ctx: Context) -> list[Problem]:
    """What the records built say about the mapping: no project, empty sections, targets without plans."""
    found = [] if ctx.records.projects else [_no_projects(ctx.file)]
    paths = {project.path for project in ctx.records.projects}
    found.extend(
        _section_without_projects(ctx, line, path)
        for line, path in ctx.headings
        if not any(project_path[: len(path)] == path for project_path in paths)
    )
    found.extend(_target_without_plan(ctx, indicator) for indicator in ctx.records.indicators if _no_plan(indicator))
    return found


def coverage_problems(file: str, coverage: Coverage, document: SourceDocument) -> Iterator[Problem]:
    """Each run of unaccounted text, and a low coverage when most of the document is unaccounted;
    made one at a time, so that those a caller only counts (`repeated.keep_first`) are never held."""
    yield from (unaccounted_problem(file, leftover) for leftover in coverage.leftovers(document))
    percent = mapped_percent(coverage.summary(document))
    if is_low(percent):
        yield low_coverage_problem(file, percent)


def strict_problems(problems: Iterable[Counted]) -> list[Counted]:
    """`problems` (or counts of problems) as `--strict` sees them: unaccounted text and no project are errors."""
    return [dataclasses.replace(p, severity=Severity.ERROR) if p.code in STRICT_CODES else p for p in problems]


def unaccounted_problem(file: str, leftover: Leftover) -> Problem:
    excerpt = leftover.text if len(leftover.text) <= 40 else f"{leftover.text[:39]}…"
    return problem(
        "mapping.unaccounted_text",
        Location(file=file, line=leftover.line, column=leftover.column),
        ja=f"どの項目にも割り当てられていない文字列があります: {excerpt}",
        en=f"text taken by no mapping rule: {excerpt!r}",
        hint="マッピングファイルに項目のルールか ignore ルールを追加してください (shakyo-pdca mapping check)",
    )


def low_coverage_problem(file: str, percent: int) -> Problem:
    return problem(
        "mapping.low_coverage",
        Location(file=file),
        ja=f"マッピングが文書に合っていません: 文字の {percent}% しか割り当てられていません",
        en=f"low coverage: {percent}% of characters mapped; the document does not fit its mapping",
        hint="文書とマッピングファイルの組み合わせを確認してください (shakyo-pdca mapping explain)",
    )


def mapped_percent(summary: dict[str, int]) -> int | None:
    """The share of non-whitespace characters some rule took, in percent (None: no text)."""
    total = summary["characters"]
    return None if not total else 100 * (total - summary["characters_unaccounted"]) // total


def is_low(percent: int | None) -> TypeGuard[int]:
    return percent is not None and percent < LOW_COVERAGE * 100


def policy_without_text(ctx: Context, policy: Policy) -> Problem:
    return problem(
        "mapping.policy_without_text",
        Location(file=ctx.file, line=policy.source.line),
        ja=f"方針「{policy.heading}」の見出しの下に本文がありません（方針シートに載りません）",
        en=f"policy heading {policy.heading!r} has no text under it; it is left out of the 方針 sheet",
        hint="本文が同じ行にあるなら、heading のパターンに名前付きグループ text を加えてください",
    )


def marker_without_value(ctx: Context, line: SourceLine, rule: str, field: str) -> Problem:
    return problem(
        "mapping.marker_without_value",
        Location(file=ctx.file, line=line.number),
        ja=f"{rule} の目印は一致しましたが、{field} に入れる値がありません",
        en=f"{rule} matched but captured nothing: {field} is not set",
        hint="パターンのグループ value が空の文字列に一致しないか、value: を確認してください",
        field=rule,
    )


def _no_projects(file: str) -> Problem:
    return problem(
        "mapping.no_projects",
        Location(file=file),
        ja="文書から事業が一つも読み取れませんでした（0 事業）",
        en="0 projects: the mapping took no project from this document",
        hint="文書とマッピングファイルの組み合わせを確認してください (shakyo-pdca mapping explain)",
    )


def _section_without_projects(ctx: Context, line: SourceLine, path: tuple[str, ...]) -> Problem:
    label = " / ".join(path)
    return problem(
        "mapping.section_without_projects",
        Location(file=ctx.file, line=line.number),
        ja=f"見出し「{label}」の下に事業がありません",
        en=f"no project under the section {label!r}",
    )


def _no_plan(indicator: Indicator) -> bool:
    return all(value.kind is ValueKind.BLANK for value in indicator.plans.values())


def _target_without_plan(ctx: Context, indicator: Indicator) -> Problem:
    return problem(
        "mapping.target_without_plan",
        Location(file=ctx.file, line=indicator.source.line),
        ja=f"達成目標「{indicator.name}」({indicator.project_id}) にはどの年度の計画値もありません",
        en=f"target {indicator.name!r} of {indicator.project_id} has no plan value in any year",
    )
