"""The history of every year: each consolidated submission recorded in a database.

`collect --history DB` records what it consolidated (`HistoryDB.record`, one transaction
per run); `shakyo-pdca history` prints it by council and year (`HistoryDB.rows`). The
tables and their versions are in `schema`; what a submission is, and which of two wins,
in `model`.
"""

from .model import EntryRow, HistoryRow, Recorded, YearFigures, merged, replaces
from .store import DEFAULT_NAME, HistoryDB, HistoryError, RecordOutcome

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
