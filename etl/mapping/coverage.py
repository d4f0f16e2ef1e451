"""Nothing lost, provably: which rule took each character of a document.

Every non-whitespace character of a non-blank line is inside the whole match of a
rule (a heading, a project, a field, a marker, `ignore`, `clean`) or it is
*unaccounted text*, reported with its line and column. The first rule that takes a
character owns it. A line's use is that of the first rule that took any of it other
than by `clean` (which only cuts noise out of lines the other rules read).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from ..read.source import Place, SourceDocument, SourceLine
from .traced import Origin, traced

LOW_COVERAGE = 0.5  # below this share of characters taken by rules, a document does not fit its mapping


class Use(StrEnum):
    FIELD = "field"  # became (part of) a record field
    SECTION = "section"  # a heading that places the records below it
    APPENDED = "appended"  # left over on a project's line, appended to its content field
    IGNORED = "ignored"  # explicitly dropped by a rule of the mapping


@dataclass(frozen=True)
class LineUse:
    """What (part of) a source line became, and the mapping rule that decided it."""

    line: int
    use: Use
    rule: str  # the mapping key that took it, e.g. `layout.columns[2]`, `ignore[0]`
    target: str = ""  # e.g. `1-1-1.purpose`


@dataclass(frozen=True)
class Span:
    """A run of one line's characters that one rule took (columns 0-based, end excluded)."""

    start: int
    end: int
    use: LineUse | None  # None: unaccounted


@dataclass(frozen=True)
class Leftover:
    """Unaccounted text: non-whitespace characters no rule took, with where they start."""

    line: int
    column: int  # 1-based
    text: str


@dataclass
class Coverage:
    uses: dict[int, LineUse] = field(default_factory=dict)  # each line's use
    owners: dict[Place, LineUse] = field(default_factory=dict)  # each taken character's rule
    cleaned: dict[int, LineUse] = field(default_factory=dict)  # the first `clean` rule that cut from each line

    def take(
        self, line: SourceLine, use: Use, rule: str, target: str = "", span: tuple[int, int] | None = None
    ) -> None:
        """Record that a rule took `line`, or the characters `span` of its current text."""
        text = traced(line)
        taken = text if span is None else text[span[0] : span[1]]
        self.take_places(taken.places, LineUse(line.number, use, rule, target))

    def take_places(self, places: Iterable[Origin], use: LineUse) -> None:
        """Record that `use` took the characters at `places` (those taken before stay with their rule)."""
        by_line = self.cleaned if use.rule.startswith("clean[") else self.uses
        for place in places:
            if place is not None:
                self.owners.setdefault(place, use)
                by_line.setdefault(place[0], use)

    def line_use(self, number: int) -> LineUse | None:
        """The line's use; a line only `clean` took is ignored by that rule."""
        return self.uses.get(number) or self.cleaned.get(number)

    def spans(self, line: SourceLine) -> list[Span]:
        """The line as read cut into runs of characters taken by the same rule (or by none)."""
        spans: list[Span] = []
        for column, _ in enumerate(line.text):
            owner = self.owners.get((line.number, column))
            if spans and spans[-1].use is owner:
                spans[-1] = Span(spans[-1].start, column + 1, owner)
            else:
                spans.append(Span(column, column + 1, owner))
        return spans

    def leftovers(self, document: SourceDocument) -> list[Leftover]:
        """Every run of unaccounted text, in document order."""
        found = []
        for line in document.non_blank:
            for span in self.spans(line):
                text = line.text[span.start : span.end]
                if span.use is None and text.strip():
                    column = span.start + len(text) - len(text.lstrip())
                    found.append(Leftover(line.number, column + 1, text.strip()))
        return found

    def summary(self, document: SourceDocument) -> dict[str, int]:
        """Lines (mapped, ignored, with unaccounted text) and non-whitespace characters by use."""
        chars = {use.value: 0 for use in Use} | {"unaccounted": 0}
        partly = set()
        for line in document.non_blank:
            for column, char in enumerate(line.text):
                if char.isspace():
                    continue
                owner = self.owners.get((line.number, column))
                chars[owner.use.value if owner else "unaccounted"] += 1
                if owner is None:
                    partly.add(line.number)
        line_uses = [self.line_use(line.number) for line in document.non_blank]
        total = sum(chars.values())
        return {
            "lines": len(line_uses),
            "mapped": sum(use is not None and use.use is not Use.IGNORED for use in line_uses),
            "ignored": sum(use is not None and use.use is Use.IGNORED for use in line_uses),
            "unaccounted": len(partly),
            "characters": total,
            "characters_mapped": chars[Use.FIELD] + chars[Use.SECTION] + chars[Use.APPENDED],
            "characters_appended": chars[Use.APPENDED],
            "characters_ignored": chars[Use.IGNORED],
            "characters_unaccounted": chars["unaccounted"],
        }
