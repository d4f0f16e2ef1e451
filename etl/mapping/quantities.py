"""Quantities in running text, as councils write them: the reader every layout shares.

`理事会を年4回程度開催します`, `参加者延べ1,254人`, `約300名`, `12,480件 (前年比8%増)`,
`1団体30,000円×12団体(計360,000円)`, `北地区 開催回数: 3`, `南地区: 随時`. The reader
finds each quantity with what surrounds it: the number (commas, full-width digits, kanji
numerals where they cannot be read otherwise), its unit, its period (`年4回`: four a
year), approximations (約, 程度, 以上, 延べ, 平均), a total (計), a change against the
previous year (前年比 N%増/減, `+N`, `△N`), the label before it (`相談件数`, a district of
a breakdown), and qualitative values after a label (随時, 実施, 作成, 開催). Every
quantity keeps its place and the text it was read from.

It reads; it does not judge. Whether `4月` is a date or `年4回` a target is decided by
the rules of the mapping (`quantities` in the mapping file, see `quantity_rules.py`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..jp import nfkc

UNITS = (
    "ヶ所", "か所", "カ所", "ケ所", "箇所", "地区", "世帯", "団体", "時間", "ヶ月", "か月", "カ月",
    "事例", "万円", "千円", "学級", "回", "件", "人", "名", "部", "号", "円", "%", "％", "校",
    "通", "台", "枚", "社", "歳", "日", "週", "月", "年",
)  # fmt: skip
QUALITATIVE = ("実施済", "未実施", "随時", "実施", "作成", "開催", "中止", "継続")
PERIODS = {"年間": "年", "毎年": "年", "毎月": "月", "毎週": "週", "毎日": "日"} | {p: p for p in "年月週日"}
MINUS_SIGNS = "-−－‐△▲"

DIGITS = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
KANJI = r"[〇一二三四五六七八九十百千万]+"
NUMBER = rf"(?:{DIGITS}|{KANJI})"
UNIT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))

_SCAN = re.compile(
    rf"""
    (?P<change>(?:対)?前年(?:度)?比[\s\u3000]*)?
    (?P<before>約|およそ|概ね|延べ|延|合計|総計|計)?
    (?P<period>年間|毎年|毎月|毎週|毎日|年|月|週|日)?
    (?P<average>平均)?
    (?P<sign>[+＋±{re.escape(MINUS_SIGNS)}])?
    (?P<number>{NUMBER})
    [\s\u3000]*(?P<unit>{UNIT})?
    (?P<after>程度|以上|以内|未満|前後|余り|超)?
    (?:[(（](?P<tally>延べ)[)）])?
    (?P<direction>[増減](?![一-龥]))?  # `8%増`, not `3人増員`
    """,
    re.VERBOSE,
)
_QUALITATIVE = re.compile(rf"[:：][\s\u3000]*(?P<word>{'|'.join(QUALITATIVE)})(?![^\s\u3000、。,，)）])")
_ANY_NUMBER = re.compile(rf"[0-9０-９]|{KANJI}")
_LABEL_BOUNDARY = re.compile(r"[、。,，()（）\[\]「」『』\t\n×]")
_SIGN_FOLLOWS = " \u3000\t(（[「、,，:：/"  # a sign after these starts a change; after a number it is arithmetic
_KANJI_DIGIT = dict(zip("〇一二三四五六七八九", range(10), strict=True))
_KANJI_POWER = {"十": 10, "百": 100, "千": 1000}


@dataclass(frozen=True)
class Quantity:
    """One quantity of a text: its place, its value and what the text says about it."""

    text: str  # as printed: `年4回程度`, `前年比8%増`, `随時`
    start: int  # place in the text read
    end: int
    number: float | None  # None for a qualitative value; a change is signed
    unit: str = ""
    period: str = ""  # 年 | 月 | 週 | 日: `年4回` is four a year
    approximations: tuple[str, ...] = ()  # 約, 程度, 以上, 延べ, 平均 … as printed
    total: bool = False  # 計: the sum of the items before it
    change: bool = False  # against the previous year, not a level
    label: str = ""  # the text before it: `相談件数`, `北地区 開催回数`

    @property
    def qualitative(self) -> bool:
        return self.number is None

    @property
    def per_unit(self) -> str:
        """The unit with its period where a year is not the period: `回/月`, `件`."""
        if self.period and self.period != "年" and self.unit:
            return f"{self.unit}/{self.period}"
        return self.unit


def number_value(text: str) -> float:
    """`1,254`, `１２`, `5.8`, `三十` -> the number (raises ValueError for anything else)."""
    folded = nfkc(text).replace(",", "")
    if folded and all(ch in _KANJI_DIGIT or ch in _KANJI_POWER or ch == "万" for ch in folded):
        return float(_kanji_value(folded))
    return float(folded)


def _kanji_value(text: str) -> int:
    """Kanji numerals: `三十五` 35, `二〇二三` 2023, `一万二千` 12000."""
    total = section = digits = 0
    for ch in text:
        if ch in _KANJI_DIGIT:
            digits = digits * 10 + _KANJI_DIGIT[ch]
        elif ch in _KANJI_POWER:
            section += (digits or 1) * _KANJI_POWER[ch]
            digits = 0
        else:  # 万
            total += (section + digits or 1) * 10_000
            section = digits = 0
    return total + section + digits


def read_quantities(text: str) -> list[Quantity]:
    """Every quantity of `text`, in order of place."""
    if not _ANY_NUMBER.search(text) and not _QUALITATIVE.search(text):
        return []
    found = [q for match in _SCAN.finditer(text) if (q := _quantity(text, match)) is not None]
    found.extend(_qualitative(text, found))
    found.sort(key=lambda q: q.start)
    return [_labelled(text, q, found[i - 1].end if i else 0) for i, q in enumerate(found)]


def _quantity(text: str, match: re.Match[str]) -> Quantity | None:
    groups = match.groupdict()
    number_text = groups["number"]
    if not number_text[0].isdigit() and not _kanji_is_a_number(text, match):
        return None
    start = match.start()
    sign = groups["sign"] or ""
    if sign and match.start("sign") > 0 and text[match.start("sign") - 1] not in _SIGN_FOLLOWS:
        sign = ""  # `5.8%+4,000円`: a sum, not a change
        start = match.start("number")
    number = number_value(number_text)
    negative = (bool(sign) and sign in MINUS_SIGNS) or groups["direction"] == "減"
    change = bool(groups["change"] or (sign and not groups["period"]) or groups["direction"])
    approximations = tuple(a for a in (groups["before"], groups["average"], groups["after"], groups["tally"]) if a)
    return Quantity(
        text=text[start : match.end()].strip(),
        start=start,
        end=match.end(),
        number=-number if negative else number,
        unit=groups["unit"] or "",
        period=PERIODS.get(groups["period"] or "", ""),
        approximations=tuple(a for a in approximations if a not in ("計", "合計", "総計")),
        total=groups["before"] in ("計", "合計", "総計"),
        change=change,
    )


def _kanji_is_a_number(text: str, match: re.Match[str]) -> bool:
    """Kanji numerals count only where nothing else can be meant: with a unit, and
    `一` only with a period or as a count of times (`一人ひとり`, `一部` are words)."""
    if not match["unit"] or text[max(match.start("number") - 1, 0)] == "数":  # 数十人: some tens
        return False
    return number_value(match["number"]) >= 2 or bool(match["period"]) or match["unit"] == "回"


def _qualitative(text: str, numbers: list[Quantity]) -> list[Quantity]:
    """A qualitative value after a label's colon (`南地区: 随時`) where no number is."""
    taken = [(q.start, q.end) for q in numbers]
    return [
        Quantity(m["word"], m.start("word"), m.end("word"), None)
        for m in _QUALITATIVE.finditer(text)
        if not any(start <= m.start("word") < end for start, end in taken)
    ]


def _labelled(text: str, quantity: Quantity, floor: int) -> Quantity:
    """The quantity with the text before it, back to a delimiter or the previous quantity."""
    before = text[floor : quantity.start]
    boundary = max((m.end() for m in _LABEL_BOUNDARY.finditer(before)), default=0)
    label = before[boundary:].strip(" \u3000:：+＋-－")
    return dataclasses.replace(quantity, label=label)
