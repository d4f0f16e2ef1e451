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
from ..mapping import LineUse, MappingResult, Use
from ..mapping.coverage import Span
from ..mapping.quantity_rules import Verdict
from ..problems import Problem, Severity
from ..read.source import SourceLine
from ..repeated import counted, terminal_lines

INTERRUPTED = (
    "中断しました。終わっていないファイルは表のとおりです (interrupted: the table shows what was not finished)"
)

if TYPE_CHECKING:
    from ..history import RecordOutcome


def outcomes_text(outcomes: list[ConvertOutcome], log: Path | None = None, run_problems: Sequence[Problem] = ()) -> str:
    """Every problem (at most ten of a kind, the others counted), the table of documents
    (skipped inputs first), then the closing line. `run_problems` are those of no
    document: inputs not taken, a log not written."""
    lines = [f"  {p.bilingual()}" for p in run_problems]
    lines.extend(line for o in outcomes for line in terminal_lines(o.problems, o.unlisted))
    rows = [FileSummary(p.location.file, "", 0, "skipped", (p,)) for p in run_problems if p.code.startswith("input.")]
    lines.extend(summary_table(rows + [o.summary() for o in outcomes], "projects"))
    failed = sum(not o.ok for o in outcomes)
    logged = f"; log: {log}" if log else ""
    lines.append(
        f"{len(outcomes)} documents, {len(outcomes) - failed} converted, {failed} failed, {_tally(outcomes)}{logged}"
    )
    return "\n".join(lines)


def _tally(outcomes: list[ConvertOutcome]) -> str:
    """Errors, warnings and notes apart: an info is for the reader and is no fault."""
    count = {s: sum(counted(o.problems, o.unlisted, s) for o in outcomes) for s in Severity}
    return f"{count[Severity.ERROR]} errors, {count[Severity.WARNING]} warnings, {count[Severity.INFO]} notes"


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
            "mapped_percent": o.mapped_percent,
            "note": o.note,
            "ok": o.ok,
            "status": o.status,
            "problems": [p.to_dict() for p in o.problems],
            "unlisted": [u.to_dict() for u in o.unlisted],
        }
        for o in outcomes
    ]


def outcomes_json(outcomes: list[ConvertOutcome]) -> str:
    return _json(outcomes_data(outcomes))


def summary_table(rows: Sequence[FileSummary], count_label: str) -> list[str]:
    """The closing table: status, council, count, errors, warnings, file; one row per file."""
    header = ("status", "council", count_label, "errors", "warnings", "file")
    body = [(r.status, r.council or "-", str(r.count), str(r.errors), str(r.warnings), _file_cell(r)) for r in rows]
    widths = [max(display_width(row[i]) for row in (header, *body)) for i in range(len(header) - 1)]
    numeric = {2, 3, 4}
    lines = []
    for row in (header, *body):
        cells = [_pad(text, widths[i], right=i in numeric) for i, text in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]))
    return lines


def _file_cell(row: FileSummary) -> str:
    return f"{row.file}  ({row.note})" if row.note else row.file


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


def coverage_text(
    result: MappingResult, problems: Sequence[Problem], *, explain: bool = False, warnings: Sequence[Problem] = ()
) -> str:
    """`mapping check` (warnings about the mapping, summary, unaccounted and appended text,
    problems) or `mapping explain` (every line, cut into the spans each rule took)."""
    summary = result.coverage.summary(result.document)
    records = result.records
    lines = [f"  {warning.bilingual()}" for warning in warnings]
    lines += [
        f"{result.document.path}: {summary['lines']} non-blank lines: {summary['mapped']} mapped, "
        f"{summary['ignored']} ignored, {summary['unaccounted']} with unaccounted text; "
        f"{summary['characters']} characters: {summary['characters_mapped']} mapped "
        f"({summary['characters_appended']} appended), {summary['characters_ignored']} ignored, "
        f"{summary['characters_unaccounted']} unaccounted; "
        f"{len(records.projects)} projects, {len(records.indicators)} indicators, "
        f"{len(records.results)} results, {len(records.policies)} policies"
    ]
    if explain:
        for line in result.document.non_blank:
            lines.extend(_explained(line, result.coverage.spans(line)))
            lines.extend(f"{'':6} ↳ {step}" for step in result.coverage.steps.get(line.number, []))
        lines.extend(_verdict_text(verdict) for verdict in result.quantities)
    else:
        lines.extend(_listed(result))
    lines.extend(f"  {p.bilingual()}" for p in problems if p.code != "mapping.unaccounted_text")
    return "\n".join(lines)


