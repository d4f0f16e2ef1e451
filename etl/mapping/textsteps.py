"""Text steps: the document's lines reshaped before any rule reads them, every character
keeping its place in the document as read, so coverage stays exact.

- `replace`: a pattern replaced by a text — a heading a PDF printed twice, a CJK radical
  that looks like a kanji (`⺠` for `民`, which NFKC does not fold). Characters a
  replacement drops count as ignored by its rule.
- `join`: a line joined with the next one — a heading printed over two lines, a word
  broken by the line end (`日常生活自立支` + `援事業`).
- `split`: a line broken before or after a pattern — a section and its projects printed
  on one line (`2.地域福祉の推進 (1)サロン活動の支援 …`).

They run in this order, after `clean` and before `ignore`. A rule that would wreck the
document — a split pattern that matches empty text, a replacement that empties every
line, a join that joins the whole document — is a mapping error at the rule.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from ..problems import EtlError
from ..read.source import SourceLine
from .context import Context
from .coverage import LineUse, Use
from .patterns import Pattern, compile_pattern
from .traced import Traced, join, retext, traced


def replace(rules: list[dict[str, Any]], lines: list[SourceLine], ctx: Context) -> list[SourceLine]:
    """Each rule's pattern replaced, in every line, by its `with` (groups as `\\g<name>`)."""
    for index, rule in enumerate(rules):
        pattern, template = compile_pattern(rule["pattern"]), rule.get("with", "")
        replaced = [_replace_in(line, pattern, template, f"replace[{index}]", ctx) for line in lines]
        if any(not line.is_blank for line in lines) and all(line.is_blank for line in replaced):
            raise EtlError(
                ctx.mapping_problem(
                    "mapping.text_step",
                    ("replace", index),
                    en=f"replace[{index}] empties every line of the document",
                    ja=f"replace[{index}] で文書のすべての行が空になります",
                    hint="pattern が一部の文字だけに一致するようにしてください（例: '.*' は行全体に一致します）",
                )
            )
        lines = replaced
    return lines


def _replace_in(line: SourceLine, pattern: Pattern, template: str, rule: str, ctx: Context) -> SourceLine:
    if not pattern.search(line.text):
        return line
    text, parts, start = traced(line), [], 0
    for found in pattern.finditer(line.text):
        if found.start() == found.end():
            continue  # an empty match (a look-ahead) has no characters to replace
        parts.append(text[start : found.start()])
        parts.append(_replacement(text[found.start() : found.end()], found.expand(template), rule, ctx))
        start = found.end()
    parts.append(text[start:])
    replaced = join("", parts)
    if replaced.text == line.text:
        return line
    ctx.coverage.note(line.number, f"{rule}: {line.text.strip()} → {replaced.text.strip()}")
    return retext(line, replaced)


def _replacement(matched: Traced, replacement: str, rule: str, ctx: Context) -> Traced:
    """`replacement` placed on the characters it replaces: each character of it takes the
    place of the same character in the match, if it is there further on (a heading printed
    twice keeps its first copy), otherwise of the match's character at that point (`民`
    takes the place of `⺠`). The matched characters no replacement character took count as
    ignored by the rule."""
    used: list[int] = []
    for char in replacement:
        after = used[-1] + 1 if used else 0
        found = matched.text.find(char, after)
        used.append(found if found >= 0 else min(after, len(matched.text) - 1))
    kept = set(used)
    dropped = [place for index, place in enumerate(matched.places) if index not in kept]
    line = next(place[0] for place in matched.places if place is not None)
    ctx.coverage.take_places(dropped, LineUse(line, Use.IGNORED, rule))
    return Traced(replacement, tuple(matched.places[index] for index in used))


def join_lines(rules: list[dict[str, Any]], lines: list[SourceLine], ctx: Context) -> list[SourceLine]:
    """A line matching a rule's `line`, followed by a line matching its `next`, becomes one
    line (the first's number), the whitespace between them dropped."""
    for index, rule in enumerate(rules):
        first, following = compile_pattern(rule["line"]), compile_pattern(rule["next"])
        joined: list[SourceLine] = []
        for line in lines:
            previous = joined[-1] if joined else None
            if previous and _joins(previous, line, first, following):
                joined[-1] = _joined(previous, line)
                ctx.coverage.note(line.number, f"join[{index}]: joined to line {previous.number}")
            else:
                joined.append(line)
        if sum(not line.is_blank for line in lines) > 2 and sum(not line.is_blank for line in joined) == 1:
            raise EtlError(
                ctx.mapping_problem(
                    "mapping.text_step",
                    ("join", index),
                    en=f"join[{index}] joins the whole document into one line",
                    ja=f"join[{index}] で文書全体が1行につながってしまいます",
                    hint="line と next を、つなぐ行だけに一致するようにしてください（例: line: '支$', next: '^援'）",
                )
            )
        lines = joined
    return lines


def _joins(previous: SourceLine, line: SourceLine, first: Pattern, following: Pattern) -> bool:
    if previous.is_blank or line.is_blank:
        return False
    return bool(first.search(previous.text) and following.search(line.text))


def _joined(first: SourceLine, second: SourceLine) -> SourceLine:
    head, tail = traced(first), traced(second)
    head = head[: len(head.text.rstrip())]
    tail = tail[len(tail.text) - len(tail.text.lstrip()) :]
    return retext(first, join("", [head, tail]))


def split_lines(rules: list[dict[str, Any]], lines: list[SourceLine], ctx: Context) -> list[SourceLine]:
    """Each line broken before every match of a rule's `before` and after every match of its
    `after`; each piece is a line of its own (the same number), its outer whitespace dropped."""
    compiled = [
        (index, compile_pattern(rule[side]), side == "before")
        for index, rule in enumerate(rules)
        for side in ("before", "after")
        if side in rule
    ]
    pieces: list[SourceLine] = []
    for line in lines:
        breaks = sorted({cut for rule in compiled for cut in _breaks(line, *rule, ctx)})
        if not breaks:
            pieces.append(line)
            continue
        text = traced(line)
        bounds = [0, *breaks, len(line.text)]
        parts = [text[start:end].strip() for start, end in pairwise(bounds)]
        parts = [part for part in parts if part.text]
        pieces.extend(retext(line, part) for part in parts)
        ctx.coverage.note(line.number, f"split into {len(parts)} lines: " + " | ".join(p.text for p in parts))
    return pieces


def _breaks(line: SourceLine, index: int, pattern: Pattern, before: bool, ctx: Context) -> list[int]:
    """Where `pattern` breaks `line`: before or after each match, never at either end. Empty
    matches (a look-ahead) break too, unless they are everywhere: between every two characters."""
    found = list(pattern.finditer(line.text))
    inner = [cut for cut in (f.start() if before else f.end() for f in found) if 0 < cut < len(line.text)]
    empty = {f.start() for f in found if f.start() == f.end() and 0 < f.start() < len(line.text)}
    if len(line.text) > 2 and len(empty) >= len(line.text) - 1:
        raise EtlError(
            ctx.mapping_problem(
                "mapping.text_step",
                ("split", index),
                en=f"split[{index}] matches empty text: it would split line {line.number} at every character",
                ja=f"split[{index}] が空の文字列に一致し、{line.number} 行目を1文字ずつに分けてしまいます",
                hint="区切りの前後にある文字そのもの（例: before: '\\([0-9]+\\)'）に一致させてください",
            )
        )
    return inner
