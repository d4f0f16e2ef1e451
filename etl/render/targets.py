"""How an indicator's per-year targets are written: plan values and result inputs."""

from __future__ import annotations

from ..jp import fiscal_year_label
from ..model import Indicator, ValueKind
from ..workbook.book import CellValue
from ..workbook.contract import InputKind, indicator_result_key
from ..workbook.indicators import indicator_unit, resolved_plan, result_kind
from .input_cells import InputSpec


def plan_value(indicator: Indicator, year: int, continues_marker: str) -> CellValue:
    """One value per cell for the machine-readable list: a number, a text, or nothing."""
    plan = indicator.plans.get(year)
    if plan is None or plan.kind is ValueKind.BLANK:
        return None
    resolved = resolved_plan(indicator, year)
    if resolved is None:
        return continues_marker
    if resolved.kind is ValueKind.NUMBER and resolved.number is not None:
        return resolved.number
    return resolved.text


def printed_plan(indicator: Indicator, year: int, continues_marker: str) -> str:
    """The plan as the document printed it, an arrow shortened to `continues_marker`."""
    plan = indicator.plans.get(year)
    if plan is None:
        return ""
    return continues_marker if plan.kind is ValueKind.CONTINUES else plan.text


def result_spec(indicator: Indicator, project_name: str, year: int, result_label: str) -> InputSpec:
    kind = result_kind(indicator)
    result = indicator.results.get(year)
    prefill: CellValue = None
    if result is not None and result.kind is not ValueKind.BLANK:
        prefill = result.number if kind is InputKind.NUMBER and result.number is not None else result.text
    label = f"{indicator.project_id} {project_name} {indicator.name} {fiscal_year_label(year)} {result_label}"
    return InputSpec(
        key=indicator_result_key(indicator.project_id, indicator.number, year),
        kind=kind,
        label=label,
        prefill=prefill,
        unit=indicator_unit(indicator) if kind is InputKind.NUMBER else "",
    )
