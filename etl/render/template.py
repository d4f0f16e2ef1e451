"""The workbook layout as data: `templates_xlsx/<TEMPLATE_VERSION>.yaml`.

The file is read with the strict YAML loader and checked against
`template_schema.json`; a broken layout is a defect of the tool, so it raises.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from ..config.resources import templates_dir
from ..config.yamlsafe import load_yaml
from ..workbook.contract import TEMPLATE_VERSION


class TemplateError(Exception):
    """The layout file is missing or does not follow its schema."""


@dataclass(frozen=True)
class Column:
    label: str
    field: str
    width: float


@dataclass(frozen=True)
class ListLayout:
    landscape: bool
    freeze_columns: int
    columns: tuple[Column, ...]
    extra: dict[str, Any]  # keys a particular list adds (the indicator list's year columns)


@dataclass(frozen=True)
class Template:
    version: str
    font: dict[str, Any]
    colours: dict[str, str]
    print: dict[str, Any]
    sheets: dict[str, str]
    cover: dict[str, Any]
    policies: ListLayout
    projects: ListLayout
    indicators: ListLayout
    card: dict[str, Any]
    validation: dict[str, dict[str, str]]
    previous: ListLayout | None = None  # the list of last year's projects matched (convert --previous)


@cache
def load_template(version: str = TEMPLATE_VERSION) -> Template:
    return parse_template(templates_dir() / f"{version}.yaml", version)


def parse_template(path: Path, version: str) -> Template:
    try:
        data = load_yaml(path.read_text(encoding="utf-8")).data
    except OSError as err:
        raise TemplateError(f"{path}: cannot read the workbook layout: {err.strerror}") from None
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        where = ".".join(map(str, errors[0].absolute_path)) or "(top)"
        raise TemplateError(f"{path}: {where}: {errors[0].message}")
    return Template(
        version=version,
        font=data["font"],
        colours=data["colours"],
        print=data["print"],
        sheets=data["sheets"],
        cover=data["cover"],
        policies=_list_layout(data["policies"]),
        projects=_list_layout(data["projects"]),
        indicators=_list_layout(data["indicators"]),
        card=data["card"],
        validation=data["validation"],
        previous=_list_layout(data["previous"]) if "previous" in data else None,
    )


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(resources.files("etl.render").joinpath("template_schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _list_layout(data: dict[str, Any]) -> ListLayout:
    columns = tuple(Column(c["label"], c["field"], c["width"]) for c in data["columns"])
    extra = {k: v for k, v in data.items() if k not in ("landscape", "freeze_columns", "columns")}
    return ListLayout(data["landscape"], data["freeze_columns"], columns, extra)
