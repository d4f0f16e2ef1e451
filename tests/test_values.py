"""Per-year target values and year-on-year changes, as councils print them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.mapping.values import parse_change, parse_target
from etl.model import ValueKind

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    ("text", "kind", "number", "unit"),
    [
        ("30ヶ所", ValueKind.NUMBER, 30, "ヶ所"),
        ("３回", ValueKind.NUMBER, 3, "回"),
        ("86,000部", ValueKind.NUMBER, 86000, "部"),
        ("1.5時間", ValueKind.NUMBER, 1.5, "時間"),
        ("12", ValueKind.NUMBER, 12, ""),
        ("作成", ValueKind.QUALITATIVE, None, ""),
        ("メーリングリスト作成", ValueKind.QUALITATIVE, None, ""),
        ("—————▶", ValueKind.CONTINUES, None, ""),
        ("—————→", ValueKind.CONTINUES, None, ""),
        ("→", ValueKind.CONTINUES, None, ""),
        ("", ValueKind.BLANK, None, ""),
        ("  ", ValueKind.BLANK, None, ""),
    ],
)
def test_targets_as_printed(text, kind, number, unit):
    value = parse_target(text)
    assert (value.kind, value.number, value.unit) == (kind, number, unit)
    assert value.text == text.strip()


@pytest.mark.parametrize(
    ("text", "change"),
    [("+149", 149), ("-4", -4), ("±0", 0), ("△4", -4), ("▲1,200", -1200), ("＋１４９", 149), ("－４", -4), ("12", 12)],
)
def test_changes_against_the_previous_year(text, change):
    assert parse_change(text) == change


@pytest.mark.parametrize("text", ["", "増加", "前年並み", "+", "4月から"])
def test_text_that_is_not_a_change(text):
    assert parse_change(text) is None


@given(
    st.integers(min_value=0, max_value=10**9), st.sampled_from(["回", "ヶ所", "人", "件", "事例", ""]), st.booleans()
)
def test_any_count_with_a_unit_reads_back(number, unit, full_width):
    printed = f"{number}{unit}"
    if full_width:
        printed = printed.translate(FULL_WIDTH)
    value = parse_target(printed)
    assert (value.kind, value.number, value.unit) == (ValueKind.NUMBER, number, unit)


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_any_signed_change_reads_back(number):
    printed = f"+{number}" if number > 0 else (f"±{number}" if number == 0 else str(number))
    assert parse_change(printed) == number


@given(st.text(max_size=30))
def test_parsers_never_raise(text):
    assert parse_target(text).kind in ValueKind
    assert parse_change(text) is None or isinstance(parse_change(text), float)
