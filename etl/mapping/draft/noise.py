"""What a document prints besides its content: page furniture to ignore, inline noise to
clean, policy blocks and recurring markers, each kept only when the document has it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .emit import TODO_ONLY
from .policy_blocks import BRACKET_END, end_rule, policy_blocks
from .schemes import mark_of
from .shapes import Entry

MIN_REPEATS = 3
_WS = r"[\s\u3000]*"

# (pattern, reason): whole lines that are furniture, never content.
_FURNITURE: tuple[tuple[str, str], ...] = (
    (rf"^{_WS}[-－―‐ー]?{_WS}[0-9０-９]{{1,3}}{_WS}[-－―‐ー]?{_WS}$", "page numbers"),
    (rf"^{_WS}[0-9０-９]{{1,3}}{_WS}/{_WS}[0-9０-９]{{1,3}}{_WS}$", "page numbers (n / m)"),
    (r"^.*?[…‥・.．]{3,}[\s\u3000]*[PＰp]?[0-9０-９]+[\s\u3000]*$", "table-of-contents leaders (…P12)"),
    (r"^(?:Download|Transcript|Share|Embed|[0-9,]+ views)\s*$", "the hosting site's buttons and counters"),
    (r"^[\s\-－―─=＝_]*[-－―─=＝_]{3,}[\s\-－―─=＝_]*$", "rule lines of the export (no text)"),
)
# (pattern, reason, lines needed): noise cut out of lines; a Markdown-like mark only when it recurs.
_EXPORT_DASH = r"^-\s+"
_CLEAN: tuple[tuple[str, str, int], ...] = (
    (r"^#{1,6}\s+", "heading marks of a Markdown export: they do not say the depth", MIN_REPEATS),
    (_EXPORT_DASH, "the export's list marks: the printed mark follows them", MIN_REPEATS),
    (r"\[bookmark: [^\]]*\]", "Word bookmarks left by the export", 1),
    (r"</p>\s*<p>", "paragraph breaks inside a Word cell, exported as HTML", 1),
    (r"</?p>", "HTML paragraphs inside cells", 1),
)
_POLICY_WORDS = "使命・経営理念|経営理念|基本理念|基本方針|重点目標|重点事項|重点項目|重点施策|運営方針|方針|スローガン"
# A policy heading may carry the number of its chapter (`１．基本方針`, `Ⅱ 重点目標`), and a
# one-line policy its text after a space or colon (`基本理念　「ともに支え合うまち」`).
_POLICY_NUMBER = r"(?:(?:[0-9０-９]{1,2}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ])[.．、)）]?[\s\u3000]*)?"
_POLICY_TEXT = r"[\s\u3000:：]+(?P<text>\S(?:.*\S)?)"


def _policy_heading(words: str, text: str = "") -> str:
    return rf"^{_WS}[【■◆●＜<〈]?{_WS}{_POLICY_NUMBER}(?P<heading>{words}){_WS}[】＞>〉]?{text}{_WS}$"


_POLICY = re.compile(_policy_heading(_POLICY_WORDS, f"(?:{_POLICY_TEXT})?"))
_ENDS = "the next 【…】 line, an outer list mark, or a short name after the text)"
_STANDALONE_STATUS = re.compile(rf"^{_WS}(?:新設|新規){_WS}$")
# Funding in brackets: who pays (`市受託`, `県社協受託事業`, `自主事業`) or the accounting
# category of a service the insurance pays (`介護保険事業`, `障害福祉サービス事業`).
_FUNDING = re.compile(
    r"[（(](?P<value>[^（）()]{0,12}(?:(?:受託|委託|補助|自主|独自|指定管理)(?:事業)?|介護保険(?:事業)?|障害福祉サービス等?(?:事業)?))[)）]"
)
_FUNDING_LINE = re.compile(f"{_WS}{_FUNDING.pattern}{_WS}")


def furniture(lines: Sequence[str]) -> list[Entry]:
    entries = []
    for pattern, reason in _FURNITURE:
        count = sum(1 for text in lines if re.match(pattern, text))
        if count:
            entries.append(Entry("", {"pattern": pattern, "reason": reason}, f"{count} lines"))
    repeated = Counter(text.strip() for text in lines if 0 < len(text.strip()) <= 30)
    for text, count in sorted(repeated.items()):
        if count >= MIN_REPEATS and not re.search(r"[0-9０-９]", text) and "\t" not in text and _is_header(text):
            pattern = f"^{_WS}{re.escape(text)}{_WS}$"
            entries.append(Entry("", {"pattern": pattern, "reason": "a running header"}, f"printed {count} times"))
    return entries


def _is_header(text: str) -> bool:
    """A running header names the document or the council, it is no item or marker."""
    return bool(re.search(r"(事業計画|事業報告|活動計画|社会福祉協議会)", text))


def clean_rules(lines: Sequence[str]) -> list[Entry]:
    entries = []
    for pattern, reason, needed in _CLEAN:
        found = [text for text in lines if re.search(pattern, text) and not is_furniture(text)]  # `- 3 -`: a page
        if len(found) >= needed and (pattern != _EXPORT_DASH or _marks_follow(found)):
            entries.append(Entry("", pattern, f"{reason} ({len(found)} lines)"))
    return entries


def _marks_follow(lines: Sequence[str]) -> bool:
    """Whether most `- ` lines go on with a printed mark (`- (1) 理事会`): the export's, not the list's own."""
    return 2 * sum(1 for text in lines if mark_of(re.sub(_EXPORT_DASH, "", text))) > len(lines)


def is_furniture(text: str) -> bool:
    return any(re.match(pattern, text) for pattern, _ in _FURNITURE)


def is_policy_heading(text: str) -> bool:
    return _POLICY.match(text) is not None


def is_one_line_policy(text: str) -> bool:
    found = _POLICY.match(text)
    return found is not None and found["text"] is not None and not is_furniture(text)


def policy_headings(lines: Sequence[str], one_line: bool = False) -> list[str]:
    """The policy words printed as headings: with `one_line`, those printed with their text."""
    return sorted(
        {
            found["heading"]
            for text in lines
            if (found := _POLICY.match(text)) and (found["text"] is not None) == one_line and not is_furniture(text)
        }
    )


def policies(lines: Sequence[str], word_levels: bool = False) -> list[Entry]:
    """The policy rules; with `word_levels` the Word headings and lists end the blocks (the
    engine stops at a section), so only a bracketed heading's block needs an `end`."""
    return [*_one_line_policies(lines), *_policy_blocks(lines, word_levels)]


