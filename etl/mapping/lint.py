"""Warnings about patterns, shown by `mapping check`: shapes known to be slow, and a group
`id` that can match empty text (the projects it numbers would share an empty id).

The time limit stops a slow pattern; these warnings tell the author before it does.
Two slow shapes are recognised, on the parsed pattern rather than its text:

- nested quantifiers: a repeated group made only of repeats, like `(a+)+` or
  `(\\w+\\s?)*`, which can try every way of splitting a line that almost matches
  (exponential time);
- a lazy `.*?` right before an anchored run of spaces, like `\\S.*?\\s*$`, which
  rescans the run for every character it takes (quadratic time on a long line of
  spaces); `\\S(?:.*\\S)?\\s*$` captures the same text in linear time.

Every pattern of a mapping is found through the schema (`format: regex`), so a new
pattern key needs nothing here. The parser is Python's own (`re._parser`): a pattern
that only `regex` understands is not judged.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import jsonschema

from ..problems import Location, Problem, problem
from .loader import Mapping, mapping_schema, pattern_format_checker

Node = tuple[Any, Any]  # (opcode, argument) of re._parser

_REPEATS = frozenset({sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)})
_ENDS = frozenset({sre.AT_END, sre.AT_END_STRING})
_SPACES = frozenset({0x20, 0x3000})

NESTED = "nested"
LAZY_BEFORE_SPACES = "lazy_before_spaces"
EMPTY_ID = "empty_id"
_TEXT = {
    NESTED: (
        "繰り返しの中に繰り返しがあります（(a+)+ の形）。合いそうで合わない行で極端に遅くなります",
        "nested quantifiers (a repeated group of repeats, like (a+)+): exponential time on a line that almost matches",
        "繰り返しの読み方が一通りになる形にしてください（例: (a+)+ → a+、(\\w+\\s?)+ → \\w+(?:\\s\\w+)*）",
    ),
    LAZY_BEFORE_SPACES: (
        "行末の空白の前に .*? があります（\\S.*?\\s*$ の形）。長い空白の並ぶ行で遅くなります",
        "lazy .*? before an anchored \\s*$: quadratic time on a line with a long run of spaces",
        "末尾の空白を除いた文字列は \\S(?:.*\\S)? で取れます（例: (?P<title>\\S(?:.*\\S)?)\\s*$）",
    ),
    EMPTY_ID: (
        "グループ id が空の文字列にも合います（[0-9]* の形）。番号のない行で事業IDが空になり、重なります",
        "the group id can match empty text (like [0-9]*): a line without a number gets an empty id, shared",
        "番号を必ず1文字以上取る形にしてください（例: [0-9]* → [0-9]+）",
    ),
}


def slow_shape(source: str) -> str | None:
    """`NESTED` or `LAZY_BEFORE_SPACES` if the pattern has that shape, else None."""
    found = _parsed(source)
    if found is None:
        return None
    parsed = list(found)
    if any(_repeat_of_repeats(node) for node in _walk(parsed)):
        return NESTED
    sequences = [parsed, *(branch for op, av in _walk(parsed) if op is sre.BRANCH for branch in av[1])]
    if any(_lazy_before_spaces(_flat(list(sequence))) for sequence in sequences):
        return LAZY_BEFORE_SPACES
    return None


def pattern_warnings(mapping: Mapping) -> list[Problem]:
    """A warning for every pattern of `mapping` with a slow shape, or whose group `id` can
    match empty text, at its key."""
    validator = jsonschema.Draft202012Validator(
        mapping_schema(), format_checker=pattern_format_checker(lambda source: not _findings(source))
    )
    warnings = []
    for error in _format_errors(validator.iter_errors(mapping.data)):
        path = tuple(error.absolute_path)
        line, column = mapping.source.place(path) or (None, None)
        key = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(path))
        location = Location(file=mapping.path, line=line, column=column, key=key)
        warnings.extend(_warning(finding, location) for finding in _findings(error.instance))
    return warnings


def _format_errors(errors: Iterable[jsonschema.ValidationError]) -> Iterator[jsonschema.ValidationError]:
    """The format errors, also those under a `oneOf` (`layout.project`: a pattern or an object)."""
    for error in errors:
        if error.validator == "format":
            yield error
        yield from _format_errors(error.context or ())


def _warning(finding: str, location: Location) -> Problem:
    ja, en, hint = _TEXT[finding]
    if finding == EMPTY_ID:
        return problem("mapping.id_may_be_empty", location, ja=ja, en=en, hint=hint, field=location.key)
    return problem("mapping.slow_pattern", location, ja=ja, en=en, hint=hint, field=location.key)


def _findings(source: str) -> list[str]:
    shape = slow_shape(source)
    return [*([shape] if shape else []), *([EMPTY_ID] if id_may_be_empty(source) else [])]


def id_may_be_empty(source: str) -> bool:
    """Whether the group `id` of the pattern can match empty text (`(?P<id>[0-9]*)`): the
    projects it numbers would share one empty id on some line."""
    parsed = _parsed(source)
    if parsed is None or "id" not in parsed.state.groupdict:
        return False
    group = parsed.state.groupdict["id"]
    return any(op is sre.SUBPATTERN and av[0] == group and av[-1].getwidth()[0] == 0 for op, av in _walk(list(parsed)))


def _parsed(source: str) -> Any:
    try:
        with warnings.catch_warnings():  # Python's own hints about `[[` are not the author's concern here
            warnings.simplefilter("ignore", FutureWarning)
            return sre_parse.parse(source)
    except (re.error, OverflowError, RecursionError):
        return None  # syntax only `regex` knows (or a pattern too deep to judge)


def _walk(items: list[Node]) -> Iterator[Node]:
    """Every node of a parsed pattern, depth first."""
    for op, av in items:
        yield op, av
        for child in _children(op, av):
            yield from _walk(list(child))


def _children(op: Any, av: Any) -> list[Any]:
    if op in _REPEATS:
        return [av[2]]
    if op is sre.SUBPATTERN:
        return [av[-1]]
    if op is sre.BRANCH:
        return list(av[1])
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [av[1]]
    return []


def _flat(items: list[Node]) -> list[Node]:
    """The sequence with groups opened: `(?P<t>\\S.*?)\\s*$` reads as `\\S .*? \\s* $`."""
    flat: list[Node] = []
    for op, av in items:
        flat.extend(_flat(list(av[-1])) if op is sre.SUBPATTERN else [(op, av)])
    return flat


def _unbounded(node: Node) -> bool:
    op, av = node
    return op in _REPEATS and av[1] == sre.MAXREPEAT


def _repeat_of_repeats(node: Node) -> bool:
    if not _unbounded(node):
        return False
    body = _flat(list(node[1][2]))
    return bool(body) and all(op in _REPEATS for op, _ in body) and any(_unbounded(item) for item in body)


def _lazy_before_spaces(sequence: list[Node]) -> bool:
    for lazy, spaces, end in zip(sequence, sequence[1:], sequence[2:], strict=False):
        lazy_any = lazy[0] is sre.MIN_REPEAT and _unbounded(lazy) and _flat(list(lazy[1][2])) == [(sre.ANY, None)]
        anchored = end[0] is sre.AT and end[1] in _ENDS
        if lazy_any and anchored and _unbounded(spaces) and _is_space(_flat(list(spaces[1][2]))):
            return True
    return False


def _is_space(body: list[Node]) -> bool:
    if len(body) != 1:
        return False
    op, av = body[0]
    if op is sre.LITERAL:
        return av in _SPACES
    if op is sre.IN:
        return any((o, a) == (sre.CATEGORY, sre.CATEGORY_SPACE) or (o is sre.LITERAL and a in _SPACES) for o, a in av)
    return False
