"""The one place where mapping patterns are compiled and run: on `regex`, under a deadline.

Patterns come from mapping files, that is from people, and a backtracking engine can
take exponential time on a pattern like `(a|aa)+$` or quadratic time on a long line
with `\\S.*?\\s*$`. So every pattern of a mapping is compiled here with the `regex`
module (Python's syntax and Unicode classes: `\\s` matches U+3000, `\\d` full-width
digits), and every match runs with a timeout: what is left of the document's time
budget, opened with `time_limit`. No signal is used (there is no SIGALRM on Windows):
`regex` checks the time itself while it matches. The budget is processor time, as
`regex` counts it, so that a busy machine slows a document down without failing it.
A match that runs out of time raises `PatternTimeout`, which `timeout_problem` turns
into a problem naming the rule and the line.

    with time_limit(60):
        pattern = compile_pattern(r"^(?P<id>[0-9]+)\\s+(?P<title>\\S(?:.*\\S)?)\\s*$")
        found = pattern.match(line.text)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import regex

from ..problems import Location, Problem, problem
from ..read.source import SourceDocument

DEFAULT_TIME_LIMIT = 60.0  # processor seconds per document; a bundled sample takes well under one

Match = regex.Match
_deadline: ContextVar[float | None] = ContextVar("mapping_pattern_deadline", default=None)


class PatternTimeout(Exception):
    """A pattern ran out of the document's time budget while matching `text`."""

    def __init__(self, pattern: str, text: str) -> None:
        super().__init__(f"pattern {pattern!r} ran out of time")
        self.pattern = pattern
        self.text = text


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Every pattern matched inside the block shares `seconds` (None: no limit)."""
    token = _deadline.set(None if seconds is None else time.process_time() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


class Pattern:
    """A compiled mapping pattern whose every match is bounded by the current deadline.

    It offers the part of `re.Pattern` the engine uses, with the same meaning."""

    __slots__ = ("compiled",)

    def __init__(self, compiled: regex.Pattern[str]) -> None:
        self.compiled = compiled

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    @property
    def groupindex(self) -> dict[str, int]:
        return dict(self.compiled.groupindex)

    def match(self, text: str) -> Match[str] | None:
        return self._bounded(self.compiled.match, text)

    def fullmatch(self, text: str) -> Match[str] | None:
        return self._bounded(self.compiled.fullmatch, text)

    def search(self, text: str) -> Match[str] | None:
        return self._bounded(self.compiled.search, text)

    def finditer(self, text: str) -> list[Match[str]]:
        return self._bounded(lambda string, **kw: list(self.compiled.finditer(string, **kw)), text)

    def sub(self, replacement: str, text: str, count: int = 0) -> str:
        return self._bounded(lambda string, **kw: self.compiled.sub(replacement, string, count, **kw), text)

    def subn(self, replacement: str, text: str) -> tuple[str, int]:
        return self._bounded(lambda string, **kw: self.compiled.subn(replacement, string, **kw), text)

    def _bounded(self, method: Callable[..., Any], text: str) -> Any:
        deadline = _deadline.get()
        if deadline is None:
            return method(text)
        left = deadline - time.process_time()
        if left <= 0:
            raise PatternTimeout(self.pattern, text)
        try:
            return method(text, timeout=left)
        except TimeoutError:
            raise PatternTimeout(self.pattern, text) from None


def compile_pattern(source: str) -> Pattern:
    """Compile a mapping pattern; raises `regex.error` when it is not one."""
    return Pattern(regex.compile(source))


def timeout_problem(err: PatternTimeout, data: dict[str, Any], mapping_file: str, document: SourceDocument) -> Problem:
    """The problem that ends a document whose time ran out: the rule that was matching
    (its key in the mapping) and the line it was reading."""
    rule = _key_of(data, err.pattern) or err.pattern
    line = _line_of(document, err.text)
    where = f"、{line} 行目を処理中" if line else ""
    return problem(
        "mapping.time_limit",
        Location(file=document.path, line=line, key=rule),
        ja=f"時間制限を超えたため、この文書の変換を打ち切りました（ルール {rule}{where}）",
        en=f"time limit reached while rule {rule} ({mapping_file}) was matching"
        + (f" line {line}" if line else "")
        + "; the document was not converted",
        hint="このルールのパターンを mapping check で確認してください（遅い書き方を警告します）。"
        "大きな文書なら convert --time-limit 秒数 で制限を延ばせます",
        field=rule,
    )


def _key_of(node: Any, pattern: str, path: str = "") -> str:
    """The key path (`sections[1].pattern`) of the first value equal to `pattern`."""
    if isinstance(node, dict):
        children: Iterator[tuple[str, Any]] = ((f"{path}.{k}" if path else str(k), v) for k, v in node.items())
    elif isinstance(node, list):
        children = ((f"{path}[{i}]", v) for i, v in enumerate(node))
    else:
        return path if node == pattern else ""
    return next((found for key, value in children if (found := _key_of(value, pattern, key))), "")


def _line_of(document: SourceDocument, text: str) -> int | None:
    """The number of the first line holding the start of `text` (a line, a cell, a field)."""
    start = next((part.strip() for part in text.split("\n") if part.strip()), "")
    return next((line.number for line in document.lines if start and start in line.text), None)
