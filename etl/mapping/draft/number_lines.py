"""Item numbers printed alone on their line, the name on the next (`No.12` / `居宅介護支援事業`):
a `join` step puts them back on one line, so that the numbered items read as any other."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .shapes import Entry

MIN_REPEATS = 3  # one or two such lines may be anything
_ALONE = r"^[\s\u3000]*(?:No|NO|Ｎｏ|ＮＯ|№)[.．]?[\s\u3000]*[0-9０-９]{1,3}[\s\u3000]*$"
_NAME_NEXT = r"^[\s\u3000]*[^\s\u3000・●○◎■□◆◇※（(【]"  # a name follows, not a bullet or a note


def join_rules(lines: Sequence[str]) -> list[Entry]:
    """The `join` step for numbers printed alone with the name on the next line, if the document has them."""
    count = sum(1 for i in _number_lines(lines))
    if count < MIN_REPEATS:
        return []
    rule = {"line": _ALONE, "next": _NAME_NEXT, "reason": "an item number printed alone, its name on the next line"}
    return [Entry("", rule, f"{count} lines")]


def joined(lines: Sequence[str]) -> list[str]:
    """`lines` as the `join` step leaves them (the second line of each pair blank, keeping the line count)."""
    out = list(lines)
    for i in _number_lines(lines):
        out[i], out[i + 1] = lines[i].strip() + lines[i + 1].strip(), ""
    return out


def _number_lines(lines: Sequence[str]) -> list[int]:
    return [
        i
        for i in range(len(lines) - 1)
        if re.match(_ALONE, lines[i]) and re.match(_NAME_NEXT, lines[i + 1]) and lines[i + 1].strip()
    ]
