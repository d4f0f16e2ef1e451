"""Draft from what Word knows: heading styles and list levels before marks read in the text.

A Word document says which paragraphs are headings (見出し1, 見出し2 …) and which are
items of a numbered or bulleted list, at which level, even where no number is printed
or the numbers exist only in numbering.xml (`etl/read/docx.py` keeps both on the line).
When the lines carry such levels, the project level is chosen among them as `levels.py`
chooses among printed marks: the deepest level whose items are names that repeat about
as often as the most repeated one and carry content; or the level of the `--example`
names. The levels above it whose items hold projects head sections. The draft selects
the lines by level (`heading_level`, `list_level`, see `etl/mapping/structure.py`),
with the printed mark as well where every item of the level prints one.

Headings also head the sections of a Word table of projects, which the text layouts
read as they read a text table. Lines without levels (text, PDF, Excel, a Word file
typed as plain paragraphs) leave the draft to the text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import takewhile
from typing import Any

from ...read.source import SourceLine
from ..marks import MarkError, parse_mark
from ..patterns import compile_pattern
from ..structure import labelled_text
from . import noise
from .levels import (
    NO_PROJECT,
    ROUGHLY_AS_MANY,
    ItemStats,
    folded,
    outline_layout,
    trailing_tags,
)
from .schemes import BULLET, Mark, is_name, mark_of
from .shapes import Entry, Shape

Level = tuple[str, int]  # ("heading_level" | "list_level", n)
HOLDS_PROJECTS = 0.5  # share of a level's items with projects under them, for it to head sections
_LIST_BELOW_HEADINGS = 10  # list items rank below every heading
_NAME = compile_pattern(labelled_text("name"))


@dataclass(frozen=True)
class _Item:
    text: str  # as the draft reads it (inline noise cleaned)
    level: Level | None

    @property
    def name(self) -> str:
        found = _NAME.match(self.text)
        return found["name"] if found else self.text.strip()


def rank(level: Level) -> int:
    kind, depth = level
    return depth if kind == "heading_level" else _LIST_BELOW_HEADINGS + depth


def level_of(line: SourceLine) -> Level | None:
    if line.heading:
        return "heading_level", line.heading
    if line.list_level:
        return "list_level", line.list_level
    return None


def word_outline(lines: Sequence[SourceLine], texts: Sequence[str], examples: Sequence[str] = ()) -> Shape | None:
    """The outline of a document whose lines carry Word levels, or None to leave it to the text.

    `texts` are the lines' texts as the draft reads them (inline noise cleaned), one per line.
    Where the projects are numbered by hand under Word headings (`(1) 理事会` typed as a
    plain paragraph), the headings head the sections the text's marks find below them."""
    items = _body(lines, texts)
    if not any(item.level for item in items):
        return None
    stats = _stats(items)
    project, reason = _by_example(items, examples) if examples else (None, "")
    if project is None:
        project, reason = _by_shape(stats)
        if project is None or _is_heading(project):  # list items typed by hand may be the projects
            typed = _typed_under_headings(items, examples)
            if typed is not None:
                return typed
        if examples:
            reason = f"TODO: no item is named {', '.join(examples)}; {reason}"
    if project is None:
        return None
    sections = [
        level
        for level in sorted(stats, key=rank)
        if rank(level) < rank(project) and _holds(items, level, lambda item: item.level == project)
    ]
    return _shape(items, stats, project, reason, sections)


def word_table_sections(shape: Shape, lines: Sequence[SourceLine], texts: Sequence[str]) -> Shape:
    """A table of projects under Word headings: the headings head its sections, above those
    the text found (a unit row)."""
    items = _body(lines, texts)
    return _below_headings(shape, _headings(items), items)


def _typed_under_headings(items: list[_Item], examples: Sequence[str]) -> Shape | None:
    """The text's outline of what is not a Word heading, under the Word headings that hold its projects."""
    shape = outline_layout([item.text for item in items if not _is_heading(item.level)], examples)
    project = next(str(entry.value) for entry in shape.entries if entry.key == "project")
    if project == NO_PROJECT:
        return None
    pattern = compile_pattern(project)
    held = [
        level
        for level in _headings(items)
        if _holds(items, level, lambda item: not _is_heading(item.level) and bool(pattern.match(item.text)))
    ]
    return _below_headings(shape, held, items) if held else None


def _headings(items: list[_Item]) -> list[Level]:
    return sorted({item.level for item in items if item.level and _is_heading(item.level)}, key=rank)


