"""Width-free matching: `(1)` and `（１）`, `1.` and `１．` are the same mark.

Councils mix half- and full-width digits, Latin letters, brackets, punctuation and
spaces in one document. A mapping pattern is therefore rewritten before it is compiled:
every character typed in it that has a twin of the other width also matches that twin
(`(` becomes `[(（]`, `[0-9]` becomes `[0-9０-９]`, `[^（）]` excludes `()` too). The
text itself is never changed, so matches, groups and character positions are the text
as printed and coverage stays exact; identifiers are normalised afterwards as before.

This is width folding, not NFKC: `①` stays `①`, `㈱` stays `㈱`. A character written
by its code point (`\\u3000`, `\\x28`, `\\N{...}`) is exact: it matches that character
only, as it always did, which leaves a way to say "this width and no other".
"""

from __future__ import annotations

import re
import unicodedata

_FULL_OFFSET = 0xFEE0  # U+FF01..U+FF5E are the full-width twins of U+0021..U+007E
_ASCII_FIRST, _ASCII_LAST = 0x21, 0x7E
# Half-width CJK punctuation and the ideographic space, with their usual twins.
_OTHER_TWINS = {" ": "\u3000", "｡": "。", "｢": "「", "｣": "」", "､": "、", "･": "・", "ｰ": "ー"}
# Half-width katakana (ｱ, ﾝ) and the sound marks ﾞﾟ: one character for one.
_OTHER_TWINS |= {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFF66, 0xFF9E)}
_OTHER_TWINS |= {"ﾞ": "゛", "ﾟ": "゜"}
_OTHER_TWINS |= {full: half for half, full in _OTHER_TWINS.items()}
# A voiced full-width kana is two half-width characters (ガ = ｶﾞ, パ = ﾊﾟ): a literal matches
# both spellings; a set cannot hold two characters, so there it gains its sound mark instead.
_MARKS = {"\u3099": "ﾞ", "\u309a": "ﾟ"}
_SPELLED = {
    full: _OTHER_TWINS[base] + _MARKS[mark]
    for full in map(chr, range(0x30A1, 0x30FB))
    if len(decomposed := unicodedata.normalize("NFD", full)) == 2
    and (base := decomposed[0]) in _OTHER_TWINS
    and (mark := decomposed[1]) in _MARKS
}

# Escapes that name one code point exactly: left as written.
_CODE_POINT = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|N\{[^}]*\}|0[0-7]{0,2}|[0-7]{3})")
# Escapes that stand for a class, an anchor, a back-reference or a control character.
_SPECIAL_ESCAPE = re.compile(r"\\(?:[pP]\{[^}]*\}|g<[^>]*>|[1-9][0-9]?|[A-Za-z])")
_QUANTIFIER = re.compile(r"\{[0-9]*(?:,[0-9]*)?\}")
_GROUP_OPENING = re.compile(
    r"\(\?(?:P?<(?![=!])[^>]*>|P=[^)]*\)|#[^)]*\)|\([^)]*\)|[:=!>]|<[=!]|[aiLmsux]*(?:-[imsx]+)?[:)])"
)
_CLASS_SPECIAL = set("\\]-[^&~|")


def twin(char: str) -> str | None:
    """The other-width twin of `char`, if it has one (two characters for a voiced kana)."""
    code = ord(char)
    if _ASCII_FIRST <= code <= _ASCII_LAST:
        return chr(code + _FULL_OFFSET)
    if _ASCII_FIRST + _FULL_OFFSET <= code <= _ASCII_LAST + _FULL_OFFSET:
        return chr(code - _FULL_OFFSET)
    return _OTHER_TWINS.get(char) or _SPELLED.get(char)


def fold(text: str) -> str:
    """`text` with each character and its twin written the same way, one for one (to compare)."""
    return "".join(_canonical(char) for char in text)


def _canonical(char: str) -> str:
    other = twin(char)
    return other if other is not None and len(other) == 1 and ord(other) < ord(char) else char


