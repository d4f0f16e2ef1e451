"""List marks written by example instead of a regular expression.

An author writes the first mark of a level as it is printed — `(1)`, `1.`, `第1`, `①`,
`(ア)`, `イ`, `一`, `Ⅰ`, `A)`, `1-1` — a bullet such as `・`, `-`, `■`, `●`, or a bracket
such as `【…】`, `＜…＞` around the text; either width. The mark becomes a pattern
with the groups the layouts already know: `printed` (the mark as printed), `id` (the
number, for marks that count: `(ア)` is 1, `ロ` is 2, `Ⅳ` is 4) and the text after it
(`title` for a heading, `name` for a project). Bullets and brackets count nothing: their
items are numbered by position.

The sequences are those Word numbering uses (`etl/read/numbering.py`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..jp import nfkc, normalise_id
from ..read.numbering import format_number
from .width import fold

_ELLIPSIS = re.compile(r"…|\.\.\.|・・・")
_DASHED_ONE = re.compile(r"1(?:[-－‐]1)+")
_DASH = r"[-‐－−]"


@dataclass(frozen=True)
class _Sequence:
    first: str  # how its first mark is written in an example
    formats: tuple[str, ...]  # Word numbering formats that print it
    self_delimiting: bool  # a symbol of its own (①): the text may follow without a space
    extra: tuple[str, ...] = ()  # further marks, in order, that Word does not print


_UNICODE_ROMAN = tuple(chr(0x2160 + i) for i in range(12))
_SEQUENCES = (
    _Sequence("①", ("decimalEnclosedCircle",), self_delimiting=True),
    _Sequence("⑴", ("decimalEnclosedParen",), self_delimiting=True),
    _Sequence("⒈", ("decimalEnclosedFullstop",), self_delimiting=True),
    _Sequence("ア", ("aiueoFullWidth", "aiueo"), self_delimiting=False),
    _Sequence("イ", ("irohaFullWidth", "iroha"), self_delimiting=False),
    _Sequence("一", ("japaneseCounting",), self_delimiting=False),
    _Sequence("甲", ("ideographTraditional",), self_delimiting=False),
    _Sequence("Ⅰ", ("upperRoman",), self_delimiting=False, extra=_UNICODE_ROMAN),
    _Sequence("ⅰ", ("lowerRoman",), self_delimiting=False, extra=tuple(c.lower() for c in _UNICODE_ROMAN)),
    _Sequence("A", ("upperLetter",), self_delimiting=False),
    _Sequence("a", ("lowerLetter",), self_delimiting=False),
)
_FIRSTS = {seq.first: seq for seq in _SEQUENCES} | {"ｱ": _SEQUENCES[3], "ｲ": _SEQUENCES[4], "I": _SEQUENCES[7]}
_LONGEST_SEQUENCE = 99
KNOWN = "1 1. (1) 第1 1-1 ① ⑴ ア (ア) イ 一 Ⅰ ⅰ A a 甲 ・ - ■ ● 【…】 ＜…＞"


class MarkError(ValueError):
    """An example that names no known list mark."""


@dataclass(frozen=True)
class Mark:
    """A list mark given by example, as a pattern and the values of its counter."""

    example: str
    source: str  # the pattern: groups `printed`, `id` (if it counts) and the text group
    values: dict[str, int] | None  # counter text -> number; None for decimal numbers

    @property
    def counts(self) -> bool:
        return "(?P<id>" in self.source

    def number(self, counter: str) -> str:
        """The id of a printed counter: `ア` -> `1`, `（１２）`'s `１２` -> `12`, `1-2` -> `1-2`."""
        if self.values is None:
            return normalise_id(counter)
        value = self.values.get(counter) or self.values.get(nfkc(counter))
        return str(value) if value else normalise_id(counter)


@cache
def parse_mark(example: str, text_group: str) -> Mark:
    """The mark an author wrote as `example`; the text after it is group `text_group`."""
    written = example.strip()
    if not written:
        raise MarkError("empty list mark")
    if _ELLIPSIS.search(written):
        return _bracket(written, text_group)
    counter = _counter(written)
    if counter is not None:
        return _counted(written, counter, text_group)
    if all(unicodedata.category(char)[0] in "PS" for char in written):
        return Mark(example, _bullet(written, text_group), None)
    first = next((s.first for s in _SEQUENCES if any(c in _values(s) and not c.isascii() for c in written)), None)
    if first or any(char.isdigit() for char in written):
        raise MarkError(f"{example!r} is not the first mark of its sequence: write the level's first, {first or '1'!r}")
    raise MarkError(f"not a list mark: {example!r}")


