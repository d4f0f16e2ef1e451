"""Where each policy block (基本方針, 重点目標 …) ends, and the `end` rule that ends it there.

The engine ends a block at the next policy heading, at a section heading, or at a line
matching the rule's `end`. A draft reads the blocks first (their lines are no outline)
and then says in `end` where each one stopped:

- a heading in brackets (`【方針】`) runs to the next `【…】` line, when one follows;
- a block that opens with a list (`1 相談支援体制の強化` right under `重点目標`) holds
  that list: it ends at a list mark of an outer rank (`Ⅰ 法人運営事業`), or at the line
  where the list's numbers start again (that line: the mark would take the list too); a
  list with numbered items under its own is the document's outline, and the block ends
  where it starts;
- a block of prose ends at the first numbered or bulleted name, or at a short unnumbered
  name printed after a blank line (`総務課`, a department heading).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ...jp import nfkc
from .bullets import bullet
from .schemes import BULLET, Mark, is_name, mark_of

_WS = r"[\s\u3000]*"
BRACKET_END = rf"^{_WS}【"
UNMARKED_NAME = 20  # characters of an unnumbered heading that ends a prose block (福祉総務課)


@dataclass(frozen=True)
class Block:
    start: int  # index of the heading line
    stop: int  # index of the first line after the block (len(lines) at the end)
    end: str | None  # the pattern of the line that ends it, None when it runs to the end


def policy_blocks(
    lines: Sequence[str], is_heading: Callable[[str], bool], one_line: Callable[[str], bool] = lambda _: False
) -> list[Block]:
    """Every policy block of `lines` (headings found by `is_heading`), with where it stops; a
    heading that prints its text on its own line (`one_line`) is the whole block."""
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        if not is_heading(lines[index]):
            index += 1
            continue
        stop, end = (index + 1, None) if one_line(lines[index]) else _stop(lines, index, is_heading)
        blocks.append(Block(index, stop, end))
        index = stop
    return blocks


def _stop(lines: Sequence[str], start: int, is_heading: Callable[[str], bool]) -> tuple[int, str | None]:
    heading = lines[start]
    if heading.lstrip().startswith("【") and any(text.lstrip().startswith("【") for text in lines[start + 1 :]):
        stop = next(i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("【"))
        return stop, BRACKET_END
    scan = _Scan()
    blank_before = False
    for i in range(start + 1, len(lines)):
        text = lines[i]
        if not text.strip():
            blank_before = True
            continue
        if is_heading(text):
            return i, None
        end = scan.end_at(i, text, blank_before)
        if scan.nested and scan.inner is not None:  # the list was the document's outline, not the block's
            return scan.list_start, scan.inner.named()
        if end is not None:
            return i, end
        blank_before = False
    return len(lines), None


@dataclass
class _Scan:
    """What a block holds so far: the list it opens with (and its numbers), or prose."""

    inner: Mark | None = None
    list_start: int = 0  # the line the list starts at
    numbers: list[str] = field(default_factory=list)
    prose: bool = False
    nested: bool = False  # numbered items under the list's: an outline, which no policy block holds

    def end_at(self, index: int, text: str, blank_before: bool) -> str | None:
        """The `end` pattern when `text` ends the block, else None (and `text` is the block's)."""
        mark = mark_of(text)
        named = mark is not None and mark is not BULLET and _is_named_item(mark, text)
        if named and not self.prose:
            if self.inner is None:
                self.inner, self.list_start = mark, index
            self.nested = mark.rank > self.inner.rank
            if _leaves_list(mark, text, self.inner, self.numbers):
                return mark.named() if mark.rank < self.inner.rank else _this_line(text)  # a restart: the list's mark
            self.numbers.append(_number(mark, text))
        elif named and self.inner is None:
            return mark.named()
        elif self.prose and mark is BULLET and _is_named_item(mark, text):  # `◎ 心配ごと相談事業` after the text
            return bullet(text.strip()[0], BULLET.rank).named()
        elif mark is None and blank_before and _short_name(text) and self.inner is None:
            return _this_line(text)
        elif mark is None and self.inner is None:
            self.prose = True
        return None


def _is_named_item(mark: Mark, text: str) -> bool:
    found = mark.line.match(text)
    return is_name(found["text"] if found and mark.rank else text)


def _leaves_list(mark: Mark, text: str, listed: Mark, numbers: Sequence[str]) -> bool:
    """A mark of an outer rank, or the list's own mark numbering from its start again."""
    if mark is not listed:
        return mark.rank < listed.rank
    number = _number(mark, text)
    return bool(numbers) and number == numbers[0]


def _number(mark: Mark, text: str) -> str:
    found = mark.line.match(text)
    return nfkc(found.groupdict().get("id") or "") if found else ""


def _this_line(text: str) -> str:
    return rf"^{_WS}{re.escape(text.strip())}{_WS}$"


def _short_name(text: str) -> bool:
    body = text.strip()
    return is_name(body) and len(body) <= UNMARKED_NAME and not re.search(r"[、。，]", body)


def end_rule(blocks: Sequence[Block]) -> str | None:
    """One `end` for every block: the alternatives that end them (the engine's own stops need none)."""
    ends = sorted({block.end for block in blocks if block.end})
    if not ends:
        return None
    if len(ends) == 1:
        return ends[0]
    return "|".join(f"(?:{end})" for end in ends)
