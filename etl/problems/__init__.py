"""Problems found in input data, as values.

A problem in the data is never an exception: every stage returns the problems it
found, each with a stable code, a severity, a location (file, line, sheet!cell, YAML
key) and a message in Japanese for staff and in English for logs. Only failures of
the tool itself raise. `EtlError` wraps a problem that stops work on one input
(an unreadable file, a broken mapping) so that the caller can report it and go on
with the next input.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from .catalogue import Severity, declared


@dataclass(frozen=True)
class Location:
    """Where a problem is: any subset of file, line, column, sheet, cell, key."""

    file: str = ""
    line: int | None = None
    column: int | None = None
    sheet: str = ""
    cell: str = ""
    key: str = ""

    def __str__(self) -> str:
        parts = [self.file] if self.file else []
        if self.line is not None:
            parts.append(f"{self.line}" if self.column is None else f"{self.line}:{self.column}")
        if self.sheet or self.cell:
            parts.append(f"{self.sheet}!{self.cell}" if self.sheet else self.cell)
        text = ":".join(parts)
        if self.key:
            text = f"{text} [{self.key}]" if text else f"[{self.key}]"
        return text


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    location: Location
    message_ja: str
    message_en: str
    hint: str = ""
    field: str = ""

    def __str__(self) -> str:
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{self.location}: {self.severity} {self.code}: {self.message_en}{hint}"

    def bilingual(self) -> str:
        """For the terminal: the place, then the message in Japanese and in English."""
        hint = f"\n    → {self.hint}" if self.hint else ""
        return f"{self.location}: {self.severity.ja} [{self.code}] {self.message_ja}\n    {self.message_en}{hint}"

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["location"] = {k: v for k, v in asdict(self.location).items() if v not in ("", None)}
        return data


def count(problems: Iterable[Problem], severity: Severity) -> int:
    """How many of `problems` have `severity`."""
    return sum(p.severity is severity for p in problems)


class Problems(list[Problem]):
    """The problems found so far: what an outcome holds, and what a step that finds problems
    for its caller is handed to add them to."""

    @property
    def has_errors(self) -> bool:
        return count(self, Severity.ERROR) > 0


class EtlError(Exception):
    """An input that cannot be processed at all; carries the problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def file_error(code: str, path: object, *, ja: str, en: str, hint: str = "") -> EtlError:
    """The error for a whole file that cannot be processed (raise it; the batch goes on)."""
    return EtlError(problem(code, Location(file=str(path)), ja=ja, en=en, hint=hint))


def problem(
    code: str,
    location: Location,
    *,
    ja: str,
    en: str,
    severity: Severity | None = None,
    hint: str = "",
    field: str = "",
) -> Problem:
    """Build a problem; kept as a function so call sites read as sentences. Its severity is
    the one `code` is declared with (etl/problems/catalogue.py) unless `severity` says."""
    if severity is None:
        found = declared(code)
        severity = found.severity if found is not None else Severity.ERROR
    return Problem(code, severity, location, ja, en, hint, field)