def _is_heading(level: Level | None) -> bool:
    return level is not None and level[0] == "heading_level"


# How a layout's options that name section levels move when Word headings are put above its sections.
_MOVED: dict[str, Callable[[Any, int], Any]] = {
    "category_level": lambda level, above: level + above,
    "heading_projects": lambda levels, above: [level + above for level in levels],
    "id_levels": lambda levels, above: [*range(1, above + 1), *(level + above for level in levels)],
    "id_sections": lambda levels, above: [*range(1, above + 1), *(level + above for level in levels)],
}


def _below_headings(shape: Shape, headings: list[Level], items: list[_Item]) -> Shape:
    """`shape` with the Word `headings` as its top section levels and its own levels moved down."""
    above = len(headings)
    if not above:
        return shape
    tops = [_section(level, depth, items) for depth, level in enumerate(headings, start=1)]
    printed = {mark.named() for level in headings if (mark := _selector(items, level)[1]) is not None}
    shape = _without_heading_marks(shape, printed)
    below = [
        Entry(e.key, {**e.value, "level": e.value["level"] + above}, e.comment)  # type: ignore[dict-item]
        for e in shape.sections
    ]
    entries = [
        Entry(e.key, _MOVED[e.key](e.value, above), f"{e.comment}, below the Word headings") if e.key in _MOVED else e
        for e in shape.entries
    ]
    if shape.layout == "outline" and not any(e.key == "id_sections" for e in entries):
        why = "item numbers restart under each Word heading: ids carry the headings'"
        entries.insert(2, Entry("id_sections", list(range(1, above + 1)), why))
    return Shape(shape.layout, entries, [*tops, *below], shape.ignore, shape.markers)


def _without_heading_marks(shape: Shape, marks: set[str]) -> Shape:
    """`shape` without the section levels of a table whose mark the Word headings print (`１　法人運営部門`
    styled 見出し2): those lines are the headings, and the level would take a list of the same
    mark elsewhere (the items of 重点目標) for a section. The levels named after it move up."""
    dropped = [i + 1 for i, e in enumerate(shape.sections) if e.value.get("pattern") in marks]  # type: ignore[union-attr]
    if not dropped or shape.layout != "row_table":
        return shape

    def moved(level: int) -> int:
        return level - sum(1 for gone in dropped if gone < level)

    sections = [
        Entry(e.key, {**e.value, "level": moved(e.value["level"])}, e.comment)  # type: ignore[dict-item]
        for i, e in enumerate(shape.sections)
        if i + 1 not in dropped
    ]
    levels: dict[str, Callable[[Any], Any]] = {
        "id_levels": lambda values: [moved(level) for level in values if level not in dropped],
        "category_level": moved,
    }
    entries = [Entry(e.key, levels[e.key](e.value), e.comment) if e.key in levels else e for e in shape.entries]
    return Shape(shape.layout, entries, sections, shape.ignore, shape.markers)


def _body(lines: Sequence[SourceLine], texts: Sequence[str]) -> list[_Item]:
    """The non-blank lines with their levels, policy blocks left out: a block ends at the next
    Word heading, or in a document without headings at the next list item."""
    items: list[_Item] = []
    in_policy = False
    has_headings = any(line.heading for line in lines)
    for line, text in zip(lines, texts, strict=False):
        if not text.strip():
            continue
        level = level_of(line)
        if noise.is_policy_heading(text):
            in_policy = True
            continue
        if in_policy and level and (_is_heading(level) or not has_headings):
            in_policy = False
        if not in_policy:
            items.append(_Item(text, level))
    return items


def _stats(items: list[_Item]) -> dict[Level, ItemStats]:
    """Each level's items, how many are names, how many have content (text or deeper items) right under them."""
    stats: dict[Level, ItemStats] = {}
    for i, item in enumerate(items):
        if item.level is None:
            continue
        entry = stats.setdefault(item.level, ItemStats())
        entry.count += 1
        if is_name(item.name):
            entry.names += 1
            if len(entry.examples) < 3:  # three examples in a comment are enough
                entry.examples.append(item.name.strip())
        following = items[i + 1].level if i + 1 < len(items) else item.level
        if following is None or rank(following) > rank(item.level):
            entry.with_content += 1
    return stats


