"""What an indicator's targets mean to the workbook: its unit, the kind of result it asks
for, and the plan a year's arrow (→) continues. The writer prints them, the reader checks
entries against them."""

from __future__ import annotations

from ..model import Indicator, TargetValue, ValueKind
from .contract import InputKind, indicator_result_key


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
