"""List marks councils number their headings and items with, each written as the mapping
pattern that reads it in either width (`(1)` and `（１）`, `1.` and `１．`).

`rank` is the conventional depth of official documents (第1章 → 第1節 → 第1 → 1 → (1) → ①
→ ア → (ア) → bullets); a document uses some of them, and the order of the ranks it uses
gives its levels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

_D = "[0-9０-９]"
_SP = r"[\s\u3000]"
_KATA = "[ア-ンｱ-ﾝ]"
_COLON_NAME = r"[^\s\u3000：:。、][^：:。、]{0,29}"
# A name, a colon and the item's text on one line.
NAME_COLON = re.compile(rf"^(?P<name>{_COLON_NAME})[\s\u3000]*[：:][\s\u3000]*\S")
# A heading or an item's name: no sentence (。 at the end), not a whole paragraph.
_NAME = r"(?P<title>[^\s\u3000。](?:[^。]{0,58}[^。\s\u3000])?)"


@dataclass(frozen=True)
class Mark:
    name: str  # as the comments of a draft call it
    example: str
    rank: int
    head: str  # the mark itself, with groups `printed` and `id` where it carries a number
    gap: str = f"{_SP}*"  # what separates the mark from the text

    @cached_property
    def line(self) -> re.Pattern[str]:
        """Any line that starts with this mark (a heading, an item or a sentence)."""
        return re.compile(f"^{_SP}*{self.head}{self.gap}(?P<text>\\S.*)$")

    def named(self, name_group: str = "title", gap: str | None = None) -> str:
        """The pattern of a heading or item: this mark and a short name, no sentence."""
        if self.rank == 0:
            return _BRACKET_LINE.pattern.replace("(?P<title>", f"(?P<{name_group}>")
        return f"^{_SP}*{self.head}{gap or self.gap}{_NAME.replace('title', name_group)}{_SP}*$"

    def colon_named(self, name_group: str = "name") -> str:
        """An item whose name ends at a colon, its text following on the line (`(2) 監事監査：年2回実施します。`)."""
        return f"^{_SP}*{self.head}{self.gap}(?P<{name_group}>{_COLON_NAME}){_SP}*[：:]"

    def gap_of(self, texts: list[str]) -> str | None:
        """The separator these lines all print after the mark (`\\u3000+`), if it is one kind."""
        gap = re.compile(f"^{_SP}*{self.head}(?P<gap>{_SP}*)")
        kinds = {found["gap"][:1] for text in texts if (found := gap.match(text))}
        return {frozenset("\u3000"): "\\u3000+", frozenset(" "): " +"}.get(frozenset(kinds))


_COUNT = f"(?P<id>{_D}+|[一二三四五六七八九十]+)"
MARKS: tuple[Mark, ...] = (
    Mark("【】 heading", "【法人運営】", 0, "【", ""),
    Mark("第1章", "第1章", 1, f"(?P<printed>第{_COUNT}章)"),
    Mark("第1節", "第1節", 2, f"(?P<printed>第{_COUNT}節)"),
    Mark("第1", "第1", 3, f"(?P<printed>第{_COUNT})", f"{_SP}+"),
    Mark("Ⅰ.", "Ⅰ.", 3, "(?P<printed>(?P<id>[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+)[.．、]?)"),
    Mark("No.1", "No.1", 4, f"(?P<printed>(?:No|NO|Ｎｏ|ＮＯ|№)[.．]?{_SP}*(?P<id>{_D}{{1,3}}))"),
    # `４－１地域…`: a dashed number needs no space after it, but is not the start of `1-1-1`
    Mark("1-1", "1-1", 4, f"(?P<printed>(?P<id>{_D}+[－\\-‐ー]{_D}+))", f"(?![－\\-‐ー0-9０-９]){_SP}*"),
    Mark("1.", "1.", 4, f"(?P<printed>(?P<id>{_D}{{1,2}})[.．、])"),
    Mark("1", "1", 4, f"(?P<printed>(?P<id>{_D}{{1,2}}))", f"{_SP}+"),
    Mark("(1)", "(1)", 5, f"(?P<printed>[(（](?P<id>{_D}{{1,2}})[)）])"),
    Mark("①", "①", 6, "(?P<printed>(?P<id>[①-⑳㉑-㉟]))"),
    Mark("ア", "ア", 7, f"(?P<printed>(?P<id>{_KATA})[.．、]?)", f"{_SP}+"),
    Mark("(ア)", "(ア)", 8, f"(?P<printed>[(（](?P<id>{_KATA})[)）])"),
    Mark("a.", "a.", 9, "(?P<printed>(?P<id>[a-zａ-ｚ])[.．)）])"),
    Mark("・ bullet", "・", 10, "[・●○◎■□◆◇▪•*\\-－]"),
)
BULLET = MARKS[-1]
# Words of the markers councils print in brackets: `【町受託】`, `【新規】`, `【重点】`.
MARKER_WORDS = ("受託", "委託", "補助", "自主", "独自", "新規", "新設", "拡充", "継続", "重点")
# A bracket holding a marker word and at most three characters before it (`町受託`, not `受託事業`).
_TAG_TEXT = rf"[^】\s]{{0,3}}(?:{'|'.join(MARKER_WORDS)})"
TAG = re.compile(rf"【(?P<tag>{_TAG_TEXT})】")
_BRACKET_LINE = re.compile(rf"^[\s\u3000]*(?!【{_TAG_TEXT}】[\s\u3000]*$)【(?P<title>[^】]{{1,30}})】[\s\u3000]*$")


def mark_of(text: str) -> Mark | None:
    """The mark a line starts with: a 【】 line only when the brackets hold the whole line and
    no marker word (`【町受託】` is a marker)."""
    if _BRACKET_LINE.match(text):
        return MARKS[0]
    return next((mark for mark in MARKS[1:] if mark.line.match(text)), None)


def is_name(text: str) -> bool:
    """A heading or an item's name rather than a sentence: short, no closing 。."""
    body = text.strip()
    return 0 < len(body) <= 60 and not body.endswith("。")
