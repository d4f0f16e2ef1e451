"""Headings printed between or above PDCA cards (`基本目標 5. …`, `基本項目：5-1 …`),
proposed as `sections`: lines outside the cards' rows (no tab) that name a part of the plan
by a number, with or without a word before it.

Where all the headings stand together above the first card (the export lifted them out of
the pages they head), only the first card's heading is certain: the draft names it under
`layout.section_starts`, and says as a TODO that the other headings' first cards are the
clerk's to name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ...jp import normalise_id
from .leftovers import literal
from .noise import is_furniture, is_policy_heading
from .schemes import MARKS, is_name, mark_of
from .shapes import CARD_START, Entry, Shape

CARD_WORDS = 12  # characters that name the first card in `section_starts`
WORD = 8  # characters of the word before a heading's number (基本目標, 重点項目)
_SP = r"[\s\u3000]"
_DASH = re.compile(r"[－\-‐]")
_HEADING = re.compile(
    rf"^{_SP}*(?P<word>[^\s\u3000\t0-9０-９：:（）()]{{0,{WORD}}}?){_SP}*[：:]?{_SP}*"
    rf"(?P<id>[0-9０-９]+(?:[－\-‐][0-9０-９]+)*)(?:[.．、]|{_SP})(?P<title>.+)$"
)


@dataclass
class _Level:
    word: str
    depth: int  # parts of the number: `5` is 1, `5-1` is 2
    lines: list[str]
    first_id: str  # as printed on its first heading

    @property
    def pattern(self) -> str:
        if self.depth == 0:
            return MARKS[0].named()  # 【地域福祉の推進】: the brackets hold the whole line
        word = rf"{re.escape(self.word)}{_SP}*[：:]?{_SP}*" if self.word else ""
        number = r"[0-9０-９]+" + r"(?:[－\-‐][0-9０-９]+)" * (self.depth - 1)
        title = r"(?P<title>[^\s\u3000\t](?:[^\t]*[^\s\u3000\t])?)"
        return rf"^{_SP}*(?P<printed>{word}(?P<id>{number})(?![0-9０-９－\-‐])[.．、]?){_SP}*{title}{_SP}*$"


def with_card_sections(shape: Shape, lines: Sequence[str]) -> Shape:
    """A cards `shape` with the headings printed outside its cards, and ids composed from them."""
    levels, together = heading_levels(lines)
    if not levels:
        return shape
    sections = [_entry(number, level) for number, level in enumerate(levels, start=1)]
    entries = list(shape.entries)
    if levels[-1].depth:
        why = "the cards print no numbers: the innermost heading's id and the card's place under it"
        entries.append(Entry("id_format", "{section}-{n}", why))
    first = _first_card_words(lines)
    if together and first and levels[-1].depth:
        start = {"section": normalise_id(levels[-1].first_id), "card": literal(first)}
        why = (
            f"the first card opens the first `{levels[-1].lines[0][:20]}`; TODO: the headings are printed"
            " together above the cards, so every card stays under it: add the first card of each other heading"
        )
        entries.append(Entry("section_starts", [start], why))
    return Shape(shape.layout, entries, sections, shape.ignore, shape.markers)


def heading_levels(lines: Sequence[str]) -> tuple[list[_Level], bool]:
    """One level per word and depth of number, brackets first, shallowest first; whether all
    stand above the first card."""
    levels: dict[tuple[str, int], _Level] = {}
    before_first_card: list[bool] = []
    seen_card = False
    for text in lines:
        seen_card = seen_card or bool(CARD_START.match(text))
        key = _level_of(text)
        if key is None:
            continue
        levels.setdefault(key[:2], _Level(*key[:2], [], key[2])).lines.append(text.strip())
        before_first_card.append(not seen_card)
    together = len(before_first_card) > 1 and all(before_first_card)
    return sorted(levels.values(), key=lambda level: level.depth), together


def _first_card_words(lines: Sequence[str]) -> str:
    """The opening words of the longest cell on the first card's first row: what names that card."""
    row = next((text for text in lines if CARD_START.match(text)), "")
    cell = max((cell.strip() for cell in row.split("\t")[1:]), key=len, default="")
    return re.sub(r"<[^>]*>", "", cell)[:CARD_WORDS]


def _level_of(text: str) -> tuple[str, int, str] | None:
    """The word before the number, the number's depth and the number, of a heading line
    outside the cards; depth 0 for a heading in brackets (`【地域福祉の推進】`)."""
    if "\t" in text or not is_name(text) or is_policy_heading(text) or is_furniture(text):
        return None
    if mark_of(text) is MARKS[0]:
        return ("【】", 0, "")
    found = _HEADING.match(text)
    return (found["word"], len(_DASH.split(found["id"])), found["id"]) if found else None


def _entry(number: int, level: _Level) -> Entry:
    why = f"headings outside the cards ({len(level.lines)}), e.g. {level.lines[0][:30]}"
    return Entry("", {"level": number, "pattern": level.pattern}, why)
