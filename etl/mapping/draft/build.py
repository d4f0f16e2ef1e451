"""Draft a mapping for a document: read it as convert does, infer each part of the mapping
from its lines, write the commented file, and measure what the draft reaches on it."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ...read import ReadOptions, SourceDocument, read_document
from ..engine import MappingResult, apply_mapping
from ..loader import load_mapping
from . import facts, noise
from .emit import list_block, mapping_block
from .marks import BULLET, is_name, mark_of
from .outline import outline_layout
from .shapes import Entry, Shape, cards, cell_table, is_cards, row_table

LOW_COVERAGE = 0.5  # below this share of characters mapped, the draft warns


@dataclass
class DraftSummary:
    characters: int = 0
    mapped: int = 0
    ignored: int = 0
    unaccounted: int = 0
    projects: int = 0
    layout: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.mapped / self.characters if self.characters else 0.0

    def text(self) -> str:
        return (
            f"layout {self.layout}: {self.projects} projects; characters {self.characters:,}: "
            f"{self.mapped:,} mapped ({self.share:.0%}), {self.ignored:,} ignored, {self.unaccounted:,} unaccounted"
        )


@dataclass
class Draft:
    text: str  # the mapping file
    summary: DraftSummary


@dataclass(frozen=True)
class DraftOptions:
    examples: Sequence[str] = ()
    kind: str | None = None
    council: str | None = None


def draft_mapping(document: Path, options: DraftOptions | None = None) -> Draft:
    """A working, commented mapping for `document`; raises `EtlError` if it cannot be read."""
    options = options or DraftOptions()
    source = read_document(document, ReadOptions())
    lines = [line.text for line in source.lines]
    body = _draft_body(lines, options)
    summary = _measure(body, source)
    return Draft(body + _closing(summary), summary)


def _draft_body(lines: list[str], options: DraftOptions) -> str:
    clean = noise.clean_rules(lines)
    cleaned = [_cleaned(text, clean) for text in lines]
    kind = facts.kind(cleaned, cards=is_cards(cleaned), given=options.kind)
    shape = _shape(cleaned, str(kind.value), options)
    council = facts.council(cleaned, options.council)
    years = facts.fiscal_years(cleaned)
    title = facts.title(cleaned, str(kind.value))
    out = [
        "# yaml-language-server: $schema=../mapping.schema.json",
        "# Drafted by `shakyo-pdca mapping draft`: each choice is explained beside it; `TODO` marks",
        "# what the draft could not decide. Check it with `shakyo-pdca mapping check`.",
        "version: 1",
        *mapping_block(
            "council", [_fact("id", council.code), _fact("name", council.name), _fact("prefecture", council.prefecture)]
        ),
        *mapping_block("document", [_fact("kind", kind), _fact("title", title), _fact("fiscal_years", years)]),
        *list_block("clean", clean, "no inline noise found"),
        *list_block("ignore", [*noise.furniture(cleaned), *shape.ignore], "no page furniture found"),
    ]
    if shape.layout != "row_table":
        out += list_block("policies", noise.policies(cleaned), "no policy block (基本理念, 重点目標 …) found")
    out += list_block("sections", shape.sections, "no headings above the projects found")
    out += list_block("markers", noise.markers(cleaned), "no status or funding markers found")
    out += mapping_block("layout", shape.entries)
    return "\n".join(out) + "\n"


def _fact(key: str, fact: facts.Fact) -> Entry:
    return Entry(key, fact.value, fact.why if fact.why.startswith("TODO") or not fact.todo else f"TODO: {fact.why}")


def _cleaned(text: str, rules: Sequence[Entry]) -> str:
    for rule in rules:
        text = re.sub(str(rule.value), "", text)
    return text


def _shape(lines: list[str], kind: str, options: DraftOptions) -> Shape:
    if is_cards(lines):
        return cards(lines)
    table = cell_table(lines) or row_table(lines, kind)
    if table is not None:
        return table
    return outline_layout(_outline_lines(lines), options.examples)


def _outline_lines(lines: list[str]) -> list[str]:
    """The non-blank lines an outline's structure is read from: policy blocks left out.

    A block ends where the engine's policy rule ends it: at the next 【…】 line after a
    bracketed heading, otherwise at the next heading or numbered name."""
    kept: list[str] = []
    block: str | None = None  # the heading of the policy block being skipped
    for text in lines:
        if not text.strip():
            continue
        if noise.is_policy_heading(text):
            block = text
            continue
        if block is not None and _ends_policy(block, text):
            block = None
        if block is None:
            kept.append(text)
    return kept


def _ends_policy(heading: str, text: str) -> bool:
    if heading.lstrip().startswith("【"):
        return text.lstrip().startswith("【")
    mark = mark_of(text)
    return mark is not None and mark is not BULLET and is_name(mark.line.match(text)["text"] if mark.rank else text)


def _measure(body: str, source: SourceDocument) -> DraftSummary:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mapping.yaml"
        path.write_text(body, encoding="utf-8")
        result = apply_mapping(load_mapping(path), source)
    return _summary(result, body)


def _summary(result: MappingResult, body: str) -> DraftSummary:
    layout = re.search(r"^  type: '(\w+)'", body, re.MULTILINE)
    summary = DraftSummary(layout=layout.group(1) if layout else "", projects=len(result.records.projects))
    uses = result.coverage.uses
    for line in result.document.non_blank:
        size = len(line.text.strip())
        summary.characters += size
        use = uses.get(line.number)
        if use is None:
            summary.unaccounted += size
        elif use.use == "ignored":
            summary.ignored += size
        else:
            summary.mapped += size
    if summary.projects == 0:
        summary.warnings.append("no projects found: the text reads as neither an outline nor a table")
    if summary.share < LOW_COVERAGE:
        summary.warnings.append(f"low coverage: only {summary.share:.0%} of the characters are mapped")
    return summary


def _closing(summary: DraftSummary) -> str:
    lines = ["", "# Coverage of the document by this draft:", f"#   {summary.text()}"]
    lines += [f"#   WARNING: {warning}" for warning in summary.warnings]
    return "\n".join(lines) + "\n"
