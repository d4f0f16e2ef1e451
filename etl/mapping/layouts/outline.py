"""Numbered prose under headings: the projects are the numbered items of an outline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, auto
from typing import Any

from ...jp import normalise_id
from ...model import Project, Status
from ...problems import EtlError, Location, problem
from ...read.source import SourceLine
from ..context import Context
from ..marks import Mark
from ..patterns import compile_pattern
from ..structure import LineRule, line_rule
from ..subitems import SubItems, SubItemsOptions
from ..width import fold
from .base import Layout


class Kind(Enum):
    """What a line of an outline is, once its neighbours are known."""

    HEADING = auto()  # a declared section heading
    HEADING_PROJECT = auto()  # a heading with content right under it: a project itself
    PROJECT = auto()  # a numbered item: starts a project
    MARKER = auto()  # a standalone marker right before a project: marks that project
    CONTENT_MARKER = auto()  # a standalone marker before content (a sub-item): content
    CONTENT = auto()  # anything else: content of the current project


@dataclass(frozen=True)
class OutlineOptions:
    project: str | Mapping[str, Any]  # a pattern, a named mark {mark: '(1)'} or a Word level {list_level: 1}
    id_sections: tuple[int, ...] = ()
    heading_projects: tuple[int, ...] = ()
    empty_heading_projects: bool = False
    sub_items: SubItemsOptions | None = None
    content_field: str = "method"
    content_status: str = ""
    content_labels: Mapping[str, str] | None = None  # field -> the label that starts its text (`目的：`)


class Outline(Layout):
    """Headings (`sections`) and numbered items, each followed by its text.

    A line matching `project` starts a project: group `id` is its number, `name` its
    name (markers such as trailing tags or `（市受託事業）` are cut out of it), and the
    optional group `printed` the number as printed (`(1)`; default: group `id`).
    Instead of a pattern, `project: {mark: '(1)'}` names the mark as printed (see
    `sections`), and `{list_level: 1}` or `{heading_level: 3}` the Word list or heading
    level of the project lines (`structure.py`). Every following line (sub-items ①, ア,
    bullets, notes) is content of that project, kept line by line in `content_field` (default `method`), until the
    next project or the next section heading; so is what the pattern leaves over on
    the project's own line. A document rarely labels a purpose, so no paragraph is
    taken for one: the content stays whole, as printed. Where it does, `content_labels`
    names the label that starts each field's text (`purpose: '^目的[:：]'`): a content line
    starting with a label goes, without it, to that field, and so do the lines after it
    until the next label or project.

    Numbers that restart under every section are made unique by `id_sections`: the
    ids of the enclosing sections at these levels, outermost first, prefix the item
    number (`2 総務係` then `(3)` gives `2-3`). A heading without a printed number
    counts as its place among its siblings (the third part is `3`), and so does an
    item without one (a bullet `・`, a pattern without group `id`) in its section.

    A list flattened by the export prints a project and its items with one mark
    (`- 法人運営事業`, `- 理事会(4回)`); `sub_items` says which items are content of the
    project above: `counted` (ending in a count in parentheses), `pattern` (the name
    matches), `projects` (every item not named in this list) or `detail` (every item
    not followed by a detail line matching this). A project repeated after its
    items continues it.

    `heading_projects`: headings of these levels that have content right under them,
    instead of numbered items, are projects themselves (`2. 福祉教育支援事業` followed
    by bullets); their id is composed the same way from the sections above them. With
    `empty_heading_projects`, such a heading is a project even with nothing under it.
    A heading project numbered afresh right under a heading of its own level, with nothing
    between (`1. 法人運営`, then `1.理事会の開催`), is an item of that heading instead: the
    heading stays open above it and its siblings, and their ids carry its number.

    Standalone markers (a line `新設`) mark the project that starts on the next line.
    Before anything else (a sub-item `②`) such a line is content of the current
    project; with `content_status` set it also gives the project that status, as does
    a status marker printed inside its content (`②にこにこ学習塾【拡充】`), unless the
    project has a status already. A marker with a `scope` marks the projects that
    follow it wherever it stands. A standalone tags line right under a heading, and a
    group `tags` of a section pattern, give their tags to every project of that section.

    ```yaml
    layout:
      type: outline
      project: '^(?P<printed>\\((?P<id>[0-9]+)\\))\\s*(?P<name>\\S.*)$'   # or {mark: '(1)'}
      id_sections: [2]
      heading_projects: [2]
      empty_heading_projects: true
      content_field: method
      content_status: expanded
      content_labels: {purpose: '^目的[:：]', goal: '^目標[:：]'}
      sub_items: {counted: true}
    ```
    """

    name = "outline"
    Options = OutlineOptions
    options: OutlineOptions

    def __init__(self, options: Mapping[str, Any], ctx: Context) -> None:
        super().__init__(options, ctx)
        self.project, self.mark = _project_pattern(self.options.project, ctx.mapping.path)
        self.sub_items = SubItems.from_options(self.options.sub_items)
        self.empty_headings = self.options.empty_heading_projects
        self.id_levels = self.options.id_sections
        self.heading_levels = set(self.options.heading_projects)
        self.content_field = self.options.content_field
        self.field = self.content_field  # where the current project's content goes now
        self.labels = {field: compile_pattern(label) for field, label in (self.options.content_labels or {}).items()}
        status = self.options.content_status
        self.content_status = Status(status) if status else None
        self.ids: dict[int, str] = {}  # printed (or ordinal) id of each open section, by level
        self.ordinals: dict[int, int] = {}  # headings seen under the current parent, by level
        self.tags: dict[int, tuple[str, ...]] = {}  # tags of each open section, by level
        self.current: Project | None = None
        self.unnumbered: dict[str, Project] = {}  # items numbered by position in this section, by name
        self.opened: int | None = None  # the level of a heading read right before this line
        self.nested: dict[int, int] = {}  # heading projects counted under a heading of their own level

    def run(self, lines: list[SourceLine]) -> None:
        body = [line for line in lines if not line.is_blank]
        for line, kind in zip(body, self.classify(body), strict=True):
            self.read(line, kind)

    def classify(self, body: list[SourceLine]) -> list[Kind]:
        """The kind of every line; a line's kind may depend on the next line and its kind."""
        kinds: list[Kind] = []
        following: tuple[Kind, SourceLine] | None = None
        for line in reversed(body):
            kind = self.line_kind(line, following)
            kinds.append(kind)
            following = (kind, line)
        return kinds[::-1]

    def line_kind(self, line: SourceLine, following: tuple[Kind, SourceLine] | None) -> Kind:
        next_kind = following[0] if following else None
        found = self.ctx.sections.match(line)
        if found is not None:
            heading, _ = found
            if heading.level in self.heading_levels and self.names_project(heading.level, following):
                return Kind.HEADING_PROJECT
            return Kind.HEADING
        item = self.project.match(line)
        if item:
            next_text = following[1].text if following else None
            sub_item = self.sub_items is not None and self.sub_items.is_sub_item(item["name"], next_text)
            return Kind.CONTENT if sub_item else Kind.PROJECT
        marker = self.ctx.markers.standalone(line.text)
        if marker:
            starts_project = next_kind in (Kind.PROJECT, Kind.HEADING_PROJECT)
            return Kind.MARKER if starts_project or marker.scope != "next" else Kind.CONTENT_MARKER
        return Kind.CONTENT

    def names_project(self, level: int, following: tuple[Kind, SourceLine] | None) -> bool:
        """Whether a heading at a `heading_projects` level is a project: content follows it,
        or, with `empty_heading_projects`, nothing of its own does (a heading as high, the end)."""
        if following is not None and following[0] in (Kind.CONTENT, Kind.CONTENT_MARKER):
            return True
        if not self.empty_headings:
            return False
        if following is None:
            return True
        found = self.ctx.sections.match(following[1])
        return found is not None and found[0].level <= level

    def read(self, line: SourceLine, kind: Kind) -> None:
        opened, self.opened = self.opened, None
        if kind is Kind.HEADING:
            self.enter_section(line)
        elif kind is Kind.HEADING_PROJECT:
            self.heading_project(line, opened)
        elif kind is Kind.PROJECT:
            self.item_project(line)
        elif self.is_section_tags(line):
            self.section_tags(line)
        elif kind is Kind.MARKER:
            self.ctx.marker_line(line)
        elif self.current is not None:
            self.content(line)
        # otherwise the line stays unaccounted: `mapping check` lists it

    def enter_section(self, line: SourceLine) -> None:
        level, groups = self.heading_groups(line)
        self.ctx.section_line(line)
        self.open_level(level, groups.get("id"))
        self.tags[level] = tuple((groups.get("tags") or "").split())
        self.current = None
        self.unnumbered = {}
        self.opened = level
        self.nested = {key: count for key, count in self.nested.items() if key < level}

    def heading_project(self, line: SourceLine, opened: int | None) -> None:
        level, groups = self.heading_groups(line)
        if level in self.nested or (opened == level and normalise_id(groups.get("id") or "") == "1"):
            own_id = self.nested_id(level, groups.get("id"))
        else:
            own_id = self.open_level(level, groups.get("id"))
            del self.ctx.sections.path[level - 1 :]  # the heading names the project, not a section above it
            self.close_levels(level)
        printed = groups.get("printed") or groups.get("id") or own_id
        name = groups.get("title") or line.text
        project_id, end = self.compose_id(own_id), self.heading_end(line)
        self.current = self.new_project(project_id, printed, name, line, "layout.heading_projects", end)

    def nested_id(self, level: int, printed_id: str | None) -> str:
        """The number of a heading project numbered afresh right under a heading of its own
        level (`1. 法人運営`, then `1.理事会の開催`): an item of that heading, which stays open."""
        self.nested[level] = self.nested.get(level, 0) + 1
        return normalise_id(printed_id) if printed_id else str(self.nested[level])

    def item_project(self, line: SourceLine) -> None:
        found = self.project.match(line)
        assert found is not None  # classified as a project line
        if "id" in self.project.groupindex:  # numbered: an id group that matched nothing is reported
            printed_id = found["id"] or ""
            number = self.mark.number(printed_id) if self.mark else normalise_id(printed_id)
            self.ctx.check_id(number, line, "layout", "project")
            printed = found.groupdict().get("printed") or printed_id
            project_id = self.compose_id(number)
            self.current = self.new_project(project_id, printed, found["name"], line, "layout.project", found.end())
            return
        key = fold(found["name"]).strip()
        if self.sub_items is not None and key in self.unnumbered:  # a parent repeated after its items
            self.current = self.unnumbered[key]
            self.ctx.take(line, "layout.project", f"{self.current.project_id}.name (repeated)")
            return
        project_id = self.compose_id(str(len(self.unnumbered) + 1))  # no number printed: its place in the section
        self.current = self.new_project(project_id, "", found["name"], line, "layout.project", found.end())
        self.unnumbered[key] = self.current

    def new_project(  # noqa: PLR0917 - the parts of a project line, named
        self, project_id: str, printed: str, name: str, line: SourceLine, rule: str, end: int
    ) -> Project:
        """A project from the first `end` characters of `line`; the rest of the line goes to its content."""
        project = self.ctx.add_project(printed, name, line)
        project.project_id = project_id  # composed from the enclosing sections, not the printed number alone
        inherited = [tag for level in sorted(self.tags) for tag in self.tags[level]]
        project.tags = tuple(dict.fromkeys((*project.tags, *inherited)))
        self.ctx.take(line, rule, f"{project_id}.name", (0, end))
        self.ctx.append(line, end, project, self.content_field, rule)
        self.field = self.content_field
        return project

    def is_section_tags(self, line: SourceLine) -> bool:
        """A standalone tags line right under a heading, before any project of its section."""
        marker = self.ctx.markers.standalone(line.text)
        return marker is not None and marker.field == "tags" and self.current is None and bool(self.ids)

    def section_tags(self, line: SourceLine) -> None:
        marker = self.ctx.markers.standalone(line.text)
        assert marker is not None  # checked by is_section_tags
        level = max(self.ids)
        self.tags[level] = (*self.tags.get(level, ()), *(marker.value or line.text).split())
        self.ctx.take(line, marker.rule, f"section {'/'.join(self.ctx.sections.current())}.tags")

    def content(self, line: SourceLine) -> None:
        project = self.current
        assert project is not None  # checked by the caller
        if self.labelled(line, project):
            return
        text = line.text.strip()
        old = getattr(project, self.field)
        setattr(project, self.field, f"{old}\n{text}" if old else text)
        if self.content_status and project.status is Status.NONE and self.has_status_marker(text):
            project.status = self.content_status
        sub_item = self.sub_items is not None and self.project.match(line)
        rule = "layout.sub_items" if sub_item else "layout.content_field"
        self.ctx.take(line, rule, f"{project.project_id}.{self.field}")

    def labelled(self, line: SourceLine, project: Project) -> bool:
        """A line starting with a `content_labels` label: its text, without the label, starts that field."""
        stripped = line.text.lstrip()
        for field, label in self.labels.items():
            found = label.match(stripped)
            if found is None:
                continue
            self.field = field
            text = stripped[found.end() :].strip()
            old = getattr(project, field)
            setattr(project, field, f"{old}\n{text}" if old and text else old or text)
            self.ctx.take(line, f"layout.content_labels.{field}", f"{project.project_id}.{field}")
            return True
        return False

    def has_status_marker(self, text: str) -> bool:
        """Whether `text` is a standalone status marker line or holds an in-line one."""
        standalone = self.ctx.markers.standalone(text)
        if standalone is not None:
            return standalone.field == "status"
        return any(
            marker.field == "status" and not marker.standalone and marker.pattern.search(text)
            for marker in self.ctx.markers.markers
        )

    def heading_end(self, line: SourceLine) -> int:
        """Where the match of the heading pattern on `line` ends."""
        found = self.ctx.sections.match(line)
        assert found is not None  # classified as a heading
        matched = found[0].pattern.match(line)
        assert matched is not None  # the same pattern matched above
        return matched.end()

    def heading_groups(self, line: SourceLine) -> tuple[int, dict[str, str]]:
        found = self.ctx.sections.match(line)
        assert found is not None  # classified as a heading
        heading, _ = found
        groups = heading.pattern.match(line)
        assert groups is not None  # the same pattern matched above
        return heading.level, heading.groups(groups)

    def open_level(self, level: int, printed_id: str | None) -> str:
        """Count a heading at `level`, close the levels below it; its id (printed or ordinal)."""
        self.close_levels(level)
        self.ordinals[level] = self.ordinals.get(level, 0) + 1
        self.ids[level] = normalise_id(printed_id) if printed_id else str(self.ordinals[level])
        return self.ids[level]

    def close_levels(self, level: int) -> None:
        """Close the sections at `level` and below; siblings below `level` count afresh."""
        for table in (self.ids, self.tags):
            for deeper in [key for key in table if key >= level]:
                del table[deeper]
        for deeper in [key for key in self.ordinals if key > level]:
            del self.ordinals[deeper]

    def compose_id(self, number: str) -> str:
        """The item number behind the ids of the enclosing sections named by `id_sections`."""
        prefix = [self.ids[level] for level in self.id_levels if level in self.ids]
        return "-".join([*prefix, number])


def _project_pattern(option: str | Mapping[str, Any], mapping_file: str) -> tuple[LineRule, Mark | None]:
    """The rule of a project line: a regular expression, a named mark (`{mark: '(1)'}`) or a
    Word level (`{list_level: 1}`, `structure.py`)."""
    compiled, mark = line_rule({"pattern": option} if isinstance(option, str) else option, "name")
    if "name" not in compiled.groupindex:
        raise EtlError(
            problem(
                "mapping.invalid",
                Location(file=mapping_file, key="layout.project"),
                ja="マッピングファイルの誤り: layout.project に名前付きグループ name がありません",
                en="invalid mapping: layout.project lacks the named group name",
                hint="e.g. '^(?P<printed>\\((?P<id>[0-9]+)\\))\\s*(?P<name>\\S.*)$' or {mark: '(1)'}; "
                "without `id`, items are numbered by position",
                field="layout.project",
            )
        )
    return compiled, mark


LAYOUT = Outline
