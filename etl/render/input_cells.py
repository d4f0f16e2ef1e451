"""Input cells: one colour, unlocked, validated, named, and filled with carried values.

Every input cell is placed through `Inputs.place`, which writes the value (what staff
entered in the previous workbook wins over what the document pre-fills), unlocks and
colours the cell, adds its validation with Japanese messages, and gives it a
workbook-scoped defined name derived from its key. The list of placed inputs becomes
the hidden index.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell

from ..model import ACHIEVEMENTS, DIRECTIONS
from ..workbook.book import Book, CellValue, Sheet, absolute_ref
from ..workbook.contract import InputKind, input_name
from .template import Template

LIST_NAMES = {InputKind.DIRECTION: "list_direction", InputKind.ACHIEVEMENT: "list_achievement"}
LIST_VALUES = {InputKind.DIRECTION: DIRECTIONS, InputKind.ACHIEVEMENT: ACHIEVEMENTS}
UNIT_FORMAT_UNSAFE = '"\\'
MAX_UNIT = 20  # a longer "unit" is a mapping mistake; cut it so messages stay within Excel's 255


@dataclass(frozen=True)
class InputSpec:
    key: str
    kind: InputKind
    label: str  # what staff read in messages: `1-1-1 法人の適正な運営 2023年度 取組み内容`
    prefill: CellValue = None
    unit: str = ""


@dataclass(frozen=True)
class PlacedInput:
    spec: InputSpec
    sheet: str
    row: int
    col: int
    value: CellValue

    @property
    def cell(self) -> str:
        return xl_rowcol_to_cell(self.row, self.col)


def unit_format(unit: str) -> str:
    """A number format showing the unit after the value: `General"ヶ所"`."""
    clean = "".join(ch for ch in unit[:MAX_UNIT] if ch not in UNIT_FORMAT_UNSAFE)
    return f'General"{clean}"' if clean else "General"


class Inputs:
    def __init__(self, book: Book, template: Template, carried: dict[str, CellValue]) -> None:
        self.book = book
        self.template = template
        self.carried = carried
        self.placed: dict[str, PlacedInput] = {}

    def value_for(self, spec: InputSpec) -> CellValue:
        return self.carried.get(spec.key, spec.prefill)

    def place(self, sheet: Sheet, first: tuple[int, int], spec: InputSpec, last: tuple[int, int] | None = None) -> None:
        value = self.value_for(spec)
        fmt = self.format(spec)
        sheet.block(first, last or first, value, fmt)
        sheet.validate(*first, self._validation(spec))
        self.book.define_name(input_name(spec.key), "=" + absolute_ref(sheet.name, *first))
        if spec.key in self.placed:
            raise ValueError(f"two input cells for the key {spec.key!r}")
        self.placed[spec.key] = PlacedInput(spec, sheet.name, *first, value)

    def format(self, spec: InputSpec) -> Format:
        extra = {"num_format": unit_format(spec.unit)} if spec.kind is InputKind.NUMBER else {}
        return self.book.format(bg_color=self.template.colours.input, locked=False, border=1, **extra)

    def unplaced(self) -> list[str]:
        return [key for key in self.carried if key not in self.placed]

    def _validation(self, spec: InputSpec) -> dict[str, object]:
        texts = self.template.validation[spec.kind.value]
        unit = spec.unit[:MAX_UNIT] or "なし"
        options: dict[str, object] = {
            "input_title": texts.title,
            "input_message": texts.message.format(unit=unit),
        }
        if spec.kind is InputKind.TEXT:
            return {"validate": "any", **options}
        options |= {"error_title": texts.error_title, "error_message": texts.error.format(unit=unit)}
        if spec.kind is InputKind.NUMBER:
            return {"validate": "decimal", "criteria": ">=", "value": 0, **options}
        return {"validate": "list", "source": "=" + LIST_NAMES[spec.kind], **options}


def write_choice_lists(book: Book, sheet: Sheet, template: Template) -> None:
    """The dropdown lists on the hidden sheet, each behind a defined name.

    Excel limits a list typed into a validation to 255 characters; a range has no such
    limit, so every list lives here whatever its length.
    """
    for col, (kind, values) in enumerate(LIST_VALUES.items()):
        sheet.text(0, col, template.validation[kind.value].title)
        for row, value in enumerate(values, start=1):
            sheet.text(row, col, value)
        first, last = absolute_ref(sheet.name, 1, col), xl_rowcol_to_cell(len(values), col, True, True)
        book.define_name(LIST_NAMES[kind], f"={first}:{last}")
