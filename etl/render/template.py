"""The workbook layout as data: `templates_xlsx/<TEMPLATE_VERSION>.yaml`.

The file is read with the strict YAML loader, checked against `template_schema.json`
and loaded once into the frozen dataclasses below; a broken layout is a defect of the
tool, so it raises.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import jsonschema

from ..config.resources import templates_dir
from ..config.typed import typed
from ..config.yamlsafe import load_yaml
from ..workbook.contract import TEMPLATE_VERSION


class TemplateError(Exception):
    """The layout file is missing or does not follow its schema."""


@dataclass(frozen=True)
class Font:
    name: str
    size: float
    title_size: float


@dataclass(frozen=True)
class Colours:
    input: str  # the one colour of every cell staff fill in
    header: str
    label: str
    section: str
    reference: str


@dataclass(frozen=True)
class Margins:  # inches
    left: float
    right: float
    top: float
    bottom: float
    footer: float


@dataclass(frozen=True)
class Print:
    paper: int
    margins: Margins
    footer: str


@dataclass(frozen=True)
class Sheets:
    cover: str
    policies: str
    projects: str
    indicators: str
    choices: str
    previous: str  # only in a workbook converted with --previous

    def names(self) -> set[str]:
        return set(dataclasses.astuple(self))


@dataclass(frozen=True)
class CoverLabels:
    council: str
    council_id: str
    prefecture: str
    document: str
    period: str
    source: str
    version: str
    legend: str
    how_to: str
    contents: str


@dataclass(frozen=True)
class Cover:
    title: str
    subtitle: str
    width: tuple[float, ...]  # of the label column and the value column
    labels: CoverLabels
    legend: str
    how_to: tuple[str, ...]
    contents: tuple[str, ...]


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


@dataclass(frozen=True)
class IndicatorLayout(ListLayout):
    """The indicator list adds two columns per fiscal year."""

    plan: str  # header of a year's plan column, with `{year}`
    result: str
    year_width: float
    continues: str  # a plan that only continues the year before


@dataclass(frozen=True)
class PreviousLayout(ListLayout):
    """The list of last year's projects beside this year's (convert --previous)."""

    changes: Mapping[str, str]  # what each kind of match is called: same, renamed, renumbered, new, ended, unmatched


@dataclass(frozen=True)
class CardGrid:
    columns: int
    width: float


@dataclass(frozen=True)
class InputLines:
    do: int
    check: int
    action: int


@dataclass(frozen=True)
class Sections:
    plan: str
    do: str
    check: str
    action: str


@dataclass(frozen=True)
class CardLabels:
    project: str
    info: str
    situation: str
    purpose: str
    method: str
    goal: str
    targets: str
    target_name: str
    plan: str
    result: str
    no_targets: str
    results_note: str
    year: str
    do: str
    achievement: str
    issues: str
    direction: str
    action: str
    check_when: str
    previous: str  # last year's rows (convert --previous)
    previous_new: str
    previous_renumbered: str  # with `{id}` and `{name}` of last year's project
    previous_results: str


@dataclass(frozen=True)
class InfoLabels:
    path: str
    category: str
    status: str
    funding: str
    tags: str


@dataclass(frozen=True)
class Card:
    landscape: bool
    section_width: float
    grid: CardGrid
    label_span: int
    min_name_span: int
    kind_span: int
    max_year_span: int
    input_lines: InputLines
    sections: Sections
    labels: CardLabels
    labels_by_kind: Mapping[str, Mapping[str, str]]  # document kind -> labels it words differently
    info: InfoLabels

    def labels_for(self, kind: str) -> CardLabels:
        """The labels as a document of `kind` words them."""
        return dataclasses.replace(self.labels, **self.labels_by_kind.get(kind, {}))


@dataclass(frozen=True)
class Validation:
    """What a kind of input cell says when selected, and when a value is refused."""

    title: str
    message: str  # with `{unit}` for numbers
    error_title: str = ""
    error: str = ""


@dataclass(frozen=True)
class Template:
    version: str
    font: Font
    colours: Colours
    print: Print
    sheets: Sheets
    cover: Cover
    policies: ListLayout
    projects: ListLayout
    indicators: IndicatorLayout
    card: Card
    validation: Mapping[str, Validation]  # by input kind
    previous: PreviousLayout | None = None  # last year's projects matched (convert --previous)


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
    return typed(Template, {"version": version, **data})


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(resources.files("etl.render").joinpath("template_schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)