@dataclass(frozen=True)
class _Counter:
    """Where in an example the counter stands, and what it matches."""

    start: int
    end: int
    pattern: str
    values: dict[str, int] | None  # None: decimal numbers, their own value
    tight: bool = False  # a symbol of its own (①): the text may follow without a space


def _counter(written: str) -> _Counter | None:
    folded = fold(written)
    for index, char in enumerate(folded):
        dashed = _DASHED_ONE.match(folded, index)
        if dashed:
            parts = dashed.group(0).count("1")
            return _Counter(index, dashed.end(), rf"[0-9]+(?:{_DASH}[0-9]+){{{parts - 1}}}", None)
        if char == "1":
            return _Counter(index, index + 1, "[0-9]+", None)
        sequence = _FIRSTS.get(char)
        if sequence is not None:
            values = _values(sequence)
            alternatives = "|".join(map(re.escape, sorted(values, key=len, reverse=True)))
            return _Counter(index, index + 1, alternatives, values, sequence.self_delimiting)
    return None


@cache
def _values(sequence: _Sequence) -> dict[str, int]:
    values: dict[str, int] = {}
    for fmt in sequence.formats:
        for value in range(1, _LONGEST_SEQUENCE + 1):
            text = format_number(value, fmt)
            if text == str(value) or text in values:
                break  # past the end of the sequence, or round again
            values[text] = value
    for value, text in enumerate(sequence.extra, start=1):
        values.setdefault(text, value)
    return values


def _counted(written: str, counter: _Counter, text_group: str) -> Mark:
    prefix, suffix = written[: counter.start], written[counter.end :]
    gap = r"\s*" if suffix or counter.tight else r"\s+"  # `1 理事会`, not `10月に…`; `(1)理事会`, `①理事会`
    source = (
        rf"^\s*(?P<printed>{re.escape(prefix)}(?P<id>{counter.pattern}){re.escape(suffix)})"
        rf"{gap}(?P<{text_group}>\S(?:.*\S)?)\s*$"
    )
    return Mark(written, source, counter.values)


def _bullet(written: str, text_group: str) -> str:
    return rf"^\s*(?P<printed>{re.escape(written)})\s*(?P<{text_group}>\S(?:.*\S)?)\s*$"


def _bracket(written: str, text_group: str) -> Mark:
    opening, closing = (part.strip() for part in _ELLIPSIS.split(written, maxsplit=1))
    if not opening or not closing:
        raise MarkError(f"a bracket mark needs both brackets around the ellipsis: {written!r}")
    brackets = "".join(_in_set(char) for char in sorted(set(opening + closing)))
    edge = rf"[^{brackets}\s]"  # no bracket inside: `(ア)会議(3回)` is no label
    inside = rf"(?P<{text_group}>{edge}(?:[^{brackets}]*{edge})?)"
    source = rf"^\s*(?P<printed>{re.escape(opening)}\s*{inside}\s*{re.escape(closing)})\s*$"
    return Mark(written, source, None)


def pattern_or_mark(item: Mapping[str, Any], text_group: str) -> tuple[str, Mark | None]:
    """The pattern of a rule that gives either a `pattern` or a named `mark`."""
    if "mark" in item:
        mark = parse_mark(item["mark"], text_group)
        return mark.source, mark
    return item["pattern"], None


def _in_set(char: str) -> str:
    return f"\\{char}" if char in "\\]-[^" else char


def mark_problems(data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """Every `mark` of a mapping that names no list mark, with its key path and the reason."""
    places: list[tuple[tuple[str | int, ...], Any]] = [
        (("sections", index, "mark"), item.get("mark")) for index, item in enumerate(data.get("sections", []))
    ]
    project = data.get("layout", {}).get("project")
    if isinstance(project, dict):
        places.append((("layout", "project", "mark"), project.get("mark")))
    problems = []
    for path, example in places:
        if isinstance(example, str):
            try:
                parse_mark(example, "title")
            except MarkError as err:
                problems.append((path, str(err)))
    return problems
