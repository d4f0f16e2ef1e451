"""How many of a reference's projects a draft finds: the measure of issue 15.

A project matches when its normalised name (width folded, spaces removed) or its start
line agrees with one of the reference's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from etl.cli import main
from etl.jp import nfkc
from etl.model import Project


@dataclass(frozen=True)
class Agreement:
    expected: int
    found: int  # reference projects the draft gives
    extra: int  # draft projects that match no reference project

    def text(self) -> str:
        return f"found {self.found}/{self.expected}, extra {self.extra}"


def normalised_name(name: str) -> str:
    return "".join(nfkc(name).split())


def agreement(reference: Sequence[Project], drafted: Sequence[Project]) -> Agreement:
    names = {normalised_name(p.name) for p in drafted}
    lines = {p.source.line for p in drafted}
    ref_names = {normalised_name(p.name) for p in reference}
    ref_lines = {p.source.line for p in reference}
    found = sum(1 for p in reference if normalised_name(p.name) in names or p.source.line in lines)
    extra = sum(1 for p in drafted if normalised_name(p.name) not in ref_names and p.source.line not in ref_lines)
    return Agreement(len(reference), found, extra)


def assert_checks_and_converts(document: Path, mapping: Path, out: Path) -> None:
    """As a clerk would go on with a draft: `mapping check` exits 0, then `convert` writes one workbook."""
    checked = CliRunner().invoke(main, ["mapping", "check", str(mapping), str(document)])
    assert checked.exit_code == 0, checked.output
    converted = CliRunner().invoke(main, ["convert", str(document), "-m", str(mapping), "-o", str(out)])
    assert converted.exit_code == 0, converted.output
    assert len(list(out.glob("*.xlsx"))) == 1
