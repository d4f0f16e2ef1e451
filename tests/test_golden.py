"""The bundled councils' workbooks are what they were: every sheet and its visibility, every
cell's value, `_meta` (generation time masked), `_index` and the `_records` snapshot.

A change that alters the workbooks on purpose regenerates the golden copies with
`python -m tests.golden` and shows the diff of `tests/golden/` for review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden import GOLDEN, golden_path, workbook_contents


def test_every_bundled_council_has_a_golden_copy(bundled_workbooks: list[Path]):
    assert len(bundled_workbooks) == 5
    assert {golden_path(w) for w in bundled_workbooks} == set(GOLDEN.glob("*.json"))


@pytest.mark.parametrize("index", range(5))
def test_workbook_matches_its_golden_copy(bundled_workbooks: list[Path], index: int):
    workbook = bundled_workbooks[index]
    expected = json.loads(golden_path(workbook).read_text(encoding="utf-8"))
    actual = workbook_contents(workbook)
    assert [s["name"] for s in actual["sheets"]] == [s["name"] for s in expected["sheets"]]
    for got, want in zip(actual["sheets"], expected["sheets"], strict=True):
        assert got == want, f"{workbook.name}: sheet {got['name']} differs (python -m tests.golden to regenerate)"
