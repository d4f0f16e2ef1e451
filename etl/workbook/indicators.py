"""What an indicator's targets mean to the workbook: its unit, the kind of result it asks
for, and the plan a year's arrow (→) continues. The writer prints them, the reader checks
entries against them."""

from __future__ import annotations

from ..model import Indicator, TargetValue, ValueKind
from .contract import InputKind


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
