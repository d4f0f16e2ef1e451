"""What every layout shares: the records being built, coverage, sections and markers.

A layout reads lines and decides where projects start and which line is which field;
the `Context` does the rest the same way for every layout: identifiers are
normalised, section paths are kept, status/funding/tag markers are read from names,
and every line taken is recorded in the coverage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..jp import normalise_id
from ..model import Project, Records, Source, Status
from ..read.source import SourceLine
from .coverage import Coverage, Use
from .patterns import compile_pattern

if TYPE_CHECKING:
    from .loader import Mapping


@dataclass(frozen=True)
class _Heading:
    level: int
    pattern: re.Pattern[str]
    rule: str


class Sections:
    """Headings declared under `sections`: each pattern fixes its level, whatever marks
    the document uses (a `##` heading may be level 3), and may name groups `id`, `title`."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.headings = [
            _Heading(item["level"], compile_pattern(item["pattern"]), f"sections[{i}]") for i, item in enumerate(items)
        ]
        self.path: list[str] = []

    def match(self, text: str) -> tuple[_Heading, str] | None:
        for heading in self.headings:
            found = heading.pattern.match(text)
            if found:
                return heading, _heading_label(found)
        return None

    def enter(self, level: int, label: str) -> None:
        del self.path[level - 1 :]
        self.path.extend([""] * (level - 1 - len(self.path)))
        self.path.append(label)

    def current(self) -> tuple[str, ...]:
        return tuple(part for part in self.path if part)


def _heading_label(found: re.Match[str]) -> str:
    groups = found.groupdict()
    title = (groups.get("title") or "").strip()
    if groups.get("id"):
        return f"{normalise_id(groups['id'])} {title}".strip()
    return title or found.group(0).strip()


@dataclass(frozen=True)
class _Marker:
    field: str  # status | funding | tags
    pattern: re.Pattern[str]
    value: str
    standalone: bool  # a line of its own that marks the next project
    rule: str


class Markers:
    """Status, funding and tag markers (`markers` in the mapping).

    A marker either sits in a project's name (`【新規】`, `（市受託事業）`, trailing
    accounting tags `法人 地域`) and is cut out of it, or is a line of its own
    (`新設`) that marks the next project.
    """

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.markers = [
            _Marker(
                item["field"],
                compile_pattern(item["pattern"]),
                item.get("value", ""),
                item.get("standalone", False),
                f"markers[{i}]",
            )
            for i, item in enumerate(items)
        ]
        self.pending: list[_Marker] = []

    def standalone(self, text: str) -> _Marker | None:
        """The standalone marker that `text` is, if any (it applies to the next project)."""
        for marker in self.markers:
            if marker.standalone and marker.pattern.fullmatch(text.strip()):
                return marker
        return None

    def apply(self, project: Project) -> None:
        """Cut in-name markers out of the project's name, and apply pending standalone ones."""
        for marker in self.pending:
            _set(project, marker, marker.value)
        self.pending.clear()
        for marker in self.markers:
            if marker.standalone:
                continue
            found = marker.pattern.search(project.name)
            if found:
                value = found.groupdict().get("value") or marker.value or found.group(0)
                _set(project, marker, value.strip())
                project.name = (project.name[: found.start()] + project.name[found.end() :]).strip()


def _set(project: Project, marker: _Marker, value: str) -> None:
    if marker.field == "status":
        project.status = Status(value)
    elif marker.field == "funding":
        project.funding = value
    else:
        project.tags = (*project.tags, *value.split())


@dataclass
class Context:
    """The records under construction and the bookkeeping every layout shares."""

    mapping: Mapping
    records: Records
    coverage: Coverage
    file: str
    sections: Sections = field(init=False)
    markers: Markers = field(init=False)

    def __post_init__(self) -> None:
        self.sections = Sections(self.mapping.data.get("sections", []))
        self.markers = Markers(self.mapping.data.get("markers", []))

    @property
    def fiscal_years(self) -> tuple[int, ...]:
        return self.records.document.fiscal_years

    def source(self, line: SourceLine) -> Source:
        return Source(Path(self.file).name, line.number, line.origin)

    def add_project(self, printed_id: str, name: str, line: SourceLine, **fields: Any) -> Project:
        """A new project at `line`, under the current sections, with markers applied."""
        project = Project(
            normalise_id(printed_id),
            printed_id.strip(),
            name.strip(),
            self.source(line),
            self.sections.current(),
            **fields,
        )
        self.markers.apply(project)
        self.records.projects.append(project)
        return project

    def section_line(self, line: SourceLine) -> bool:
        """Enter the section `line` heads, if it is a declared heading; say whether it was."""
        found = self.sections.match(line.text)
        if found is None:
            return False
        heading, label = found
        self.sections.enter(heading.level, label)
        self.coverage.take(line, Use.SECTION, heading.rule, label)
        return True

    def marker_line(self, line: SourceLine) -> bool:
        """Hold a standalone marker line for the next project; say whether it was one."""
        marker = self.markers.standalone(line.text)
        if marker is None:
            return False
        self.markers.pending.append(marker)
        self.coverage.take(line, Use.FIELD, marker.rule, f"(next project).{marker.field}")
        return True

    def take(self, line: SourceLine, rule: str, target: str = "") -> None:
        self.coverage.take(line, Use.FIELD, rule, target)

    def ignore(self, line: SourceLine, rule: str) -> None:
        self.coverage.take(line, Use.IGNORED, rule)
