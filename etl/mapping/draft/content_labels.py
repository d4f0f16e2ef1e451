"""Labels that start a field inside a project's text (`目的：…` / `内容：…` / `目標：…` on
lines of their own): an outline whose projects print them gets `content_labels`, so each
labelled text lands in its field instead of all of it in `method`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ...jp import nfkc
from .shapes import Entry, Shape

MIN_REPEATS = 3  # a label printed this often is the document's habit, not a sentence
_WS = r"[\s\u3000]*"
_SEPARATOR = r"[:：]"
# field -> the words of its label, longest first so that `事業内容` is not read as `内容`
_LABELS: dict[str, tuple[str, ...]] = {
    "purpose": ("事業の目的", "目的", "ねらい", "趣旨"),
    "method": ("事業の方法", "事業内容", "実施内容", "取組内容", "取り組み内容", "内容", "方法"),
    "goal": ("事業の目標", "達成目標", "成果目標", "数値目標", "目標"),
    "situation": ("現状と課題", "現状・課題"),
}


def with_content_labels(shape: Shape, lines: Sequence[str]) -> Shape:
    """`shape` with `content_labels` for the labels its lines print at least `MIN_REPEATS` times."""
    if shape.layout != "outline":
        return shape
    labels = {field: pattern for field, words in _LABELS.items() if (pattern := _printed(words, lines))}
    if not labels:
        return shape
    why = "labelled text under the projects (" + ", ".join(f"{field} {p}" for field, p in labels.items()) + ")"
    return replace(shape, entries=[*shape.entries, Entry("content_labels", labels, why)])


def _printed(words: Sequence[str], lines: Sequence[str]) -> str | None:
    """The label pattern of the words printed as labels, if printed often enough."""
    seen = [word for word in words if _count(word, lines) >= MIN_REPEATS]
    if not seen:
        return None
    return rf"^{_WS}(?:{'|'.join(seen)}){_WS}{_SEPARATOR}"


def _count(word: str, lines: Sequence[str]) -> int:
    label = re.compile(rf"^{_WS}{re.escape(word)}{_WS}{_SEPARATOR}")
    return sum(1 for text in lines if label.match(nfkc(text)))
