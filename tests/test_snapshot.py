"""Records survive the JSON snapshot exactly, for every bundled council."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.convert import map_document
from etl.model import Council, DocumentInfo, DocumentKind, Indicator, Records, Source, TargetValue, ValueKind
from etl.workbook.snapshot import records_from_json, records_to_json

MAPPINGS = Path(__file__).resolve().parent.parent / "mappings"


@pytest.mark.parametrize("council", ["komoro", "kodaira", "shimotsuma", "mimasaka", "tomakomai"])
def test_bundled_records_round_trip(council: str):
    folder = MAPPINGS / council
    records = map_document(folder / "sample.txt", folder / "mapping.yaml").records
    assert records_from_json(records_to_json(records)) == records


TARGETS = st.builds(
    TargetValue,
    st.text(max_size=10),
    st.sampled_from(ValueKind),
    st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
    st.text(max_size=3),
)


@given(st.dictionaries(st.integers(2019, 2030), TARGETS, max_size=5), st.text(max_size=20))
def test_indicators_with_any_targets_round_trip(plans, name):
    indicator = Indicator("1-1", 1, name, Source("a.txt", 3, "表1"), "回", plans, {2023: TargetValue("3")})
    records = Records(Council("202088", "x", "長野県"), DocumentInfo(DocumentKind.PLAN, "t", (2023,), "a.txt"))
    records.indicators.append(indicator)
    assert records_from_json(records_to_json(records)) == records


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown snapshot format"):
        records_from_json('{"format": 99}')
