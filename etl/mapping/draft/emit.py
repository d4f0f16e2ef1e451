"""Write a draft as a commented mapping file: every value beside the reason it was chosen.

Values are written in flow style, strings single-quoted (patterns keep their backslashes
as typed), so that the file reads like the hand-written mappings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .shapes import Entry

TODO_ONLY = object()  # an entry that is only its comment: what the draft saw and left to the reader
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value).replace("'", "''")
    return f"'{text}'"


def flow(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def _key(key: object) -> str:
    return str(key) if _PLAIN_KEY.match(str(key)) else scalar(key)


def _comment(text: str) -> str:
    return f"  # {' '.join(text.split())}" if text else ""


def mapping_block(name: str, entries: Sequence[Entry]) -> list[str]:
    """`name:` and one `key: value  # why` line per entry; a list of several rules one per line."""
    lines = [f"{name}:"]
    for entry in entries:
        value = entry.value
        if isinstance(value, list) and len(value) > 1 and all(isinstance(item, dict) for item in value):
            lines.append(f"  {entry.key}:{_comment(entry.comment)}")
            lines.extend(f"    - {flow(item)}" for item in value)
        else:
            lines.append(f"  {entry.key}: {flow(value)}{_comment(entry.comment)}")
    return lines


def list_block(name: str, entries: Sequence[Entry], empty_comment: str = "") -> list[str]:
    """`name:` and one `- value  # why` line per entry, or `name: []  # why not`; an entry
    whose value is `TODO_ONLY` is a comment line of its own."""
    rules = [e for e in entries if e.value is not TODO_ONLY]
    notes = [f"  #{_comment(e.comment)[3:]}" for e in entries if e.value is TODO_ONLY]
    if not rules:
        return [f"{name}: []{_comment(empty_comment)}", *notes]
    return [f"{name}:", *(f"  - {flow(e.value)}{_comment(e.comment)}" for e in rules), *notes]


def comment_lines(text: str) -> list[str]:
    return [f"# {line}".rstrip() for line in text.splitlines()]
