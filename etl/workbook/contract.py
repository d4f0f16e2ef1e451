"""What a generated workbook promises to whoever reads it back.

Every input cell has a key that says what it holds, a workbook-scoped defined name
derived from the key (Excel and LibreOffice move the name with the cell when staff
insert rows, rename or re-order sheets), and a row on the very hidden index sheet.
The very hidden metadata sheet says which council, document and layout the workbook
was made for. Keys:

- `pdca|<project_id>|<fiscal_year>|<field>` with field one of `PDCA_FIELDS`
- `indicator|<project_id>|<number>|<fiscal_year>|result`

A project id may itself contain `|`: keys are parsed from the right.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Records

TEMPLATE_VERSION = "pdca_v1"  # the layout file `templates_xlsx/<TEMPLATE_VERSION>.yaml`
META_SHEET = "_meta"
INDEX_SHEET = "_index"
RECORDS_SHEET = "_records"  # the records snapshot (etl.workbook.snapshot), in chunks down column A
RECORDS_CHUNK = 30_000  # characters per cell: an Excel cell holds 32,767
INDEX_HEADER = ("key", "name", "sheet", "cell", "kind", "label", "prefilled")
NAME_PREFIX = "in_"

PDCA_FIELDS = ("do", "achievement", "issues", "direction", "action")


class InputKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DIRECTION = "direction"  # one of model.DIRECTIONS
    ACHIEVEMENT = "achievement"  # one of model.ACHIEVEMENTS


class Meta(StrEnum):
    """Keys of the metadata sheet."""

    TEMPLATE_VERSION = "template_version"
    COUNCIL_ID = "council_id"
    COUNCIL_NAME = "council_name"
    PREFECTURE = "prefecture"
    DOCUMENT_KIND = "document_kind"
    DOCUMENT_TITLE = "document_title"
    FISCAL_YEARS = "fiscal_years"  # comma separated, e.g. `2023,2024`
    SOURCE_FILE = "source_file"
    GENERATED_AT = "generated_at"  # ISO 8601 with offset
    FINGERPRINT = "fingerprint"  # sha256 of the pre-filled content
    SIGNATURE = "signature"  # HMAC-SHA256 with the office's key (etl.signing), when one is configured
    SENT_BACK = "sent_back_entries"  # on a send-back copy: the digest of its entries when it was written


@dataclass(frozen=True, slots=True)
class InputKey:
    kind: str  # `pdca` or `indicator`
    project_id: str
    fiscal_year: int
    field: str
    number: int | None = None  # the indicator's number within its project

    def __str__(self) -> str:
        if self.kind == "indicator":
            return f"indicator|{self.project_id}|{self.number}|{self.fiscal_year}|{self.field}"
        return f"pdca|{self.project_id}|{self.fiscal_year}|{self.field}"


def pdca_key(project_id: str, fiscal_year: int, field: str) -> str:
    if field not in PDCA_FIELDS:
        raise ValueError(f"unknown PDCA field {field!r}")
    return str(InputKey("pdca", project_id, fiscal_year, field))


def indicator_result_key(project_id: str, number: int, fiscal_year: int) -> str:
    return str(InputKey("indicator", project_id, fiscal_year, "result", number))


def parse_key(key: str) -> InputKey | None:
    """The parts of a key, or None when the key is not one of ours."""
    kind, _, rest = key.partition("|")
    try:
        if kind == "pdca":
            project_id, year, field = rest.rsplit("|", 2)
            return InputKey(kind, project_id, int(year), field) if field in PDCA_FIELDS and project_id else None
        if kind == "indicator":
            project_id, number, year, field = rest.rsplit("|", 3)
            return InputKey(kind, project_id, int(year), field, int(number)) if field == "result" else None
    except ValueError:
        return None
    return None


def fingerprint(records: Records) -> str:
    """sha256 of everything the workbook is pre-filled from."""
    content = json.dumps(records, ensure_ascii=False, sort_keys=True, default=_fields)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _fields(value: object) -> object:
    """A record as its fields, as `dataclasses.asdict` gives them, without copying them first."""
    return vars(value) if dataclasses.is_dataclass(value) else str(value)


def input_name(key: str) -> str:
    """The defined name of the input cell for `key`: stable across regenerations."""
    return NAME_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def as_text(value: object) -> str:
    """A cell value as the index stores a pre-filled value: `30.0` and `30` are both `30`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
