"""Configuration is read once into frozen dataclasses, nested by the fields' type hints."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from etl.config.typed import typed
from etl.mapping.layouts import layout_schemas, layouts
from etl.render.template import Template, load_template


@dataclass(frozen=True)
class Inner:
    name: str
    size: int = 10


@dataclass(frozen=True)
class Outer:
    inner: Inner
    items: tuple[Inner, ...]
    by_key: Mapping[str, Inner]


def test_nested_dataclasses_tuples_and_mappings_are_built():
    data = {
        "inner": {"name": "a", "size": 3},
        "items": [{"name": "b"}],
        "by_key": {"k": {"name": "c", "size": 1}},
        "unknown": "ignored",
    }
    built = typed(Outer, data)
    assert built == Outer(Inner("a", 3), (Inner("b", 10),), built.by_key)
    assert built.by_key["k"] == Inner("c", 1)
    with pytest.raises(TypeError):
        built.by_key["k"] = Inner("d")  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.inner.name = "x"  # type: ignore[misc]


def test_the_workbook_template_holds_no_plain_dict():
    def plain_dicts(value: object, where: str) -> list[str]:
        if isinstance(value, dict):
            return [where]
        if dataclasses.is_dataclass(value):
            return [
                p for f in dataclasses.fields(value) for p in plain_dicts(getattr(value, f.name), f"{where}.{f.name}")
            ]
        if isinstance(value, tuple):
            return [p for i, item in enumerate(value) for p in plain_dicts(item, f"{where}[{i}]")]
        if isinstance(value, Mapping):
            return [p for k, item in value.items() for p in plain_dicts(item, f"{where}[{k}]")]
        return []

    template = load_template()
    assert isinstance(template, Template)
    assert plain_dicts(template, "template") == []
    assert template.card.labels_for("pdca_plan").method != template.card.labels.method


@pytest.mark.parametrize("name", sorted(layouts()))
def test_every_option_a_layout_schema_allows_has_a_typed_field(name: str):
    """A new option goes into the schema and into the layout's `Options`; neither alone."""
    allowed = set(layout_schemas()[name]["properties"]) - {"type"}
    declared = {f.metadata.get("key", f.name) for f in dataclasses.fields(layouts()[name].Options)}
    assert declared == allowed
