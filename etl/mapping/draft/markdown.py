"""A Markdown export whose heading marks are the only structure: `## 法人運営` over
`### 理事会の開催` with a paragraph under it. The marks are usually cleaned away (an export
often prints a depth that lies, see `noise.py`); when nothing else in the text reads as an
outline, their depth is the outline: the deepest depth whose headings repeat with text
under them holds the projects, the depths above it (printed twice or more) head sections."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .levels import MIN_PROJECTS, NAME_SHARE
from .schemes import is_name
from .shapes import Entry, Shape

MARKDOWN_HEADING = r"^#{1,6}\s+"  # the clean rule this layout keeps out
_HEADING = re.compile(r"^(?P<marks>#{1,6})[ \t]+(?P<text>\S.*?)\s*$")


def markdown_outline(lines: Sequence[str]) -> Shape | None:
    """The outline the heading depths give, or None when no depth repeats with text under it."""
    depths: Counter[int] = Counter()
    with_text: Counter[int] = Counter()
    names: Counter[int] = Counter()
    body = [text for text in lines if text.strip()]
    for text, following in zip(body, [*body[1:], ""], strict=True):
        if found := _HEADING.match(text):
            depth = len(found["marks"])
            depths[depth] += 1
            names[depth] += is_name(found["text"])
            with_text[depth] += bool(following) and not _HEADING.match(following)
    projects = [
        depth
        for depth, count in depths.items()
        if count >= MIN_PROJECTS and names[depth] >= NAME_SHARE * count and with_text[depth] >= NAME_SHARE * count
    ]
    if not projects:
        return None
    project = max(projects)
    above = sorted(depth for depth, count in depths.items() if depth < project and count >= 2)
    sections = [
        Entry("", {"level": level, "pattern": _pattern(depth, "title")}, f"{depths[depth]} headings `{'#' * depth}`")
        for level, depth in enumerate(above, start=1)
    ]
    why = f"{depths[project]} headings `{'#' * project}` with text under them: the deepest that repeats"
    entries = [
        Entry("type", "outline", "Markdown headings: their depth is the only structure the text prints"),
        Entry("project", _pattern(project, "name"), why),
    ]
    if sections:
        levels = list(range(1, len(sections) + 1))
        entries.append(Entry("id_sections", levels, "projects are numbered by place under each heading"))
    entries.append(Entry("content_field", "method", "the text under a heading, as printed"))
    return Shape("outline", entries, sections)


def _pattern(depth: int, group: str) -> str:
    return rf"^#{{{depth}}}[ \t]+(?P<{group}>\S(?:.*\S)?)[\s\u3000]*$"
