"""Nothing lost, provably: which rule took each non-blank line of a document."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..read.source import SourceDocument, SourceLine


class Use(StrEnum):
    FIELD = "field"  # became (part of) a record field
    SECTION = "section"  # a heading that places the records below it
    IGNORED = "ignored"  # explicitly dropped by a rule of the mapping


@dataclass(frozen=True, slots=True)
class LineUse:
    """What one source line became, and the mapping rule that decided it."""

    line: int
    use: Use
    rule: str  # the mapping key that took it, e.g. `layout.columns[2]`, `ignore[0]`
    target: str = ""  # e.g. `1-1-1.purpose`


@dataclass
class Coverage:
    uses: dict[int, LineUse] = field(default_factory=dict)

    def take(self, line: SourceLine, use: Use, rule: str, target: str = "") -> None:
        """Record the first rule that took `line`; blank lines need no rule."""
        if not line.is_blank and line.number not in self.uses:
            self.uses[line.number] = LineUse(line.number, use, rule, target)

    def unaccounted(self, document: SourceDocument) -> list[SourceLine]:
        return [line for line in document.non_blank if line.number not in self.uses]

    def summary(self, document: SourceDocument) -> dict[str, int]:
        counts = {use.value: 0 for use in Use}
        for line_use in self.uses.values():
            counts[line_use.use.value] += 1
        return {
            "lines": len(document.non_blank),
            "mapped": counts[Use.FIELD] + counts[Use.SECTION],
            "ignored": counts[Use.IGNORED],
            "unaccounted": len(self.unaccounted(document)),
        }
