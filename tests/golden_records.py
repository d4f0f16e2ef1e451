"""Each bundled sample's full records as JSON (`tests/golden/records/<council folder>.json`),
as the mapping makes them, compared by `test_golden_records.py`. They were stored before
coverage by character changed the engine.

Regenerate after an intended change with `python -m tests.golden_records` and say in the
commit which records changed and why.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from etl.convert import bundled_samples, map_document

GOLDEN = Path(__file__).parent / "golden" / "records"


def records_json(document: Path, mapping: Path) -> str:
    records = map_document(document, mapping).records
    return json.dumps(dataclasses.asdict(records), ensure_ascii=False, indent=1, default=str) + "\n"


def golden_file(mapping: Path) -> Path:
    return GOLDEN / f"{mapping.parent.name}.json"


if __name__ == "__main__":
    for document, mapping in bundled_samples():
        golden_file(mapping).write_text(records_json(document, mapping), encoding="utf-8")
