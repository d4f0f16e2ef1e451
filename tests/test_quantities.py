"""The quantity reader: numbers, units, periods, approximations, totals, changes and
labels as councils write them in running text, each with the text it came from."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.mapping.quantities import QUALITATIVE, UNITS, Quantity, number_value, read_quantities

FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")
KANJI_DIGITS = "〇一二三四五六七八九"


def only(text: str) -> Quantity:
    [quantity] = read_quantities(text)
    return quantity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("評議員会(年2回程度)", ("年2回程度", 2, "回", "年", ("程度",))),
        ("年4回発行します", ("年4回", 4, "回", "年", ())),
        ("月平均35件", ("月平均35件", 35, "件", "月", ("平均",))),
        ("達成率100%", ("100%", 100, "%", "", ())),
        ("相談件数 58件", ("58件", 58, "件", "", ())),
        ("(4回)", ("4回", 4, "回", "", ())),
        ("参加者延べ1,254人", ("延べ1,254人", 1254, "人", "", ("延べ",))),
        ("約300名", ("約300名", 300, "名", "", ("約",))),
        ("30人以上", ("30人以上", 30, "人", "", ("以上",))),
        ("雪かき 9件(延べ)", ("9件(延べ)", 9, "件", "", ("延べ",))),
        ("年１２回", ("年１２回", 12, "回", "年", ())),
        ("１，２５４人", ("１，２５４人", 1254, "人", "", ())),
        ("年二回", ("年二回", 2, "回", "年", ())),
        ("三十五件", ("三十五件", 35, "件", "", ())),
        ("週1回の集団指導", ("週1回", 1, "回", "週", ())),
        ("目標額 710万円", ("710万円", 710, "万円", "", ())),
    ],
)
def test_quantities_as_printed(text, expected):
    quantity = only(text)
    assert (quantity.text, quantity.number, quantity.unit, quantity.period, quantity.approximations) == expected
    assert text[quantity.start : quantity.end].strip() == quantity.text


def test_a_count_its_change_and_its_label():
    count, change = read_quantities("相談件数 12,480件 (前年比8%増)")
    assert (count.label, count.number, count.unit, count.change) == ("相談件数", 12480, "件", False)
    assert (change.text, change.number, change.unit, change.change) == ("前年比8%増", 8, "%", True)
    assert only("前年比 3%減").number == -3


@pytest.mark.parametrize(("text", "number"), [("+149", 149), ("△4", -4), ("▲1,200", -1200), ("-26", -26)])
def test_signed_changes(text, number):
    quantity = only(text)
    assert (quantity.number, quantity.change) == (number, True)


def test_a_plus_between_numbers_is_a_sum_not_a_change():
    share, amount = read_quantities("集金額の5.8%+4,000円を配分")
    assert (share.number, amount.number, amount.change, amount.text) == (5.8, 4000, False, "4,000円")


def test_a_total_and_its_items():
    items = read_quantities("1団体30,000円×12団体(計360,000円)")
    assert [(q.number, q.unit, q.total) for q in items] == [
        (1, "団体", False),
        (30000, "円", False),
        (12, "団体", False),
        (360000, "円", True),
    ]


def test_a_breakdown_per_district_keeps_each_district():
    found = read_quantities("北地区 開催回数: 3、南地区 開催回数: 5、東地区: 随時")
    assert [(q.label, q.number) for q in found] == [("北地区 開催回数", 3), ("南地区 開催回数", 5), ("東地区", None)]
    assert found[2].qualitative and found[2].text == "随時"


@pytest.mark.parametrize("text", ["一人ひとり", "一部助成", "二次感染", "第四次計画", "数十人", "十分な", "一般会費"])
def test_kanji_that_are_words_are_not_numbers(text):
    assert read_quantities(text) == []


@pytest.mark.parametrize(
    ("text", "per_unit"), [("月5回", "回/月"), ("年4回", "回"), ("週1回", "回/週"), ("58件", "件")]
)
def test_the_unit_says_its_period_unless_it_is_a_year(text, per_unit):
    assert only(text).per_unit == per_unit


def _kanji(number: int) -> str:
    """Kanji numerals as written: 三千二百五 for 3205, 十 for 10."""
    text = ""
    for power, name in ((1000, "千"), (100, "百"), (10, "十")):
        digit, number = divmod(number, power)
        if digit:
            text += ("" if digit == 1 else KANJI_DIGITS[digit]) + name
    return text + (KANJI_DIGITS[number] if number else "")


@given(st.integers(min_value=1, max_value=9999))
def test_any_kanji_numeral_reads_back(number):
    assert number_value(_kanji(number)) == number


@st.composite
def numbers_as_printed(draw) -> tuple[int, str]:
    """A count as councils print it: with or without commas, in either width."""
    number = draw(st.integers(min_value=0, max_value=10**12))
    printed = f"{number:,}" if draw(st.booleans()) else str(number)
    return number, printed.translate(FULL_WIDTH) if draw(st.booleans()) else printed


@given(
    numbers_as_printed(),
    st.sampled_from([u for u in UNITS if u not in ("年", "月", "週", "日")]),
    st.sampled_from(["", "年", "月", "週"]),
    st.tuples(st.sampled_from(["", "約", "延べ"]), st.sampled_from(["", "程度", "以上"])),
)
def test_any_count_in_a_sentence_reads_back(number_printed, unit, period, approximations):
    number, printed = number_printed
    before, after = approximations
    quantity_text = f"{before}{period}{printed}{unit}{after}"
    sentence = f"地区サロンを{quantity_text}、開催します。"
    quantity = only(sentence)
    assert (quantity.number, quantity.unit, quantity.period) == (number, unit, period)
    assert quantity.text == quantity_text
    assert sentence[quantity.start : quantity.end] == quantity_text
    assert quantity.approximations == tuple(a for a in (before, after) if a)


@given(st.integers(min_value=-(10**9), max_value=10**9).filter(bool), st.sampled_from(["", "件", "人"]))
def test_any_change_against_the_previous_year_reads_back(number, unit):
    sign, direction = ("+", "増") if number > 0 else ("△", "減")
    for printed in (f"{sign}{abs(number):,}{unit}", f"前年比{abs(number)}{unit}{direction}"):
        quantity = only(f"登録数 ({printed})")
        assert (quantity.number, quantity.change, quantity.text) == (number, True, printed)


@given(st.text(max_size=80))
def test_any_text_gives_ordered_quantities_that_are_its_own_text(text):
    found = read_quantities(text)
    assert [q.start for q in found] == sorted(q.start for q in found)
    for previous, quantity in itertools.pairwise(found):
        assert previous.end <= quantity.start
    for quantity in found:
        assert quantity.text == text[quantity.start : quantity.end].strip()
        assert quantity.number is not None or quantity.text in QUALITATIVE