def _listed(result: MappingResult) -> list[str]:
    """Each run of unaccounted text, then each text appended to a project's content."""
    listed = [f"  unaccounted {left.line}:{left.column}: {_excerpt(left.text)}" for left in result.unaccounted]
    for line in result.document.non_blank:
        for span in result.coverage.spans(line):
            if span.use is not None and span.use.use is Use.APPENDED:
                text = line.text[span.start : span.end]
                listed.append(f"  appended {line.number}:{span.start + 1} -> {span.use.target}: {_excerpt(text)}")
    return listed


def _explained(line: SourceLine, spans: list[Span]) -> list[str]:
    """One row for a line one rule took whole; otherwise the line, then a row per span."""
    shown = [span for span in spans if line.text[span.start : span.end].strip()]
    if len(shown) == 1:
        return [f"{line.number:6} {_rule(shown[0].use)} {_excerpt(line.text)}"]
    rows = [f"{line.number:6} {'':62} {_excerpt(line.text)}"]
    for span in shown:
        place = f":{span.start + 1}-{span.end}"
        rows.append(f"{place:>6} {_rule(span.use)} {_excerpt(line.text[span.start : span.end])}")
    return rows


def _rule(use: LineUse | None) -> str:
    if use is None:
        return f"{'UNACCOUNTED':8} {'':28} {'':24}"
    return f"{use.use:8} {_pad(use.rule, 28, right=False)} {_pad(use.target, 24, right=False)}"


def _verdict_text(verdict: Verdict) -> str:
    """One quantity of `mapping explain`: where, what, and the rule that judged it."""
    quantity = verdict.quantity
    if verdict.counts:
        value = quantity.text if quantity.number is None else f"{quantity.number:g}"
        judged = f"COUNTS   {value} {quantity.per_unit}".rstrip()
    else:
        judged = f"no       {verdict.reason or 'no rule matches'}"
    rule = verdict.rule or "-"
    columns = f"{_pad(rule, 28, right=False)} {_pad(verdict.field, 24, right=False)}"
    return f"{verdict.line:6} {'quantity':8} {columns} {quantity.text} -> {judged}"


def coverage_json(result: MappingResult, problems: Sequence[Problem], warnings: Sequence[Problem] = ()) -> str:
    coverage = result.coverage
    return json.dumps(
        {
            "document": result.document.path,
            "warnings": [warning.to_dict() for warning in warnings],
            "summary": coverage.summary(result.document),
            "lines": [
                {
                    "line": line.number,
                    "text": line.text,
                    **_use_dict(coverage.line_use(line.number)),
                    "spans": [_span_dict(line, span) for span in coverage.spans(line)],
                    "steps": coverage.steps.get(line.number, []),
                }
                for line in result.document.non_blank
            ],
            "unaccounted": [dataclasses.asdict(left) for left in result.unaccounted],
            "problems": [p.to_dict() for p in problems],
        },
        ensure_ascii=False,
        indent=2,
    )


def _span_dict(line: SourceLine, span: Span) -> dict[str, object]:
    return {"column": span.start + 1, "end": span.end, "text": line.text[span.start : span.end], **_use_dict(span.use)}


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
    lines = terminal_lines(shown)
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
