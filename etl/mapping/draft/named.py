"""Named list marks (`mark: '(1)'`) in place of patterns, wherever the language can say it.

The draft infers each level as a pattern (`schemes.py`): it needs one to tell a heading
from a sentence printed with the same mark, a full-width space from a half-width one, a
word before the number. A clerk reads `{level: 2, mark: '(1)'}` at a glance, so a level
is written with its named mark (docs/mapping-guide.md, "list marks by name") when, on
this document, the mark takes exactly the lines the pattern takes and reads the same
text from each; otherwise the pattern stays, and its comment says what the mark would
take or miss.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..marks import MarkError, parse_mark
from ..patterns import compile_pattern
from ..width import fold
from .shapes import Entry, Shape

SHOWN = 40  # characters of a line quoted in a comment
_KATAKANA = re.compile(r"[ァ-ヶｦ-ﾝ]")
_CIRCLED = re.compile(r"[①-⑳㉑-㉟㊱-㊿]")
_ROMAN_UPPER = re.compile(r"[Ⅰ-Ⅻ]+")
_ROMAN_LOWER = re.compile(r"[ⅰ-ⅻ]+")
_KANJI = re.compile(r"[一二三四五六七八九十]+")
_NUMBER = re.compile(r"[0-9]+")
_FOLDED = frozenset("（）．－　")  # written half-width in a mark; other punctuation (`：`) stays as printed
_BRACKETS = {"【": "】", "＜": "＞", "<": ">", "〈": "〉", "《": "》", "［": "］", "[": "]", "(": ")", "（": "）"}


@dataclass(frozen=True)
class Choice:
    """How a level is written: `{'mark': …}` or `{'pattern': …}`, and why."""

    rule: dict[str, str]
    why: str


def first_mark(printed: str) -> str | None:
    """The first mark of the sequence `printed` belongs to, as a mapping names it:
    `（３）` -> `(1)`, `ウ.` -> `ア.`, `５－２` -> `1-1`; None when it is no mark."""
    text = "".join(fold(char) if char.isalnum() or char in _FOLDED else char for char in printed.strip())
    if not text:
        return None
    for pattern, first in (
        (_NUMBER, "1"),
        (_CIRCLED, "①"),
        (_ROMAN_UPPER, "Ⅰ"),
        (_ROMAN_LOWER, "ⅰ"),
        (_KANJI, "一"),
        (_KATAKANA, "ア"),
    ):
        if pattern.search(text):
            return pattern.sub(first, text)
    return None


def unnumbered_mark(line: str) -> str | None:
    """The mark of a line that prints no number: a bracket around it all (`【…】`) or a bullet (`●`)."""
    text = line.strip()
    closing = _BRACKETS.get(text[:1])
    if closing and text.endswith(closing):
        return f"{text[0]}…{closing}"
    if text and not text[0].isalnum() and not text[0].isspace():
        return text[0]
    return None


def choose(pattern: str, text_group: str, lines: Sequence[str]) -> Choice:
    """The named mark for the lines `pattern` takes in `lines`, if it takes exactly those."""
    regex = compile_pattern(pattern)
    taken = {index: found for index, text in enumerate(lines) if (found := regex.match(text))}
    if not taken:
        return Choice({"pattern": pattern}, "")
    first = next(iter(taken.values()))
    printed = first.groupdict().get("printed")
    example = first_mark(printed) if printed else unnumbered_mark(first.string)
    if example is None:
        return Choice({"pattern": pattern}, "a pattern: the lines start with no list mark the language names")
    try:
        mark = compile_pattern(parse_mark(example, text_group).source)
    except MarkError:
        return Choice({"pattern": pattern}, f"a pattern: `{example}` is no list mark the language names")
    by_mark = {index: found for index, text in enumerate(lines) if (found := mark.match(text))}
    extra = sorted(set(by_mark) - set(taken))
    if extra:
        why = f"a pattern: `mark: '{example}'` would also take `{lines[extra[0]].strip()[:SHOWN]}`"
        return Choice({"pattern": pattern}, f"{why} ({len(extra)} such lines)")
    differing = [i for i in taken if i not in by_mark or by_mark[i][text_group] != taken[i][text_group]]
    if differing:
        why = f"a pattern: `mark: '{example}'` would read `{lines[differing[0]].strip()[:SHOWN]}` otherwise"
        return Choice({"pattern": pattern}, f"{why} (the mark needs a space after a bare number, reads to the end)")
    return Choice({"mark": example}, f"the list mark `{example}`, either width")


def with_named_marks(shape: Shape, lines: Sequence[str]) -> Shape:
    """`shape` with each section and the outline's project written as a named mark where it can be."""
    sections = [_section(entry, lines) for entry in shape.sections]
    entries = [_project(entry, lines) if entry.key == "project" else entry for entry in shape.entries]
    return Shape(shape.layout, entries, sections, shape.ignore, shape.markers)


def _section(entry: Entry, lines: Sequence[str]) -> Entry:
    value = entry.value
    if not isinstance(value, dict) or "pattern" not in value:
        return entry
    choice = choose(str(value["pattern"]), "title", lines)
    rule = {key: item for key, item in value.items() if key != "pattern"} | choice.rule
    return Entry(entry.key, rule, _joined(entry.comment, choice.why))


def _project(entry: Entry, lines: Sequence[str]) -> Entry:
    if not isinstance(entry.value, str):
        return entry
    choice = choose(entry.value, "name", lines)
    value: object = choice.rule if "mark" in choice.rule else entry.value
    return Entry(entry.key, value, _joined(entry.comment, choice.why))


def _joined(comment: str, why: str) -> str:
    return f"{comment}; {why}" if comment and why else comment or why
