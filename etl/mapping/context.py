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
from .marks import Mark
from .outcomes import marker_without_value
from .patterns import Match, Pattern, compile_pattern
from .structure import LineRule, line_rule

if TYPE_CHECKING:
    from .loader import Mapping


@dataclass(frozen=True)
class _Heading:
    level: int
    pattern: LineRule
    rule: str
    mark: Mark | None = None

    def groups(self, found: Match[str]) -> dict[str, str]:
        """The groups that matched, `id` as the number a named mark counts (`(ア)` gives 1)."""
        groups = {key: value for key, value in found.groupdict().items() if value}
        if self.mark is not None and "id" in groups:
            groups["id"] = self.mark.number(groups["id"])
        return groups


class Sections:
    """Headings declared under `sections`: each pattern fixes its level, whatever marks
    the document uses (a `##` heading may be level 3), and may name groups `id`, `title`;
    or a named `mark` (`(1)`, `【…】`) stands for the pattern; a Word heading or list level
    (`heading_level`, `list_level`) may choose the lines instead or as well (`structure.py`)."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.headings = [_heading(i, item) for i, item in enumerate(items)]
        self.path: list[str] = []

    def match(self, line: SourceLine) -> tuple[_Heading, str] | None:
        for heading in self.headings:
            found = heading.pattern.match(line)
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
    rule, mark = line_rule(item, "title")
    return _Heading(item["level"], rule, f"sections[{index}]", mark)


def _heading_label(groups: dict[str, str], matched: str) -> str:
    title = (groups.get("title") or "").strip()
    if groups.get("id"):
        return f"{normalise_id(groups['id'])} {title}".strip()
    return title or matched.strip()


@dataclass(frozen=True)
class _Marker:
    field: str  # status | funding | tags
    pattern: Pattern
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
        self.pending: list[tuple[_Marker, str]] = []  # standalone markers read, with their values
        self.scoped: dict[str, tuple[_Marker, str, tuple[str, ...]]] = {}  # field -> marker, value, its section

    def hold(self, marker: _Marker, value: str, path: tuple[str, ...]) -> None:
        """Keep a standalone marker's value for the projects it marks; it ends a scoped one of its field."""
        self.scoped.pop(marker.field, None)
        if marker.scope == "next":
            self.pending.append((marker, value))
        else:
            self.scoped[marker.field] = (marker, value, path)

    def standalone(self, text: str) -> _Marker | None:
        """The standalone marker that `text` is, if any (it applies to the next project)."""
        for marker in self.markers:
            if marker.standalone and marker.pattern.fullmatch(text.strip()):
                return marker
        return None

    def apply(self, project: Project) -> list[_Marker]:
        """Cut in-name markers out of the project's name, and apply scoped and pending standalone
        ones; the markers that matched but gave no value (nothing is set for them)."""
        for field_name, (marker, value, path) in list(self.scoped.items()):
            if marker.scope == "section" and project.path[: len(path)] != path:
                del self.scoped[field_name]  # its section has ended
            else:
                _set(project, marker, value)
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
        found = self.sections.match(line)
        if found is None:
            return False
        heading, label = found
        self.sections.enter(heading.level, label)
        self.headings.append((line, self.sections.current()))
        span = heading.pattern.match(line).span()  # type: ignore[union-attr]  # it matched above
        self.coverage.take(line, Use.SECTION, heading.rule, label, span)
        return True

    def marker_line(self, line: SourceLine) -> bool:
        """Hold a standalone marker line for the project(s) it marks; say whether it was one."""
        marker = self.markers.standalone(line.text)
        if marker is None:
            return False
        found = marker.pattern.fullmatch(line.text.strip())
        assert found is not None  # `standalone` matched it
        value = _value(marker, found)
        if value:
            self.markers.hold(marker, value, self.sections.current())
        else:
            self.problems.append(marker_without_value(self, line, marker.rule, marker.field))
        self.coverage.take(line, Use.FIELD, marker.rule, f"{_SCOPE_TARGETS[marker.scope]}.{marker.field}")
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
