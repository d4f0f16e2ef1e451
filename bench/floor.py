"""The floor under convert: xlsxwriter alone, writing the same workbook.

`record(convert)` runs a conversion with xlsxwriter's workbook, worksheets, formats and
charts wrapped, noting every call made on them (cells, merges, formats, validations,
names, page set-up) with its arguments; `replay(calls)` makes those calls again on a
fresh xlsxwriter workbook and closes it. The time a replay takes is what xlsxwriter
needs to write the workbook convert writes, with nothing of ours around it: no reading,
mapping, validation, layout or text measuring.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
import xlsxwriter.chart
import xlsxwriter.format
import xlsxwriter.worksheet

_WRAPPED = (xlsxwriter.worksheet.Worksheet, xlsxwriter.format.Format, xlsxwriter.chart.Chart)


@dataclass(frozen=True)
class Ref:
    """An xlsxwriter object made during the recording, by the order it was made in."""

    index: int


# How a recorded call's arguments name the objects made earlier: not at all, as positional
# arguments only (a cell's format), or anywhere (inside an options dict).
NO_REFS, POSITIONAL_REFS, NESTED_REFS = 0, 1, 2


@dataclass
class Calls:
    options: tuple[tuple[Any, ...], dict[str, Any]] = ((), {})
    calls: list[tuple[int, str, tuple[Any, ...], dict[str, Any], int | None, int]] = field(default_factory=list)
    objects: int = 1  # the workbook is object 0


class _Proxy:
    def __init__(self, target: Any, index: int, calls: Calls) -> None:
        self._target, self._index, self._calls = target, index, calls

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if not callable(value):
            return value
        return lambda *args, **kwargs: self._call(name, value, args, kwargs)

    def _call(self, name: str, method: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        result = method(*_real(args), **_real(kwargs))
        made = None
        if isinstance(result, _WRAPPED):
            made = self._calls.objects
            self._calls.objects += 1
            result = _Proxy(result, made, self._calls)
        refs = (_refs(args), _refs(kwargs))
        self._calls.calls.append((self._index, name, *refs, made, _how_refs(*refs)))
        return result


def record(convert: Callable[[], object]) -> Calls:
    """The xlsxwriter calls `convert()` makes (it must make one workbook)."""
    calls = Calls()
    real = xlsxwriter.Workbook

    def recording(*args: Any, **kwargs: Any) -> _Proxy:
        calls.options = (args, kwargs)
        return _Proxy(real(*args, **kwargs), 0, calls)

    xlsxwriter.Workbook = recording  # type: ignore[misc,assignment]
    try:
        convert()
    finally:
        xlsxwriter.Workbook = real  # type: ignore[misc]
    return calls


def replay(calls: Calls, target: Path) -> float:
    """Seconds xlsxwriter takes to make the recorded calls again, writing `target`."""
    args, kwargs = calls.options
    start = time.perf_counter()
    objects: list[Any] = [xlsxwriter.Workbook(str(target), *args[1:], **kwargs)]
    objects.extend([None] * (calls.objects - 1))
    for index, name, recorded_args, recorded_kwargs, made, refs in calls.calls:
        call_args, call_kwargs = recorded_args, recorded_kwargs
        if refs == POSITIONAL_REFS:
            call_args = tuple(objects[a.index] if type(a) is Ref else a for a in recorded_args)
        elif refs == NESTED_REFS:
            call_args, call_kwargs = _resolved(recorded_args, objects), _resolved(recorded_kwargs, objects)
        result = getattr(objects[index], name)(*call_args, **call_kwargs)
        if made is not None:
            objects[made] = result
    return time.perf_counter() - start


def _real(value: Any) -> Any:
    if isinstance(value, _Proxy):
        return value._target
    return _map(value, _real)


def _refs(value: Any) -> Any:
    if isinstance(value, _Proxy):
        return Ref(value._index)
    return _map(value, _refs)


def _how_refs(args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    if not _holds_ref((args, kwargs)):
        return NO_REFS
    nested = any(_holds_ref(a) for a in args if type(a) is not Ref) or _holds_ref(kwargs)
    return NESTED_REFS if nested else POSITIONAL_REFS


def _holds_ref(value: Any) -> bool:
    if isinstance(value, Ref):
        return True
    if isinstance(value, dict):
        return any(_holds_ref(v) for v in value.values())
    return isinstance(value, list | tuple) and any(_holds_ref(v) for v in value)


def _resolved(value: Any, objects: list[Any]) -> Any:
    if isinstance(value, Ref):
        return objects[value.index]
    return _map(value, lambda v: _resolved(v, objects))


def _map(value: Any, each: Callable[[Any], Any]) -> Any:
    if isinstance(value, dict):
        return {k: each(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(each(v) for v in value)
    return value
