"""What a document says about itself: its kind, fiscal years, title and council."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ...jp import HEISEI_BASE, REIWA_BASE, nfkc
from ...model import PREFECTURES
from .codes import PLACEHOLDER_CODE, Municipality, mentioned, named

HEAD_LINES = 40  # a title, its year and its council are printed near the top
TITLE_LENGTH = 30  # characters of a title line; a longer line is a sentence
PLACEHOLDER_PREFECTURE = PREFECTURES[12]  # 東京都: a valid value to convert with, marked TODO in the draft
SCAN_CHARS = 300_000  # council and year mentions are counted in the first part of a long text
_ERA = r"(?P<era>令和|平成|R|H)[\s]*(?P<n>元|\d{1,2})"
_YEAR = re.compile(rf"{_ERA}\s*年度?")
_RANGE = re.compile(rf"{_ERA}\s*(?:年度?)?\s*[〜~～\-－ー―から]+\s*(?:令和|平成|R|H)?\s*(?P<m>\d{{1,2}})")
_WESTERN = re.compile(r"(?P<y>20[0-9]{2})\s*年度")
_YEAR_CELL = re.compile(rf"^{_ERA}(?:年度?)?$")
_TITLE = re.compile(r"(事業計画|事業報告|活動計画|実施計画|事業実績)")
_COUNCIL = re.compile(r"(?P<city>[^\s、。「」（）()・]{1,8}?[市町村区])(?:社会福祉協議会|社協)")


@dataclass(frozen=True)
class Fact:
    value: object
    why: str  # the comment written beside it in the draft
    todo: bool = False  # a guess the reader must confirm


def _western(era: str, number: str) -> int:
    n = 1 if number == "元" else int(number)
    return (REIWA_BASE if era in ("令和", "R") else HEISEI_BASE) + n


def fiscal_years(lines: Sequence[str]) -> Fact:
    """A range printed near the top (R5〜R9), else the year of the title, else the commonest."""
    head = nfkc("\n".join(lines[:HEAD_LINES]))
    if found := _RANGE.search(head):
        first = _western(found["era"], found["n"])
        last = _western(found["era"], found["m"])
        if 0 <= last - first <= 10:  # no plan runs longer than ten years
            return Fact(list(range(first, last + 1)), f"printed as `{found.group(0).strip()}`")
    if found := _YEAR.search(head) or _WESTERN.search(head):
        year = int(found["y"]) if "y" in found.groupdict() else _western(found["era"], found["n"])
        return Fact([year], f"printed near the top as `{found.group(0).strip()}`")
    if header := _year_header(lines):
        return Fact(header, f"the year header of the tables (R{header[0] - REIWA_BASE} … R{header[-1] - REIWA_BASE})")
    text = nfkc("\n".join(lines))[:SCAN_CHARS]
    counts = Counter(_western(m["era"], m["n"]) for m in _YEAR.finditer(text))
    counts.update(int(m["y"]) for m in _WESTERN.finditer(text))
    if counts:
        year, times = counts.most_common(1)[0]
        return Fact([year], f"TODO: no year in the title; the year most often mentioned ({times} times)", todo=True)
    return Fact([REIWA_BASE + 6], "TODO: no fiscal year found in the document; set it", todo=True)


def only_a_year(text: str) -> bool:
    """Whether the line prints a fiscal year or a range of them and nothing else."""
    folded = nfkc(text).strip()
    return bool(folded) and any(p.fullmatch(folded) for p in (_YEAR, _RANGE, _WESTERN))


def _year_header(lines: Sequence[str]) -> list[int]:
    """The years of the first table row that holds two or more year labels (`R5  R6  R7`)."""
    for text in lines:
        years = [_western(m["era"], m["n"]) for cell in text.split("\t") if (m := _YEAR_CELL.match(nfkc(cell).strip()))]
        if len(years) >= 2 and years == sorted(set(years)):
            return list(range(years[0], years[-1] + 1))
    return []


def title(lines: Sequence[str], kind: str) -> Fact:
    for text in lines[:HEAD_LINES]:
        if _TITLE.search(text) and _short_lines([text]):
            return Fact(text.strip(), "the title line")
    default = {"plan": "事業計画", "report": "事業報告", "pdca_plan": "地域福祉活動計画"}[kind]
    return Fact(default, "TODO: no title line found; the usual title of its kind", todo=True)


def kind(lines: Sequence[str], *, cards: bool, given: str | None) -> Fact:
    if given:
        return Fact(given, "given with --kind")
    if cards:
        return Fact("pdca_plan", "PLAN / DO / CHECK / ACTION cards")
    titles = "".join(_short_lines(lines[:HEAD_LINES]))
    if "報告" in titles:
        return Fact("report", "報告 in a title line")
    if "活動計画" in titles:
        return Fact("pdca_plan", "活動計画 in a title line")
    return Fact("plan", "a plan unless a title line says 報告")


def _short_lines(lines: Sequence[str]) -> list[str]:
    """Lines short enough to be a title (not a sentence about one)."""
    return [
        compact
        for text in lines
        if 0 < len(compact := "".join(text.split())) <= TITLE_LENGTH and not compact.endswith("。")
    ]


@dataclass(frozen=True)
class CouncilFacts:
    name: Fact
    code: Fact
    prefecture: Fact


def council(lines: Sequence[str], given: str | None) -> CouncilFacts:
    """The council from --council, from `X市社会福祉協議会` in a title line or the text, or the city named most;
    its code from the code list, narrowed by the prefecture the text names most."""
    text = "\n".join(lines)[:SCAN_CHARS]
    prefectures = Counter({name: text.count(name) for name in PREFECTURES if name in text})
    city, why = _council_city(lines, text, given)
    if city is None:
        unknown = Fact("社会福祉協議会", "TODO: the council's name is printed nowhere; set it", todo=True)
        return CouncilFacts(unknown, _placeholder("no council name"), _prefecture_guess(prefectures, []))
    name = Fact(given or f"{city}社会福祉協議会", why, todo=why.startswith("TODO"))
    places = named(city)
    if len(places) > 1 and prefectures:
        places = [place for place in places if place.prefecture == prefectures.most_common(1)[0][0]] or places
    if len(places) == 1:
        [place] = places
        code = Fact(place.code, f"全国地方公共団体コード of {place.prefecture}{place.name}", todo=name.todo)
        return CouncilFacts(name, code, Fact(place.prefecture, "from the code list", todo=name.todo))
    reason = f"{len(places)} municipalities are named {city}" if places else f"{city} is not in the code list"
    return CouncilFacts(name, _placeholder(reason), _prefecture_guess(prefectures, places))


def _prefecture_guess(prefectures: Counter[str], places: Sequence[Municipality]) -> Fact:
    """A prefecture to convert with until someone sets it: the one named most, else a candidate's."""
    if prefectures:
        return Fact(prefectures.most_common(1)[0][0], "TODO: confirm; the prefecture the text names most", todo=True)
    if places:
        others = ", ".join(place.prefecture for place in places)
        return Fact(places[0].prefecture, f"TODO: PLACEHOLDER, one of {others}", todo=True)
    return Fact(PLACEHOLDER_PREFECTURE, "TODO: PLACEHOLDER; the text names no prefecture", todo=True)


