"""Configuration read once into frozen dataclasses: after loading, nothing reads it by key.

`typed(Cls, data)` builds `Cls` from `data` (a YAML mapping already checked against its
schema), nested all the way down by the fields' type hints: a dataclass, a tuple of
them, a read-only mapping of them, `X | None`, or a plain value. A key the dataclass has
no field for is ignored (the schema said it may be there); a field with a default may be
absent. A field whose key is not a Python name (`from`) says its key in its metadata:
`field(metadata={"key": "from"})`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from types import MappingProxyType, NoneType, UnionType
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

T = TypeVar("T")


def typed(cls: type[T], data: Mapping[str, Any]) -> T:
    """`data` as the frozen dataclass `cls`."""
    hints = get_type_hints(cls)
    keys = {f.name: f.metadata.get("key", f.name) for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{name: _typed_value(hints[name], data[key]) for name, key in keys.items() if key in data})


def _typed_value(hint: Any, value: Any) -> Any:
    if is_dataclass(hint):
        return typed(hint, value)  # type: ignore[arg-type]
    origin, args = get_origin(hint), get_args(hint)
    if origin is UnionType:  # `X | None`
        return None if value is None else _typed_value(next(a for a in args if a is not NoneType), value)
    if origin is tuple:
        return tuple(_typed_value(args[0], item) for item in value)
    if origin is Mapping:
        return MappingProxyType({key: _typed_value(args[1], item) for key, item in value.items()})
    return value
