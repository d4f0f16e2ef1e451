"""Stage 2, map: a `SourceDocument` and a `Mapping` give canonical `Records`.

The engine knows layouts, never councils: everything council-specific comes from
the mapping. The steps run in a fixed order, each taking the lines it owns and
recording them in the coverage, so that the tool can prove nothing was lost:

1. `clean`: inline noise (`[bookmark: …]`, `<p>`) is cut out of every line;
2. `ignore`: whole lines the mapping drops (repeated header rows, page numbers);
3. `policies`: policy blocks (使命・経営理念, 方針, 重点目標 …) become `Policy` records;
4. `layout`: the rest is read by the layout the mapping names;
5. `quantities`: targets (a plan) or results (a report) are read from the sentences of
   the fields the mapping names (`quantity_rules.py`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Council, DocumentInfo, DocumentKind, Policy, Records
from ..problems import Problems
from ..read.source import SourceDocument, SourceLine
from .context import Context
from .coverage import Coverage, Use
from .layouts import layouts
from .loader import Mapping
from .quantity_rules import Verdict, read_declared_quantities


@dataclass
class MappingResult:
    records: Records
    coverage: Coverage
    document: SourceDocument
    quantities: list[Verdict] = field(default_factory=list)  # every quantity of the fields read, judged
    problems: Problems = field(default_factory=Problems)  # located warnings about the document's text

    @property
    def unaccounted(self) -> list[SourceLine]:
        return self.coverage.unaccounted(self.document)


def apply_mapping(mapping: Mapping, document: SourceDocument) -> MappingResult:
    data = mapping.data
    council = Council(**{key: str(value) for key, value in data["council"].items()})
    doc = data["document"]
    info = DocumentInfo(DocumentKind(doc["kind"]), doc["title"], tuple(doc["fiscal_years"]), Path(document.path).name)
    ctx = Context(mapping, Records(council, info), Coverage(), document.path)
    cleaned = _clean(data.get("clean", []), document.lines, ctx)
    lines = _drop_ignored(data.get("ignore", []), cleaned, ctx)
    lines = _take_policies(data.get("policies", []), lines, ctx)
    layout = layouts()[data["layout"]["type"]](data["layout"], ctx)
    layout.run(lines)
    result = MappingResult(ctx.records, ctx.coverage, document)
    if "quantities" in data:
        result.quantities = read_declared_quantities(data["quantities"], cleaned, ctx, result.problems)
    return result


def _clean(patterns: list[str], lines: tuple[SourceLine, ...], ctx: Context) -> list[SourceLine]:
    """Cut inline noise; a line that was nothing but noise is ignored by that rule."""
    compiled = [re.compile(pattern) for pattern in patterns]
    cleaned = []
    for line in lines:
        text = line.text
        for index, pattern in enumerate(compiled):
            text, count = pattern.subn("", text)
            if count and not text.strip() and not line.is_blank:
                ctx.ignore(line, f"clean[{index}]")
        cleaned.append(dataclasses.replace(line, text=text))
    return cleaned


def _drop_ignored(rules: list[dict[str, Any]], lines: list[SourceLine], ctx: Context) -> list[SourceLine]:
    compiled = [re.compile(rule["pattern"]) for rule in rules]
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
    headings = [(re.compile(rule["heading"]), re.compile(rule["end"]) if rule.get("end") else None) for rule in rules]
    kept: list[SourceLine] = []
    block: tuple[Policy, int, re.Pattern[str] | None] | None = None
    for line in lines:
        started = next(((i, m, end) for i, (h, end) in enumerate(headings) if (m := h.match(line.text))), None)
        if started:
            index, found, end = started
            heading = (found.groupdict().get("heading") or found.group(0)).strip()
            block = (Policy(heading, "", ctx.source(line)), index, end)
            ctx.records.policies.append(block[0])
            ctx.coverage.take(line, Use.SECTION, f"policies[{index}].heading", heading)
            continue
        if block and _ends_block(line, block[2], ctx):
            block = None
        if block is None:
            kept.append(line)
        elif not line.is_blank:
            policy, index, _ = block
            policy.text = f"{policy.text}\n{line.text.strip()}" if policy.text else line.text.strip()
            ctx.take(line, f"policies[{index}]", f"policy.{policy.heading}")
    ctx.records.policies[:] = [policy for policy in ctx.records.policies if policy.text]
    return kept


def _ends_block(line: SourceLine, end: re.Pattern[str] | None, ctx: Context) -> bool:
    if end is not None:
        return bool(end.match(line.text))
    return ctx.sections.match(line.text) is not None
