"""Check that each input cell found through its defined name is the input the index describes.

Excel and LibreOffice move a defined name with its cell; openpyxl, and the scripts built
on it, insert or delete rows without moving names, and rename sheets without renaming
them. After such an edit a name points at another input's row, and its value would be
consolidated as this input's, silently.

Every input's row carries landmarks left of the cell: on a PDCA card the fiscal year, on
a list the project and the indicator. The index's label of each input names them. A row
whose landmarks are not all in the input's label is suspect; the input is then looked
for, in its column, in the rows around: the row whose landmarks fit its label best (the
most characters matched, the nearest on a tie) is where it went, and the value is read
from there, with a warning. A row that fits nothing is reported at its cell.

A sheet the index names that the workbook no longer has was renamed: it is the sheet,
among those the index does not know, where the most inputs find their landmarks.

Reading every heading of every input row is most of the check's cost, so the index of a
workbook made since the landmarks were stored (`contract.index_json`) keeps, for each
input whose row the check vouches for when the workbook is written, that row's heading
texts and their columns (`stored_landmarks`). Read-back then reads those cells alone: when
each input of a sheet finds its texts where they were (`headings_hold`), the sheet is as
it was made; otherwise, and for a workbook without them, the sheet is checked in full.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple, get_column_letter

from .contract import Landmarks

MAX_SHIFT = 100  # rows above and below its name's row where a moved input is looked for
MIN_LANDMARK = 3  # characters: a unit (人, ヶ所) or a short plan value (検討) is in many labels by chance
_SPACE = re.compile(r"\s+")
_COLUMN = re.compile(r"[A-Z]{1,3}")
MAX_COLUMN = 16_384  # XFD, the last column of a sheet
_NOTHING = (None, "")
_PLAIN, _LANDMARK, _SPECIFIC = 0, 1, 2  # a text of an input row: in no label, alike in every label, in some


Values = dict[tuple[str, str], tuple[Any, str]]  # (sheet, cell) -> (value, formula)


class Source(Protocol):
    """What the check needs of a workbook (`readback`'s sources provide it)."""

    def rows(self, sheet: str, max_row: int, max_col: int) -> Sequence[tuple[Any, ...]]: ...

    def values(self, places: list[tuple[str, str]]) -> Values: ...


@dataclass(frozen=True)
class Placed:
    """Where an input was found, and how sure that is."""

    sheet: str
    cell: str
    moved_from: str = ""  # the cell its name points at, when the input was found elsewhere
    unverified: bool = False  # its row has none of its landmarks, and no row nearby has


def renamed_sheets(
    wanted: Collection[str], sheetnames: Collection[str], fits: Callable[[str, str], int]
) -> dict[str, str]:
    """For each sheet in `wanted` that the workbook lacks, the unknown sheet it was renamed to:
    the one where `fits(wanted_sheet, candidate)` is highest (above 0)."""
    missing = [sheet for sheet in wanted if sheet not in sheetnames]
    unknown = [sheet for sheet in sheetnames if sheet not in wanted]
    found = {}
    for sheet in missing:
        scored = [(fits(sheet, candidate), candidate) for candidate in unknown if candidate not in found.values()]
        best = max(scored, default=(0, ""))
        if best[0] > 0:
            found[sheet] = best[1]
    return found


class SheetPlaces:
    """The input rows of one sheet, read once, to check and find the inputs named on it.

    Only the columns left of the sheet's first input column are read: there are the row
    headings (a card's fiscal year, a list's project and target). A landmark is such a
    text, of `MIN_LANDMARK` characters at least, that some input's label holds; it is
    specific unless every label on the sheet holds it as often (the project on a card is in
    every label once, the year only in its own; a target named inside the project's name,
    講座の開催 in 福祉講座の開催, is twice in its own). Where the input rows have specific
    landmarks, only those count.
    """

    def __init__(
        self, source: Source, sheet: str, cells: Sequence[str], labels: Sequence[str], read: Values | None = None
    ) -> None:
        """`read` may hold the values of `heading_places(sheet, cells)`, read with others."""
        places = [_coordinates(cell) for cell in cells]
        self._source, self._sheet = source, sheet
        self._width = _heading_width(places)
        self._last = max((row for row, _ in places), default=1)
        headings = heading_places(sheet, cells)
        self._texts = _headings(read if read is not None else source.values(headings), headings)
        self._wide = False
        self._labels = sorted({_normal(label) for label in labels}, key=len)
        self._everything = "\n".join(self._labels)
        self._kinds: dict[str, int] = {}  # text -> _PLAIN, _LANDMARK or _SPECIFIC
        self._least = _LANDMARK
        if any(self._kind(text) == _SPECIFIC for texts in self._texts.values() for text in texts):
            self._least = _SPECIFIC

    def place(self, cell: str, label: str) -> Placed:
        row, column = _coordinates(cell)
        wanted = _normal(label)
        if self._sound(row, wanted):
            return Placed(self._sheet, cell)
        if not self._wide:
            self._texts, self._wide = self._all_rows(), True
        here = self._fit(row, wanted)
        nearby = range(max(1, row - MAX_SHIFT), row + MAX_SHIFT + 1)
        best = max(nearby, key=lambda r: (self._fit(r, wanted), -abs(r - row)))
        if self._fit(best, wanted) > here:
            return Placed(self._sheet, f"{get_column_letter(column)}{best}", moved_from=cell)
        return Placed(self._sheet, cell, unverified=here == 0)

    def sound(self, cell: str, label: str) -> bool:
        """Whether the landmarks of `cell`'s row vouch for the input `label` names."""
        return self._sound(_coordinates(cell)[0], _normal(label))

    def fits(self, cell: str, label: str) -> bool:
        """Whether a landmark in the headings of `cell`'s row is in `label`."""
        return self._fit(_coordinates(cell)[0], _normal(label)) > 0

    def _sound(self, row: int, label: str) -> bool:
        """Every landmark of the row is in the label, and one at least counts."""
        marks = [(text, kind) for text in self._texts.get(row, ()) if (kind := self._kind(text))]
        return all(text in label for text, _ in marks) and any(kind >= self._least for _, kind in marks)

    def _fit(self, row: int, label: str) -> int:
        """Characters of the row's landmarks that the (normalised) label holds."""
        counted = [text for text in self._texts.get(row, ()) if self._kind(text) >= self._least]
        return sum(len(text) for text in counted if text in label)

    def _kind(self, text: str) -> int:
        kind = self._kinds.get(text)
        if kind is None:
            if len(text) < MIN_LANDMARK or text not in self._everything:
                kind = _PLAIN
            elif len({label.count(text) for label in self._labels}) == 1:
                kind = _LANDMARK  # as often in every label (a card's project): tells no row apart
            else:
                kind = _SPECIFIC
            self._kinds[text] = kind
        return kind

    def _all_rows(self) -> dict[int, list[str]]:
        rows = self._source.rows(self._sheet, self._last + MAX_SHIFT, max(self._width, 1))
        texts = {number: [_normal(v) for v in values if isinstance(v, str)] for number, values in enumerate(rows, 1)}
        return {number: [t for t in found if t] for number, found in texts.items() if found}


def stored_landmarks(
    sheet: str, texts: Mapping[tuple[int, int], str], inputs: Sequence[tuple[str, str]]
) -> list[Landmarks]:
    """For each input (cell, label) of `sheet`, as the index stores it: the heading texts of its
    row, by column, when they vouch for it; () when they do not (read-back then checks the
    sheet in full). `texts` are what the sheet was written with, by zero-based (row, column)."""
    cells = [cell for cell, _ in inputs]
    places = SheetPlaces(_Written(texts), sheet, cells, [label for _, label in inputs])
    letters = _letters(_heading_width([_coordinates(cell) for cell in cells]))
    stored = []
    for cell, label in inputs:
        row, marks = _coordinates(cell)[0], []
        if places.sound(cell, label):
            for column, letter in enumerate(letters):
                if text := _normal(texts.get((row - 1, column), "")):
                    marks += (letter, text)
        stored.append(tuple(marks))
    return stored


def expected_headings(sheet: str, inputs: Sequence[tuple[str, Landmarks]]) -> dict[tuple[str, str], str] | None:
    """The heading text each row of the inputs (cell, stored landmarks) of `sheet` holds, by
    (sheet, cell); None when an input has no landmarks, or they are not in the stored form
    or contradict another's (the sheet is then checked in full)."""
    expected: dict[tuple[str, str], str] = {}
    for cell, landmarks in inputs:
        if not landmarks or len(landmarks) % 2:
            return None
        row = _coordinates(cell)[0]
        for at in range(0, len(landmarks), 2):
            place, text = _cell(landmarks[at], row), landmarks[at + 1]
            if not place or expected.setdefault((sheet, place), text) != text:
                return None
    return expected


def headings_hold(expected: Mapping[tuple[str, str], str], read: Values) -> bool:
    """Whether each cell of `expected_headings` holds its text (`read` has them)."""
    for place, text in expected.items():
        value = read.get(place, _NOTHING)[0]
        if not isinstance(value, str) or _normal(value) != text:
            return False
    return True


class _Written:
    """The texts a sheet is written with, as a `Source`."""

    def __init__(self, texts: Mapping[tuple[int, int], str]) -> None:
        self._texts = texts

    def rows(self, sheet: str, max_row: int, max_col: int) -> list[tuple[Any, ...]]:
        return [tuple(self._texts.get((row, col)) for col in range(max_col)) for row in range(max_row)]

    def values(self, places: list[tuple[str, str]]) -> Values:
        found = {}
        for sheet, cell in places:
            row, column = _coordinates(cell)
            found[(sheet, cell)] = (self._texts.get((row - 1, column - 1)), "")
        return found


def heading_places(sheet: str, cells: Sequence[str]) -> list[tuple[str, str]]:
    """The cells left of the first input column in the rows of `cells`: the row headings."""
    places = [_coordinates(cell) for cell in cells]
    letters = _letters(_heading_width(places))
    return [(sheet, f"{letter}{row}") for row in sorted({row for row, _ in places}) for letter in letters]


@lru_cache(maxsize=8192)  # the same few hundred cells come back in every workbook of a layout
def _coordinates(cell: str) -> tuple[int, int]:
    return coordinate_to_tuple(cell)


@lru_cache(maxsize=8192)
def _cell(letters: str, row: int) -> str:
    """The reference of the cell in column `letters` of `row`; "" when `letters` are no column."""
    return f"{letters}{row}" if _COLUMN.fullmatch(letters) and column_index_from_string(letters) <= MAX_COLUMN else ""


@lru_cache(maxsize=64)
def _letters(width: int) -> tuple[str, ...]:
    return tuple(get_column_letter(column) for column in range(1, width + 1))


def _heading_width(places: Sequence[tuple[int, int]]) -> int:
    return min((column for _, column in places), default=1) - 1


def _headings(read: Values, places: Sequence[tuple[str, str]]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for place in places:
        value = read.get(place, _NOTHING)[0]
        if isinstance(value, str) and (text := _normal(value)):
            found.setdefault(_coordinates(place[1])[0], []).append(text)
    return found


@lru_cache(maxsize=16384)  # labels and headings repeat across the workbooks of a layout
def _normal(text: str) -> str:
    return _SPACE.sub("", text)
