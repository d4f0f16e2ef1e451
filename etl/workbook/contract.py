"""What a generated workbook promises to whoever reads it back.

Every input cell has a key that says what it holds, a workbook-scoped defined name
derived from the key (Excel and LibreOffice move the name with the cell when staff
insert rows, rename or re-order sheets), and a row on the very hidden index sheet.
The very hidden metadata sheet says which council, document and layout the workbook
was made for. Since template version 2 (`pdca_v2`) the index is JSON in chunks down
column A (`index_json`), read in one piece; version 1 (`pdca_v1`) had one row per input
cell under the header `INDEX_HEADER`, and is still read. The JSON index of a workbook made
since landmarks were stored also holds, for each input, the heading texts of its row that
read-back checks it by (`etl.workbook.places`); one made before reads without them. Keys:

- `pdca|<project_id>|<fiscal_year>|<field>` with field one of `PDCA_FIELDS`
- `indicator|<project_id>|<number>|<fiscal_year>|result`

A project id may itself contain `|`: keys are parsed from the right.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import chain, repeat
from typing import TYPE_CHECKING, NamedTuple, TypeGuard

from .snapshot import records_to_json

if TYPE_CHECKING:
    from ..model import Records

Landmarks = Sequence[str]  # column letters and heading text (without spaces) in turn: `etl.workbook.places`

TEMPLATE_VERSION = "pdca_v2"  # the layout file `templates_xlsx/<TEMPLATE_VERSION>.yaml`
TEMPLATE_V1 = "pdca_v1"  # still read: its index a table, its fingerprint `fingerprint_v1`
META_SHEET = "_meta"
INDEX_SHEET = "_index"
RECORDS_SHEET = "_records"  # the records snapshot (etl.workbook.snapshot), in chunks down column A
# Characters per cell of `_records` and `_index`. An Excel cell holds 32,767, but LibreOffice,
# saving again a workbook it saved, put a line break into a cell of 16,404 (the JSON no longer read).
RECORDS_CHUNK = 8_000
INDEX_FORMAT = 2
LANDMARKS = "landmarks"  # the index's key for each input's landmarks (`read_index`)
NAME_PREFIX = "in_"

PDCA_FIELDS = ("do", "achievement", "issues", "direction", "action")


class IndexRow(NamedTuple):
    """One input cell as the index lists it: where it was made and what it is."""

    key: str
    name: str  # its defined name
    sheet: str
    cell: str
    kind: str  # InputKind
    label: str
    prefilled: str  # as_text of the pre-filled value


INDEX_HEADER = IndexRow._fields  # version 1's header row


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
    """sha256 of everything the workbook is pre-filled from: of the records snapshot as the
    hidden sheet keeps it (template version 2), so that reading back hashes the text it read."""
    return snapshot_fingerprint(records_to_json(records))


def snapshot_fingerprint(snapshot: str) -> str:
    return hashlib.sha256(snapshot.encode("utf-8")).hexdigest()


def fingerprint_v1(records: Records) -> str:
    """The fingerprint of template version 1: sha256 of the records dumped as JSON."""
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


def index_json(rows: Sequence[Sequence[str]], landmarks: Sequence[Landmarks] | None = None) -> str:
    """The index as the hidden sheet keeps it: one list of `IndexRow`'s fields per input cell
    and, in `landmarks`, one list per input of its landmarks' column and text in turn."""
    data: dict[str, object] = {"format": INDEX_FORMAT, "fields": IndexRow._fields, "rows": rows}
    if landmarks is not None:
        data[LANDMARKS] = landmarks
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def index_from_json(text: str) -> list[IndexRow]:
    """The rows of `index_json`'s text; raises ValueError if it is not such a text."""
    return read_index(text)[0]


def read_index(text: str) -> tuple[list[IndexRow], list[Landmarks] | None]:
    """The rows of `index_json`'s text and the landmarks of each, None when the index has
    none (made before they were stored) or has them in another form; raises ValueError if
    it is not such a text. Landmarks are texts, checked further where they are used."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != INDEX_FORMAT or data.get("fields") != list(IndexRow._fields):
        raise ValueError("not an input index")
    rows = data.get("rows")
    if not (_lists_of_texts(rows) and set(map(len, rows)) <= {len(IndexRow._fields)}):
        raise ValueError("index rows that are not lists of texts")
    index = list(map(tuple.__new__, repeat(IndexRow), rows))  # IndexRow._make without its checks, made above
    landmarks = data.get(LANDMARKS)
    return index, landmarks if _lists_of_texts(landmarks) and len(landmarks) == len(index) else None


def _lists_of_texts(value: object) -> TypeGuard[list[list[str]]]:
    return (
        isinstance(value, list)
        and all(map(isinstance, value, repeat(list)))
        and all(map(isinstance, chain.from_iterable(value), repeat(str)))
    )


def chunked(text: str) -> list[str]:
    """`text` in pieces an Excel cell holds, for a hidden sheet's column A."""
    return [text[start : start + RECORDS_CHUNK] for start in range(0, len(text), RECORDS_CHUNK)]
