"""Fill generated workbooks as staff would: valid entries, plus chosen mistakes.

Used by the tests, by the README's demo and by the benchmark's synthetic corpus. Entries
are deterministic for a given seed. Each mistake is put in one input cell and
returned with the place it was put and the problem code collect must report there.

    injected = fill_workbook(src, dst, mistakes=["text_in_number", "pasted_direction"])
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from .fileio import atomic_path
from .model import ACHIEVEMENTS, DIRECTIONS
from .readback import InputCell, read_filled_workbook
from .render.contract import InputKind, parse_key


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
    "formula": Mistake(InputKind.NUMBER, "=1+2", "value.formula"),
    "pasted_direction": Mistake(InputKind.DIRECTION, "継続（一部見直し）", "value.not_in_list", "direction"),
    "pasted_achievement": Mistake(InputKind.ACHIEVEMENT, "ほぼ達成", "value.not_in_list"),
    "boolean": Mistake(InputKind.TEXT, True, "value.boolean", "issues"),
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
    """Fill the first `years` fiscal years of `source` into `target`; inject `mistakes` (names of MISTAKES)."""
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
        cell = _cell_for(MISTAKES[name], cells, injected)
        mistake = MISTAKES[name]
        unit = filled.units.get(cell.key, "") if hasattr(filled, "units") else ""
        values[cell.key] = mistake.value.format(unit=unit or "回") if isinstance(mistake.value, str) else mistake.value
        injected.append(Injected(name, cell.sheet, cell.cell, cell.key, mistake.code))
    _write(source, target, {c.key: c for c in cells}, values)
    return injected


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


def _cell_for(mistake: Mistake, cells: list[InputCell], taken: list[Injected]) -> InputCell:
    used = {i.key for i in taken}
    for cell in cells:
        key = parse_key(cell.key)
        if cell.kind != mistake.kind or cell.key in used or key is None:
            continue
        if mistake.field and key.field != mistake.field:
            continue
        return cell
    raise ValueError(f"no free input cell of kind {mistake.kind} for this mistake")


def _write(source: Path, target: Path, cells: dict[str, InputCell], values: dict[str, object]) -> None:
    book = openpyxl.load_workbook(source)
    for key, value in values.items():
        cell = cells[key]
        book[cell.sheet][cell.cell].value = value
    with atomic_path(target) as tmp:
        book.save(tmp)
