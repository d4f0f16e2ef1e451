"""The intermediate form every document reader produces and the mapping engine reads.

A document is a sequence of text lines in the "text export" convention of the
sample documents: paragraphs are lines, table rows are lines whose cells start with a
tab, a cell's further lines follow without a tab. Each line keeps its number in the
read document and, for documents that are not plain text, where it came from in the
original (`表1!B3`, `p.2`, paragraph 14).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..problems import EtlError, Problem, file_error

# A council plan has a few thousand lines; each line costs a few hundred bytes on its way
# through the mapping, so this keeps the largest document a reader accepts well under 1 GB.
MAX_LINES = 1_000_000

Place = tuple[int, int]  # (line number, 0-based column) of a character in the document as read


@dataclass(frozen=True, slots=True)  # slots: a document may have a million lines
class SourceLine:
    number: int  # 1-based
    text: str
    origin: str = ""  # place in the original file when it is not plain text
    heading: int = 0  # outline level of a heading paragraph (1 = top), 0 for other lines
    list_level: int = 0  # level of a numbered or bulleted paragraph (1 = top), 0 for other lines
    # Where each character of `text` was read, once a mapping step changed the text
    # (`etl/mapping/traced.py`); None while `text` is the line as read.
    places: tuple[Place, ...] | None = None

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class SourceDocument:
    path: str
    lines: tuple[SourceLine, ...]
    encoding: str = ""
    problems: tuple[Problem, ...] = ()  # warnings found while reading (macros, external links)

    @property
    def non_blank(self) -> list[SourceLine]:
        return [line for line in self.lines if not line.is_blank]


def too_many_lines(path: object) -> EtlError:
    return file_error(
        "read.too_many_lines",
        path,
        ja=f"行数が多すぎます（上限 {MAX_LINES:,} 行）",
        en=f"more than {MAX_LINES:,} lines",
        hint="文書を分けて変換してください",
    )
