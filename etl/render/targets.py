"""How an indicator's per-year targets read: units, kinds, plan values, result inputs."""

from __future__ import annotations

from ..jp import fiscal_year_label
from ..model import Indicator, TargetValue, ValueKind
from .book import CellValue
from .contract import InputKind, indicator_result_key
from .inputs import InputSpec


def indicator_unit(indicator: Indicator) -> str:
    """The indicator's unit, or the unit its numeric plans are printed with."""
    if indicator.unit:
        return indicator.unit
    return next((p.unit for p in indicator.plans.values() if p.kind is ValueKind.NUMBER and p.unit), "")


def result_kind(indicator: Indicator) -> InputKind:
    """Numbers when any plan is a number (or a unit is known), else 達成/一部達成/未達成."""
    numeric = indicator.unit or any(p.kind is ValueKind.NUMBER for p in indicator.plans.values())
    return InputKind.NUMBER if numeric else InputKind.ACHIEVEMENT


def resolved_plan(indicator: Indicator, year: int) -> TargetValue | None:
    """The plan for `year`, following arrows back to the value they continue."""
    for earlier in sorted((y for y in indicator.plans if y <= year), reverse=True):
        plan = indicator.plans[earlier]
        if plan.kind is not ValueKind.CONTINUES:
            return plan if plan.kind is not ValueKind.BLANK else None
    return None


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


def achieved(values: dict[str, str | float | None], indicator: Indicator, year: int) -> bool | None:
    """Whether the year's result (in `values`, by key) meets its plan; None when there is nothing to judge."""
    result = values.get(indicator_result_key(indicator.project_id, indicator.number, year))
    if result is None:
        return None
    if isinstance(result, str):
        return result == "達成" if result in ("達成", "一部達成", "未達成") else None
    plan = resolved_plan(indicator, year)
    if plan is None or plan.kind is not ValueKind.NUMBER or plan.number is None:
        return None
    return result >= plan.number
