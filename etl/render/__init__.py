"""Stage 4, render: canonical records -> the formatted Excel PDCA workbook."""

from .workbook import render_workbook

__all__ = ["render_workbook"]
