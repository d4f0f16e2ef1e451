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
from .marks import Mark, pattern_or_mark
from .patterns import compile_pattern

if TYPE_CHECKING:
    from .loader import Mapping


@dataclass(frozen=True)
class _Heading:
    level: int
    pattern: re.Pattern[str]
    rule: str
    mark: Mark | None = None

    def groups(self, found: re.Match[str]) -> dict[str, str]:
        """The groups that matched, `id` as the number a named mark counts (`(ア)` gives 1)."""
        groups = {key: value for key, value in found.groupdict().items() if value}
        if self.mark is not None and "id" in groups:
            groups["id"] = self.mark.number(groups["id"])
        return groups


class Sections:
    """Headings declared under `sections`: each pattern fixes its level, whatever marks
    the document uses (a `##` heading may be level 3), and may name groups `id`, `title`;
    or a named `mark` (`(1)`, `【…】`) stands for the pattern."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.headings = [_heading(i, item) for i, item in enumerate(items)]
        self.path: list[str] = []

    def match(self, text: str) -> tuple[_Heading, str] | None:
        for heading in self.headings:
            found = heading.pattern.match(text)
            if found:
                return heading, _heading_label(heading.groups(found), found.group(0))
        return None

    def enter(self, level: int, label: str) -> None:
        del self.path[level - 1 :]
        self.path.extend([""] * (level - 1 - len(self.path)))
        self.path.append(label)

    def current(self) -> tuple[str, ...]:
        return tuple(part for part in self.path if part)


def _heading(index: int, item: dict[str, Any]) -> _Heading:
    source, mark = pattern_or_mark(item, "title")
    return _Heading(item["level"], compile_pattern(source), f"sections[{index}]", mark)


def _heading_label(groups: dict[str, str], matched: str) -> str:
    title = (groups.get("title") or "").strip()
    if groups.get("id"):
        return f"{normalise_id(groups['id'])} {title}".strip()
    return title or matched.strip()


@dataclass(frozen=True)
class _Marker:
    field: str  # status | funding | tags
    pattern: re.Pattern[str]
    value: str
    standalone: bool  # a line of its own that marks the next project
    rule: str
    scope: str = "next"  # standalone: next (project) | section | until-next (marker of its field)


_SCOPE_TARGETS = {
    "next": "(next project)",
    "section": "(following projects of this section)",
    "until-next": "(following projects, until the next such marker)",
}


class Markers:
    """Status, funding and tag markers (`markers` in the mapping).

    A marker either sits in a project's name (`【新規】`, `（市受託事業）`, trailing
    accounting tags `法人 地域`) and is cut out of it, or is a line of its own
    (`新設`) that marks the next project — or, with a `scope`, every following
    project of its section (`section`) or up to the next standalone marker of the
    same field (`until-next`).
    """

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.markers = [
            _Marker(
                item["field"],
                compile_pattern(item["pattern"]),
                item.get("value", ""),
                item.get("standalone", False) or "scope" in item,
                f"markers[{i}]",
                item.get("scope", "next"),
            )
            for i, item in enumerate(items)
        ]
        self.pending: list[_Marker] = []
        self.scoped: dict[str, tuple[_Marker, str, tuple[str, ...]]] = {}  # field -> marker, value, its section

    def hold(self, marker: _Marker, text: str, path: tuple[str, ...]) -> None:
        """Keep a standalone marker line for the projects it applies to; it ends a scoped one of its field."""
        self.scoped.pop(marker.field, None)
        if marker.scope == "next":
            self.pending.append(marker)
            return
        found = marker.pattern.fullmatch(text.strip())
        assert found is not None  # `standalone` matched this text
        self.scoped[marker.field] = (marker, _value(marker, found), path)

    def standalone(self, text: str) -> _Marker | None:
        """The standalone marker that `text` is, if any (it applies to the next project)."""
        for marker in self.markers:
            if marker.standalone and marker.pattern.fullmatch(text.strip()):
                return marker
        return None

    def apply(self, project: Project) -> None:
        """Cut in-name markers out of the project's name, and apply pending and scoped standalone ones."""
        for field_name, (marker, value, path) in list(self.scoped.items()):
            if marker.scope == "section" and project.path[: len(path)] != path:
                del self.scoped[field_name]  # its section has ended
            else:
                _set(project, marker, value)
        for marker in self.pending:
            _set(project, marker, marker.value)
        self.pending.clear()
        for marker in self.markers:
            if marker.standalone:
                continue
            found = marker.pattern.search(project.name)
            if found:
                _set(project, marker, _value(marker, found))
                project.name = (project.name[: found.start()] + project.name[found.end() :]).strip()


def _value(marker: _Marker, found: re.Match[str]) -> str:
    """Group `value`, if any; otherwise the marker's `value`; otherwise the whole match."""
    return (found.groupdict().get("value") or marker.value or found.group(0)).strip()


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
        """Hold a standalone marker line for the project(s) it marks; say whether it was one."""
        marker = self.markers.standalone(line.text)
        if marker is None:
            return False
        self.markers.hold(marker, line.text, self.sections.current())
        self.coverage.take(line, Use.FIELD, marker.rule, f"{_SCOPE_TARGETS[marker.scope]}.{marker.field}")
        return True

    def take(self, line: SourceLine, rule: str, target: str = "") -> None:
        self.coverage.take(line, Use.FIELD, rule, target)

    def ignore(self, line: SourceLine, rule: str) -> None:
        self.coverage.take(line, Use.IGNORED, rule)
