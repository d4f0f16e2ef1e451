"""Text a draft cannot place, put where the clerk sees it: each such line becomes an
`ignore` rule whose reason starts with `TODO` and names the line, so that the draft
passes `mapping check` without hiding anything (the closing comment lists them again).

Only whole lines are proposed: a piece left over on a line that a rule took in part
(a heading followed by text) would lose that rule's part if the line were ignored, so
it stays unaccounted and is listed as such.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import regex

from ..coverage import Leftover
from .shapes import Entry

MAX_RULES = 100  # distinct texts proposed as TODO rules; more than that stays unaccounted, listed
SHOWN_LINES = 5  # line numbers named in one rule's reason
_METACHARACTERS = frozenset(".^$*+?{}[]\\|()#")
_SPACES = regex.compile(r"(\s+)")  # as the patterns read spaces (the `regex` module's \s, not str.isspace)
_EDGES = regex.compile(r"^\s+|\s+$")
_BY_CODE_POINT = frozenset({"Zl", "Zp"})  # line and paragraph separators: some YAML readers break lines at them


@dataclass(frozen=True)
class TodoLine:
    """A whole line no rule of the draft places."""

    number: int
    text: str  # as the mapping's rules see it (after `clean`)


def literal(text: str) -> str:
    """A pattern for `text` as printed: metacharacters escaped, control characters by code
    point, each run of spaces (either width) or tabs as `\\s+`."""
    out: list[str] = []
    for chunk in _SPACES.split(text):
        if not chunk:
            continue
        if _SPACES.fullmatch(chunk):
            out.append(r"\s+")
            continue
        out.extend(_escaped(char) for char in chunk)
    return "".join(out)


def _escaped(char: str) -> str:
    if char in _METACHARACTERS:
        return "\\" + char
    if unicodedata.category(char) in _BY_CODE_POINT or unicodedata.category(char)[0] == "C":
        return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"
    return char


def _stripped(text: str) -> str:
    return _EDGES.sub("", text)


def whole_lines(leftovers: Sequence[Leftover], text_of: Callable[[int], str]) -> list[TodoLine]:
    """The lines whose every printed character is unaccounted, in order, as many distinct
    texts as there may be rules (the rest stays unaccounted and listed)."""
    pieces: dict[int, list[str]] = {}
    for left in leftovers:
        pieces.setdefault(left.line, []).append(left.text)
    found = []
    for number, texts in pieces.items():
        text = text_of(number)
        if "".join("".join(piece.split()) for piece in texts) == "".join(text.split()):
            found.append(TodoLine(number, _stripped(text)))
    kept = list(dict.fromkeys(line.text for line in found))[:MAX_RULES]
    return [line for line in found if line.text in set(kept)]


def ignore_rules(todo: Sequence[TodoLine]) -> list[Entry]:
    """One `ignore` rule per distinct text, its reason a TODO naming the lines it stands on."""
    by_text: dict[str, list[int]] = {}
    for line in todo:
        by_text.setdefault(line.text, []).append(line.number)
    rules = []
    for text, numbers in by_text.items():
        shown = ", ".join(map(str, numbers[:SHOWN_LINES])) + (" …" if len(numbers) > SHOWN_LINES else "")
        where = f"line {shown}" if len(numbers) == 1 else f"lines {shown} ({len(numbers)} lines)"
        reason = f"TODO: no rule of the draft places this text ({where}); give it a field, or keep ignoring it"
        rules.append(Entry("", {"pattern": rf"^\s*{literal(text)}\s*$", "reason": reason}, f"TODO: {text[:40]}"))
    return rules
