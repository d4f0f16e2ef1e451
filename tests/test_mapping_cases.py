"""Data-driven expectations: each `mappings/<council>/expected.yaml` states what its
bundled sample must give. Adding a case needs no Python.

Format (every key optional):

```yaml
unaccounted: 0
projects:
  count: 52
  ids: [1-1-1, 1-1-2]            # all ids, in order
  items:                          # selected projects, by id
    - id: 1-1-1
      name: 法人の適正な運営        # exact; any Project attribute (path as a list, tags as a list)
      purpose~: 第三者委員会        # `field~`: the field contains this text
policies: {headings: [使命・経営理念, 方針]}
indicators:
  count: 12
  items:
    - project: "5-1-1"
      number: 1
      name~: 周知
      unit: ヶ所
      plans: {2023: 30ヶ所}          # text as printed, by fiscal year
      numbers: {2023: 30}
      kinds: {2024: continues}       # blank | number | qualitative | continues
results:
  count: 40
  items:
    - {project: "1", fiscal_year: 2020, change_value: -4, actual~: 参加者}
pdca: {count: 0}
quantities:                       # every sentence with a number, in order, and the targets it states
  - {line: 11, field: 1-1-1.method, sentence: 理事会を年4回程度開催します, targets: [{value: 4, unit: 回}]}
  - {line: 195, field: 1-2-1.method, sentence: 8月に区の協力を得て…, targets: []}
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from etl.config.yamlsafe import load_yaml
from etl.convert import map_document
from etl.mapping.engine import MappingResult
from etl.model import Indicator, Project, Result

MAPPINGS = Path(__file__).resolve().parent.parent / "mappings"
CASES = sorted(MAPPINGS.glob("*/expected.yaml"))


@pytest.fixture(scope="module", params=CASES, ids=[case.parent.name for case in CASES])
def case(request) -> tuple[dict[str, Any], MappingResult]:
    folder: Path = request.param.parent
    expected = load_yaml(request.param.read_text(encoding="utf-8")).data
    [sample] = sorted(folder.glob("sample.*"))
    return expected, map_document(sample, folder / "mapping.yaml")


def test_every_line_is_accounted_for(case):
    expected, result = case
    unaccounted = [f"{left.line}:{left.column}: {left.text[:50]}" for left in result.unaccounted]
    assert len(unaccounted) == expected.get("unaccounted", 0), unaccounted


def test_projects(case):
    expected, result = case
    spec = expected.get("projects", {})
    projects = result.records.projects
    if "count" in spec:
        assert len(projects) == spec["count"]
    if "ids" in spec:
        assert [p.project_id for p in projects] == [str(i) for i in spec["ids"]]
    by_id = {p.project_id: p for p in projects}
    for item in spec.get("items", []):
        project = by_id.get(str(item["id"]))
        assert project is not None, f"project {item['id']} missing"
        _assert_fields(project, {k: v for k, v in item.items() if k != "id"}, f"project {item['id']}")


def test_policies(case):
    expected, result = case
    if "policies" in expected:
        headings = [p.heading for p in result.records.policies]
        assert headings == expected["policies"]["headings"]


def test_indicators(case):
    expected, result = case
    spec = expected.get("indicators", {})
    indicators = result.records.indicators
    if "count" in spec:
        assert len(indicators) == spec["count"]
    for item in spec.get("items", []):
        found = [i for i in indicators if i.project_id == str(item["project"]) and i.number == item["number"]]
        assert len(found) == 1, f"indicator {item['project']}#{item['number']}: {len(found)} found"
        _assert_indicator(found[0], item)


def test_results(case):
    expected, result = case
    spec = expected.get("results", {})
    results = result.records.results
    if "count" in spec:
        assert len(results) == spec["count"]
    for item in spec.get("items", []):
        key = (str(item["project"]), item["fiscal_year"])
        found = [r for r in results if (r.project_id, r.fiscal_year) == key]
        assert len(found) == 1, f"result {key}: {len(found)} found"
        fields = {k: v for k, v in item.items() if k not in ("project", "fiscal_year")}
        _assert_fields(found[0], fields, f"result {key}")


def test_pdca_entries(case):
    expected, result = case
    if "count" in expected.get("pdca", {}):
        assert len(result.records.pdca) == expected["pdca"]["count"]


def test_every_sentence_with_a_number_has_its_verdict(case):
    expected, result = case
    if "quantities" not in expected:
        return
    found: dict[tuple[int, str, str], list[dict[str, Any]]] = {}
    for verdict in result.quantities:
        targets = found.setdefault((verdict.line, verdict.field, verdict.sentence), [])
        if verdict.counts:
            targets.append({"value": verdict.quantity.number, "unit": verdict.quantity.per_unit})
    want = [((i["line"], str(i["field"]), str(i["sentence"])), i["targets"]) for i in expected["quantities"]]
    assert [key for key, _ in want] == list(found), "the sentences with a number differ"
    for key, targets in want:
        assert found[key] == targets, f"line {key[0]}: {key[2]}"


def _assert_fields(record: Project | Result | Indicator, fields: dict[str, Any], what: str) -> None:
    for key, want in fields.items():
        name, contains = (key[:-1], True) if key.endswith("~") else (key, False)
        got = getattr(record, name)
        if isinstance(got, tuple):
            got = list(got)
        elif hasattr(got, "value"):
            got = got.value
        if contains:
            assert str(want) in str(got), f"{what}.{name}: {want!r} not in {got!r}"
        else:
            assert got == want, f"{what}.{name}: {got!r} != {want!r}"


def _assert_indicator(indicator: Indicator, item: dict[str, Any]) -> None:
    what = f"indicator {item['project']}#{item['number']}"
    scalar = {k: v for k, v in item.items() if k not in ("project", "number", "plans", "numbers", "kinds")}
    _assert_fields(indicator, scalar, what)
    for year, text in item.get("plans", {}).items():
        assert indicator.plans[int(year)].text == text, f"{what} plan {year}"
    for year, number in item.get("numbers", {}).items():
        assert indicator.plans[int(year)].number == number, f"{what} plan number {year}"
    for year, kind in item.get("kinds", {}).items():
        assert indicator.plans[int(year)].kind.value == kind, f"{what} plan kind {year}"
