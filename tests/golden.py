"""Golden copies of the five bundled councils' workbooks, as data.

`workbook_contents` is what a workbook shows and promises: every sheet in order with its
visibility, and every cell holding a value — the visible sheets, `_meta` (generation time
masked), `_index` and `_records` decoded from their chunks. `tests/test_golden.py` converts
the samples afresh and compares. When a change alters the workbooks on purpose, regenerate
(and review the diff of `tests/golden/`):

    python -m tests.golden
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import openpyxl

from etl.convert import bundled_samples, convert_many
from etl.workbook.contract import INDEX_HEADER, INDEX_SHEET, read_index

GOLDEN = Path(__file__).resolve().parent / "golden"
MASKED = "<masked>"
META_SHEET, RECORDS_SHEET, GENERATED_AT = "_meta", "_records", "generated_at"


def golden_path(workbook: Path) -> Path:
    """One file per council: its code, the first part of the workbook's name."""
    return GOLDEN / f"{workbook.name.split('_', 1)[0]}.json"


def workbook_contents(path: Path) -> dict[str, Any]:
    book = openpyxl.load_workbook(path)
    try:
        return {"sheets": [sheet_contents(sheet) for sheet in book.worksheets]}
    finally:
        book.close()


def sheet_contents(sheet) -> dict[str, Any]:
    """The sheet's rows that hold a value, by row number, each as its values from column A."""
    rows = {}
    for row in sheet.iter_rows():
        values = [cell_value(cell.value) for cell in row]
        while values and values[-1] is None:
            values.pop()
        if values:
            rows[str(row[0].row)] = values
    contents: dict[str, Any] = {"name": sheet.title, "state": sheet.sheet_state}
    if sheet.title == RECORDS_SHEET:
        contents["records"] = json.loads("".join(values[0] for values in rows.values()))
    elif sheet.title == INDEX_SHEET and str(rows.get("1", [""])[0]).startswith("{"):
        contents["stored"] = "json"  # template version 2: compared as the table version 1 kept
        index, landmarks = read_index("".join(values[0] for values in rows.values()))
        table = [list(INDEX_HEADER), *map(list, index)]
        contents["rows"] = {str(n): values for n, values in enumerate(table, start=1)}
        contents["landmarks"] = landmarks  # the headings each input's row is checked by, in index order
    elif sheet.title == META_SHEET:
        contents["rows"] = {n: masked(values) for n, values in rows.items()}
    else:
        contents["rows"] = rows
    return contents


def masked(meta_row: list[object]) -> list[object]:
    """A `_meta` row is a key and its value; the generation time changes every run."""
    return [GENERATED_AT, MASKED] if meta_row[0] == GENERATED_AT else meta_row


def cell_value(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return {"datetime": value.isoformat()}
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_golden(workbooks: list[Path]) -> list[Path]:
    GOLDEN.mkdir(exist_ok=True)
    written = []
    for workbook in workbooks:
        target = golden_path(workbook)
        target.write_text(as_text(workbook_contents(workbook)), encoding="utf-8")
        written.append(target)
    return written


def as_text(contents: dict[str, Any]) -> str:
    """JSON with one line per row, so that a change shows as a readable diff."""
    sheets = []
    for sheet in contents["sheets"]:
        head = {k: v for k, v in sheet.items() if k not in ("rows", "records")}
        if "records" in sheet:
            body = f'"records": {json.dumps(sheet["records"], ensure_ascii=False, indent=1)}'
        else:
            rows = ",\n".join(f"{json.dumps(n)}: {dumps(values)}" for n, values in sheet["rows"].items())
            body = f'"rows": {{\n{rows}\n}}'
        sheets.append(f"{dumps(head)[:-1]}, {body}}}")
    return '{"sheets": [\n' + ",\n".join(sheets) + "\n]}\n"


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def convert_samples(folder: Path) -> list[Path]:
    outcomes = convert_many(bundled_samples(), folder)
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise SystemExit(f"bundled samples did not convert: {[str(o.document) for o in failed]}")
    return [o.output for o in outcomes if o.output is not None]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        for path in write_golden(convert_samples(Path(folder))):
            print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)


if __name__ == "__main__":
    sys.exit(main())
