"""Load a mapping file: strict YAML, then the JSON Schema, then compiled patterns.

Every error names the file, the line and column, the key path, the bad value, the
allowed values and the closest match, as one `EtlError`.
"""

from __future__ import annotations

import difflib
import json
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import regex

from ..config.yamlsafe import KeyPath, LoadedYaml, YamlProblem, load_yaml
from ..problems import EtlError, Location, problem
from .layouts import layout_schemas
from .marks import KNOWN, mark_problems
from .patterns import compile_pattern
from .quantity_rules import quantity_pattern_error
from .semantics import faults

MAX_MAPPING_BYTES = 1_000_000


@dataclass(frozen=True)
class Mapping:
    path: str
    data: dict[str, Any]
    source: LoadedYaml


@cache
def mapping_schema() -> dict[str, Any]:
    """The complete JSON Schema: the base keys, and each layout's options by `layout.type`."""
    schema = json.loads(resources.files("etl.mapping").joinpath("schema_base.json").read_text("utf-8"))
    options = layout_schemas()
    schema["$defs"] = {f"layout_{name}": option_schema for name, option_schema in options.items()}
    schema["$defs"]["layout"] = {
        "type": "object",
        "description": "The shape of the document and how its parts become records; `type` names the layout.",
        "required": ["type"],
        "properties": {"type": {"enum": sorted(options)}},
        "allOf": [
            {"if": {"properties": {"type": {"const": name}}}, "then": {"$ref": f"#/$defs/layout_{name}"}}
            for name in sorted(options)
        ],
    }
    return schema


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
    loaded.data = _nfc(loaded.data)
    _check_schema(name, loaded)
    _check_marks(name, loaded)
    _check_quantity_rules(name, loaded)
    for fault in faults(loaded.data):
        line, column = loaded.place(fault.path) or (None, None)
        raise _mapping_error(name, line, column, _dotted(fault.path), fault.detail, fault.ja, fault.hint)
    return Mapping(name, loaded.data, loaded)


def _nfc(value: Any) -> Any:
    """Every text of the mapping in one Unicode form (NFC): a mapping saved in NFD, as some
    macOS editors do, names the council, its files and its patterns as its NFC twin does."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(item) for item in value]
    if isinstance(value, dict):
        return {_nfc(key): _nfc(item) for key, item in value.items()}
    return value


def _check_schema(name: str, loaded: LoadedYaml) -> None:
    validator = jsonschema.Draft202012Validator(mapping_schema(), format_checker=pattern_format_checker())
    errors = list(validator.iter_errors(loaded.data))
    # A misspelt key also makes a required key missing; the misspelling is the news.
    # So does an unknown key in one of the forms a value may take (`project: {mak: '(1)'}`).
    unknown_keys = [e for e in _with_alternatives(errors) if e.validator == "additionalProperties"]
    error = jsonschema.exceptions.best_match(unknown_keys or errors)
    if error is None:
        return
    path: KeyPath = tuple(error.absolute_path)
    detail, hint = _explain_choice(error) or _explain_number(error) or _explain(error)
    if error.validator == "additionalProperties":
        path = (*path, _unknown_keys(error)[0])  # point at the unknown key itself
    line, column = loaded.place(path) or (None, None)
    raise _mapping_error(name, line, column, _dotted(path), detail, "マッピングファイルの内容に誤りがあります", hint)


def _with_alternatives(errors: list[jsonschema.ValidationError]) -> Iterator[jsonschema.ValidationError]:
    """The errors and, under each `oneOf`/`anyOf` error, those of the forms it tried."""
    for error in errors:
        yield error
        yield from _with_alternatives(error.context or [])


def _check_marks(name: str, loaded: LoadedYaml) -> None:
    for path, detail in mark_problems(loaded.data):
        line, column = loaded.place(path) or (None, None)
        hint = f"write the first mark as printed, e.g. {KNOWN}; or a pattern"
        raise _mapping_error(name, line, column, _dotted(path), detail, "リストの記号が分かりません", hint)


def _explain_choice(error: jsonschema.ValidationError) -> tuple[str, str] | None:
    """For keys that stand for one another (`pattern` or `mark`, a Word level): which to give."""
    where = f"under {_dotted(tuple(error.absolute_path)) or 'the top level'}"
    if error.validator == "not" and "required" in error.validator_value:  # keys that exclude each other
        keys = " or ".join(f"`{key}`" for key in error.validator_value["required"])
        return f"give exactly one of {keys}", where
    if error.validator not in ("oneOf", "anyOf") or not all("required" in option for option in error.validator_value):
        return None
    keys = " or ".join(f"`{option['required'][0]}`" for option in error.validator_value)
    return f"give {'exactly one' if error.validator == 'oneOf' else 'at least one'} of {keys}", where


def _explain_number(error: jsonschema.ValidationError) -> tuple[str, str] | None:
    """For numbers (levels): a quoted number, or one out of its range, with the range."""
    if error.validator == "type" and error.validator_value == "integer" and isinstance(error.instance, str):
        return f"expected a whole number, got the text {error.instance!r}", "write the number without quotes, e.g. 1"
    if error.validator not in ("minimum", "maximum"):
        return None
    low, high = error.schema.get("minimum"), error.schema.get("maximum")
    allowed = f"from {low} to {high}" if low is not None and high is not None else f"{error.validator} {low or high}"
    return f"{error.instance!r} is out of range", f"allowed values: {allowed}"


def _check_quantity_rules(name: str, loaded: LoadedYaml) -> None:
    """Quantity patterns must compile with `{number}` and `{unit}` written out, and a rule
    must say where its number is (group `number`, or `{number}`)."""
    quantities = loaded.data.get("quantities", {})
    for part in ("never", "rules"):
        for index, rule in enumerate(quantities.get(part, [])):
            detail = quantity_pattern_error(rule["pattern"], needs_number=part == "rules")
            if detail:
                path: KeyPath = ("quantities", part, index, "pattern")
                line, column = loaded.place(path) or (None, None)
                ja = "数量のパターンが使えません（ルールには数値のグループが必要です）"
                hint = "write {number} where the number stands, e.g. '年{number}回', or a group (?P<number>…)"
                raise _mapping_error(name, line, column, _dotted(path), detail, ja, hint)


def _explain(error: jsonschema.ValidationError) -> tuple[str, str]:
    """An English detail and a hint with allowed values and the closest match."""
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        bad = _unknown_keys(error)[0]
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
    if error.validator == "format" and error.validator_value == "regex":
        return f"bad regular expression {error.instance!r}: {_regex_error(error.instance)}", (
            "check brackets and escapes; in YAML prefer single quotes"
        )
    if error.validator == "required":
        return error.message, f"add the key under {_dotted(tuple(error.absolute_path)) or 'the top level'}"
    return error.message, ""


def pattern_format_checker(check: Callable[[str], object] = compile_pattern) -> jsonschema.FormatChecker:
    """Checks the schema's `format: regex` strings with `check` (default: they compile as mapping patterns)."""
    checker = jsonschema.FormatChecker([])
    checker.checks("regex", raises=regex.error)(lambda value: not isinstance(value, str) or check(value))
    return checker


def _unknown_keys(error: jsonschema.ValidationError) -> list[str]:
    return sorted(set(error.instance) - set(error.schema.get("properties", {}))) or ["?"]


def _regex_error(pattern: object) -> str:
    try:
        compile_pattern(str(pattern))
    except regex.error as err:
        return str(err)
    return "not a regular expression"


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
