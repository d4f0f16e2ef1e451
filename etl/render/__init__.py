"""Stage 4, render: canonical records -> the formatted Excel PDCA workbook."""

from .workbook import RenderOutcome, render_workbook

__all__ = ["RenderOutcome", "render_workbook"]
