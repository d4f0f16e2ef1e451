"""A strict, safe YAML loader that remembers where every key was written.

PyYAML's SafeLoader still follows YAML 1.1: `011002` becomes the integer 4610,
`no` becomes False, `2022-04-01` a date, and aliases can blow up (billion laughs).
This loader resolves only plain decimal numbers, `true`/`false` and `null`; every
other scalar stays a string. Aliases, anchors, explicit tags and duplicate keys are
errors, on any node. Nesting deeper than `MAX_DEPTH` and more than `MAX_NODES` nodes are
errors too (a mapping file is small and shallow; anything else is a mistake or an attack).
Each mapping key's line and column are kept, by key path, for messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

KeyPath = tuple[str | int, ...]
MAX_DEPTH = 50  # the bundled mappings nest 6 levels deep
MAX_NODES = 20_000  # the bundled mappings have a few hundred


class YamlProblem(Exception):
    """A YAML error with its place; `line` and `column` are 1-based."""

    def __init__(self, message: str, line: int | None, column: int | None, key: str = "") -> None:
        super().__init__(message)
        self.message, self.line, self.column, self.key = message, line, column, key


@dataclass
class LoadedYaml:
    data: Any
    marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def place(self, path: KeyPath) -> tuple[int, int] | None:
        """Line and column of the key at `path`, or of its closest ancestor."""
        while path:
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), None)


class _StrictLoader(yaml.SafeLoader):
    yaml_implicit_resolvers: ClassVar[dict] = {}


for _tag, _regexp, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|false|True|False)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", "-+0123456789."),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    _StrictLoader.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


def load_yaml(text: str) -> LoadedYaml:
    """Parse `text`; raise `YamlProblem` naming the line and column of what is wrong."""
    loader = _StrictLoader(text)
    try:
        node = _compose_single(loader, _Budget())
        if node is None:
            return LoadedYaml(None)
        marks: dict[KeyPath, tuple[int, int]] = {(): (node.start_mark.line + 1, node.start_mark.column + 1)}
        return LoadedYaml(_construct(loader, node, (), marks), marks)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise YamlProblem(f"{err.problem or err.context}", line, column) from None
    except yaml.YAMLError as err:
        raise YamlProblem(str(err), None, None) from None
    finally:
        loader.dispose()


@dataclass
class _Budget:
    nodes: int = 0

    def spend(self, depth: int, place: tuple[int, int]) -> None:
        self.nodes += 1
        if depth > MAX_DEPTH:
            raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep", *place)
        if self.nodes > MAX_NODES:
            raise YamlProblem(f"more than {MAX_NODES} values: too large for a mapping file", *place)


def _compose_single(loader: _StrictLoader, budget: _Budget) -> Node | None:
    loader.get_event()  # stream start
    if loader.check_event(yaml.StreamEndEvent):
        return None
    loader.get_event()  # document start
    node = _compose(loader, budget, 0)
    loader.get_event()  # document end
    if not loader.check_event(yaml.StreamEndEvent):
        event = loader.peek_event()
        raise YamlProblem("only one YAML document is allowed", event.start_mark.line + 1, 1)
    return node


def _compose(loader: _StrictLoader, budget: _Budget, depth: int) -> Node:
    """Compose a node tree without anchors, aliases or explicit tags, within the budget."""
    event = loader.peek_event()
    place = (event.start_mark.line + 1, event.start_mark.column + 1)
    budget.spend(depth, place)
    if isinstance(event, AliasEvent):
        raise YamlProblem("aliases (*name) are not allowed in mapping files", *place)
    if getattr(event, "anchor", None):
        raise YamlProblem("anchors (&name) are not allowed in mapping files", *place)
    if _explicit_tag(event):
        raise YamlProblem(f"explicit tags such as {event.tag} are not allowed", *place)
    if loader.check_event(yaml.ScalarEvent):
        event = loader.get_event()
        tag = loader.resolve(ScalarNode, event.value, event.implicit)
        return ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
    if loader.check_event(yaml.SequenceStartEvent):
        start = loader.get_event()
        items = []
        while not loader.check_event(yaml.SequenceEndEvent):
            items.append(_compose(loader, budget, depth + 1))
        end = loader.get_event()
        return SequenceNode("tag:yaml.org,2002:seq", items, start.start_mark, end.end_mark)
    start = loader.get_event()  # mapping start
    pairs = []
    while not loader.check_event(yaml.MappingEndEvent):
        pairs.append((_compose(loader, budget, depth + 1), _compose(loader, budget, depth + 1)))
    end = loader.get_event()
    return MappingNode("tag:yaml.org,2002:map", pairs, start.start_mark, end.end_mark)


def _explicit_tag(event: yaml.Event) -> bool:
    """Whether the node carries a tag written in the file (`!!set`, `!custom`), on a scalar
    (whose `implicit` is a pair) or on a sequence or mapping (a flag)."""
    implicit = getattr(event, "implicit", True)
    written = not (implicit[0] if isinstance(implicit, tuple) else implicit)
    return getattr(event, "tag", None) not in (None, "!") and written


def _construct(loader: _StrictLoader, node: Node, path: KeyPath, marks: dict) -> Any:
    if isinstance(node, ScalarNode):
        return loader.construct_object(node, deep=True)
    if isinstance(node, SequenceNode):
        result = []
        for index, item in enumerate(node.value):
            marks[(*path, index)] = (item.start_mark.line + 1, item.start_mark.column + 1)
            result.append(_construct(loader, item, (*path, index), marks))
        return result
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = _construct(loader, key_node, path, marks)
        place = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(key, str | int):
            raise YamlProblem(f"a key must be text, not {type(key).__name__}", *place)
        if key in mapping:
            raise YamlProblem(f"duplicate key {key!r}", *place, key=str(key))
        marks[(*path, key)] = place
        mapping[key] = _construct(loader, value_node, (*path, key), marks)
    return mapping
