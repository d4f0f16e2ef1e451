"""What every layout shares: the records being built, coverage, sections and markers.

A layout reads lines and decides where projects start and which line is which field;
the `Context` does the rest the same way for every layout: identifiers are
normalised, section paths are kept, status/funding/tag markers are read from names,
and the span of every line a rule took is recorded in the coverage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config.yamlsafe import KeyPath
from ..jp import normalise_id
from ..model import Project, Records, Source, Status
from ..problems import Location, Problem, Problems, problem
from ..read.source import SourceLine
from .coverage import Coverage, Use
from .outcomes import marker_without_value
from .patterns import Match, Pattern, compile_pattern

if TYPE_CHECKING:
    from .loader import Mapping


@dataclass(frozen=True)
class _Heading:
    level: int
    pattern: Pattern
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


def _heading_label(found: Match[str]) -> str:
    groups = found.groupdict()
    title = (groups.get("title") or "").strip()
    if groups.get("id"):
        return f"{normalise_id(groups['id'])} {title}".strip()
    return title or found.group(0).strip()


@dataclass(frozen=True)
class _Marker:
    field: str  # status | funding | tags
    pattern: Pattern
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
        self.pending: list[tuple[_Marker, str]] = []  # standalone markers read, with their values

    def standalone(self, text: str) -> _Marker | None:
        """The standalone marker that `text` is, if any (it applies to the next project)."""
        for marker in self.markers:
            if marker.standalone and marker.pattern.fullmatch(text.strip()):
                return marker
        return None

    def apply(self, project: Project) -> list[_Marker]:
        """Cut in-name markers out of the project's name, and apply pending standalone ones;
        the markers that matched but gave no value (nothing is set for them)."""
        for marker, value in self.pending:
            _set(project, marker, value)
        self.pending.clear()
        empty = []
        for marker in self.markers:
            if marker.standalone:
                continue
            found = marker.pattern.search(project.name)
            if found:
                value = _value(marker, found)
                if value:
                    _set(project, marker, value)
                else:
                    empty.append(marker)
                project.name = (project.name[: found.start()] + project.name[found.end() :]).strip()
        return empty


def _value(marker: _Marker, found: Match[str]) -> str:
    """Group `value`, else the marker's `value`, else the text matched, unless the pattern
    has a group `value` (which then matched empty text: the marker captured nothing)."""
    captured = (found.groupdict().get("value") or "").strip()
    if captured or marker.value:
        return captured or marker.value
    return "" if "value" in marker.pattern.groupindex else found.group(0).strip()


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
    problems: Problems = field(default_factory=Problems)
    headings: list[tuple[SourceLine, tuple[str, ...]]] = field(default_factory=list)  # each section entered

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
        for marker in self.markers.apply(project):
            self.problems.append(marker_without_value(self, line, marker.rule, marker.field))
        self.records.projects.append(project)
        return project

    def section_line(self, line: SourceLine) -> bool:
        """Enter the section `line` heads, if it is a declared heading; say whether it was."""
        found = self.sections.match(line.text)
        if found is None:
            return False
        heading, label = found
        self.sections.enter(heading.level, label)
        self.headings.append((line, self.sections.current()))
        span = heading.pattern.match(line.text).span()  # type: ignore[union-attr]  # it matched above
        self.coverage.take(line, Use.SECTION, heading.rule, label, span)
        return True

    def marker_line(self, line: SourceLine) -> bool:
        """Hold a standalone marker line for the next project; say whether it was one."""
        marker = self.markers.standalone(line.text)
        if marker is None:
            return False
        found = marker.pattern.fullmatch(line.text.strip())
        assert found is not None  # `standalone` matched it
        value = _value(marker, found)
        if value:
            self.markers.pending.append((marker, value))
        else:
            self.problems.append(marker_without_value(self, line, marker.rule, marker.field))
        self.coverage.take(line, Use.FIELD, marker.rule, f"(next project).{marker.field}")
        return True

    def check_id(self, printed_id: str, line: SourceLine, *key: str) -> None:
        """A project id that is empty once normalised is a fault of the pattern at `key` (its
        group `id` can match empty text), reported at that pattern in the mapping."""
        if normalise_id(printed_id):
            return
        where = f"{Path(self.file).name}:{line.number}"
        self.problems.append(
            self.mapping_problem(
                "mapping.empty_id",
                key,
                ja=f"{'.'.join(key)} のグループ id が空の文字列に一致しました（{where}）。事業IDが重複します",
                en=f"the group id of {'.'.join(key)} matched empty text at {where}: project ids would repeat",
                hint="id のグループが必ず1文字以上に一致するようにしてください（例: [0-9]+ 、[0-9]* ではなく）",
            )
        )

    def mapping_problem(self, code: str, key: KeyPath, *, ja: str, en: str, hint: str) -> Problem:
        """An error whose cause is the rule at `key` of the mapping, at its line and column there."""
        line, column = self.mapping.source.place(key) or (None, None)
        dotted = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in key).lstrip(".")
        return problem(
            code,
            Location(file=self.mapping.path, line=line, column=column, key=dotted),
            ja=f"マッピングファイルの誤り: {ja}",
            en=f"invalid mapping: {en}",
            hint=hint,
            field=dotted,
        )

    def take(self, line: SourceLine, rule: str, target: str = "", span: tuple[int, int] | None = None) -> None:
        self.coverage.take(line, Use.FIELD, rule, target, span)

    def append(self, line: SourceLine, start: int, project: Project, field_name: str, rule: str) -> None:
        """What a project's rule left over on its line, from `start` on, appended to `field_name`:
        nothing on a project's line is dropped."""
        rest = line.text[start:].strip()
        if not rest:
            return
        old = getattr(project, field_name)
        setattr(project, field_name, f"{rest}\n{old}" if old else rest)
        target = f"{project.project_id}.{field_name}"
        self.coverage.take(line, Use.APPENDED, f"{rule} (rest of the line)", target, (start, len(line.text)))

    def ignore(self, line: SourceLine, rule: str) -> None:
        self.coverage.take(line, Use.IGNORED, rule)
