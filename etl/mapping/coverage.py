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
from itertools import groupby
from operator import itemgetter

from ..read.source import SourceDocument, SourceLine
from .traced import Origin

LOW_COVERAGE = 0.5  # below this share of characters taken by rules, a document does not fit its mapping


class Use(StrEnum):
    FIELD = "field"  # became (part of) a record field
    SECTION = "section"  # a heading that places the records below it
    APPENDED = "appended"  # left over on a project's line, appended to its content field
    IGNORED = "ignored"  # explicitly dropped by a rule of the mapping


@dataclass(frozen=True, slots=True)
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
    owners: dict[int, list[LineUse | None]] = field(default_factory=dict)  # by line: each column's rule
    cleaned: dict[int, LineUse] = field(default_factory=dict)  # the first `clean` rule that cut from each line
    steps: dict[int, list[str]] = field(default_factory=dict)  # by line: what the text steps did to it

    def note(self, number: int, step: str) -> None:
        """Remember what a text step (`replace`, `join`, `split`) did to line `number`, for `mapping explain`."""
        self.steps.setdefault(number, []).append(step)

    def take(
        self, line: SourceLine, use: Use, rule: str, target: str = "", span: tuple[int, int] | None = None
    ) -> None:
        """Record that a rule took `line`, or the characters `span` of its current text; blank
        lines need no rule."""
        if line.is_blank:
            return
        start, end = span or (0, len(line.text))
        taken = LineUse(line.number, use, rule, target)
        if line.places is None:  # the line as read: its columns are the text's positions
            self._own_run(line.number, start, end, taken)
        else:
            self.take_places(line.places[start:end], taken)

    def take_places(self, places: Iterable[Origin], use: LineUse) -> None:
        """Record that `use` took the characters at `places` (those taken before stay with their rule)."""
        for number, run in groupby((place for place in places if place is not None), key=itemgetter(0)):
            self._own(number, [column for _, column in run], use)

    def _own_run(self, number: int, start: int, end: int, use: LineUse) -> None:
        """`_own` for the columns `start` to `end`, in one step when none was taken before."""
        row = self.owners.setdefault(number, [])
        row.extend([None] * (end - len(row)))
        if start < end and row[start:end].count(None) == end - start:
            row[start:end] = [use] * (end - start)
            (self.cleaned if use.rule.startswith("clean[") else self.uses).setdefault(number, use)
        else:
            self._own(number, range(start, end), use)

    def _own(self, number: int, columns: Iterable[int], use: LineUse) -> None:
        row = self.owners.setdefault(number, [])
        taken = False
        for column in columns:
            if column >= len(row):
                row.extend([None] * (column + 1 - len(row)))
            if row[column] is None:
                row[column] = use
            taken = True
        if taken:
            (self.cleaned if use.rule.startswith("clean[") else self.uses).setdefault(number, use)

    def line_use(self, number: int) -> LineUse | None:
        """The line's use; a line only `clean` took is ignored by that rule."""
        return self.uses.get(number) or self.cleaned.get(number)

    def spans(self, line: SourceLine) -> list[Span]:
        """The line as read cut into runs of characters taken by the same rule (or by none)."""
        row = self.owners.get(line.number, [])[: len(line.text)]
        row.extend([None] * (len(line.text) - len(row)))
        spans, start = [], 0
        for owner, run in groupby(row):
            end = start + len(list(run))
            spans.append(Span(start, end, owner))
            start = end
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
        chars = dict.fromkeys([*Use, "unaccounted"], 0)
        partly = 0
        for line in document.non_blank:
            unaccounted = chars["unaccounted"]
            for span in self.spans(line):
                counted = "".join(line.text[span.start : span.end].split())  # without whitespace
                chars[span.use.use if span.use else "unaccounted"] += len(counted)
            partly += chars["unaccounted"] > unaccounted
        line_uses = [self.line_use(line.number) for line in document.non_blank]
        return {
            "lines": len(line_uses),
            "mapped": sum(use is not None and use.use is not Use.IGNORED for use in line_uses),
            "ignored": sum(use is not None and use.use is Use.IGNORED for use in line_uses),
            "unaccounted": partly,
            "characters": sum(chars.values()),
            "characters_mapped": chars[Use.FIELD] + chars[Use.SECTION] + chars[Use.APPENDED],
            "characters_appended": chars[Use.APPENDED],
            "characters_ignored": chars[Use.IGNORED],
            "characters_unaccounted": chars["unaccounted"],
        }
