"""Stage 2, map: a `SourceDocument` and a `Mapping` give canonical `Records`.

The engine knows layouts, never councils: everything council-specific comes from
the mapping. The steps run in a fixed order, each taking the lines it owns and
recording them in the coverage, so that the tool can prove nothing was lost:

1. `clean`: inline noise (`[bookmark: …]`, `<p>`) is cut out of every line;
2. `replace`, `join`, `split`: the text steps reshape lines (`textsteps.py`);
3. `ignore`: whole lines the mapping drops (repeated header rows, page numbers);
4. `policies`: policy blocks (使命・経営理念, 方針, 重点目標 …) become `Policy` records;
5. `layout`: the rest is read by the layout the mapping names;
6. `quantities`: targets (a plan) or results (a report) are read from the sentences of
   the fields the mapping names (`quantity_rules.py`).

Coverage is by character: each step records the span it took, on the document as
read (every changed line keeps the place of each character, `traced.py`), and what
no rule took is unaccounted text. The outcome's problems say what a reader would
otherwise not see: no project, a policy heading without text, a section without
projects, a marker that captured nothing, a target without plan values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Council, DocumentInfo, DocumentKind, Policy, Records
from ..problems import Problems
from ..read.source import SourceDocument, SourceLine
from ..repeated import Unlisted, keep_first
from .context import Context
from .coverage import Coverage, Leftover, LineUse, Use
from .layouts import layouts
from .loader import Mapping
from .outcomes import coverage_problems, outcome_problems, policy_without_text
from .patterns import Pattern, compile_pattern
from .quantity_rules import Verdict, read_declared_quantities
from .structure import structure_problems
from .textsteps import join_lines, replace, split_lines
from .traced import retext, traced


@dataclass
class MappingResult:
    records: Records
    coverage: Coverage
    document: SourceDocument
    quantities: list[Verdict] = field(default_factory=list)  # every quantity of the fields read, judged
    # what the mapping found about the document and the records it made (see `outcomes.py`)
    problems: Problems = field(default_factory=Problems)
    unlisted: list[Unlisted] = field(default_factory=list)  # unaccounted text beyond the first few of a file, counted

    @property
    def unaccounted(self) -> list[Leftover]:
        return self.coverage.leftovers(self.document)


def apply_mapping(mapping: Mapping, document: SourceDocument) -> MappingResult:
    data = mapping.data
    council = Council(**{key: str(value) for key, value in data["council"].items()})
    doc = data["document"]
    info = DocumentInfo(DocumentKind(doc["kind"]), doc["title"], tuple(doc["fiscal_years"]), Path(document.path).name)
    ctx = Context(mapping, Records(council, info), Coverage(), document.path)
    lines = _clean(data.get("clean", []), document.lines, ctx)
    lines = replace(data.get("replace", []), lines, ctx)
    lines = join_lines(data.get("join", []), lines, ctx)
    reshaped = split_lines(data.get("split", []), lines, ctx)
    lines = _drop_ignored(data.get("ignore", []), reshaped, ctx)
    lines = _take_policies(data.get("policies", []), lines, ctx)
    layout = layouts()[data["layout"]["type"]](data["layout"], ctx)
    layout.run(lines)
    result = MappingResult(ctx.records, ctx.coverage, document, problems=ctx.problems)
    if "quantities" in data:
        result.quantities = read_declared_quantities(data["quantities"], reshaped, ctx, result.problems)
    ctx.problems.extend(outcome_problems(ctx))
    ctx.problems.extend(structure_problems(mapping, document))
    listed, result.unlisted = keep_first(coverage_problems(ctx.file, ctx.coverage, document))
    ctx.problems.extend(listed)
    return result


def _clean(patterns: list[str], lines: tuple[SourceLine, ...], ctx: Context) -> list[SourceLine]:
    """Cut inline noise, each cut recorded as ignored by its rule; the rest keeps its places."""
    compiled = [compile_pattern(pattern) for pattern in patterns]
    cleaned = []
    for line in lines:
        if not any(pattern.search(line.text) for pattern in compiled):
            cleaned.append(line)  # nothing to cut: no need to trace its characters
            continue
        text = traced(line)
        for index, pattern in enumerate(compiled):
            text, removed = text.cut(pattern)
            ctx.coverage.take_places(removed, LineUse(line.number, Use.IGNORED, f"clean[{index}]"))
        cleaned.append(retext(line, text) if text.text != line.text else line)
    return cleaned


def _drop_ignored(rules: list[dict[str, Any]], lines: list[SourceLine], ctx: Context) -> list[SourceLine]:
    compiled = [compile_pattern(rule["pattern"]) for rule in rules]
    kept = []
    for line in lines:
        index = next((i for i, pattern in enumerate(compiled) if pattern.search(line.text)), None)
        if index is None or line.is_blank:
            kept.append(line)
        else:
            ctx.ignore(line, f"ignore[{index}]")
    return kept


def _take_policies(rules: list[dict[str, Any]], lines: list[SourceLine], ctx: Context) -> list[SourceLine]:
    """Policy blocks: from a heading to the next policy heading, its `end`, or a section."""
    if not rules:
        return lines
    headings = [
        (compile_pattern(rule["heading"]), compile_pattern(rule["end"]) if rule.get("end") else None) for rule in rules
    ]
    kept: list[SourceLine] = []
    block: tuple[Policy, int, Pattern | None] | None = None
    for line in lines:
        started = next(((i, m, end) for i, (h, end) in enumerate(headings) if (m := h.match(line.text))), None)
        if started:
            index, found, end = started
            heading = (found.groupdict().get("heading") or found.group(0)).strip()
            block = (Policy(heading, (found.groupdict().get("text") or "").strip(), ctx.source(line)), index, end)
            ctx.records.policies.append(block[0])
            ctx.coverage.take(line, Use.SECTION, f"policies[{index}].heading", heading, found.span())
            continue
        if block and _ends_block(line, block[2], ctx):
            block = None
        if block is None:
            kept.append(line)
        elif not line.is_blank:
            policy, index, _ = block
            policy.text = f"{policy.text}\n{line.text.strip()}" if policy.text else line.text.strip()
            ctx.take(line, f"policies[{index}]", f"policy.{policy.heading}")
    ctx.problems.extend(policy_without_text(ctx, policy) for policy in ctx.records.policies if not policy.text)
    ctx.records.policies[:] = [policy for policy in ctx.records.policies if policy.text]
    return kept


def _ends_block(line: SourceLine, end: Pattern | None, ctx: Context) -> bool:
    if end is not None:
        return bool(end.match(line.text))
    return ctx.sections.match(line) is not None
