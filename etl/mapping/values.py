"""Reading values as councils print them: per-year targets, units and changes.

`30ヶ所` is the number 30 with the unit ヶ所; an arrow (`→`, `—————▶`) means "the same
as the year before"; a word such as `作成` is a qualitative target. Changes against the
previous year come as `+149`, `-4`, `±0` or, in accounting style, `△4` (minus four).
Digits may be full-width; commas may group thousands.
"""

from __future__ import annotations

import re

from ..jp import nfkc
from ..model import TargetValue, ValueKind
from .quantities import DIGITS, number_value

# Arrow-only cells: dashes or lines followed by an arrow head, or a bare arrow.
_ARROW = re.compile(r"^[\-‐‑‒–—―−─━ー～~=＝]*[→⇒▶►➡⟶>＞]$|^[→⇒▶►➡⟶]+$")
_NUMBER_WITH_UNIT = re.compile(rf"^(?P<number>{DIGITS})\s*(?P<unit>[^\s0-9].{{0,9}})?$")
_CHANGE = re.compile(rf"^(?P<sign>[+\-±△▲]?)\s*(?P<number>{DIGITS})\s*(?P<unit>\D{{0,4}})$")
_MINUS = "−－‐‑–—"


def parse_target(text: str) -> TargetValue:
    """A per-year target or result cell as printed -> its kind, number and unit."""
    printed = text.strip()
    folded = nfkc(printed).replace(" ", "")
    if not folded:
        return TargetValue(printed)
    if _ARROW.match(folded):
        return TargetValue(printed, ValueKind.CONTINUES)
    match = _NUMBER_WITH_UNIT.match(folded)
    if match:
        number = number_value(match["number"])
        return TargetValue(printed, ValueKind.NUMBER, number, (match["unit"] or "").strip())
    return TargetValue(printed, ValueKind.QUALITATIVE)


def parse_change(text: str) -> float | None:
    """`+149` -> 149, `-4` and `△4` -> -4, `±0` -> 0; anything else -> None."""
    folded = nfkc(text).strip()
    for minus in _MINUS:
        folded = folded.replace(minus, "-")
    match = _CHANGE.match(folded)
    if not match or (match["unit"] and not match["sign"]):
        return None  # `4月から` is text, not a change; `+3件` is one
    number = number_value(match["number"])
    return -number if match["sign"] in ("-", "△", "▲") else number
