"""Load a mapping file: strict YAML, then the JSON Schema, then compiled patterns.

Every error names the file, the line and column, the key path, the bad value, the
allowed values and the closest match, as one `EtlError`.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from ..problems import EtlError, Location, problem
from .yamlsafe import KeyPath, LoadedYaml, YamlProblem, load_yaml

MAX_MAPPING_BYTES = 1_000_000


@dataclass(frozen=True)
class Mapping:
    path: str
    data: dict[str, Any]
    source: LoadedYaml

    def regex(self, *key: str | int) -> re.Pattern[str]:
        value: Any = self.data
        for part in key:
            value = value[part]
        return re.compile(value)


@cache
def mapping_schema() -> dict[str, Any]:
    return json.loads(resources.files("etl.mapping").joinpath("schema.json").read_text("utf-8"))


def load_mapping(path: Path) -> Mapping:
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise _mapping_error(name, None, None, "", f"cannot read: {err.strerror}", "読み込めません") from None
    if len(raw) > MAX_MAPPING_BYTES:
        raise _mapping_error(name, None, None, "", "file too large for a mapping", "マッピングファイルが大きすぎます")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise _mapping_error(name, None, None, "", "not UTF-8", "UTF-8 で保存してください") from err
    try:
        loaded = load_yaml(text)
    except YamlProblem as err:
        ja = "YAML の書き方に誤りがあります"
        raise _mapping_error(name, err.line, err.column, err.key, err.message, ja) from None
    _check_schema(name, loaded)
    _check_patterns(name, loaded)
    return Mapping(name, loaded.data, loaded)


def _check_schema(name: str, loaded: LoadedYaml) -> None:
    validator = jsonschema.Draft202012Validator(mapping_schema())
    errors = sorted(validator.iter_errors(loaded.data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return
    error = errors[0]
    path: KeyPath = tuple(error.absolute_path)
    line, column = loaded.place(path) or (None, None)
    detail, hint = _explain(error)
    raise _mapping_error(name, line, column, _dotted(path), detail, "マッピングファイルの内容に誤りがあります", hint)


def _explain(error: jsonschema.ValidationError) -> tuple[str, str]:
    """An English detail and a hint with allowed values and the closest match."""
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(allowed))
        bad = unknown[0] if unknown else "?"
        close = difflib.get_close_matches(bad, allowed, n=1)
        hint = f"allowed keys: {', '.join(allowed)}" + (f"; did you mean {close[0]!r}?" if close else "")
        return f"unknown key {bad!r}", hint
    if error.validator == "enum":
        allowed = [str(v) for v in error.validator_value]
        close = difflib.get_close_matches(str(error.instance), allowed, n=1)
        hint = f"allowed values: {', '.join(allowed)}" + (f"; did you mean {close[0]!r}?" if close else "")
        return f"bad value {error.instance!r}", hint
    if error.validator == "type" and error.validator_value == "string" and isinstance(error.instance, int | float):
        return f"expected text, got the number {error.instance!r}", 'quote the value, e.g. "011002"'
    return error.message, ""


def _check_patterns(name: str, loaded: LoadedYaml) -> None:
    for path, value in _walk(loaded.data, ()):
        if path and str(path[-1]) in _PATTERN_KEYS and isinstance(value, str):
            try:
                re.compile(value)
            except re.error as err:
                line, column = loaded.place(path) or (None, None)
                raise _mapping_error(
                    name,
                    line,
                    column,
                    _dotted(path),
                    f"bad regular expression {value!r}: {err}",
                    "正規表現に誤りがあります",
                    "check brackets and escapes; in YAML prefer single quotes",
                ) from None


_PATTERN_KEYS = {"pattern", "project_id", "header_row"}


def _walk(value: Any, path: KeyPath):
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


def _dotted(path: KeyPath) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(path))


def _mapping_error(  # noqa: PLR0917 - one call shape everywhere in this module
    name: str, line: int | None, column: int | None, key: str, detail: str, ja: str, hint: str = ""
) -> EtlError:
    return EtlError(
        problem(
            "mapping.invalid",
            Location(file=name, line=line, column=column, key=key),
            ja=f"マッピングファイルの誤り: {ja}（{detail}）",
            en=f"invalid mapping: {detail}",
            hint=hint,
            field=key,
        )
    )
