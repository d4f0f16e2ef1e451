"""Word documents written for the tests the way an office types them: headings in the
styles 見出し1, 見出し2 with no number printed, projects as items of a Word list whose
marks exist only in numbering.xml, tables.

    plan = WordPlan()
    plan.heading("法人運営", 1)
    plan.item("理事会の開催", BULLETS, 1)
    plan.save(tmp_path / "plan.docx")
"""

from __future__ import annotations

from pathlib import Path

import docx
from build_docs import add_abstract_list, add_num, set_numbering
from docx.enum.style import WD_STYLE_TYPE

BULLETS = [("bullet", "・")]
MULTILEVEL = [("decimal", "%1."), ("decimal", "(%2)"), ("decimalEnclosedCircle", "%3")]


class WordPlan:
    """A Word document built paragraph by paragraph."""

    def __init__(self) -> None:
        self.document = docx.Document()
        self.lists: dict[tuple[tuple[str, str], ...], str] = {}  # list definition -> its num id

    def title(self, text: str) -> None:
        self.document.add_paragraph(text, style="Title")

    def heading(self, text: str, level: int) -> None:
        """A paragraph styled 見出しN, as Japanese Word names its headings (no outline level set)."""
        name = f"見出し{level}"
        if name not in [style.name for style in self.document.styles]:
            style = self.document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = self.document.styles["Normal"]
        self.document.add_paragraph(text, style=name)

    def item(self, text: str, levels: list[tuple[str, str]], level: int) -> None:
        """An item at `level` (1 = outermost) of the Word list defined by `levels` (numFmt, lvlText)."""
        key = tuple(levels)
        if key not in self.lists:
            self.lists[key] = add_num(self.document, add_abstract_list(self.document, levels, suffix="tab"))
        set_numbering(self.document.add_paragraph(text), self.lists[key], level - 1)

    def paragraph(self, text: str) -> None:
        self.document.add_paragraph(text)

    def table(self, rows: list[list[str]]) -> None:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text

    def save(self, path: Path) -> Path:
        self.document.save(str(path))
        return path
