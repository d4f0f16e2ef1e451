"""Render outcomes and problems for the terminal (text) or for programs (JSON).

The JSON of a command is the `*_data` of the outcome the library call returns, so that
a program gets exactly what `--format json` prints.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..batch import FileSummary, Plan
from ..collect import OWN_OUTPUTS, CollectOutcome
from ..convert import ConvertBatch, ConvertOutcome
from ..jp import display_width
from ..mapping import LineUse, MappingResult
from ..mapping.quantity_rules import Verdict
from ..problems import Problem, Severity

INTERRUPTED = (
    "中断しました。終わっていないファイルは表のとおりです (interrupted: the table shows what was not finished)"
)

if TYPE_CHECKING:
    from ..history import RecordOutcome


def outcomes_text(outcomes: list[ConvertOutcome], log: Path | None = None, run_problems: Sequence[Problem] = ()) -> str:
    """Every problem, the table of documents (skipped inputs first), then the closing line.
    `run_problems` are those of no document: inputs not taken, a log not written."""
    lines = [f"  {p.bilingual()}" for p in run_problems]
    lines.extend(f"  {p.bilingual()}" for o in outcomes for p in o.problems)
    rows = [FileSummary(p.location.file, "", 0, "skipped", (p,)) for p in run_problems if p.code.startswith("input.")]
    lines.extend(summary_table(rows + [o.summary() for o in outcomes], "projects"))
    failed = sum(not o.ok for o in outcomes)
    problems = sum(len(o.problems) for o in outcomes)
    logged = f"; log: {log}" if log else ""
    lines.append(
        f"{len(outcomes)} documents, {len(outcomes) - failed} converted, {failed} failed, {problems} problems{logged}"
    )
    return "\n".join(lines)


def convert_text(batch: ConvertBatch) -> str:
    text = outcomes_text(batch.outcomes, batch.log, batch.problems)
    return f"{text}\n{INTERRUPTED}" if batch.interrupted else text


def outcomes_data(outcomes: list[ConvertOutcome]) -> list[dict[str, object]]:
    return [
        {
            "document": str(o.document),
            "mapping": str(o.mapping) if o.mapping else None,
            "output": str(o.output) if o.output else None,
            "council": o.council,
            "projects": o.projects,
            "unaccounted": o.unaccounted,
            "ok": o.ok,
            "status": o.status,
            "problems": [p.to_dict() for p in o.problems],
        }
        for o in outcomes
    ]


def outcomes_json(outcomes: list[ConvertOutcome]) -> str:
    return _json(outcomes_data(outcomes))


def summary_table(rows: Sequence[FileSummary], count_label: str) -> list[str]:
    """The closing table: status, council, count, errors, warnings, file; one row per file."""
    header = ("status", "council", count_label, "errors", "warnings", "file")
    body = [(r.status, r.council or "-", str(r.count), str(r.errors), str(r.warnings), r.file) for r in rows]
    widths = [max(display_width(row[i]) for row in (header, *body)) for i in range(len(header) - 1)]
    numeric = {2, 3, 4}
    lines = []
    for row in (header, *body):
        cells = [_pad(text, widths[i], right=i in numeric) for i, text in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]))
    return lines


def plan_text(plan: Plan) -> str:
    lines = ["dry run: nothing is converted, consolidated or written", "would read:"]
    lines.extend(f"  {item}" for item in plan.reads)
    lines.append("would write:")
    lines.extend(f"  {item}" for item in plan.writes)
    lines.extend(f"  {p.bilingual()}" for p in plan.problems)
    lines.append(f"{len(plan.reads)} inputs, {len(plan.writes)} outputs, {len(plan.problems)} problems")
    return "\n".join(lines)


def plan_json(plan: Plan) -> str:
    return _json(plan.to_dict())


def _pad(text: str, width: int, *, right: bool) -> str:
    space = " " * (width - display_width(text))
    return space + text if right else text + space


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


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
        lines.extend(_verdict_text(verdict) for verdict in result.quantities)
    else:
        lines.extend(f"  unaccounted line {line.number}: {_excerpt(line.text)}" for line in result.unaccounted)
    lines.extend(f"  {p.bilingual()}" for p in result.problems)
    return "\n".join(lines)


def _verdict_text(verdict: Verdict) -> str:
    """One quantity of `mapping explain`: where, what, and the rule that judged it."""
    quantity = verdict.quantity
    if verdict.counts:
        value = quantity.text if quantity.number is None else f"{quantity.number:g}"
        judged = f"COUNTS   {value} {quantity.per_unit}".rstrip()
    else:
        judged = f"no       {verdict.reason or 'no rule matches'}"
    rule = verdict.rule or "-"
    return f"{verdict.line:6} {'quantity':8} {rule:28} {verdict.field:24} {quantity.text} -> {judged}"


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
    """Every problem on a line, the table of workbooks, then the one-line summary."""
    shown = [p for p in outcome.problems if p.severity is not Severity.INFO or p.code == OWN_OUTPUTS]
    lines = [f"  {p.bilingual()}" for p in shown]
    lines.extend(summary_table(outcome.workbooks, "entries"))
    written = f" -> {outcome.output}" if outcome.output else ""
    lines.append(
        f"{len(outcome.files)} files, {len(outcome.councils)} councils consolidated{written}; "
        f"{outcome.errors} errors, {outcome.warnings} warnings"
        + (f"; {len(outcome.feedback)} feedback workbooks" if outcome.feedback else "")
        + (f"; log: {outcome.log}" if outcome.log else "")
        + (_history_text(outcome.history) if outcome.history else "")
    )
    if outcome.interrupted:
        lines.append(INTERRUPTED)
    return "\n".join(lines)


def _history_text(recorded: RecordOutcome) -> str:
    return f"; history: {recorded.added} recorded, {recorded.unchanged} already there, {recorded.replaced} replaced"


def collect_data(outcome: CollectOutcome) -> dict[str, object]:
    return {
        "output": str(outcome.output) if outcome.output else None,
        "files": [str(f) for f in outcome.files],
        "councils": outcome.councils,
        "csv": [str(c) for c in outcome.csvs],
        "feedback": [str(f) for f in outcome.feedback],
        "log": str(outcome.log) if outcome.log else None,
        "history": dataclasses.asdict(outcome.history) if outcome.history else None,
        "errors": outcome.errors,
        "warnings": outcome.warnings,
        "interrupted": outcome.interrupted,
        "workbooks": [row.to_dict() for row in outcome.workbooks],
        "problems": [p.to_dict() for p in outcome.problems],
    }


def collect_json(outcome: CollectOutcome) -> str:
    return _json(collect_data(outcome))
