"""Fill generated workbooks as staff would: valid entries, plus chosen mistakes.

Used by the tests, by the README's demo and by the benchmark's synthetic corpus. Entries
are deterministic for a given seed. Each mistake is put in one input cell and
returned with the place it was put and the problem code collect must report there.

    injected = fill_workbook(src, dst, mistakes=["text_in_number", "pasted_direction"])
"""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from .fileio import atomic_path
from .model import ACHIEVEMENTS, DIRECTIONS
from .workbook.contract import InputKind, parse_key
from .workbook.indicators import indicator_unit
from .workbook.readback import FilledWorkbook, InputCell, read_filled_workbook
from .workbook.xlsxedit import PackageEditor, Unsupported


@dataclass(frozen=True)
class Mistake:
    kind: InputKind  # the kind of input cell it goes into
    value: object
    code: str  # what collect reports at that cell
    field: str = ""  # only cells of this PDCA field (e.g. `direction`), if set


MISTAKES: dict[str, Mistake] = {
    "text_in_number": Mistake(InputKind.NUMBER, "未定", "value.not_a_number"),
    "fullwidth_number": Mistake(InputKind.NUMBER, "３{unit}", "value.number_as_text"),
    "wrong_unit": Mistake(InputKind.NUMBER, "3ケース", "value.wrong_unit"),
    "error_value": Mistake(InputKind.NUMBER, "#DIV/0!", "value.excel_error"),
    # openpyxl saves no computed value beside a formula, so collect has none to use
    "formula": Mistake(InputKind.NUMBER, "=1+2", "value.formula_without_result"),
    "pasted_direction": Mistake(InputKind.DIRECTION, "継続（一部見直し）", "value.not_in_list", "direction"),
    "pasted_achievement": Mistake(InputKind.ACHIEVEMENT, "ほぼ達成", "value.not_in_list"),
    "boolean": Mistake(InputKind.TEXT, True, "value.boolean", "issues"),
    # DO written, but the year's CHECK (達成状況と成果, 課題, 今後の方向性) left empty
    "missing_check": Mistake(InputKind.TEXT, None, "collect.check_missing", "achievement"),
}

DO_TEXTS = (
    "地区社協と連携して研修会を開催した。",
    "広報紙で周知し、相談件数が増えた。",
    "関係機関との会議を定例化した。",
)
CHECK_TEXTS = ("計画どおり実施できた。", "参加者が増え、手応えがあった。", "一部の地区で実施できなかった。")
ISSUE_TEXTS = ("担い手の確保が課題。", "周知が十分でない。", "感染症対策との両立。")
ACTION_TEXTS = ("次年度は対象地区を広げる。", "実施方法を見直す。", "関係機関と役割分担を整理する。")


@dataclass(frozen=True)
class Injected:
    mistake: str
    sheet: str
    cell: str
    key: str
    code: str


def fill_workbook(
    source: Path, target: Path, *, mistakes: Sequence[str] = (), seed: int = 0, years: int = 1
) -> list[Injected]:
    """Fill the first `years` fiscal years of `source` into `target` and inject `mistakes` (names
    of MISTAKES) where the workbook has a cell for them; the injected ones are returned."""
    unknown = sorted(set(mistakes) - set(MISTAKES))
    if unknown:
        raise ValueError(f"unknown mistakes {unknown}; known: {', '.join(MISTAKES)}")
    filled = read_filled_workbook(source)
    first_years = sorted({k.fiscal_year for c in filled.inputs if (k := parse_key(c.key))})[:years]
    cells = [c for c in filled.inputs if (k := parse_key(c.key)) and k.fiscal_year in first_years]
    rng = random.Random(seed)
    values = {c.key: _valid_value(c, rng) for c in cells}
    injected = []
    for name in mistakes:
        mistake = MISTAKES[name]
        cell = _cell_for(mistake, cells, injected)
        if cell is None:
            continue  # this workbook has no cell for it (a report without targets has no number cells)
        if name == "missing_check":
            cell = _empty_check(cell, cells, values)
        elif isinstance(mistake.value, str):
            values[cell.key] = mistake.value.format(unit=_unit(filled, cell.key) or "回")
        else:
            values[cell.key] = mistake.value
        injected.append(Injected(name, cell.sheet, cell.cell, cell.key, mistake.code))
    _write(source, target, {c.key: c for c in cells}, values)
    return injected


def _unit(filled: FilledWorkbook, key_text: str) -> str:
    key = parse_key(key_text)
    indicators = filled.records.indicators if filled.records else []
    found = [i for i in indicators if key and (i.project_id, i.number) == (key.project_id, key.number)]
    return indicator_unit(found[0]) if found else ""


def _empty_check(achievement: InputCell, cells: list[InputCell], values: dict[str, object]) -> InputCell:
    """Empty the CHECK of `achievement`'s project and year; collect reports it at that cell."""
    key = parse_key(achievement.key)
    assert key is not None
    for cell in cells:
        other = parse_key(cell.key)
        same_year = other and (other.kind, other.project_id, other.fiscal_year) == (
            "pdca",
            key.project_id,
            key.fiscal_year,
        )
        if same_year and other.field in ("achievement", "issues", "direction"):
            values[cell.key] = None
    return achievement


def _valid_value(cell: InputCell, rng: random.Random) -> object:
    key = parse_key(cell.key)
    assert key is not None
    if cell.kind == InputKind.NUMBER:
        return rng.randint(0, 40)
    if cell.kind == InputKind.ACHIEVEMENT:
        return rng.choice(ACHIEVEMENTS)
    if cell.kind == InputKind.DIRECTION:
        return rng.choice(DIRECTIONS)
    texts = {"do": DO_TEXTS, "achievement": CHECK_TEXTS, "issues": ISSUE_TEXTS, "action": ACTION_TEXTS}
    return rng.choice(texts.get(key.field, DO_TEXTS))


def _cell_for(mistake: Mistake, cells: list[InputCell], taken: list[Injected]) -> InputCell | None:
    """A cell of the mistake's kind in a project and year no other mistake touches."""
    used = {(k.project_id, k.fiscal_year) for i in taken if (k := parse_key(i.key))}
    for cell in cells:
        key = parse_key(cell.key)
        if cell.kind != mistake.kind or key is None or (key.project_id, key.fiscal_year) in used:
            continue
        if not mistake.field or key.field == mistake.field:
            return cell
    return None


def _write(source: Path, target: Path, cells: dict[str, InputCell], values: dict[str, object]) -> None:
    """Write `values` into a copy of `source` by editing its package; openpyxl for a
    workbook outside the dialect the package editor knows."""
    try:
        with PackageEditor(source) as editor, atomic_path(target) as tmp:
            for key, value in values.items():
                editor.set_value(cells[key].sheet, cells[key].cell, value)
            editor.set_modified(dt.datetime.now(dt.UTC))
            editor.save(tmp)
    except (Unsupported, zipfile.BadZipFile):
        book = openpyxl.load_workbook(source)
        for key, value in values.items():
            book[cells[key].sheet][cells[key].cell].value = value
        with atomic_path(target) as tmp:
            book.save(tmp)
