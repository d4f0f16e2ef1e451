"""Print setup shared by every printed sheet: A4, margins, footer, protection."""

from __future__ import annotations

from ..workbook.book import Sheet
from .template import Template

MAX_FOOTER_NAME = 60  # Excel allows 255 characters for the whole footer


def footer_text(template: Template, council_name: str) -> str:
    """The footer with the council's name; `&` is doubled so Excel prints it as itself."""
    return template.print.footer.format(council=council_name[:MAX_FOOTER_NAME].replace("&", "&&"))


def print_setup(sheet: Sheet, template: Template, council_name: str, *, landscape: bool) -> None:
    ws = sheet.ws
    ws.set_paper(template.print.paper)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    margins = template.print.margins
    ws.set_margins(margins.left, margins.right, margins.top, margins.bottom)
    ws.set_footer(footer_text(template, council_name), {"margin": margins.footer})
    ws.center_horizontally()


def protect(sheet: Sheet, password: str, *, autofilter: bool = False) -> None:
    """Lock everything but the input cells; staff may still resize and insert rows."""
    sheet.ws.protect(
        password,
        {"format_columns": True, "format_rows": True, "insert_rows": True, "autofilter": autofilter},
    )
