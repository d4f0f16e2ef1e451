"""What staff typed, read deliberately: each cell value becomes a clean value or a finding.

Excel hands back whatever was in the cell: numbers, text, dates, booleans, error values
(`#DIV/0!`), text with full-width digits and a unit (`３回`), stray spaces. Each is read
on purpose here, for the kind of input the cell was made for, and anything that is not
what the cell asks for becomes a finding (a code and a Japanese/English message) that the
collect stage turns into a problem at the cell.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..jp import nfkc
from ..model import ACHIEVEMENTS, DIRECTIONS
from ..workbook.contract import InputKind

EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)
_NUMBER_WITH_UNIT = re.compile(r"^(?P<number>[+-]?[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)\s*(?P<unit>[^\s0-9.,+-]{0,8})$")


@dataclass(frozen=True)
class Finding:
    code: str
    ja: str
    en: str
    error: bool = True  # False: a warning, the value was still used


@dataclass(frozen=True)
class Reading:
    value: str | float | None  # None: the cell is blank or unusable
    findings: tuple[Finding, ...] = ()


CHOICES = {InputKind.DIRECTION: DIRECTIONS, InputKind.ACHIEVEMENT: ACHIEVEMENTS}


def read_value(raw: object, kind: InputKind, unit: str = "") -> Reading:
    """Interpret one entered value for an input cell of `kind` (with the target's `unit`)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Reading(None)
    special = _special(raw, kind)
    if special is not None:
        return special
    if kind is InputKind.NUMBER:
        return _number(raw, unit)
    text = raw if isinstance(raw, str) else _plain_number_text(raw)
    return _choice(text, kind) if kind in CHOICES else Reading(text.strip())


def _special(raw: object, kind: InputKind) -> Reading | None:
    """Error values, booleans and dates: never what a cell of ours asks for."""
    if isinstance(raw, str) and raw.strip() in EXCEL_ERRORS:
        shown = raw.strip()
        return _fail("value.excel_error", f"エラー値（{shown}）が入っています", f"an Excel error value {shown}")
    if isinstance(raw, bool):
        return _fail("value.boolean", "TRUE/FALSE が入力されています", f"a boolean ({raw}) was entered")
    if isinstance(raw, dt.datetime | dt.date | dt.time):
        shown = raw.isoformat()
        if kind is InputKind.TEXT:
            ja = f"日付として入力されています（{shown}）"
            return Reading(shown, (Finding("value.date", ja, f"a date ({shown})", error=False),))
        return _fail("value.date", "日付が入力されています", f"a date ({shown}) was entered")
    return None


def _fail(code: str, ja: str, en: str) -> Reading:
    return Reading(None, (Finding(code, ja, en),))


def _number(raw: object, unit: str) -> Reading:
    if isinstance(raw, int | float):
        return Reading(float(raw))
    text = nfkc(str(raw)).strip()
    match = _NUMBER_WITH_UNIT.match(text)
    if not match:
        ja = f"数値を入力してください（入力: {raw}）"
        return _fail("value.not_a_number", ja, f"a number is expected, got {raw!r}")
    number = float(match["number"].replace(",", ""))
    typed_unit = match["unit"]
    if typed_unit and unit and typed_unit not in (nfkc(unit), nfkc(unit).partition("/")[0]):  # `5回` for 回/月
        return _fail(
            "value.wrong_unit",
            f"単位が目標（{unit}）と違います（入力: {raw}）",
            f"unit {typed_unit!r} differs from the target's {unit!r}",
        )
    return Reading(
        number,
        (
            Finding(
                "value.number_as_text",
                f"数値が文字として入力されていたため {_plain_number_text(number)} として読みました（入力: {raw}）",
                f"number entered as text {raw!r}, read as {number:g}",
                error=False,
            ),
        ),
    )


def _choice(text: str, kind: InputKind) -> Reading:
    allowed = CHOICES[kind]
    folded = nfkc(text).strip().replace(" ", "")
    if folded in allowed:
        findings = () if folded == text else (_normalised(text, folded),)
        return Reading(folded, findings)
    return _fail(
        "value.not_in_list",
        f"選択肢（{'・'.join(allowed)}）にない値です（入力: {text}）",
        f"{text!r} is not one of {', '.join(allowed)}",
    )


def _normalised(text: str, folded: str) -> Finding:
    ja = f"「{text}」を「{folded}」として読みました"
    return Finding("value.normalised", ja, f"read {text!r} as {folded!r}", error=False)


def _plain_number_text(number: object) -> str:
    """`3.0` -> `3`, `2.5` -> `2.5`: how a number reads as text."""
    if isinstance(number, float) and number.is_integer():
        return str(int(number))
    return str(number)
