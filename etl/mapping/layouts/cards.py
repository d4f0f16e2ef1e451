"""PDCA cards: one card per project, each row a line of tab-separated cells."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ...jp import normalise_id, parse_fiscal_year
from ...model import Indicator, PdcaEntry, TargetValue, ValueKind
from ...problems import EtlError, Location, problem
from ...read.source import Place, SourceLine
from ..context import Context
from ..coverage import LineUse, Use
from ..patterns import Pattern, compile_pattern
from ..traced import Traced, join, traced
from ..values import parse_target
from .base import Layout, compiled

PROJECT_FIELDS = ("name", "purpose", "method", "goal", "situation")


@dataclass(frozen=True)
class FieldOption:
    label: str
    to: str
    pattern: str = ""
    before_card: bool = False


@dataclass(frozen=True)
class TargetOptions:
    plan: str
    result: str
    label: str = ""
    plans_below_header: bool = False
    arrows_span: bool = False


@dataclass(frozen=True)
class NameOption:
    field: str
    pattern: str = ""


@dataclass(frozen=True)
class SectionStart:
    section: str
    card: str


@dataclass(frozen=True)
class CardsOptions:
    card_start: str
    year_label: str
    parts: tuple[str, ...] = ()
    fields: tuple[FieldOption, ...] = ()
    targets: TargetOptions | None = None
    pdca_year: int | None = None
    name_from: tuple[NameOption, ...] = (NameOption("name"),)
    names: Mapping[str, str] = field(default_factory=dict)  # project id -> name, for cards naming none
    id_format: str = ""
    section_starts: tuple[SectionStart, ...] = ()


class Cards(Layout):
    """One card per project, printed as a table whose rows are lines of tab-separated
    cells: a PLAN part (labelled rows such as 現状と課題 and a table of targets with a
    plan row and a result row per indicator), then DO, CHECK and ACTION parts.

    Cells are found by their labels, never by their position, because exports shift
    columns from card to card: a row's label is its first non-empty cell (after a part
    label such as `PLAN (計画)`); the text after the label, in the same cell or the cells
    after it, is the field's value. In the targets table, the year values are the cells
    after the plan (or result) label, matched to the years in order, empty cells
    keeping their year; the non-empty cells before the plan label are the indicator's
    name. The years are the document's unless the card prints a year header
    (`R5 R6 R7 …`) on its own row or in place of an indicator's plan values; in the
    latter case, with `plans_below_header`, the values on the result row under it are
    that indicator's plans. Year labels that do not start at the first value cell
    (`R7 R8 R9` after two empty cells) are values: they mark the years planned. With
    `arrows_span`, an arrow (`—————▶`, `→`) also stands for the empty years after it,
    as drawn across them in the original.

    A card starts at the row whose first cell matches `card_start`, or at a row of a
    field marked `before_card` (a `事業名` line printed above the card). Rows that carry
    nothing (the form's empty DO/CHECK/ACTION rows, empty result rows, unused
    indicator rows) are left for the mapping's `ignore` rules, each with its reason;
    rows with text always land in a field. DO rows (`R5 <text>`) give the PDCA entry of
    their year; CHECK and ACTION fields, which print no year, that of `pdca_year`
    (default: the document's first fiscal year).

    The project's name comes from the first rule of `name_from` that gives one; `names`
    sets it by project id where the document prints none. With `id_format`, project ids
    are composed from the innermost section's id and the card's order in that section
    (a printed number, if any, stays as `printed_id`). `section_starts` places cards
    under sections whose headings are printed apart from the cards (e.g. all at the top).

    ```yaml
    layout:
      type: cards
      card_start: '^P\\s*L\\s*A\\s*N\\s*[(（]計画[)）]$'
      parts: ['^D\\s*O\\s*[(（]', '^C\\s*H\\s*E\\s*C\\s*K\\s*[(（]', '^A\\s*C\\s*T\\s*I\\s*O\\s*N\\s*[(（]']
      year_label: '^R[0-9０-９]+$'
      fields:
        - {label: '^事業名$', to: name, before_card: true, pattern: '^(?:(?P<id>[0-9-]+)\\s+)?(?P<value>.+)$'}
        - {label: '^現状と課題$', to: situation}
        - {label: '^方針・目標$', to: goal}
        - {label: '^今後の方向性', to: direction}
      targets:
        label: '^取り?組みの\\s*達成目標$'
        plan: '^計画$'
        result: '^結果$'
        plans_below_header: true
        arrows_span: true
      name_from:
        - {field: name}
        - {field: situation, pattern: '^(?P<name>[^、。]+?事業)は、'}
      names: {'1-3': 配食サービス事業}      # a card whose text names no project
      id_format: '{section}-{n}'
      section_starts:
        - {section: '1-2', card: '生活福祉資金の貸付'}
    ```
    """

    name = "cards"
    Options = CardsOptions
    options: CardsOptions

    def __init__(self, options: Mapping[str, Any], ctx: Context) -> None:
        super().__init__(options, ctx)
        self.start = compile_pattern(self.options.card_start)
        self.parts = [compile_pattern(pattern) for pattern in self.options.parts]
        self.year_label = compile_pattern(self.options.year_label)
        self.fields = [_FieldRule.of(index, item) for index, item in enumerate(self.options.fields)]
        self.targets = _TargetRules.of(self.options.targets)
        self.name_from = [_NameRule.of(item) for item in self.options.name_from]
        self.section_starts = [
            (normalise_id(item.section), compile_pattern(item.card)) for item in self.options.section_starts
        ]
        self.started_sections: set[int] = set()  # each start opens its section once
        self.headings: dict[str, tuple[int, str]] = {}  # section id -> (level, label)
        self.section_ids: dict[str, str] = {}  # section label -> id
        self.counts: dict[str, int] = {}  # cards so far per section label
        self.cards = 0
        self.card: _Card | None = None

    def run(self, lines: list[SourceLine]) -> None:
        for line in lines:
            if line.is_blank:
                continue
            if self.ctx.sections.match(line):
                self._finish_card()
                self._heading(line)
            else:
                self._row(line)
        self._finish_card()

    # --- reading rows -------------------------------------------------------------

    def _heading(self, line: SourceLine) -> None:
        found = self.ctx.sections.match(line)
        assert found is not None  # run() checked it
        heading, label = found
        match = heading.pattern.match(line)
        section_id = normalise_id(match["id"]) if match and match.groupdict().get("id") else label
        self.headings[section_id] = (heading.level, label)
        self.section_ids[label] = section_id
        self.ctx.section_line(line)

    def _row(self, line: SourceLine) -> None:
        cells = [cell.strip() for cell in line.text.split("\t")]
        first = next((i for i, cell in enumerate(cells) if cell), len(cells))
        starts = first < len(cells) and bool(self.start.match(cells[first]))
        if starts or (first < len(cells) and any(p.match(cells[first]) for p in self.parts)):
            cells = cells[first + 1 :]
        if starts:
            self._start_card(line, by_part=True)
        elif (rule := self._field_rule(cells)) and rule.before_card:
            self._start_card(line, by_part=False)
        if self.card is None:
            return  # outside any card: left unaccounted, `mapping check` lists it
        self._match_section_start(line)
        if not self._read(self.card, line, cells) and starts and not any(cells):
            self.card.use(line, "layout.card_start", "")

    def _start_card(self, line: SourceLine, *, by_part: bool) -> None:
        if by_part and self.card is not None and not self.card.started:
            self.card.started = True  # the card's `before_card` rows came first
            return
        self._finish_card()
        self.card = _Card(line, tuple(self.ctx.fiscal_years), started=by_part)

    def _match_section_start(self, line: SourceLine) -> None:
        assert self.card is not None
        if self.card.section_start is not None:
            return
        for index, (section, pattern) in enumerate(self.section_starts):
            if index not in self.started_sections and pattern.search(line.text):
                self.started_sections.add(index)
                self.card.section_start = (index, section)
                return

    def _field_rule(self, cells: list[str]) -> _FieldRule | None:
        label = next((cell for cell in cells if cell), "")
        return next((rule for rule in self.fields if rule.label.match(label)), None)

    def _read(self, card: _Card, line: SourceLine, cells: list[str]) -> bool:
        """Read one row into `card`; say whether it was taken."""
        rule = self._field_rule(cells)
        if rule is not None:
            return self._field(card, line, cells, rule)
        first = next((i for i, cell in enumerate(cells) if cell), None)
        if first is None:
            return False
        if self.targets and self.targets.label and self.targets.label.match(cells[first]):
            rest = cells[first + 1 :]
            if not any(rest):
                card.use(line, "layout.targets.label", ".indicators")
                return True
            return self._targets_row(card, line, rest)
        if self.targets and self._targets_row(card, line, cells):
            return True
        return self._do_row(card, line, cells[first:])

    def _field(self, card: _Card, line: SourceLine, cells: list[str], rule: _FieldRule) -> bool:
        first = next(i for i, cell in enumerate(cells) if cell)
        label = rule.label.match(cells[first])
        assert label is not None  # _field_rule matched it
        texts = [cells[first][label.end() :].strip(), *cells[first + 1 :]]
        text = "\n".join(t for t in texts if t)
        if not text:
            return False  # an empty slot of the form: for the mapping's `ignore` rules
        dropped: frozenset[Place] = frozenset()
        if rule.pattern and (found := rule.pattern.search(text)):
            groups = found.groupdict()
            if groups.get("id"):
                card.printed_id = groups["id"].strip()
            text = (groups.get("value") or found.group(0)).strip()
            value = _field_text(line, len(cells), rule.label)
            dropped = frozenset(value[: found.start()].located() + value[found.end() :].located())
        if rule.to in PROJECT_FIELDS:
            card.fields.setdefault(rule.to, []).append(text)
        else:
            card.pdca_for(self._pdca_year(), line).add(rule.to, text)
        card.use(line, f"layout.fields[{rule.index}]", f".{rule.to}", dropped)
        return True

    def _pdca_year(self) -> int:
        return int(self.options.pdca_year or self.ctx.fiscal_years[0])

    def _targets_row(self, card: _Card, line: SourceLine, cells: list[str]) -> bool:
        targets = self.targets
        assert targets is not None
        plan_at = _index(cells, targets.plan)
        if plan_at is not None:
            return self._plan_row(card, line, cells[:plan_at], cells[plan_at + 1 :])
        result_at = _index(cells, targets.result)
        if result_at is not None:
            return not any(cells[:result_at]) and self._result_row(card, line, cells[result_at + 1 :])
        years = header_years(cells, self._fiscal_year)
        if years:
            card.years = years
            card.use(line, "layout.year_label", ".years")
            return True
        return False

    def _plan_row(self, card: _Card, line: SourceLine, before: list[str], values: list[str]) -> bool:
        name = " ".join(cell for cell in before if cell)
        years = header_years(values, self._fiscal_year, positional=True)
        if years:
            card.years = years
            if not name:
                card.use(line, "layout.year_label", ".years")
                return True
        if not name:
            return False  # an unnamed row: unused (for `ignore`) or broken (listed by `mapping check`)
        plans = self._place([] if years else values, card.years)
        if plans is None:
            return False  # more values than years: listed by `mapping check`
        below = bool(years) and self.targets is not None and self.targets.plans_below_header
        card.indicators.append(_DraftIndicator(name, line, plans, plans_below=below))
        card.use(line, "layout.targets.plan", f"#{len(card.indicators)}.plans")
        return True

    def _result_row(self, card: _Card, line: SourceLine, values: list[str]) -> bool:
        if not card.indicators:
            return False
        indicator = card.indicators[-1]
        placed = self._place(values, card.years)
        if placed is None:
            return False
        number = len(card.indicators)
        if indicator.plans_below:
            indicator.plans, indicator.plans_below = placed, False
            card.use(line, "layout.targets.plans_below_header", f"#{number}.plans")
        else:
            indicator.results.update({year: value for year, value in placed.items() if value.text})
            card.use(line, "layout.targets.result", f"#{number}.results")
        return True

    def _place(self, values: list[str], years: tuple[int, ...]) -> dict[int, TargetValue] | None:
        arrows_span = self.targets is not None and self.targets.arrows_span
        return place_values(values, years, arrows_span=arrows_span)

    def _do_row(self, card: _Card, line: SourceLine, cells: list[str]) -> bool:
        year = self._fiscal_year(cells[0])
        text = "\n".join(cell for cell in cells[1:] if cell)
        if year is None or not text or any(self._fiscal_year(cell) for cell in cells[1:]):
            return False
        card.pdca_for(year, line).add("do", text)
        card.use(line, "layout.year_label", f".do[{year}]")
        return True

    def _fiscal_year(self, cell: str) -> int | None:
        return parse_fiscal_year(cell) if self.year_label.match(cell) else None

    # --- making records -------------------------------------------------------------

    def _finish_card(self) -> None:
        card, self.card = self.card, None
        if card is None:
            return
        self.cards += 1
        self._enter_section_start(card)
        project_id = self._project_id(card)
        fields = {name: "\n".join(texts) for name, texts in card.fields.items() if name != "name"}
        project = self.ctx.add_project(project_id, self._name(card, project_id), card.line, **fields)
        project.printed_id = card.printed_id
        project_id = project.project_id
        for number, draft in enumerate(card.indicators, start=1):
            self.ctx.records.indicators.append(draft.indicator(project_id, number, self.ctx))
        for year, pdca in sorted(card.pdca.items()):
            self.ctx.records.pdca.append(PdcaEntry(project_id, year, self.ctx.source(pdca.line), **pdca.joined()))
        for line, rule, target, dropped in card.uses:
            if not dropped:
                self.ctx.take(line, rule, f"{project_id}{target}")
                continue
            taken = [place for place in traced(line).places if place not in dropped]
            self.ctx.coverage.take_places(taken, LineUse(line.number, Use.FIELD, rule, f"{project_id}{target}"))

    def _enter_section_start(self, card: _Card) -> None:
        if card.section_start is None:
            return
        index, section = card.section_start
        if section not in self.headings:
            raise EtlError(
                problem(
                    "mapping.unknown_section",
                    Location(file=self.ctx.mapping.path, key=f"layout.section_starts[{index}].section"),
                    ja=f"マッピングファイルの誤り: 見出し「{section}」が文書にありません",
                    en=f"invalid mapping: section {section!r} is not among the document's headings",
                    hint=f"headings read: {', '.join(self.headings) or '(none)'}",
                    field="section",
                )
            )
        level, label = self.headings[section]
        self.ctx.sections.enter(level, label)

    def _project_id(self, card: _Card) -> str:
        id_format = self.options.id_format
        if not id_format:
            return card.printed_id or str(self.cards)
        path = self.ctx.sections.current()
        label = path[-1] if path else ""
        self.counts[label] = self.counts.get(label, 0) + 1
        section = self.section_ids.get(label, "")
        return id_format.replace("{section}", section).replace("{n}", str(self.counts[label]))

    def _name(self, card: _Card, project_id: str) -> str:
        names = {normalise_id(key): name for key, name in self.options.names.items()}
        if normalise_id(project_id) in names:
            return names[normalise_id(project_id)]
        for rule in self.name_from:
            name = rule.name(card.fields)
            if name:
                return name
        return ""


def header_years(
    cells: list[str], fiscal_year: Callable[[str], int | None], *, positional: bool = False
) -> tuple[int, ...]:
    """The years of a year header (`R5 R6 R7`): a run of two or more year labels
    followed only by empty cells (one label alone is a DO row's year or a year mark);
    with `positional`, the run must start at the first cell (values matched to years
    in order), otherwise leading empty cells are allowed."""
    start = 0 if positional else next((i for i, cell in enumerate(cells) if cell), len(cells))
    run: list[int] = []
    for cell in cells[start:]:
        year = fiscal_year(cell) if cell else None
        if year is None:
            break
        run.append(year)
    rest = cells[start + len(run) :]
    return tuple(run) if len(run) > 1 and not any(rest) else ()


def place_values(
    values: list[str], years: tuple[int, ...], *, arrows_span: bool = False
) -> dict[int, TargetValue] | None:
    """The cells after a plan/result label, matched to `years` in order; an empty cell
    keeps its year. With `arrows_span`, an arrow also stands for the empty years after
    it (an arrow drawn across them). None when a cell beyond the last year holds a value."""
    if any(values[len(years) :]):
        return None
    padded = [*values, *[""] * (len(years) - len(values))]
    placed = {year: parse_target(text) for year, text in zip(years, padded, strict=False)}
    return _spread_arrows(placed) if arrows_span else placed


def _spread_arrows(placed: dict[int, TargetValue]) -> dict[int, TargetValue]:
    arrow: TargetValue | None = None
    spread = {}
    for year, value in placed.items():
        if value.kind is ValueKind.CONTINUES:
            arrow = value
        elif value.kind is not ValueKind.BLANK:
            arrow = None
        spread[year] = TargetValue(arrow.text, ValueKind.CONTINUES) if arrow and not value.text else value
    return spread


def _field_text(line: SourceLine, cells: int, label: Pattern) -> Traced:
    """The text of a labelled row as `Cards._field` reads it from its last `cells` cells, with places."""
    row = [cell.strip() for cell in traced(line).split("\t")][-cells:]
    first = next(i for i, cell in enumerate(row) if cell.text)
    found = label.match(row[first].text)
    assert found is not None  # the row's rule matched its label
    texts = [row[first][found.end() :].strip(), *row[first + 1 :]]
    return join("\n", [text for text in texts if text.text])


def _index(cells: list[str], pattern: Pattern) -> int | None:
    return next((i for i, cell in enumerate(cells) if cell and pattern.match(cell)), None)


@dataclass(frozen=True)
class _FieldRule:
    index: int
    label: Pattern
    to: str
    pattern: Pattern | None
    before_card: bool

    @classmethod
    def of(cls, index: int, item: FieldOption) -> _FieldRule:
        return cls(index, compile_pattern(item.label), item.to, compiled(item.pattern), item.before_card)


@dataclass(frozen=True)
class _TargetRules:
    label: Pattern | None
    plan: Pattern
    result: Pattern
    plans_below_header: bool
    arrows_span: bool

    @classmethod
    def of(cls, item: TargetOptions | None) -> _TargetRules | None:
        if item is None:
            return None
        return cls(
            compiled(item.label),
            compile_pattern(item.plan),
            compile_pattern(item.result),
            item.plans_below_header,
            item.arrows_span,
        )


@dataclass(frozen=True)
class _NameRule:
    field: str
    pattern: Pattern | None

    @classmethod
    def of(cls, item: NameOption) -> _NameRule:
        return cls(item.field, compiled(item.pattern))

    def name(self, fields: dict[str, list[str]]) -> str:
        text = "\n".join(fields.get(self.field, []))
        if self.pattern is None:
            return text.strip()
        found = self.pattern.search(text)
        if found is None:
            return ""
        return (found.groupdict().get("name") or found.group(0)).strip()


@dataclass
class _DraftIndicator:
    name: str
    line: SourceLine
    plans: dict[int, TargetValue]
    results: dict[int, TargetValue] = field(default_factory=dict)
    plans_below: bool = False  # the plan row held the year header: plans come on the result row

    def indicator(self, project_id: str, number: int, ctx: Context) -> Indicator:
        units = [value.unit for value in self.plans.values() if value.kind is ValueKind.NUMBER and value.unit]
        unit = units[0] if units else ""
        return Indicator(project_id, number, self.name, ctx.source(self.line), unit, self.plans, self.results)


@dataclass
class _DraftPdca:
    line: SourceLine
    texts: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, text: str) -> None:
        self.texts.setdefault(name, []).append(text)

    def joined(self) -> dict[str, str]:
        return {name: "\n".join(texts) for name, texts in self.texts.items()}


@dataclass
class _Card:
    """What one card has given so far; records are made when the card ends."""

    line: SourceLine  # the card's first row
    years: tuple[int, ...]
    started: bool  # whether its first part has begun (False while only `before_card` rows came)
    fields: dict[str, list[str]] = field(default_factory=dict)
    printed_id: str = ""
    indicators: list[_DraftIndicator] = field(default_factory=list)
    pdca: dict[int, _DraftPdca] = field(default_factory=dict)
    section_start: tuple[int, str] | None = None  # (index in `section_starts`, section id)
    # line, rule, target after the id, places on the line the rule dropped
    uses: list[tuple[SourceLine, str, str, frozenset[Place]]] = field(default_factory=list)

    def use(self, line: SourceLine, rule: str, target: str, dropped: frozenset[Place] = frozenset()) -> None:
        self.uses.append((line, rule, target, dropped))

    def pdca_for(self, year: int, line: SourceLine) -> _DraftPdca:
        return self.pdca.setdefault(year, _DraftPdca(line))


LAYOUT = Cards
