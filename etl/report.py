"""Render outcomes and problems for the terminal (text) or for programs (JSON)."""

from __future__ import annotations

import json

from .collect import CollectOutcome
from .convert import ConvertOutcome
from .mapping import LineUse, MappingResult
from .problems import Severity


def outcomes_text(outcomes: list[ConvertOutcome]) -> str:
    lines = []
    for outcome in outcomes:
        status = "OK" if outcome.ok else "FAILED"
        target = outcome.output or "-"
        lines.append(
            f"{status:6} {outcome.document} -> {target} "
            f"({outcome.council or '?'}: {outcome.projects} projects, {outcome.unaccounted} unaccounted lines)"
        )
        lines.extend(f"       {p}" for p in outcome.problems)
    failed = sum(not o.ok for o in outcomes)
    problems = sum(len(o.problems) for o in outcomes)
    lines.append(f"{len(outcomes)} documents, {len(outcomes) - failed} converted, {failed} failed, {problems} problems")
    return "\n".join(lines)


def outcomes_json(outcomes: list[ConvertOutcome]) -> str:
    return json.dumps(
        [
            {
                "document": str(o.document),
                "mapping": str(o.mapping),
                "output": str(o.output) if o.output else None,
                "council": o.council,
                "projects": o.projects,
                "unaccounted": o.unaccounted,
                "ok": o.ok,
                "problems": [p.to_dict() for p in o.problems],
            }
            for o in outcomes
        ],
        ensure_ascii=False,
        indent=2,
    )


def coverage_text(result: MappingResult, *, explain: bool = False) -> str:
    """`mapping check` (summary and unaccounted lines) or `mapping explain` (every line)."""
    summary = result.coverage.summary(result.document)
    lines = [
        f"{result.document.path}: {summary['lines']} non-blank lines, {summary['mapped']} mapped, "
        f"{summary['ignored']} ignored, {summary['unaccounted']} unaccounted; "
        f"{len(result.records.projects)} projects, {len(result.records.indicators)} indicators, "
        f"{len(result.records.results)} results, {len(result.records.policies)} policies"
    ]
    if explain:
        uses = result.coverage.uses
        for line in result.document.non_blank:
            use = uses.get(line.number)
            rule = f"{use.use:8} {use.rule:28} {use.target:24}" if use else f"{'UNACCOUNTED':8} {'':28} {'':24}"
            lines.append(f"{line.number:6} {rule} {_excerpt(line.text)}")
    else:
        lines.extend(f"  unaccounted line {line.number}: {_excerpt(line.text)}" for line in result.unaccounted)
    return "\n".join(lines)


def coverage_json(result: MappingResult) -> str:
    uses = result.coverage.uses
    return json.dumps(
        {
            "document": result.document.path,
            "summary": result.coverage.summary(result.document),
            "lines": [
                {"line": line.number, "text": line.text, **_use_dict(uses.get(line.number))}
                for line in result.document.non_blank
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


def _use_dict(use: LineUse | None) -> dict[str, str]:
    if use is None:
        return {"use": "unaccounted", "rule": "", "target": ""}
    return {"use": use.use.value, "rule": use.rule, "target": use.target}


def _excerpt(text: str, width: int = 60) -> str:
    flat = text.replace("\t", "⇥").strip()
    return flat if len(flat) <= width else f"{flat[: width - 1]}…"


def collect_text(outcome: CollectOutcome) -> str:
    """Every problem on a line, then the one-line summary."""
    lines = [f"  {p.severity.ja} {p}" for p in outcome.problems if p.severity is not Severity.INFO]
    written = f" -> {outcome.output}" if outcome.output else ""
    lines.append(
        f"{len(outcome.files)} files, {len(outcome.councils)} councils consolidated{written}; "
        f"{outcome.errors} errors, {outcome.warnings} warnings"
        + (f"; {len(outcome.feedback)} feedback workbooks" if outcome.feedback else "")
    )
    return "\n".join(lines)


def collect_json(outcome: CollectOutcome) -> str:
    return json.dumps(
        {
            "output": str(outcome.output) if outcome.output else None,
            "files": [str(f) for f in outcome.files],
            "councils": outcome.councils,
            "csv": [str(c) for c in outcome.csvs],
            "feedback": [str(f) for f in outcome.feedback],
            "errors": outcome.errors,
            "warnings": outcome.warnings,
            "problems": [p.to_dict() for p in outcome.problems],
        },
        ensure_ascii=False,
        indent=2,
    )