def width_free(pattern: str) -> str:
    """`pattern` rewritten so that every typed literal also matches its other-width twin."""
    out: list[str] = []
    verbose = bool(re.search(r"\(\?[aiLmsu]*x", pattern))
    i = 0
    while i < len(pattern):
        char = pattern[i]
        token = _fixed_token(pattern, i)
        if token:
            out.append(token)
            i += len(token)
        elif char == "[":
            text, i = _class(pattern, i)
            out.append(text)
        elif char == "\\" and i + 1 < len(pattern):
            out.append(_literal(pattern[i + 1], verbose))
            i += 2
        elif char in ".^$*+?|()":
            out.append(char)
            i += 1
        else:
            out.append(_literal(char, verbose))
            i += 1
    return "".join(out)


def _fixed_token(pattern: str, i: int) -> str:
    """Syntax copied as written: exact and special escapes, quantifiers, group openings."""
    for syntax in (_CODE_POINT, _SPECIAL_ESCAPE, _QUANTIFIER, _GROUP_OPENING):
        found = syntax.match(pattern, i)
        if found:
            return found.group(0)
    return ""


def _literal(char: str, verbose: bool) -> str:
    if verbose and char.isspace():
        return char
    other = twin(char)
    if other is None:
        return re.escape(char)
    if len(other) > 1:
        return f"(?:{re.escape(char)}|{re.escape(other)})"
    return f"[{_in_class(char)}{_in_class(other)}]"


def _in_class(char: str) -> str:
    return f"\\{char}" if char in _CLASS_SPECIAL else char


def _class(pattern: str, start: int) -> tuple[str, int]:
    """A `[...]` set with the twins of its typed members added; returns it and the index after it."""
    i = start + 1
    negate = pattern.startswith("^", i)
    i += negate
    items: list[str] = []
    first = True
    while i < len(pattern) and (pattern[i] != "]" or first):
        first = False
        item, i = _class_member(pattern, i)
        items.append(item)
    if i >= len(pattern):
        return pattern[start:], len(pattern)  # unterminated: left for the compiler to report
    return "[" + ("^" if negate else "") + "".join(items) + "]", i + 1


def _class_member(pattern: str, i: int) -> tuple[str, int]:
    """One member of a set (a character, a range or an escape), with its twins."""
    low, i, written = _class_char(pattern, i)
    if pattern.startswith("-", i) and i + 1 < len(pattern) and pattern[i + 1] != "]":
        high, after, high_written = _class_char(pattern, i + 1)
        if low is not None and high is not None:
            return _range(low, high), after
        return f"{written}-{high_written}", after  # a range from or to an exact code point stays exact
    if low is None:
        return written, i
    return _in_class(low) + _twins_in_class(low), i


def _twins_in_class(char: str) -> str:
    other = twin(char)
    if other is None:
        return ""
    return "".join(_in_class(c) for c in other)  # ガ: ｶ and ﾞ, so that [ガ]+ reads ｶﾞ


def _class_char(pattern: str, i: int) -> tuple[str | None, int, str]:
    """A typed character of a set (its text), or an escape kept as written (None, its text)."""
    for syntax in (_CODE_POINT, _SPECIAL_ESCAPE):
        found = syntax.match(pattern, i)
        if found:
            return None, found.end(), found.group(0)
    if pattern[i] == "\\" and i + 1 < len(pattern):
        return pattern[i + 1], i + 2, pattern[i : i + 2]
    return pattern[i], i + 1, pattern[i]


def _range(low: str, high: str) -> str:
    """`low-high` and the ranges of their twins (the parts of it that have twins)."""
    lo, hi = ord(low), ord(high)
    parts = [f"{_in_class(low)}-{_in_class(high)}"]
    for first, last, shift in (
        (_ASCII_FIRST, _ASCII_LAST, _FULL_OFFSET),
        (_ASCII_FIRST + _FULL_OFFSET, _ASCII_LAST + _FULL_OFFSET, -_FULL_OFFSET),
    ):
        a, b = max(lo, first), min(hi, last)
        if a <= b:
            parts.append(f"{_in_class(chr(a + shift))}-{_in_class(chr(b + shift))}")
    parts.extend(_in_class(_OTHER_TWINS[c]) for c in _OTHER_TWINS if lo <= ord(c) <= hi)
    parts.extend(
        sorted({_in_class(mark) for c, spelled in _SPELLED.items() if lo <= ord(c) <= hi for mark in spelled[1:]})
    )
    return "".join(parts)
