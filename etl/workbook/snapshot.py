"""The canonical records as JSON: kept inside every generated workbook, read back by collect.

A workbook carries the records it was generated from (on a very hidden sheet), so that
consolidation works from the plan exactly as generated — typed, with every field — and
can tell which pre-filled cells staff changed. `records_to_json` and
`records_from_json` are exact inverses.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from ..model import (
    Council,
    DocumentInfo,
    DocumentKind,
    Indicator,
    PdcaEntry,
    Policy,
    Project,
    Records,
    Result,
    Source,
    Status,
    TargetValue,
    ValueKind,
)

FORMAT = 1


def records_to_json(records: Records) -> str:
    data = {"format": FORMAT, **dataclasses.asdict(records)}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def records_from_json(text: str) -> Records:
    """Records from `records_to_json`; raises ValueError (or KeyError/TypeError) if malformed."""
    data = json.loads(text)
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown snapshot format {data.get('format')!r}")
    document = data["document"]
    return Records(
        Council(**data["council"]),
        DocumentInfo(
            DocumentKind(document["kind"]),
            document["title"],
            tuple(document["fiscal_years"]),
            document["source_file"],
        ),
        [Policy(p["heading"], p["text"], _source(p["source"])) for p in data["policies"]],
        [_project(p) for p in data["projects"]],
        [_indicator(i) for i in data["indicators"]],
        [Result(**{**r, "source": _source(r["source"])}) for r in data["results"]],
        [PdcaEntry(**{**e, "source": _source(e["source"])}) for e in data["pdca"]],
    )


def _source(data: dict[str, Any]) -> Source:
    return Source(**data)


def _project(data: dict[str, Any]) -> Project:
    return Project(
        **{
            **data,
            "source": _source(data["source"]),
            "path": tuple(data["path"]),
            "tags": tuple(data["tags"]),
            "status": Status(data["status"]),
        }
    )


def _indicator(data: dict[str, Any]) -> Indicator:
    return Indicator(
        **{
            **data,
            "source": _source(data["source"]),
            "plans": {int(year): _target(value) for year, value in data["plans"].items()},
            "results": {int(year): _target(value) for year, value in data["results"].items()},
        }
    )


def _target(data: dict[str, Any]) -> TargetValue:
    return TargetValue(data["text"], ValueKind(data["kind"]), data["number"], data["unit"])
