"""Which marks of an outline head sections and which one starts the projects.

The projects are the items that carry content and repeat: the deepest numbered mark
whose items are names (not sentences), mostly followed by their own text, and about as
many as the most frequent such mark; the marks above it head sections. With examples,
the projects are the items whose names the examples give.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import takewhile

from ...jp import nfkc
from .bullets import Flat, breaks_off, document_marks, flattened, is_bullet
from .schemes import MARKS, NAME_COLON, Mark, is_name
from .shapes import Entry, Shape

MIN_PROJECTS = 3
UNMARKED_HEADING = 20  # characters of an unnumbered heading (福祉総務課)
MIN_UNMARKED = 2  # one such line may be anything; two or more make a level
MAX_UNMARKED_LEVELS = 2  # 課 over 係
MAX_TAG = 4  # characters of a tag word (法人, 低所得)
NAME_SHARE = 0.6  # items of a project mark that read as names, not sentences
CONTENT_SHARE = 0.4  # items of a project mark with their own text under them
ROUGHLY_AS_MANY = 0.5  # a project mark has at least this share of the most frequent mark's items
# A line in brackets (`（市受託事業）`, a marker) or naming the council is no department heading.
_NOT_HEADING = re.compile(r"^[\s\u3000]*[（(【].*[)）】][\s\u3000]*$|社会福祉協議会|社協")
NO_PROJECT = r"^(?!)(?P<id>.)(?P<name>.)"  # a pattern that never matches: no project is invented


@dataclass
class ItemStats:
    """How the items of one level read: the evidence that they are the projects."""

    count: int = 0
    names: int = 0
    with_content: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def looks_like_items(self) -> bool:
        return (
            self.count >= MIN_PROJECTS
            and self.names >= NAME_SHARE * self.count
            and self.with_content >= CONTENT_SHARE * self.count
        )

    def described(self) -> str:
        return f"{self.count}, e.g. " + ", ".join(self.examples) if self.examples else str(self.count)


@dataclass
class MarkStats(ItemStats):
    mark: Mark = field(kw_only=True)
    colons: int = 0  # items printing their name, a colon and their text on one line

    @property
    def names_before_colons(self) -> bool:
        return self.colons >= NAME_SHARE * self.count


@dataclass
class OutlineShape:
    project: Mark | None
    sections: list[Mark]  # outermost first
    heading_projects: bool  # the innermost section's headings with text right under them are projects
    stats: dict[str, MarkStats]
    reason: str
    flat: Flat | None = None  # the projects' items are a flattened list: how to tell the sub-items


def mark_stats(lines: Sequence[str], marks: Sequence[Mark | None]) -> dict[str, MarkStats]:
    """Count each mark's items, how many are names, how many have text under them."""
    stats: dict[str, MarkStats] = {}
    for i, (text, mark) in enumerate(zip(lines, marks, strict=True)):
        if mark is None:
            continue
        entry = stats.setdefault(mark.name, MarkStats(mark=mark))
        entry.count += 1
        rest = mark.line.match(text)
        name = rest.group("text") if rest and mark.rank else text.strip()
        colon = NAME_COLON.match(name)
        if colon and mark.rank and is_name(colon["name"]):  # `(2) 監事監査：年2回実施します。`
            entry.colons += 1
            name = colon["name"]
        if is_name(name) and not (is_bullet(mark) and breaks_off(name)):
            entry.names += 1
            if len(entry.examples) < 3:  # three examples in a comment are enough
                entry.examples.append(name.strip())
        following = marks[i + 1] if i + 1 < len(marks) else MARKS[0]
        if following is None or following.rank > mark.rank or (colon and mark.rank):
            entry.with_content += 1
    return stats


def infer_outline(lines: Sequence[str], examples: Sequence[str] = ()) -> OutlineShape:
    marks = document_marks(lines)
    stats = mark_stats(lines, marks)
    bullets = [s.mark for s in stats.values() if is_bullet(s.mark)]
    flat = {mark.name: found for mark in bullets if (found := flattened(lines, marks, mark))}
    for name in flat:
        stats[name].with_content = stats[name].count  # a flattened item's content is on the item lines after it
    project, reason = _project_by_example(lines, marks, examples) if examples else (None, "")
    if project is None:
        project, reason = _project_by_shape(stats)
        if examples:
            reason = f"TODO: no item is named {', '.join(examples)}; {reason}"
    if project is None:
        return OutlineShape(None, [], False, stats, reason)
    above = [
        s.mark for s in stats.values() if s.mark.rank < project.rank and not _under_items(s, stats[project.name], marks)
    ]
    used = sorted(above, key=lambda m: m.rank)
    sections = _one_per_rank(used, stats)
    heading_projects = bool(sections) and _has_bare_headings(marks, sections[-1], project)
    return OutlineShape(project, sections, heading_projects, stats, reason, flat.get(project.name))


