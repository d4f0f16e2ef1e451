"""Width-free matching: a pattern finds `(1)` and `（１）` alike, fields keep the text as printed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from etl.convert import bundled_samples, map_document
from etl.mapping.patterns import compile_pattern
from etl.mapping.width import fold, twin, width_free

_DIGITS_AND_BRACKETS = "0123456789()[]{}<>"
_OTHER_WIDTH = str.maketrans(
    _DIGITS_AND_BRACKETS + "".join(chr(ord(c) + 0xFEE0) for c in _DIGITS_AND_BRACKETS),
    "".join(chr(ord(c) + 0xFEE0) for c in _DIGITS_AND_BRACKETS) + _DIGITS_AND_BRACKETS,
)


def other_width(text: str) -> str:
    """Digits and brackets turned to the other width: `(1)` <-> `（１）`."""
    return text.translate(_OTHER_WIDTH)


def test_a_pattern_with_half_width_literals_finds_the_full_width_mark_and_keeps_it_as_printed():
    found = compile_pattern(r"^(?P<printed>\((?P<id>[0-9]+)\))\s*(?P<name>\S.*)$").match("（１２）サロン活動")
    assert found is not None
    assert (found["printed"], found["id"], found["name"]) == ("（１２）", "１２", "サロン活動")


def test_full_width_literals_and_negated_sets_work_the_other_way_too():
    assert compile_pattern("（(?P<value>[^（）]+)）$").search("会費(市受託事業)")["value"] == "市受託事業"
    assert not compile_pattern("^（[^（）]+）$").search("(市(受託)")


@pytest.mark.parametrize(
    ("pattern", "text"),
    [(r"\u3000", " "), (r"\x28", "（"), (r"[\u3000]", " "), (r"[\uff10-\uff19]", "1")],
)
def test_a_character_written_by_its_code_point_is_exact(pattern, text):
    assert compile_pattern(pattern).search(text) is None
    assert compile_pattern(pattern).search(text.translate({ord(text): twin(text)})) is not None


def test_width_folding_is_not_nfkc():
    assert compile_pattern("^1").match("①") is None
    assert fold("（１）①ｱ") == "(1)①ア"


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("^ボランティアセンター$", "ﾎﾞﾗﾝﾃｨｱｾﾝﾀｰ"),  # a voiced kana is two half-width characters
        ("^ｾﾝﾀｰ通信$", "センター通信"),
        ("^パソコン教室$", "ﾊﾟｿｺﾝ教室"),
        ("^【(?P<tag>[ァ-ヶー]+)】$", "【ｻﾛﾝﾎﾞﾗﾝﾃｨｱ】"),  # a range gains the twins and the sound marks
        ("^[ガ]+$", "ｶﾞｶﾞ"),
    ],
)
def test_half_width_katakana_is_the_twin_of_full_width(pattern, text):
    assert compile_pattern(pattern).search(text) is not None


def test_half_width_katakana_folds_one_for_one():
    assert fold("ｾﾝﾀｰ") == "センター"
    assert len(fold("ﾎﾞﾗﾝﾃｨｱ")) == len("ﾎﾞﾗﾝﾃｨｱ")  # positions stay those of the text


def test_syntax_is_kept_as_written():
    pattern = r"(?P<id>\d+)(?:-(?P=id))?(?<=a)\s{2,3}\b(?i:x)"
    assert width_free(pattern).startswith(r"(?P<id>\d+)(?:[\-－](?P=id))?(?<=[aａ])\s{2,3}\b(?i:[xｘ])")


_PIECES = st.sampled_from(
    [*"1a()- 。ア①.", "[0-9]", "[^()]", "[a-c]", "[-x]", "[]x]", r"\(", r"\-", r"\d", "x?", "(?:a|1)+"]
)


@given(st.lists(_PIECES, min_size=1, max_size=6), st.text(alphabet="1a()- 。ア①x]bc", max_size=8))
def test_width_free_matches_whatever_the_pattern_matched_and_its_other_width_twin(pieces, text):
    pattern = "".join(pieces)
    assume(_compiles(pattern))
    free = re.compile(width_free(pattern))
    if re.fullmatch(pattern, text):
        assert free.fullmatch(text)
    swapped = "".join(twin(c) or c for c in text)
    assert bool(free.fullmatch(text)) == bool(free.fullmatch(swapped))


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


@pytest.mark.parametrize(("document", "mapping"), bundled_samples(), ids=lambda p: p.parent.name)
def test_each_sample_in_the_other_width_gives_the_same_projects(document: Path, mapping: Path, tmp_path: Path):
    twin_document = tmp_path / document.name
    twin_document.write_text(other_width(document.read_text(encoding="utf-8")), encoding="utf-8")
    as_printed = map_document(document, mapping)
    turned = map_document(twin_document, mapping)

    def projects(result):
        return [(p.project_id, fold(p.name), tuple(map(fold, p.path))) for p in result.records.projects]

    assert projects(turned) == projects(as_printed)
    assert len(turned.unaccounted) == len(as_printed.unaccounted) == 0


def test_layouts_and_the_engine_compile_mapping_patterns_only_through_compile_pattern():
    """A pattern compiled elsewhere would match one width only (a merge can bring one back)."""
    package = Path(__file__).resolve().parent.parent / "etl" / "mapping"
    modules = [
        *package.glob("layouts/*.py"),
        *(package / name for name in ("context.py", "engine.py", "classify.py", "textsteps.py")),
    ]
    direct = re.compile(r"\bre\.(?:compile|match|search|fullmatch|sub|subn|finditer|findall|split)\(")
    assert [module.name for module in modules if direct.search(module.read_text(encoding="utf-8"))] == []
