"""Draft a mapping for a document: read it as convert does, infer each part of the mapping
from its lines, write the commented file, and measure what the draft reaches on it."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ...problems import Location, Problem, Problems, file_error, problem
from ...read import ReadOptions, SourceDocument, read_document
from ...read.source import SourceLine
from ..coverage import Leftover
from ..engine import MappingResult, apply_mapping
from ..loader import load_mapping
from . import facts, leftovers, noise, number_lines, quantity_block, tags, word
from .card_sections import with_card_sections
from .codes import PLACEHOLDER_CODE
from .content_labels import with_content_labels
from .emit import list_block, mapping_block
from .header_table import header_table
from .levels import NO_PROJECT, outline_layout
from .markdown import MARKDOWN_HEADING, markdown_outline
from .named import with_named_marks
from .policy_blocks import policy_blocks
from .shapes import Entry, Shape, cards, cell_table, is_cards, row_table

SHOWN_UNACCOUNTED = 20
LOW_COVERAGE = 0.5  # below this share of characters mapped, the draft warns
INFERRED_FROM = 20_000  # lines the structure is inferred from (a plan has a few thousand); coverage reads all
TEXT_SUFFIXES = (".txt", ".md")  # read as they are, whatever the table style


@dataclass
class DraftSummary:
    characters: int = 0
    mapped: int = 0
    ignored: int = 0
    unaccounted: int = 0
    projects: int = 0
    layout: str = ""
    leftovers: list[Leftover] = field(default_factory=list)  # the unaccounted text, piece by piece
    todo: list[leftovers.TodoLine] = field(default_factory=list)  # lines no rule placed, ignored as TODO
    warnings: Problems = field(default_factory=Problems)

    @property
    def share(self) -> float:
        return self.mapped / self.characters if self.characters else 0.0

    @property
    def todo_characters(self) -> int:
        return sum(len("".join(line.text.split())) for line in self.todo)

    def todo_lines(self) -> list[str]:
        """The lines ignored as TODO and the text left unaccounted, the first of each."""
        shown = [f"TODO: ignored {line.number}: {line.text[:60]}" for line in self.todo[:SHOWN_UNACCOUNTED]]
        if len(self.todo) > SHOWN_UNACCOUNTED:
            shown.append(f"TODO: … and {len(self.todo) - SHOWN_UNACCOUNTED} more lines ignored (see `ignore`)")
        left = self.leftovers[:SHOWN_UNACCOUNTED]
        shown += [f"TODO: unaccounted {piece.line}:{piece.column}: {piece.text[:60]}" for piece in left]
        if len(self.leftovers) > len(left):
            shown.append(f"TODO: … and {len(self.leftovers) - len(left)} more (mapping check lists them all)")
        return shown

    def text(self) -> str:
        todo = f" ({self.todo_characters:,} of them on {len(self.todo)} lines as TODO)" if self.todo else ""
        return (
            f"layout {self.layout}: {self.projects} projects; characters {self.characters:,}: "
            f"{self.mapped:,} mapped ({self.share:.0%}), {self.ignored:,} ignored{todo}, "
            f"{self.unaccounted:,} unaccounted"
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
    source, style = _read(document)
    if not source.non_blank:
        raise file_error("draft.empty_document", document, ja="文書に文字がありません", en="the document holds no text")
    lines = [line.text for line in source.lines[:INFERRED_FROM]]
    body = _draft_body(lines, options, style, source.lines[:INFERRED_FROM])
    summary = _measure(body, source)
    if summary.projects and summary.leftovers:  # a draft that found no structure has nothing to place
        todo = _todo_lines(summary.leftovers, source)
        if todo:
            body = _draft_body(lines, options, style, source.lines[:INFERRED_FROM], leftovers.ignore_rules(todo))
            summary = _measure(body, source) if len(source.lines) <= INFERRED_FROM else _as_ignored(summary, todo)
            summary.todo = todo
    if body.code == PLACEHOLDER_CODE:
        summary.warnings.append(_warning("draft.placeholder_code", document))
    return Draft(body.text + _closing(summary), summary)


def _read(document: Path) -> tuple[SourceDocument, str]:
    """The document as lines, its tables as cell lines if that reads as a cell table, else as tab rows."""
    cells = read_document(document, ReadOptions(table_style="cell_lines"))
    if document.suffix.lower() in TEXT_SUFFIXES or cell_table([line.text for line in cells.lines]):
        return cells, "cell_lines"
    return read_document(document, ReadOptions(table_style="tab_rows")), "tab_rows"


@dataclass(frozen=True)
class _Body:
    text: str  # the mapping file without its closing coverage
    code: str  # the council code it holds
    layout: str


def _as_ignored(summary: DraftSummary, todo: list[leftovers.TodoLine]) -> DraftSummary:
    """The coverage once the `todo` lines are ignored, counted rather than measured again: a
    long document (a 50 MB text) takes as long to map as to draft; the rules take whole lines
    that no rule took before."""
    numbers = {line.number for line in todo}
    taken = sum(len("".join(line.text.split())) for line in todo)
    summary.ignored += taken
    summary.unaccounted -= taken
    summary.leftovers = [left for left in summary.leftovers if left.line not in numbers]
    return summary


def _todo_lines(left: list[Leftover], source: SourceDocument) -> list[leftovers.TodoLine]:
    clean = noise.clean_rules([line.text for line in source.lines[:INFERRED_FROM]])
    texts = {line.number: line.text for line in source.lines}
    return leftovers.whole_lines(left, lambda number: _cleaned(texts[number], clean))


def _draft_body(
    lines: list[str],
    options: DraftOptions,
    style: str,
    structure: Sequence[SourceLine] = (),
    todo: Sequence[Entry] = (),
) -> _Body:
    clean = noise.clean_rules(lines)
    join = number_lines.join_rules([_cleaned(text, clean) for text in lines])
    if join:
        lines = number_lines.joined(lines)
    cleaned = [_cleaned(text, clean) for text in lines]
    kind = facts.kind(cleaned, cards=is_cards(cleaned), given=options.kind)
    shape = _shape(cleaned, str(kind.value), options, structure, style)
    if _finds_nothing(shape) and (headed := markdown_outline(lines)) is not None:
        shape, clean = headed, [rule for rule in clean if rule.value != MARKDOWN_HEADING]
        cleaned = [_cleaned(text, clean) for text in lines]
    shape = with_content_labels(with_named_marks(shape, cleaned), cleaned)
    council = facts.council(cleaned, options.council)
    years = facts.fiscal_years(cleaned)
    title = facts.title(cleaned, str(kind.value))
    named_lines = [*_title_rule(title), *_council_rule(council.name, cleaned), *_year_rule(cleaned)]
    out = [
        "# yaml-language-server: $schema=../mapping.schema.json",
        "# Drafted by `shakyo-pdca mapping draft`: each choice is explained beside it; `TODO` marks",
        "# what the draft could not decide. Check it with `shakyo-pdca mapping check`.",
        "version: 1",
        *mapping_block(
            "council", [_fact("id", council.code), _fact("name", council.name), _fact("prefecture", council.prefecture)]
        ),
        *mapping_block("document", [_fact("kind", kind), _fact("title", title), _fact("fiscal_years", years)]),
        *mapping_block(
            "read", [Entry("table_style", style, "how the tables of a Word/Excel/PDF original become lines")]
        ),
        *list_block("clean", clean, "no inline noise found"),
        *(list_block("join", join) if join else []),
        *list_block("ignore", [*named_lines, *noise.furniture(cleaned), *shape.ignore, *todo], "nothing to ignore"),
    ]
    word_levels = any(word.level_of(line) for line in structure)
    out += list_block("policies", noise.policies(cleaned, word_levels), "no policy block (基本理念, 重点目標 …) found")
    out += list_block("sections", shape.sections, "no headings above the projects found")
    markers = [*noise.markers(cleaned), *tags.bracket_tags(cleaned), *shape.markers]
    out += list_block("markers", markers, "no status, funding or tag markers found")
    out += mapping_block("layout", shape.entries)
    if found := quantity_block.quantities(cleaned, str(kind.value), shape.layout):
        out += mapping_block("quantities", found)
    return _Body("\n".join(out) + "\n", str(council.code.value), shape.layout)


def _title_rule(title: facts.Fact) -> list[Entry]:
    if title.todo:
        return []
    pattern = rf"^[\s\u3000]*{re.escape(str(title.value))}[\s\u3000]*$"
    return [Entry("", {"pattern": pattern, "reason": "the title, kept as document.title"})]


def _council_rule(name: facts.Fact, lines: Sequence[str]) -> list[Entry]:
    """A line that prints only the council's name (after its legal form `社会福祉法人`, if
    printed): said once in `council.name`."""
    pattern = rf"^[\s\u3000]*(?:社会福祉法人[\s\u3000]*)?{re.escape(str(name.value))}[\s\u3000]*$"
    if not any(re.match(pattern, text) for text in lines):
        return []
    return [Entry("", {"pattern": pattern, "reason": "the council's name, kept as council.name"})]


def _year_rule(lines: Sequence[str]) -> list[Entry]:
    """A line near the top that prints only the fiscal year (`令和6年度`): said in `document.fiscal_years`."""
    printed = next((text.strip() for text in lines[: facts.HEAD_LINES] if facts.only_a_year(text)), None)
    if printed is None:
        return []
    pattern = rf"^[\s\u3000]*{re.escape(printed)}[\s\u3000]*$"
    return [Entry("", {"pattern": pattern, "reason": "the fiscal year, kept as document.fiscal_years"})]


def _fact(key: str, fact: facts.Fact) -> Entry:
    return Entry(key, fact.value, fact.why if fact.why.startswith("TODO") or not fact.todo else f"TODO: {fact.why}")


def _cleaned(text: str, rules: Sequence[Entry]) -> str:
    for rule in rules:
        text = re.sub(str(rule.value), "", text)
    return text


def _shape(
    lines: list[str], kind: str, options: DraftOptions, structure: Sequence[SourceLine] = (), style: str = ""
) -> Shape:
    if is_cards(lines):
        return with_card_sections(cards(lines), lines)
    outside = _outside_policies(lines)  # a 重点目標 list between the tables heads no table
    table = cell_table(outside) or row_table(outside, kind, style == "tab_rows") or header_table(outside, kind)
    if table is not None:
        return word.word_table_sections(table, structure, lines)  # Word headings over the table, if any
    return word.word_outline(structure, lines, options.examples) or outline_layout(
        _outline_lines(lines), options.examples
    )


def _finds_nothing(shape: Shape) -> bool:
    return any(entry.key == "project" and entry.value == NO_PROJECT for entry in shape.entries)


def _outline_lines(lines: list[str]) -> list[str]:
    """The non-blank lines an outline's structure is read from: policy blocks left out,
    each as far as the engine's policy rule takes it (`policy_blocks.py`)."""
    return [text for text in _outside_policies(lines) if text.strip() and not noise.is_furniture(text)]


