"""Text with origins: every character keeps the line and column it was read at.

The mapping steps change text (`clean` cuts noise out of a line, a layout strips a
cell's tab) but coverage is counted on the document as read, character by character.
A `Traced` is a string plus, for each of its characters, its `Place` (line number,
0-based column) in the read document; a separator a step inserts has no place (None).
A `SourceLine` carries the places of its text once a step changed it (`places`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from ..read.source import Place, SourceLine
from .patterns import Pattern

# No place: a character a mapping step inserted (a separator of joined cells).
Origin = Place | None


@dataclass(frozen=True)
class Traced:
    text: str
    places: tuple[Origin, ...]

    def __post_init__(self) -> None:
        assert len(self.text) == len(self.places), "one place per character"

    def __getitem__(self, key: slice) -> Traced:
        return Traced(self.text[key], self.places[key])

    def strip(self) -> Traced:
        start = len(self.text) - len(self.text.lstrip())
        end = len(self.text.rstrip())
        return self[start : max(start, end)]

    def split(self, separator: str) -> list[Traced]:
        parts, start = [], 0
        for part in self.text.split(separator):
            parts.append(self[start : start + len(part)])
            start += len(part) + len(separator)
        return parts

    def cut(self, pattern: Pattern) -> tuple[Traced, list[Origin]]:
        """This text without what `pattern` finds (like `pattern.sub("", text)`), and the
        places of the characters cut."""
        kept: list[Traced] = []
        removed: list[Origin] = []
        start = 0
        for found in pattern.finditer(self.text):
            kept.append(self[start : found.start()])
            removed.extend(self.places[found.start() : found.end()])
            start = found.end()
        kept.append(self[start:])
        return join("", kept), removed

    def located(self) -> list[Place]:
        return [place for place in self.places if place is not None]


def join(separator: str, parts: Iterable[Traced]) -> Traced:
    """Like `separator.join`, the separators without a place."""
    text: list[str] = []
    places: list[Origin] = []
    for index, part in enumerate(parts):
        if index:
            text.append(separator)
            places.extend([None] * len(separator))
        text.append(part.text)
        places.extend(part.places)
    return Traced("".join(text), tuple(places))


def traced(line: SourceLine) -> Traced:
    """The line's text with the place of each character."""
    if line.places is not None:
        return Traced(line.text, line.places)
    return Traced(line.text, tuple((line.number, column) for column in range(len(line.text))))


def retext(line: SourceLine, text: Traced) -> SourceLine:
    """`line` holding `text` (cleaned, sliced) instead of its own."""
    return dataclasses.replace(line, text=text.text, places=_located(text))


def _located(text: Traced) -> tuple[Place, ...]:
    assert None not in text.places, "a line's own characters all have a place"
    return text.places  # type: ignore[return-value]
