"""Sizes in points: column widths, wrapped text heights, A4 pages.

Excel never fits a merged cell's height and counts a kanji like a Latin letter when it
fits a column, so the renderer computes every width and height itself. A column `w`
characters wide is `7w + 5` pixels (the digit width of the default font, Calibri 11,
plus padding); a full-width character at font size `s` is `s` points wide, a
half-width one `s / 2`. Line heights leave room for the taller CJK fonts LibreOffice
substitutes, and page widths for LibreOffice's columns, which come out about 6% wider
than Excel's for the same width in characters.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..jp import display_width

if TYPE_CHECKING:
    from .template import Margins

POINTS_PER_PIXEL = 0.75
A4_POINTS = (595.28, 841.89)  # portrait width, height
MAX_ROW_POINTS = 409.0  # Excel's largest row height
CELL_PADDING_POINTS = 4.0  # left and right inner margins together
WRAP_RESERVE = 1  # half-width cells per line lost to line-breaking rules and word wrap
LINE_FACTOR = 1.45  # line height per point of font size (Noto Sans CJK: 1.448 em)
RENDERER_WIDTH_SLACK = 1.07  # LibreOffice's column widths against Excel's
ROW_PADDING_POINTS = 4.0
PAGE_SLACK = 0.92  # keep pages a little short of full so no renderer adds a break


def column_points(width_chars: float) -> float:
    return (int(width_chars * 7 + 0.5) + 5) * POINTS_PER_PIXEL


def text_lines(text: str, width_points: float, font_size: float) -> int:
    """Lines `text` wraps into in a cell `width_points` wide; an empty text takes one."""
    capacity = max(1, math.floor((width_points - CELL_PADDING_POINTS) / (font_size / 2)) - WRAP_RESERVE)
    return sum(max(1, math.ceil(display_width(line) / capacity)) for line in text.split("\n"))


def lines_height(lines: int, font_size: float) -> float:
    return min(MAX_ROW_POINTS, round(lines * font_size * LINE_FACTOR + ROW_PADDING_POINTS, 1))


def text_height(text: str, width_points: float, font_size: float, min_lines: int = 1) -> float:
    return lines_height(max(min_lines, text_lines(text, width_points, font_size)), font_size)


def fitting_width(texts: list[str], font_size: float, maximum: float) -> float:
    """A column width in characters that shows the longest line, capped at `maximum`."""
    widest = max((display_width(line) for text in texts for line in text.split("\n")), default=0)
    return min(maximum, (widest + WRAP_RESERVE) * font_size / 10.5 + 1)


def printable_points(landscape: bool, margins: Margins) -> tuple[float, float]:
    """Width and height inside the margins of an A4 page, in points."""
    width, height = reversed(A4_POINTS) if landscape else A4_POINTS
    return width - (margins.left + margins.right) * 72, height - (margins.top + margins.bottom) * 72


def print_scale(content_width: float, printable_width: float) -> int:
    """The percentage at which `content_width` points fit across the page (10..100)."""
    return max(10, min(100, math.floor(100 * printable_width / (content_width * RENDERER_WIDTH_SLACK))))


def page_starts(row_heights: list[float], header_height: float, page_height: float) -> list[int]:
    """Indexes of the rows that begin a new page when every page repeats the header.

    `row_heights` are the body rows, `page_height` the usable height at the print
    scale. A row taller than a page gets a page of its own.
    """
    usable = page_height * PAGE_SLACK - header_height
    starts, used = [], 0.0
    for index, height in enumerate(row_heights):
        if used and used + height > usable:
            starts.append(index)
            used = 0.0
        used += height
    return starts
