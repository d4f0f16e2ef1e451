"""The contract every layout fulfils."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from ...read.source import SourceLine
from ..context import Context
from ..patterns import compile_pattern


class Layout(ABC):
    """A document shape. Subclasses set `name` and document their options with a YAML
    example in their docstring; `run` turns lines into records through the context."""

    name: ClassVar[str]

    def __init__(self, options: dict[str, Any], ctx: Context) -> None:
        self.options = options
        self.ctx = ctx

    def regex(self, key: str) -> re.Pattern[str] | None:
        """The compiled pattern under `key` of the layout's options, if set."""
        value = self.options.get(key)
        return compile_pattern(value) if value else None

    @abstractmethod
    def run(self, lines: list[SourceLine]) -> None:
        """Read `lines` (cleaned, without ignored and policy lines) into `self.ctx.records`."""
