"""Bullets as a level of their own, and lists an export flattened.

Each bullet character (`●`, `・`, `○`, `-` …) is a level: a document that prints
`●研修の開催` with `・…` lines under it uses two. Their order is the order in which they
first appear, below every numbered mark.

A list whose nesting was lost prints a project and the items under it with one bullet
(`- 法人運営事業`, `- 理事会(4回)`). The mapping language tells them apart with
`sub_items` (docs/mapping-guide.md, `outline`); the draft proposes `counted` where the
sub-items end in a count in parentheses, and `detail` where the projects, and only
they, are followed by a bracketed line (their funding).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..patterns import compile_pattern
from ..subitems import COUNT_IN_PARENTHESES
from .schemes import BULLET, Mark, mark_of
from .word_marks import word_marks

MIN_FLAT = 2  # projects, and sub-items, a flattened list needs to be read as one
# A detail line under a flattened item: its funding or accounting unit in brackets.
DETAIL = r"^\s*（[^（）]{1,30}）\s*$"  # width-free, as the engine reads it: `(財源:会費)` too
_DETAIL = compile_pattern(DETAIL)
_COUNTED = compile_pattern(COUNT_IN_PARENTHESES)  # as the engine reads `counted`: either width
# A bullet line that breaks off mid-sentence (`…を推進するとともに、`) continues on the next line: no name.
_BROKEN = re.compile(r"[、，,をにがとでのはもへやて]$")


def document_marks(lines: Sequence[str]) -> list[Mark | None]:
    """The mark of every line, each bullet character a level of its own below the numbered ones."""
    bullets: dict[str, Mark] = {}
    marks: list[Mark | None] = []
    worded = word_marks(lines)
    for i, text in enumerate(lines):
        mark = worded.get(i) or mark_of(text)
        if mark is BULLET:
            char = text.strip()[0]
            mark = bullets.setdefault(char, bullet(char, BULLET.rank + len(bullets)))
        marks.append(mark)
    return marks


def bullet(char: str, rank: int) -> Mark:
    return Mark(f"{char} bullet", char, rank, re.escape(char))


def is_bullet(mark: Mark) -> bool:
    return mark.rank >= BULLET.rank


def breaks_off(name: str) -> bool:
    return bool(_BROKEN.search(name.strip()))


@dataclass(frozen=True)
class Flat:
    """How to tell a flattened list's projects from their sub-items."""

    rule: dict[str, object]  # the `sub_items` value
    why: str


def flattened(lines: Sequence[str], marks: Sequence[Mark | None], mark: Mark) -> Flat | None:
    """`sub_items` for the items of `mark`, when they print no text of their own under them
    but come in two kinds, each project opening a run of sub-items: counted sub-items
    (`理事会(4回)`), or projects followed by a detail line (`（財源：…）`)."""
    items = [index for index, found in enumerate(marks) if found is mark]
    under = [lines[i + 1] if i + 1 < len(lines) and marks[i + 1] is None else None for i in items]
    if sum(1 for text in under if text is not None and not _DETAIL.match(text)) * 2 > len(items):
        return None  # most items have text under them: an ordinary list
    counted = [bool(_COUNTED.search(_name(mark, lines[i]))) for i in items]
    heads = [k for k, sub in enumerate(counted) if not sub]
    if sum(counted) >= MIN_FLAT and len(heads) >= MIN_FLAT and _open_runs(items, heads, counted, 1):
        example = next(_name(mark, lines[i]) for i, sub in zip(items, counted, strict=True) if sub)
        why = f"{sum(counted)} items end in a count in parentheses (`{example}`): content of the item above"
        return Flat({"counted": True}, why)
    detailed = [text is not None and bool(_DETAIL.match(text)) for text in under]
    heads = [k for k, detail in enumerate(detailed) if detail]
    subs = [not detail for detail in detailed]
    if MIN_FLAT <= len(heads) <= len(items) - MIN_FLAT and _open_runs(items, heads, subs, 2):
        why = f"{len(heads)} items are followed by a line in brackets (their funding): projects; the others are content"
        return Flat({"detail": DETAIL}, why)
    return None


def _open_runs(items: Sequence[int], heads: Sequence[int], subs: Sequence[bool], gap: int) -> bool:
    """Whether most projects (`heads`, indexes into `items`) are followed, `gap` lines on, by a sub-item."""
    opened = sum(1 for k in heads if k + 1 < len(items) and items[k + 1] == items[k] + gap and subs[k + 1])
    return opened * 2 >= len(heads)


def _name(mark: Mark, text: str) -> str:
    found = mark.line.match(text)
    return found["text"] if found else text
