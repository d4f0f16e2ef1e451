"""Layouts: the generic readers of document shapes, one module each, keyed by name.

A mapping picks one with `layout.type`; its options are declared by the JSON Schema
file beside the module (`<module>.schema.json`, whose `$ref`s point into its own
`$defs`), validated before use, and loaded once into the layout's frozen `Options`
dataclass (a new option goes into both). A layout module exports `LAYOUT`, a `Layout`
subclass whose docstring shows a YAML example.
Adding a layout means adding a module here; nothing else needs to know.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from functools import cache
from pathlib import Path
from typing import Any

from .base import Layout

__all__ = ["Layout", "layout_schemas", "layouts"]


@cache
def layouts() -> dict[str, type[Layout]]:
    """Every layout of this package, by name."""
    found: dict[str, type[Layout]] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        layout = getattr(module, "LAYOUT", None)
        if layout is not None:
            found[layout.name] = layout
    return dict(sorted(found.items()))


def layout_schemas() -> dict[str, dict[str, Any]]:
    """Each layout's option schema, read from the JSON file beside its module."""
    schemas = {}
    for name, layout in layouts().items():
        module_file = Path(importlib.import_module(layout.__module__).__file__ or "")
        schema = _rebase_refs(json.loads(module_file.with_suffix(".schema.json").read_text(encoding="utf-8")), name)
        schema.setdefault("properties", {})["type"] = {"const": name, "description": (layout.__doc__ or "").strip()}
        schema.setdefault("required", [])
        if "type" not in schema["required"]:
            schema["required"].insert(0, "type")
        schemas[name] = schema
    return schemas


def _rebase_refs(node: Any, name: str) -> Any:
    """A layout schema refers to its own `#/$defs/x`; in the composed schema that is
    `#/$defs/layout_<name>/$defs/x`."""
    if isinstance(node, dict):
        return {
            key: (
                value.replace("#/$defs/", f"#/$defs/layout_{name}/$defs/", 1)
                if key == "$ref" and isinstance(value, str)
                else _rebase_refs(value, name)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rebase_refs(item, name) for item in node]
    return node
