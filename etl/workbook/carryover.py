"""Regenerating never loses work: what staff entered moves into the new workbook by key.

The previous workbook is read back (etl.workbook.readback) before it is replaced. Every value
staff entered is carried by its key (project, fiscal year, field) and wins over what
the new document pre-fills. A value whose project, year or indicator the new document
no longer has is reported with the value itself, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Records
from ..problems import Location, Problem, Problems, problem
from .book import CellValue
from .contract import Meta

if TYPE_CHECKING:
    from .readback import FilledWorkbook, InputCell


@dataclass(frozen=True)
class Carry:
    """What staff entered in the previous workbook, by key, for the writer to place."""

    previous: FilledWorkbook
    values: dict[str, CellValue]
    problems: Problems  # what stops (errors) or limits carrying

    def unplaced(self, keys: list[str]) -> list[Problem]:
        """The entries the new workbook had no cell for, each reported with its value."""
        return unplaced_problems(self.previous, keys)


def carry_over(previous: FilledWorkbook, records: Records) -> Carry:
    """What of `previous` goes into the workbook regenerated for `records`."""
    values, problems = carried_values(previous, records)
    return Carry(previous, values, Problems(problems))


def carried_values(previous: FilledWorkbook, records: Records) -> tuple[dict[str, CellValue], list[Problem]]:
    """The entered values by key, and the problems that stop or limit carrying them."""
    problems = list(previous.problems)
    council = previous.metadata.get(Meta.COUNCIL_ID, "")
    if council != records.council.id:
        problems.append(_other_council(previous, council, records.council.id))
        return {}, problems
    values: dict[str, CellValue] = {}
    for cell in previous.entered():
        if cell.is_formula and cell.value is None:
            problems.append(
                _uncarried(previous, cell, "式の計算結果が保存されていません", "a formula without a saved result")
            )
        else:
            values[unicodedata.normalize("NFC", cell.key)] = _writable(cell.value)
    return values, problems


def unplaced_problems(previous: FilledWorkbook, keys: list[str]) -> list[Problem]:
    cells = {unicodedata.normalize("NFC", key): cell for key, cell in previous.by_key().items()}
    reason_ja = "新しい文書にこの事業・年度・達成目標がありません"
    return [
        _uncarried(previous, cells[key], reason_ja, "the new document has no such project, year or target")
        for key in keys
    ]


def _writable(value: object) -> CellValue:
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float | str):
        return value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return None if value is None else str(value)


def _other_council(previous: FilledWorkbook, found: str, expected: str) -> Problem:
    return problem(
        "render.carryover_other_council",
        Location(file=str(previous.path)),
        ja=f"出力先に別の社協（{found or '不明'}）のワークブックがあるため上書きしません（この文書は {expected}）",
        en=f"the existing workbook belongs to council {found or '?'}, not {expected}; it is left untouched",
        hint="出力先のファイルを移動するか、別の出力フォルダを指定してください",
    )


def _uncarried(previous: FilledWorkbook, cell: InputCell, reason_ja: str, reason_en: str) -> Problem:
    value = "" if cell.value is None else str(cell.value)
    return problem(
        "render.carryover_unplaced",
        Location(file=str(previous.path), sheet=cell.sheet, cell=cell.cell, key=cell.key),
        ja=f"前回の入力を新しいワークブックに移せませんでした（{reason_ja}）: {cell.label} = {value}",
        en=f"an entry of the previous workbook could not be carried over ({reason_en}): {value[:60]!r}",
        hint="値を新しいワークブックの正しい欄に手で入力してください",
    )
