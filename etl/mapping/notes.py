"""What `mapping explain` says about the rules written by name: the pattern each named
mark stands for, how flattened lists and scoped markers are read, and which section
labels set categories."""

from __future__ import annotations

from typing import Any

from ..model import Records
from .classify import mapping_rules, section_category
from .loader import Mapping
from .marks import parse_mark
from .structure import level_notes
from .subitems import COUNT_IN_PARENTHESES

_WIDTH_NOTE = (
    "patterns are width-free: a character typed in a pattern also matches its other-width twin "
    "((1) = （１）); one written as \\uXXXX matches itself only"
)
_SUB_ITEMS = {
    "counted": f"items ending in a count in parentheses ({COUNT_IN_PARENTHESES}) are content of the project above",
    "pattern": "items whose name matches {} are content of the project above",
    "projects": "items other than the projects {} are content of the project above",
    "detail": "an item not followed by a line matching {} is content of the project above",
}
_SCOPES = {
    "next": "marks the next project",
    "section": "marks every following project of its section",
    "until-next": "marks every following project until the next standalone marker of its field",
}


def mapping_notes(mapping: Mapping, records: Records) -> list[str]:
    """Lines for `mapping explain`, after the line-by-line listing."""
    data = mapping.data
    notes = [_WIDTH_NOTE, *_mark_notes(data), *level_notes(data), *_sub_item_notes(data.get("layout", {}))]
    notes += [
        f"markers[{index}] ({marker['field']}) {_SCOPES[marker['scope']]}"
        for index, marker in enumerate(data.get("markers", []))
        if "scope" in marker
    ]
    notes += _category_notes(data.get("categories"), records)
    return [f"  note: {note}" for note in notes]


def _mark_notes(data: dict[str, Any]) -> list[str]:
    named = [(f"sections[{i}].mark", item, "title") for i, item in enumerate(data.get("sections", []))]
    named.append(("layout.project.mark", data.get("layout", {}).get("project"), "name"))
    return [
        f"{key} {rule['mark']!r} reads as {parse_mark(rule['mark'], group).source}"
        for key, rule, group in named
        if isinstance(rule, dict) and "mark" in rule
    ]


def _sub_item_notes(layout: dict[str, Any]) -> list[str]:
    way = layout.get("sub_items")
    if not way:
        return []
    key, value = next(iter(way.items()))
    return [f"layout.sub_items.{key}: {_SUB_ITEMS[key].format(value)}"]


def _category_notes(categories: dict[str, Any] | None, records: Records) -> list[str]:
    rules = tuple(rule for rule in mapping_rules(categories) if rule.on == "sections")
    if not rules:
        return []
    by_label: dict[tuple[str, str], list[str]] = {}
    for project in records.projects:
        found = section_category(project, rules)
        if found:
            by_label.setdefault(found, []).append(project.project_id)
    return [
        f"categories: section {label!r} sets {category} for {', '.join(ids)}"
        for (category, label), ids in by_label.items()
    ] or ["categories: no section label matched a rule `on: sections`"]
