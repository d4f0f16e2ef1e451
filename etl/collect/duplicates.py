"""Which of several submissions of one council counts: one rule, wherever submissions meet.

    choice = choose_submission(candidates, run_started=started, preferred=[Path("受信/再送.xlsx")])
    choice.kept, choice.reason, choice.others

In order:
1. a file the office named by hand (`--prefer FILE`) is kept;
2. if the submissions' entries agree, they are one submission sent twice: one is kept;
3. otherwise the one the office received last is kept: the latest modification time on
   the office's disk. A workbook's own saved date is written by whoever saved it and a
   copy can bring any time with it, so no time later than the run is trusted;
4. when the times cannot tell (equal, or none to trust), the latest trusted saved date,
   then the name decide, and the choice is reported as undecided, to be settled with
   `--prefer`.

Collect uses it for the councils of one run; the history of PDCA cycles needs the same
rule for the submissions of one council and year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


class Reason(StrEnum):
    PREFERRED = "preferred"
    SAME_ENTRIES = "same_entries"
    RECEIVED_LAST = "received_last"
    UNDECIDED = "undecided"

    @property
    def ja(self) -> str:
        return {
            "preferred": "--prefer で指定されたファイル",
            "same_entries": "入力内容が同じ",
            "received_last": "最後に受け取ったファイル",
            "undecided": "受信日時で決められないため保存日時とファイル名で選択",
        }[self.value]

    @property
    def en(self) -> str:
        return {
            "preferred": "named with --prefer",
            "same_entries": "their entries are the same",
            "received_last": "received last",
            "undecided": "the times cannot tell; chosen by saved date and name",
        }[self.value]


@dataclass(frozen=True)
class Candidate:
    path: Path
    received_at: dt.datetime | None  # the file's modification time on the office's disk
    saved_at: dt.datetime | None  # the date the workbook says it was saved
    entries: Hashable  # what staff entered: equal entries are the same submission


@dataclass(frozen=True)
class Choice:
    kept: Candidate
    others: tuple[Candidate, ...]
    reason: Reason


def choose_submission(
    candidates: Sequence[Candidate], *, run_started: dt.datetime, preferred: Collection[Path] = ()
) -> Choice:
    """The submission that counts among `candidates` (at least one), and why (see the module)."""
    wanted = {path.resolve() for path in preferred}
    named = [c for c in candidates if c.path.resolve() in wanted]
    if len(named) == 1:
        return _choice(named[0], candidates, Reason.PREFERRED)

    def trusted(moment: dt.datetime | None) -> dt.datetime:
        return moment if moment is not None and moment <= run_started else _NEVER

    order = sorted(candidates, key=lambda c: (trusted(c.received_at), trusted(c.saved_at), c.path.name), reverse=True)
    kept = order[0]
    if all(c.entries == kept.entries for c in order[1:]):
        return _choice(kept, candidates, Reason.SAME_ENTRIES)
    latest = trusted(kept.received_at)
    decided = latest is not _NEVER and all(trusted(c.received_at) < latest for c in order[1:])
    return _choice(kept, candidates, Reason.RECEIVED_LAST if decided else Reason.UNDECIDED)


def _choice(kept: Candidate, candidates: Sequence[Candidate], reason: Reason) -> Choice:
    return Choice(kept, tuple(c for c in candidates if c is not kept), reason)
