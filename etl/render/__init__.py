"""Stage 4, render: canonical records -> the formatted Excel PDCA workbook."""

from .template import TEMPLATE_VERSION
from .workbook import RenderOutcome, render_workbook

__all__ = ["TEMPLATE_VERSION", "RenderOutcome", "render_workbook"]
