"""The history of every year: each consolidated submission recorded in a database.

`collect --history DB` records what it consolidated (`HistoryDB.record`, one transaction
per run); `shakyo-pdca history` prints it by council and year (`HistoryDB.rows`). The
tables and their versions are in `schema`; what a submission is, and which of two wins,
in `recorded`. The database layer (SQLAlchemy) is imported only when a database is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .recorded import DEFAULT_NAME, EntryRow, HistoryError, HistoryRow, Recorded, YearFigures, merged, replaces

if TYPE_CHECKING:
    from .store import HistoryDB, RecordOutcome

_STORE = frozenset({"HistoryDB", "RecordOutcome"})

__all__ = [
    "DEFAULT_NAME",
    "EntryRow",
    "HistoryDB",
    "HistoryError",
    "HistoryRow",
    "RecordOutcome",
    "Recorded",
    "YearFigures",
    "merged",
    "replaces",
]


def __getattr__(name: str) -> object:
    if name in _STORE:
        from . import store  # noqa: PLC0415 - SQLAlchemy loads only for a run that uses a database

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