def _outside_policies(lines: list[str]) -> list[str]:
    """`lines` with the lines of policy blocks blank."""
    blocks = policy_blocks(lines, noise.is_policy_heading, noise.is_one_line_policy)
    inside = {i for block in blocks for i in range(block.start, block.stop)}
    return ["" if i in inside else text for i, text in enumerate(lines)]


def _measure(body: _Body, source: SourceDocument) -> DraftSummary:
    """Apply the draft to the document as `mapping check` would, through the same loader."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mapping.yaml"
        path.write_text(body.text, encoding="utf-8")
        result = apply_mapping(load_mapping(path), source)
    return _summary(result, body.layout)


def _summary(result: MappingResult, layout: str) -> DraftSummary:
    counts = result.coverage.summary(result.document)  # characters without whitespace, as mapping check counts
    summary = DraftSummary(
        characters=counts["characters"],
        mapped=counts["characters_mapped"],
        ignored=counts["characters_ignored"],
        unaccounted=counts["characters_unaccounted"],
        projects=len(result.records.projects),
        layout=layout,
        leftovers=result.unaccounted,
    )
    if summary.projects == 0:
        summary.warnings.append(_warning("draft.no_projects", Path(result.document.path)))
    if summary.share < LOW_COVERAGE:
        summary.warnings.append(_warning("draft.low_coverage", Path(result.document.path), summary.share))
    return summary


def _warning(code: str, document: Path, share: float = 0.0) -> Problem:
    texts = {
        "draft.no_projects": (
            "事業が見つかりません。見出し・番号付きの項目・表として読める構造がない文書です（2段組の横読み、文章のみなど）",
            "no projects found: the text reads as neither an outline nor a table (two columns read across, prose)",
            "layout の project に事業の始まる行のパターンを書いてください",
        ),
        "draft.low_coverage": (
            f"下書きが割り当てた文字は {share:.0%} だけです",
            f"low coverage: only {share:.0%} of the characters are mapped",
            "shakyo-pdca mapping explain で割り当てられていない行を確認してください",
        ),
        "draft.placeholder_code": (
            f"社協名から全国地方公共団体コードが決まらないため、仮のコード {PLACEHOLDER_CODE} を入れました",
            f"the council's name does not decide its code: the placeholder {PLACEHOLDER_CODE} is written",
            "council.id を正しいコードに書き換えてください",
        ),
    }
    ja, en, hint = texts[code]
    return problem(code, Location(file=str(document)), ja=ja, en=en, hint=hint)


def _closing(summary: DraftSummary) -> str:
    lines = ["", "# Coverage of the document by this draft:", f"#   {summary.text()}"]
    lines += [f"#   WARNING: {warning.message_en}" for warning in summary.warnings]
    lines += [f"#   {line}" for line in summary.todo_lines()]
    return "\n".join(lines) + "\n"
