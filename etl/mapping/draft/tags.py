"""Tags printed in brackets after a name (`見守り活動【新規】`, `福祉有償運送【町受託】`) or
on a line of their own before a project (`【町受託】`), proposed as `markers`.

A tag of the known marker vocabulary (受託, 委託, 補助, 新規, 拡充, 継続, 重点 …) is proposed
even when it is printed once, with a comment saying so; any other tag printed more than
once is proposed as a tag; one printed once is listed as a TODO comment (it stays in
the name, as printed), never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .emit import TODO_ONLY
from .schemes import TAG, mark_of
from .shapes import Entry

MAX_TAG = 8  # characters between the brackets of a tag
_ONE = re.compile(rf"【(?P<tag>[^】\s]{{1,{MAX_TAG}}})】")
_ALONE = re.compile(rf"^[\s\u3000]*{TAG.pattern}[\s\u3000]*$")
_STATUS = {"新規": "new", "新設": "new", "拡充": "expanded"}
_FUNDING = ("受託", "委託", "補助", "自主", "独自")


@dataclass
class _Seen:
    lines: list[int] = field(default_factory=list)  # 1-based numbers of the lines it is printed on
    alone: bool = False  # on a line of its own


def bracket_tags(lines: Sequence[str]) -> list[Entry]:
    """A marker for each tag seen, in order of first appearance, or a TODO for an unknown one seen once."""
    seen: dict[str, _Seen] = {}
    for number, text in enumerate(lines, start=1):
        if alone := _ALONE.match(text):
            tag = seen.setdefault(alone["tag"], _Seen())
            tag.lines.append(number)
            tag.alone = True
        elif mark_of(text) is not None:  # an item's or a heading's line: tags after its name
            for found in _ONE.finditer(text, len(text) - len(text.lstrip()) + 1):
                seen.setdefault(found["tag"], _Seen()).lines.append(number)
    return [_entry(tag, found) for tag, found in seen.items()]


def _entry(tag: str, seen: _Seen) -> Entry:
    where = f"printed {len(seen.lines)} times" if len(seen.lines) > 1 else f"printed once (line {seen.lines[0]})"
    known = TAG.fullmatch(f"【{tag}】") is not None
    if not known and len(seen.lines) == 1:
        why = f"TODO: 【{tag}】 {where} is no known marker word: add a marker if it marks the project"
        return Entry("", TODO_ONLY, f"{why}; it stays in the name as printed")
    rule = _rule(tag, seen.alone)
    kind = "a known marker word" if known else "a tag"
    place = "a line of its own marks the project after it" if seen.alone else "after a name"
    return Entry("", rule, f"【{tag}】 {where}, {place}: {kind}")


def _rule(tag: str, alone: bool) -> dict[str, object]:
    text = re.escape(tag)
    status = _STATUS.get(tag)
    if status:
        rule: dict[str, object] = {"field": "status", "pattern": f"【{text}】", "value": status}
    else:
        to = "funding" if any(word in tag for word in _FUNDING) else "tags"
        rule = {"field": to, "pattern": f"【(?P<value>{text})】"}
    if alone:
        rule["pattern"] = rf"^[\s\u3000]*{rule['pattern']}[\s\u3000]*$"
        rule["standalone"] = True
    return rule
