"""The bundled samples give exactly the records stored in `tests/golden/` (every field
of every record, not only `expected.yaml`'s spot checks)."""

from __future__ import annotations

import pytest

from etl.convert import bundled_samples
from tests.golden_records import golden_file, records_json


@pytest.mark.parametrize(("document", "mapping"), bundled_samples(), ids=lambda p: p.parent.name)
def test_sample_records_match_golden(document, mapping):
    assert records_json(document, mapping) == golden_file(mapping).read_text(encoding="utf-8")