def _under_items(heading: MarkStats, items: MarkStats, marks: Sequence[Mark | None]) -> bool:
    """A mark first printed after the first item and more often than the items (`【住民の取り組み】`
    under each of them) is their content, not a heading over them."""
    first_item = marks.index(items.mark)
    return heading.count > items.count and heading.mark not in marks[:first_item]


def _project_by_shape(stats: dict[str, MarkStats]) -> tuple[Mark | None, str]:
    items = [s for s in stats.values() if s.mark.rank > 0 and s.looks_like_items]
    items = items or [s for s in stats.values() if s.looks_like_items]  # `【ふれあい訪問事業】`, when nothing else is
    if not items:
        return None, "no list mark repeats with names and text under them: no outline found"
    most = max(s.count for s in items)
    chosen = max((s for s in items if s.count >= ROUGHLY_AS_MANY * most), key=lambda s: s.mark.rank)
    kind = "bulleted" if is_bullet(chosen.mark) else "numbered"
    return chosen.mark, (
        f"{chosen.count} {kind} items `{chosen.mark.example}` are names with their text under them: "
        "the deepest level that repeats about as often as the most repeated one"
    )


def _project_by_example(
    lines: Sequence[str], marks: Sequence[Mark | None], examples: Sequence[str]
) -> tuple[Mark | None, str]:
    """The mark of the items named by the examples: whole names first, else names containing them."""
    wanted = {folded(example) for example in examples} - {""}
    items = [
        (mark, folded(found["text"]))
        for text, mark in zip(lines, marks, strict=True)
        if mark and (found := mark.line.match(text))
    ]
    for matches in (lambda name, w: name == w, lambda name, w: w in name):
        found = Counter(mark.name for mark, name in items if any(matches(name, w) for w in wanted))
        if found:
            chosen = next(mark for mark, _ in items if mark.name == found.most_common(1)[0][0])
            return chosen, f"the example(s) {', '.join(examples)} are printed as `{chosen.example}` items"
    return None, ""


def _one_per_rank(marks: list[Mark], stats: dict[str, MarkStats]) -> list[Mark]:
    """Marks of one rank (`1.` and `1`) are one level: the more frequent one heads it."""
    chosen: dict[int, Mark] = {}
    for mark in marks:
        if is_bullet(mark):
            continue
        held = chosen.get(mark.rank)
        if held is None or stats[mark.name].count > stats[held.name].count:
            chosen[mark.rank] = mark
    return [chosen[rank] for rank in sorted(chosen)]


def _has_bare_headings(marks: Sequence[Mark | None], section: Mark, project: Mark) -> bool:
    """A heading of `section` with text under it but no project item before the next heading."""
    for i, mark in enumerate(marks):
        if mark is not section:
            continue
        below = list(takewhile(lambda m: m is None or m.rank > section.rank, marks[i + 1 :]))
        if below and project not in below:
            return True
    return False


def folded(text: str) -> str:
    return "".join(nfkc(text).split())


def outline_layout(lines: Sequence[str], examples: Sequence[str] = ()) -> Shape:
    """The `sections` and `layout` of an outline; no project pattern that matches when none is found."""
    shape = infer_outline(lines, examples)
    found = ", ".join(f"{s.count}×`{s.mark.example}`" for s in sorted(shape.stats.values(), key=lambda s: s.mark.rank))
    if shape.project is None:
        entries = [
            Entry("type", "outline", f"TODO: {shape.reason} (marks seen: {found or 'none'})"),
            Entry("project", NO_PROJECT, "TODO: matches nothing; write the pattern of the lines that start projects"),
        ]
        return Shape("outline", entries)
    headings = [
        (mark.named(), f"`{mark.example}` headings: {shape.stats[mark.name].described()}") for mark in shape.sections
    ]
    numbered = next((i for i, mark in enumerate(shape.sections) if mark.rank > 0), None)
    below = shape.sections[numbered] if numbered is not None else shape.project
    for depth, above in enumerate(unmarked_levels(lines, below)):
        pattern = r"^[\s\u3000]*(?P<title>" + "|".join(re.escape(title) for title in above) + r")[\s\u3000]*$"
        under = f"`{below.example}` lines" if depth == 0 else "the unnumbered headings below"
        why = f"unnumbered lines right above {under}: {', '.join(above[:3])}"
        headings.insert(numbered or 0, (pattern, why))
    levels = list(range(1, len(headings) + 1))
    sections = [
        Entry("", {"level": level, "pattern": pattern}, why)
        for level, (pattern, why) in zip(levels, headings, strict=True)
    ]
    entries = [
        Entry("type", "outline", f"headings and listed items (marks seen: {found})"),
        _project_entry(shape),
    ]
    if levels and shape.sections and numbers_carry_headings(lines, shape.sections[-1], shape.project):
        entries[-1].comment += f"; each number starts with its `{shape.sections[-1].example}` heading's: ids as printed"
    elif levels:
        entries.append(Entry("id_sections", levels, "item numbers restart under each heading: ids carry the headings'"))
    if shape.heading_projects:
        why = f"a `{shape.sections[-1].example}` heading with text right under it is a project itself"
        entries.append(Entry("heading_projects", [levels[-1]], why))
    if shape.flat is not None:
        entries.append(Entry("sub_items", shape.flat.rule, f"a flattened list: {shape.flat.why}"))
    entries.append(Entry("content_field", "method", "the text under an item, as printed"))
    return Shape("outline", entries, sections, markers=trailing_tags(lines, shape.project))


