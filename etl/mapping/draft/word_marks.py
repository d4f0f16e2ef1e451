"""Marks that print a word before their number (`基本目標1`, `施策1-1`): each word a level.

A plan of goals and measures numbers its headings with a word of its own, and the word
says the level: found on two or more short lines, each word becomes a mark ranked by
the parts of its number (`1` over `1-1`), then by where it is first printed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .schemes import Mark, is_name, mark_of

MIN_LINES = 2  # one such line may be anything; two or more make a level
WORD_RANK = 3  # the rank of `第1`: a word before a number heads what the plain numbers head
_NUMBER = "[0-9０-９]+(?:[－\\-‐ー][0-9０-９]+)*"
_WORD_NUMBER = re.compile(
    rf"^[\s\u3000]*(?P<word>[^\s\u3000\t0-9０-９\W]{{2,6}}?)(?P<number>{_NUMBER})[\s\u3000]+(?P<text>\S.*)$"
)
_PARTS = re.compile("[－\\-‐ー]")


def word_marks(lines: Sequence[str]) -> dict[int, Mark]:
    """The word mark of each line that starts with one and no other mark, by line index."""
    found: dict[int, tuple[str, int]] = {}
    for i, text in enumerate(lines):
        line = _WORD_NUMBER.match(text)
        if line and "\t" not in text and mark_of(text) is None and is_name(line["text"]):
            found[i] = (line["word"], len(_PARTS.split(line["number"])))
    counts: dict[tuple[str, int], int] = {}
    for kind in found.values():
        counts[kind] = counts.get(kind, 0) + 1
    kinds = sorted((kind for kind, count in counts.items() if count >= MIN_LINES), key=lambda kind: kind[1])
    marks = {kind: _mark(kind, WORD_RANK + depth) for depth, kind in enumerate(kinds)}
    return {i: marks[kind] for i, kind in found.items() if kind in marks}


def _mark(kind: tuple[str, int], rank: int) -> Mark:
    word, parts = kind
    example = word + "-".join(["1"] * parts)
    head = f"(?P<printed>{re.escape(word)}(?P<id>{_NUMBER}))"
    return Mark(example, example, rank, head, r"[\s\u3000]+")
