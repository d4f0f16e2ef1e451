"""What the JSON Schema cannot say about a mapping, checked on load at the mapping's own place.

Everything `convert` would reject because of a value written in the mapping is found
here, so that `mapping check` reports it at the line and column of the mapping (not
later, at a record, or as a crash): years out of order or repeated, a council code
whose check digit is wrong (with the digit expected), a prefecture that does not exist,
a layout year outside the document's years.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..config.yamlsafe import KeyPath
from ..model import PREFECTURES, council_code_check_digit
from .patterns import compile_pattern


@dataclass(frozen=True)
class Fault:
    """One value of the mapping that convert would reject, at `path`."""

    path: KeyPath
    detail: str  # English
    ja: str
    hint: str = ""


def faults(data: dict[str, Any]) -> Iterator[Fault]:
    """Every fault of a mapping the schema accepted, in the order of the file."""
    yield from _council_faults(data["council"])
    yield from _text_step_faults(data)
    years = data["document"]["fiscal_years"]
    yield from _year_faults(years)
    for key in ("fiscal_year", "pdca_year"):
        year = data["layout"].get(key)
        if year is not None and year not in years:
            yield Fault(
                ("layout", key),
                f"layout.{key} {year} is not one of the document's fiscal_years {years}",
                f"layout.{key} の {year} が document.fiscal_years にありません",
                f"use one of {', '.join(map(str, years))}",
            )


def _council_faults(council: dict[str, str]) -> Iterator[Fault]:
    code = council["id"]
    expected = council_code_check_digit(code)
    if expected != code[-1]:
        yield Fault(
            ("council", "id"),
            f"council code {code}: its check digit should be {expected}, not {code[-1]}",
            f"全国地方公共団体コード {code} の検査数字は {expected} です（{code[-1]} ではありません）",
            f"did you mean {code[:-1]}{expected}? (JIS X 0402)",
        )
    if council["prefecture"] not in PREFECTURES:
        close = difflib.get_close_matches(council["prefecture"], PREFECTURES, n=1)
        yield Fault(
            ("council", "prefecture"),
            f"unknown prefecture {council['prefecture']!r}",
            f"都道府県名「{council['prefecture']}」がありません",
            f"did you mean {close[0]!r}?" if close else "write the prefecture's full name, e.g. 長野県",
        )


def _text_step_faults(data: dict[str, Any]) -> Iterator[Fault]:
    """Text-step patterns that match empty text would replace or split everywhere; a join
    whose two patterns both do would join every line."""
    for key, sides in (("replace", ("pattern",)), ("split", ("before", "after"))):
        for index, rule in enumerate(data.get(key, [])):
            for side in (side for side in sides if side in rule and _matches_empty(rule[side])):
                yield Fault(
                    (key, index, side),
                    f"{key}[{index}].{side} matches empty text: it would {key} at every character",
                    f"{key}[{index}].{side} が空の文字列に一致します（すべての文字の間で処理されてしまいます）",
                    r"match the characters themselves, e.g. '\([0-9]+\)', not '\s*' or 'x?'",
                )
    for index, rule in enumerate(data.get("join", [])):
        if _matches_empty(rule["line"]) and _matches_empty(rule["next"]):
            yield Fault(
                ("join", index),
                f"join[{index}]: line and next both match empty text: every line would be joined",
                f"join[{index}] の line と next がどちらも空の文字列に一致します（全行がつながります）",
                "e.g. line: '支$', next: '^援'",
            )


def _matches_empty(pattern: str) -> bool:
    return compile_pattern(pattern).fullmatch("") is not None


def _year_faults(years: list[int]) -> Iterator[Fault]:
    for index in range(1, len(years)):
        if years[index] == years[index - 1] or years[index] in years[:index]:
            yield Fault(
                ("document", "fiscal_years", index),
                f"fiscal year {years[index]} is listed twice",
                f"年度 {years[index]} が二度書かれています",
                "list each fiscal year of the document once",
            )
        elif years[index] < years[index - 1]:
            yield Fault(
                ("document", "fiscal_years", index),
                f"fiscal years out of order: {years[index]} after {years[index - 1]}",
                f"年度の順序が逆です（{years[index - 1]} の後に {years[index]}）",
                "list the fiscal years from the first to the last",
            )