def _by_shape(stats: dict[Level, ItemStats]) -> tuple[Level | None, str]:
    repeated = [level for level, entry in stats.items() if entry.looks_like_items]
    if not repeated:
        return None, ""
    most = max(stats[level].count for level in repeated)
    chosen = max((level for level in repeated if stats[level].count >= ROUGHLY_AS_MANY * most), key=rank)
    return chosen, (
        f"{stats[chosen].count} Word {_describe(chosen)} items are names with their text under them: "
        "the deepest level that repeats about as often as the most repeated one"
    )


def _by_example(items: list[_Item], examples: Sequence[str]) -> tuple[Level | None, str]:
    """The level of the items named by the examples: whole names first, else names containing them."""
    wanted = {folded(example) for example in examples} - {""}
    named = [(item.level, folded(item.name)) for item in items if item.level]
    for matches in (lambda name, w: name == w, lambda name, w: w in name):
        found = Counter(level for level, name in named if any(matches(name, w) for w in wanted))
        if found:
            level = found.most_common(1)[0][0]
            return level, f"the example(s) {', '.join(examples)} are Word {_describe(level)} items"
    return None, ""


def _holds(items: list[_Item], level: Level, is_project: Callable[[_Item], bool]) -> bool:
    """Whether most items of `level` have a project under them (before the next item as high)."""
    heads = [i for i, item in enumerate(items) if item.level == level]
    holding = sum(
        1
        for i in heads
        if any(is_project(item) for item in takewhile(lambda it: not _as_high(it.level, level), _after(items, i)))
    )
    return holding >= HOLDS_PROJECTS * len(heads)


def _after(items: list[_Item], index: int) -> Iterator[_Item]:
    """The items after `index`, without copying the list (a long document has thousands)."""
    return (items[i] for i in range(index + 1, len(items)))


def _as_high(level: Level | None, than: Level) -> bool:
    return level is not None and rank(level) <= rank(than)


def _shape(
    items: list[_Item], stats: dict[Level, ItemStats], project: Level, reason: str, sections: list[Level]
) -> Shape:
    heads = [_section(level, depth, items) for depth, level in enumerate(sections, start=1)]
    rule, mark = _selector(items, project)
    seen = ", ".join(f"{stats[level].count}×{_describe(level)}" for level in sorted(stats, key=rank))
    entries = [
        Entry("type", "outline", f"Word headings and list items (levels seen: {seen})"),
        Entry("project", rule, f"{reason}; {stats[project].described()}"),
    ]
    if heads:
        levels = list(range(1, len(heads) + 1))
        entries.append(Entry("id_sections", levels, "item numbers restart under each heading: ids carry the headings'"))
        if _has_bare_headings(items, sections[-1], project):
            why = f"a Word {_describe(sections[-1])} with text right under it is a project itself"
            entries.append(Entry("heading_projects", [levels[-1]], why))
    entries.append(Entry("content_field", "method", "the text under an item, as printed"))
    names = [item.text for item in items if item.level == project]
    markers = trailing_tags(names, mark) if mark is not None else []
    return Shape("outline", entries, heads, markers=markers)


def _section(level: Level, depth: int, items: list[_Item]) -> Entry:
    rule, _ = _selector(items, level)
    names = [item.name.strip() for item in items if item.level == level]
    return Entry("", {"level": depth, **rule}, f"Word {_describe(level)}: {len(names)}, e.g. {', '.join(names[:3])}")


def _selector(items: list[_Item], level: Level) -> tuple[dict[str, object], Mark | None]:
    """The rule choosing the items of `level`; with their printed mark when they all print one that counts."""
    texts = [item.text for item in items if item.level == level]
    marks = {mark_of(text) for text in texts}
    mark = marks.pop() if len(marks) == 1 else None
    if mark is None or mark.rank == 0 or mark is BULLET:
        return {level[0]: level[1]}, None
    try:
        pattern = compile_pattern(parse_mark(mark.example, "name").source)
    except MarkError:
        return {level[0]: level[1]}, None
    if not all(pattern.match(text) for text in texts):
        return {level[0]: level[1]}, None
    return {level[0]: level[1], "mark": mark.example}, mark


def _has_bare_headings(items: list[_Item], section: Level, project: Level) -> bool:
    """A heading of `section` with text under it but no project item before the next heading as high."""
    for i, item in enumerate(items):
        if item.level != section:
            continue
        below = [it.level for it in takewhile(lambda it: not _as_high(it.level, section), _after(items, i))]
        if below and project not in below:
            return True
    return False


def _describe(level: Level) -> str:
    kind, depth = level
    return f"heading {depth} (見出し{depth})" if kind == "heading_level" else f"list level {depth}"