def numbers_carry_headings(lines: Sequence[str], section: Mark, project: Mark) -> bool:
    """Whether every item prints its heading's number first (`施策2-1` under `基本目標2`)."""
    heading, carried = None, 0
    for text, mark in zip(lines, document_marks(lines), strict=True):
        found = mark.line.match(text) if mark in (section, project) else None
        number = nfkc(found["id"]) if found and "id" in found.groupdict() and found["id"] else None
        if mark == section:
            heading = number
        elif mark == project:
            if heading is None or number is None or not number.startswith(f"{heading}-"):
                return False
            carried += 1
    return carried > 0


def _project_entry(shape: OutlineShape) -> Entry:
    assert shape.project is not None
    stats = shape.stats[shape.project.name]
    if stats.names_before_colons:
        why = f"{shape.reason}; {stats.described()}; the name ends at a colon, its text follows on the line"
        return Entry("project", shape.project.colon_named("name"), why + _bulleted_items(shape))
    return Entry("project", shape.project.named("name"), f"{shape.reason}; {stats.described()}{_bulleted_items(shape)}")


def _bulleted_items(shape: OutlineShape) -> str:
    """A TODO for bulleted names with their own text under them among the items (`◇除雪ボランティア事業`):
    they may be projects the printer numbered with no number, but the draft invents none."""
    assert shape.project is not None
    named = [
        s for s in shape.stats.values() if is_bullet(s.mark) and s.mark.rank > shape.project.rank and s.looks_like_items
    ]
    return "".join(
        f"; TODO: {s.count} `{s.mark.example}` names with text under them stand among the items"
        f" ({', '.join(s.examples)}): read as the content of the item above; write them as projects if they are"
        for s in named
    )


def unmarked_levels(lines: Sequence[str], below: Mark) -> list[list[str]]:
    """Short unnumbered names printed right above `below` lines (a department over its
    sections, a 係 over its bulleted projects), when there are several; then the names
    right above those (課 over 係), innermost first."""
    marks = document_marks(lines)
    under = [i for i, mark in enumerate(marks) if mark == below]
    levels: list[list[str]] = []
    while len(levels) < MAX_UNMARKED_LEVELS:
        under = [i - 1 for i in under if i > 0 and marks[i - 1] is None and _unmarked_heading(lines[i - 1])]
        found = sorted({lines[i].strip() for i in under})
        if len(found) < MIN_UNMARKED:
            break
        levels.append(found)
    return levels


def _unmarked_heading(text: str) -> bool:
    """A department's name: short, no sentence, no figure, no bracketed marker or council."""
    return (
        is_name(text)
        and not _NOT_HEADING.search(text)
        and len(text.strip()) <= UNMARKED_HEADING
        and not re.search(r"[0-9０-９、。，]", text)
    )


def trailing_tags(lines: Sequence[str], project: Mark) -> list[Entry]:
    """Short words that end many item names after a space (`社協運営 法人`): accounting tags."""
    endings: Counter[str] = Counter()
    for text, mark in zip(lines, document_marks(lines), strict=True):
        found = project.line.match(text) if mark is project else None
        words = found["text"].split() if found else []
        endings.update(word for word in words[1:][-3:] if len(word) <= MAX_TAG and not any(c.isdigit() for c in word))
    tags = sorted(word for word, count in endings.items() if count >= MIN_PROJECTS)
    if not tags:
        return []
    pattern = r"(?:[\s\u3000]+(?:" + "|".join(re.escape(tag) for tag in tags) + "))+$"
    return [Entry("", {"field": "tags", "pattern": pattern}, "words that end several item names: tags")]
