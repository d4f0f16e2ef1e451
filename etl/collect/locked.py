"""Locked cells typed over: what staff changed outside the input cells of an unprotected sheet.

Sheets are protected without a password, so that nobody is locked out; a sheet whose
protection was removed may have its plan edited (a target's plan value, a label). Such an
edit is not consolidated — the plan comes from the workbook's own records — so it is
reported, cell by cell, as a warning. What the cells held is known by writing the
workbook again from its records (only for a workbook with an unprotected sheet), with the
writer collect is handed (`Regenerate`: `etl.render.render_workbook`), since collect reads
the workbook format and never imports the writer.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Protocol

from openpyxl.utils.cell import get_column_letter

from ..model import Records
from ..problems import Location, Problem, problem
from ..workbook.contract import Meta
from ..workbook.readback import FilledWorkbook
from ..workbook.xlsxparts import Package, Unsupported, open_package

MAX_ROWS, MAX_COLUMNS = 5_000, 100  # far beyond any sheet of ours
MAX_REPORTED = 20  # cells per sheet; the rest are counted


class Regenerate(Protocol):
    """Writes the workbook for `records` to `target` as it was generated at `generated_at`."""

    def __call__(self, records: Records, target: Path, *, generated_at: dt.datetime | None) -> object: ...


def typed_over(filled: FilledWorkbook, records: Records, regenerate: Regenerate) -> list[Problem]:
    """A warning for each locked cell of an unprotected sheet that differs from what was generated."""
    if not filled.unprotected:
        return []
    shifted = {p.location.sheet for p in filled.problems if p.code == "readback.name_moved"}
    found = []
    with tempfile.TemporaryDirectory() as folder:
        generated = Path(folder) / "generated.xlsx"
        regenerate(records, generated, generated_at=_generated_at(filled))
        try:
            with open_package(generated) as original, open_package(filled.path) as received:
                for sheet in filled.unprotected:
                    if sheet in original.sheetnames and sheet not in shifted:
                        found.extend(_changed(filled, sheet, original, received))
                    else:  # renamed, or rows inserted: cell by cell would say every cell changed
                        found.append(_unprotected(filled, sheet))
        except Unsupported:
            found = [_unprotected(filled, sheet) for sheet in filled.unprotected]
    return found


def _changed(filled: FilledWorkbook, sheet: str, original: Package, received: Package) -> list[Problem]:
    inputs = {cell.cell for cell in filled.inputs if cell.sheet == sheet}
    before = _cells(original, sheet)
    after = _cells(received, sheet)
    places = (before.keys() | after.keys()) - inputs
    changed = sorted((p for p in places if before.get(p) != after.get(p)), key=lambda p: (len(p), p))
    found = [_typed_over(filled, sheet, place, before.get(place), after.get(place)) for place in changed[:MAX_REPORTED]]
    if len(changed) > MAX_REPORTED:
        found.append(_unprotected(filled, sheet, len(changed) - MAX_REPORTED))
    return found or [_unprotected(filled, sheet)]


def _cells(package: Package, sheet: str) -> dict[str, object]:
    rows = package.values(sheet, max_row=MAX_ROWS, max_col=MAX_COLUMNS)
    return {
        f"{get_column_letter(column)}{row}": value
        for row, values in enumerate(rows, start=1)
        for column, value in enumerate(values, start=1)
        if value not in (None, "")
    }


def _generated_at(filled: FilledWorkbook) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(filled.metadata.get(Meta.GENERATED_AT, ""))
    except ValueError:
        return None


def _typed_over(filled: FilledWorkbook, sheet: str, cell: str, before: object, after: object) -> Problem:
    shown = f"「{before if before is not None else ''}」→「{after if after is not None else ''}」"
    return problem(
        "collect.locked_cell_changed",
        Location(file=str(filled.path), sheet=sheet, cell=cell),
        ja=f"保護されていたセルが書き換えられています {shown}（集計には作成時の内容を使います）",
        en=f"a locked cell was typed over after its sheet was unprotected: {before!r} -> {after!r}; not consolidated",
        hint="計画の内容を変えるときは、元の文書を直して変換し直してください",
    )


def _unprotected(filled: FilledWorkbook, sheet: str, more: int = 0) -> Problem:
    extra = f"（ほかに {more} セル）" if more else ""
    return problem(
        "collect.sheet_unprotected",
        Location(file=str(filled.path), sheet=sheet),
        ja=f"シートの保護が解除されています{extra}。入力欄以外の変更は集計されません",
        en="the sheet's protection was removed"
        + (f" ({more} more cells changed)" if more else "")
        + "; changes outside the input cells are not consolidated",
        hint="入力欄（黄色のセル）だけに入力してください",
    )
