"""Problems that repeat: the first few of each kind are listed, the rest only counted.

A document of half a million stray lines gives half a million problems of one kind;
listing them all would take gigabytes in the worker and hundreds of megabytes of
terminal output, and tell the reader nothing the first few do not. So a kind (one
code and severity in one file) keeps its first `LISTED_PER_KIND` problems, and an
`Unlisted` count stands for the rest: the terminal prints "… and 562,786 more like
this", the log and the JSON keep the exact counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .problems import Problem, Problems, Severity

LISTED_PER_KIND = 10

Kind = tuple[str, str, Severity]  # file, code, severity


@dataclass(frozen=True)
class Unlisted:
    """Problems of one kind beyond those listed: counted, not kept."""

    file: str
    code: str
    severity: Severity
    count: int

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "code": self.code, "severity": self.severity.value, "count": self.count}

    def line(self) -> str:
        """For the terminal, after the listed problems of its kind."""
        return (
            f"  {self.file}: {self.severity.ja} [{self.code}] ほか同種 {self.count:,} 件\n"
            f"    … and {self.count:,} more like this"
        )


def kind(p: Problem) -> Kind:
    return (p.location.file, p.code, p.severity)


def keep_first(problems: Iterable[Problem], listed: int = LISTED_PER_KIND) -> tuple[Problems, list[Unlisted]]:
    """The first `listed` problems of each kind, in order, and a count of the rest.

    `problems` may be a generator: the ones not kept are counted, never held."""
    kept = Problems()
    seen: Counter[Kind] = Counter()
    for p in problems:
        seen[kind(p)] += 1
        if seen[kind(p)] <= listed:
            kept.append(p)
    return kept, [Unlisted(*k, count - listed) for k, count in seen.items() if count > listed]


def counted(problems: Sequence[Problem], unlisted: Sequence[Unlisted], severity: Severity) -> int:
    """How many problems of `severity` there are, listed or not."""
    return sum(p.severity is severity for p in problems) + sum(u.count for u in unlisted if u.severity is severity)


def terminal_lines(problems: Sequence[Problem], unlisted: Sequence[Unlisted] = ()) -> list[str]:
    """Each problem as the terminal shows it, at most `LISTED_PER_KIND` of a kind, each
    kind's count of the others after its last listed one."""
    listed, more = keep_first(problems)
    rest = Counter({(u.file, u.code, u.severity): u.count for u in unlisted})
    for u in more:
        rest[(u.file, u.code, u.severity)] += u.count
    last = {kind(p): index for index, p in enumerate(listed)}
    lines = []
    for index, p in enumerate(listed):
        lines.append(f"  {p.bilingual()}")
        if last[kind(p)] == index and rest[kind(p)]:
            lines.append(Unlisted(*kind(p), rest.pop(kind(p))).line())
    lines.extend(Unlisted(*k, count).line() for k, count in rest.items() if count)
    return lines
