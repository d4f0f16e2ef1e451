"""`shakyo-pdca history`: the history by council and fiscal year, as text, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

from ..collect.write import csv_safe
from ..jp import display_width, wareki
from ..model import DIRECTIONS
from .recorded import HistoryRow

COLUMNS = ("社協コード", "社協名", "年度", "和暦", "事業数", "達成目標数", "入力率", "達成率", *DIRECTIONS)


def history_data(rows: list[HistoryRow]) -> list[dict[str, object]]:
    return [
        {
            "council_id": row.council_id,
            "council_name": row.council_name,
            "prefecture": row.prefecture,
            "fiscal_year": row.fiscal_year,
            "wareki": wareki(row.fiscal_year),
            "document": row.document_title,
            "file": row.file_name,
            "saved_at": row.saved_at.isoformat(),
            "projects": row.figures.projects,
            "targets": row.figures.targets,
            "inputs": row.figures.inputs,
            "entered": row.figures.entered,
            "percent_entered": _percent(row.figures.percent_entered),
            "judged": row.figures.judged,
            "achieved": row.figures.achieved,
            "percent_achieved": _percent(row.figures.percent_achieved),
            "directions": dict(zip(DIRECTIONS, row.figures.directions, strict=True)),
        }
        for row in rows
    ]


def history_json(rows: list[HistoryRow]) -> str:
    return json.dumps(history_data(rows), ensure_ascii=False, indent=2)


def history_csv(rows: list[HistoryRow]) -> str:
    """UTF-8 CSV with a header row (council names are text from workbooks, never formulas)."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([csv_safe(cell) for cell in _cells(row, _percent)] for row in rows)
    return stream.getvalue()


def history_text(rows: list[HistoryRow]) -> str:
    if not rows:
        return "履歴はまだありません (the history holds nothing yet)"
    body = [_cells(row, _shown_percent) for row in rows]
    widths = [max(display_width(str(r[i])) for r in (COLUMNS, *body)) for i in range(len(COLUMNS))]
    lines = ["  ".join(_pad(str(cell), widths[i], right=i >= 4) for i, cell in enumerate(r)) for r in (COLUMNS, *body)]
    councils = len({row.council_id for row in rows})
    lines.append(f"{councils} councils, {len(rows)} council-years")
    return "\n".join(line.rstrip() for line in lines)


def _cells(row: HistoryRow, percent: Callable[[float | None], object]) -> tuple[object, ...]:
    """The columns of `COLUMNS`; `percent` shows a ratio."""
    f = row.figures
    return (
        row.council_id,
        row.council_name,
        f.fiscal_year,
        wareki(f.fiscal_year),
        f.projects,
        f.targets,
        percent(f.percent_entered),
        percent(f.percent_achieved),
        *f.directions,
    )


def _percent(ratio: float | None) -> float | None:
    return None if ratio is None else round(ratio * 100, 1)


def _shown_percent(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio * 100:.1f}%"


def _pad(text: str, width: int, *, right: bool) -> str:
    space = " " * (width - display_width(text))
    return space + text if right else text + space
