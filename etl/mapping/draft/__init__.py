"""`mapping draft`: a working, commented mapping for an unseen council, inferred from its
document (see docs/mapping-guide.md, "Start with a draft").

    drafted = draft_mapping(Path("plan.docx"), DraftOptions(examples=("社協運営",)))
    write_draft(drafted, Path("mappings/x/mapping.yaml"))
"""

from __future__ import annotations

from pathlib import Path

from ...fileio import atomic_path
from ...problems import Location, Problem, problem
from .build import Draft, DraftOptions, DraftSummary, draft_mapping

__all__ = ["Draft", "DraftOptions", "DraftSummary", "draft_exists", "draft_mapping", "write_draft"]


def write_draft(drafted: Draft, target: Path) -> None:
    """Write the draft atomically (the caller decides whether an existing file may go)."""
    with atomic_path(target) as tmp:
        tmp.write_text(drafted.text, encoding="utf-8")


def draft_exists(target: Path) -> Problem:
    return problem(
        "draft.output_exists",
        Location(file=str(target)),
        ja="出力先のファイルがすでにあります。上書きしません",
        en="the output file exists; it is not replaced",
        hint="--force を付けると上書きします",
    )
