"""Lines chosen by what Word knows: a heading's outline level, a list item's level.

A `sections` item or `layout.project` may give `heading_level: N` (a paragraph styled
見出しN / Heading N, or of outline level N) or `list_level: N` (an item of a Word
numbered or bulleted list at level N, 1 the outermost) instead of, or besides, a
`pattern` or a named `mark`. With a level only, the whole line is the title (the
project's name), less the list number Word printed before it (`1 `, `(1) `, `・`): no
id is read, items are numbered by their place. With a pattern or mark as well, a line
must be at the level and match.

Only Word documents carry these levels (`etl/read/docx.py`); a text file has none,
which `structure_problems` says when a mapping asks for them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..problems import Location, Problem, problem
from ..read.source import SourceDocument, SourceLine
from .marks import KNOWN, Mark, parse_mark, pattern_or_mark
from .patterns import Match, Pattern, compile_pattern

if TYPE_CHECKING:
    from .loader import Mapping as MappingFile

LEVEL_KEYS = ("heading_level", "list_level")
_LINE_START = r"^\s*"
# A bullet Word prints that no named mark knows (`•`, `◆`, `✓`); an opening bracket is text.
_ANY_BULLET = r"(?P<printed>[^\w\s(（「『【〔［\[<＜〈《])\s*"


@dataclass(frozen=True)
class LineRule:
    """A pattern that only lines at a Word heading or list level may match (level 0: any line)."""

    pattern: Pattern
    heading_level: int = 0
    list_level: int = 0

    @property
    def groupindex(self) -> Mapping[str, int]:
        return self.pattern.groupindex

    def selects(self, line: SourceLine) -> bool:
        return (not self.heading_level or line.heading == self.heading_level) and (
            not self.list_level or line.list_level == self.list_level
        )

    def match(self, line: SourceLine) -> Match[str] | None:
        return self.pattern.match(line.text) if self.selects(line) else None


def line_rule(item: Mapping[str, Any], text_group: str) -> tuple[LineRule, Mark | None]:
    """The rule of a `sections` item or `layout.project` object; the text after the mark is `text_group`."""
    if "pattern" in item or "mark" in item:
        source, mark = pattern_or_mark(item, text_group)
    else:
        source, mark = labelled_text(text_group), None
    return LineRule(compile_pattern(source), item.get("heading_level", 0), item.get("list_level", 0)), mark


@cache
def labelled_text(text_group: str) -> str:
    """A whole line as `text_group`, less a list number printed before it (any named mark or a bullet)."""
    labels = [label for example in KNOWN.split() if (label := _label(example, text_group))]
    return rf"{_LINE_START}(?:{'|'.join([*labels, _ANY_BULLET])})?(?P<{text_group}>\S(?:.*\S)?)\s*$"


def _label(example: str, text_group: str) -> str | None:
    """The mark part of a named mark's pattern (its `printed` group and the gap), without the id."""
    if "…" in example:  # a bracket (`【…】`) holds the text: no label before it
        return None
    source = parse_mark(example, text_group).source
    text = rf"(?P<{text_group}>\S(?:.*\S)?)\s*$"
    if not (source.startswith(_LINE_START) and source.endswith(text)):
        return None
    return source[len(_LINE_START) : -len(text)].replace("(?P<id>", "(?:")


def level_rules(data: Mapping[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str, int]]:
    """Every Word level a mapping asks for: (key path, `heading_level` or `list_level`, level)."""
    items: list[tuple[tuple[str | int, ...], Any]] = [
        (("sections", index), item) for index, item in enumerate(data.get("sections", []))
    ]
    items.append((("layout", "project"), data.get("layout", {}).get("project")))
    for path, item in items:
        if isinstance(item, dict):
            for key in LEVEL_KEYS:
                if key in item:
                    yield (*path, key), key, item[key]


def level_notes(data: Mapping[str, Any]) -> list[str]:
    """What each Word level of a mapping chooses, for `mapping explain`."""
    what = {"heading_level": "Word headings of level {} (見出し{})", "list_level": "items of Word lists at level {}"}
    return [f"{_dotted(path)} {level}: only {what[key].format(level, level)}" for path, key, level in level_rules(data)]


def structure_problems(mapping: MappingFile, document: SourceDocument) -> list[Problem]:
    """A warning for each level the mapping asks for that no line of the document has."""
    present = {
        "heading_level": {line.heading for line in document.lines},
        "list_level": {line.list_level for line in document.lines},
    }
    return [
        _missing_level(mapping, document, path, key, level)
        for path, key, level in level_rules(mapping.data)
        if level not in present[key]
    ]


def _missing_level(
    mapping: MappingFile, document: SourceDocument, path: tuple[str | int, ...], key: str, level: int
) -> Problem:
    line, column = mapping.source.place(path) or (None, None)
    dotted = _dotted(path)
    what = ("見出し", "heading") if key == "heading_level" else ("箇条書き・番号付きリスト", "list item")
    name = Path(document.path).name
    return problem(
        "mapping.no_structure_level",
        Location(file=mapping.path, line=line, column=column, key=dotted),
        ja=f"{dotted}: 文書 {name} にレベル {level} の{what[0]}の行がありません",
        en=f"{dotted}: no {what[1]} line of level {level} in {name}",
        hint="見出しスタイル・リストのレベルは Word 文書（.docx）だけが持ちます。"
        "テキストなら pattern か mark で書いてください",
        field=dotted,
    )


def _dotted(path: tuple[str | int, ...]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")
