"""Each bundled sample's full records as JSON, compared by `test_golden_records.py`.

Regenerate after an intended change with `python -m tests.golden_records` and say in the
commit which records changed and why.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from etl.convert import bundled_samples, map_document

GOLDEN = Path(__file__).parent / "golden"


def records_json(document: Path, mapping: Path) -> str:
    records = map_document(document, mapping).records
    return json.dumps(dataclasses.asdict(records), ensure_ascii=False, indent=1, default=str) + "\n"


def golden_file(mapping: Path) -> Path:
    return GOLDEN / f"{mapping.parent.name}.records.json"


if __name__ == "__main__":
    for document, mapping in bundled_samples():
        golden_file(mapping).write_text(records_json(document, mapping), encoding="utf-8")