def _policy_blocks(lines: Sequence[str], word_levels: bool) -> list[Entry]:
    headings = policy_headings(lines)
    if not headings:
        return []
    words = "|".join(sorted(headings, key=len, reverse=True))
    rule: dict[str, object] = {"heading": _policy_heading(words)}
    blocks = policy_blocks(lines, is_policy_heading, is_one_line_policy)
    end = end_rule([block for block in blocks if not word_levels or block.end == BRACKET_END])
    if end:
        rule["end"] = end
    why = "policy blocks: " + ", ".join(headings) + (f" (each ends at a line matching `end`: {_ENDS}" if end else "")
    return [Entry("", rule, why)]


def _one_line_policies(lines: Sequence[str]) -> list[Entry]:
    """A policy printed on its heading's line (`基本理念　「…」`): the block is that line."""
    headings = policy_headings(lines, one_line=True)
    if not headings:
        return []
    words = "|".join(sorted(headings, key=len, reverse=True))
    rule = {"heading": _policy_heading(words, _POLICY_TEXT), "end": "^"}
    return [Entry("", rule, f"a policy printed on its heading's line, the whole block: {', '.join(headings)}")]


def markers(lines: Sequence[str]) -> list[Entry]:
    text = "\n".join(lines)
    entries: list[Entry] = []
    standalone = sum(1 for line in lines if _STANDALONE_STATUS.match(line))
    if standalone:
        rule = {"field": "status", "pattern": _STANDALONE_STATUS.pattern, "value": "new", "standalone": True}
        entries.append(Entry("", rule, f"a line 新設 / 新規 of its own marks the next project ({standalone} lines)"))
    funding = sorted({m["value"] for m in _FUNDING.finditer(text)})
    if funding:
        rule = {"field": "funding", "pattern": _FUNDING.pattern + f"{_WS}$"}
        entries.append(Entry("", rule, "funding in brackets after a name: " + ", ".join(funding[:4])))
    return entries + _funding_lines(lines)


def _funding_lines(lines: Sequence[str]) -> list[Entry]:
    """Funding printed on a line of its own: a standalone marker when it stands before the
    projects it marks; when the last one ends the document or its section it is printed
    under its project, where it stays content (a mapping cannot mark the project above)."""
    places = [i for i, line in enumerate(lines) if _FUNDING_LINE.fullmatch(line)]
    if not places:
        return []
    after = [text for text in lines[places[-1] + 1 :] if text.strip()]
    if not after or mark_of(after[0]) is None:
        why = f"TODO: {len(places)} funding lines are printed under their projects' text: they stay its content"
        return [Entry("", TODO_ONLY, why)]
    alone = Counter(_FUNDING_LINE.fullmatch(lines[i])["value"] for i in places)  # type: ignore[index]
    entries = []
    for value, count in sorted(alone.items()):
        rule = {"field": "funding", "pattern": f"^{_WS}[（(]{re.escape(value)}[)）]{_WS}$", "value": value}
        why = f"a line of its own marks the project after it ({count} lines; one under a name stays its text)"
        entries.append(Entry("", {**rule, "standalone": True}, why))
    return entries
