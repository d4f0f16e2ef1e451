"""Flattened lists: telling a project from its sub-items when both carry the same mark.

A list whose nesting was lost (a PDF or web page made flat) prints a project and the
items under it with one mark:

    - 法人運営事業
    - 理事会(4回)
    - 評議員会(3回)
    - 広報活動の推進

The mapping declares how to tell them apart, with exactly one of `counted` (an item
ending in a count in parentheses is a sub-item), `pattern` (an item whose name
matches is a sub-item), `projects` (the known project names; every other item is a
sub-item) or `detail` (a project is followed by a detail line matching this, such as
its funding). Sub-items are content of the project above them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .patterns import Pattern, compile_pattern
from .width import fold

COUNT_IN_PARENTHESES = r"\([^()]*[0-9]+[^()]*\)\s*$"


@dataclass(frozen=True)
class SubItemsOptions:
    """`sub_items` of the mapping: exactly one of them is set (the schema says so)."""

    counted: bool = False
    pattern: str = ""
    projects: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class SubItems:
    pattern: Pattern | None = None
    projects: frozenset[str] | None = None
    detail: Pattern | None = None

    @classmethod
    def from_options(cls, options: SubItemsOptions | None) -> SubItems | None:
        if options is None:
            return None
        if options.counted:
            return cls(pattern=compile_pattern(COUNT_IN_PARENTHESES))
        if options.pattern:
            return cls(pattern=compile_pattern(options.pattern))
        if options.projects:
            return cls(projects=frozenset(_same(name) for name in options.projects))
        return cls(detail=compile_pattern(options.detail))

    def is_sub_item(self, name: str, next_line: str | None) -> bool:
        """Whether the item named `name`, followed by `next_line`, belongs to the project above."""
        if self.pattern is not None:
            return bool(self.pattern.search(name))
        if self.projects is not None:
            return _same(name) not in self.projects
        assert self.detail is not None  # exactly one way is declared
        return next_line is None or not self.detail.search(next_line)


def _same(name: str) -> str:
    """A name as compared: width and surrounding spaces do not count."""
    return fold(name).strip()