def _council_city(lines: Sequence[str], text: str, given: str | None) -> tuple[str | None, str]:
    """The city of `X市社会福祉協議会` printed in a title line, else in the code list and printed
    anywhere, else the municipality the text names most. A name the code list does not carry
    counts only from a line that is a name, never from inside a sentence (`提供先は主に市社協`)."""
    if given:
        found = _COUNCIL.search(given)
        return (found["city"] if found else given.removesuffix("社会福祉協議会")), "given with --council"
    titles = [text for text in lines[:HEAD_LINES] if _short_lines([text])]  # as printed: spaces part words
    titled = Counter(m["city"] for m in _COUNCIL.finditer("\n".join(titles)))
    titled = Counter({city: n for city, n in titled.items() if not city.endswith("地区")})
    if titled:
        city, _ = titled.most_common(1)[0]
        if named(city):
            return city, f"printed as {city}社会福祉協議会 in a title line"
        return city, f"TODO: confirm; printed as {city}社会福祉協議会, a name not in the code list"
    printed = Counter(m["city"] for m in _COUNCIL.finditer(text) if named(m["city"]))  # not 地区社会福祉協議会
    if printed:
        city, _ = printed.most_common(1)[0]
        return city, f"printed as {city}社会福祉協議会"
    cities: list[tuple[Municipality, int]] = sorted(mentioned(text), key=lambda pair: (-pair[1], pair[0].code))
    if cities:
        place, times = cities[0]
        return place.name, f"TODO: confirm; {place.name} is the municipality the text names most ({times} times)"
    return None, ""


def _placeholder(reason: str) -> Fact:
    return Fact(PLACEHOLDER_CODE, f"TODO: PLACEHOLDER code ({reason}); look it up and replace it", todo=True)
