"""The contract every layout fulfils."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

from ...config.typed import typed
from ...read.source import SourceLine
from ..context import Context
from ..patterns import Pattern, compile_pattern


class Layout(ABC):
    """A document shape. Subclasses set `name`, declare their options as the frozen
    dataclass `Options` (loaded once from the mapping, after its schema has checked them)
    and show them with a YAML example in their docstring; `run` turns lines into records
    through the context."""

    name: ClassVar[str]
    Options: ClassVar[type]

    def __init__(self, options: Mapping[str, Any], ctx: Context) -> None:
        self.options = typed(self.Options, options)
        self.ctx = ctx

    @abstractmethod
    def run(self, lines: list[SourceLine]) -> None:
        """Read `lines` (cleaned, without ignored and policy lines) into `self.ctx.records`."""


def compiled(pattern: str) -> Pattern | None:
    """An optional pattern of the options, compiled; None when not set."""
    return compile_pattern(pattern) if pattern else None
