"""Which quantities of running text are targets (a plan) or results (a report).

A welfare officer reads `理事会を年4回程度開催します` as a target and `4月から実施します`
as a date; that judgement lives in the mapping's `quantities` block, never here:

```yaml
quantities:
  fields: [method, goal]          # the project fields whose sentences are read
  marks: '^[0-9０-９]+\\s+'         # list marks cut from the start of a line (`1 理事会を…`)
  never:                          # quantities inside these matches never count
    - {pattern: '第\\d+(?:条|号)', reason: 条文の番号}
    - {pattern: '\\d+月(?:\\d+日)?(?:から|まで|に)', reason: 日付}
  rules:                          # sentence shapes that state a target or a result
    - {pattern: '(?:年|月)(?:平均)?{number}{unit}', reason: 頻度・件数}
```

After the layout has run, every line taken into a field is cut into sentences (at `。`);
each sentence's quantities (read by `quantities.read_quantities`) get a verdict: counted
by the first rule whose group `number` falls in it, unless a `never` match covers it. In
a plan each counted quantity becomes an indicator of its project (達成目標): the sentence
names it, its value is the plan of every fiscal year of the document, its unit is shown
beside the result to enter. In a report its sentence becomes the year's result (実績),
without its changes (`前年比8%増`, `△4`), which go to 前年比.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import regex

from ..model import DocumentKind, Indicator, Records, Result, Source, TargetValue, ValueKind
from ..problems import Location, Problems, problem
from ..read.source import SourceLine
from .context import Context
from .coverage import Use
from .patterns import Match, Pattern, compile_pattern
from .quantities import NUMBER, UNIT, Quantity, number_value, read_quantities

PLACEHOLDERS = {"number": NUMBER, "unit": UNIT}
PROJECT_FIELDS = ("purpose", "method", "goal", "situation")
DEFAULT_FIELDS = ("method", "goal")
EXCEL_LARGEST = 999_999_999_999_999  # Excel keeps 15 significant digits
PERCENT_LIMIT = 1000
_OPENING, _CLOSING = "（(「『", "）)」』"
_CHANGE_PREFIX = re.compile(r"^対?前年度?比[\s\u3000]*")  # the 前年比 column says it
_EMPTY_BRACKETS = re.compile(r"[\s\u3000]*[（(][\s\u3000]*[)）]")
_SENTENCE_MARKS = re.compile(f"[{re.escape(_OPENING + _CLOSING)}。]")


def expand(pattern: str) -> str:
    """A rule's pattern with `{number}` and `{unit}` written out: the first of each as the
    reader's group of that name, any further one without a name."""
    for name, body in PLACEHOLDERS.items():
        first, *rest = pattern.split(f"{{{name}}}")
        groups = [f"(?P<{name}>{body})", *[f"(?:{body})"] * len(rest)][: len(rest)]
        pattern = first + "".join(group + part for group, part in zip(groups, rest, strict=True))
    return pattern


def compile_quantity_pattern(pattern: str) -> Pattern:
    """Every quantity pattern of a mapping is compiled here, its placeholders written out."""
    return compile_pattern(expand(pattern))


@dataclass(frozen=True)
class Verdict:
    """What one quantity of one sentence is, and the rule that decided it."""

    line: int
    field: str  # `1-1-1.method`, `policy.方針`
    sentence: str
    quantity: Quantity
    counts: bool  # a target in a plan, a result in a report
    rule: str = ""  # `quantities.rules[0]`, `quantities.never[1]`; empty: no rule took it
    reason: str = ""
    name: str = ""  # the indicator's name, when it counts


@dataclass(frozen=True)
class _Rule:
    pattern: Pattern
    key: str
    reason: str


class QuantityRules:
    """The `quantities` block of a mapping, compiled."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.fields = tuple(spec.get("fields", DEFAULT_FIELDS))
        self.marks = compile_pattern(spec["marks"]) if spec.get("marks") else None
        self.never = [
            _Rule(compile_quantity_pattern(item["pattern"]), f"quantities.never[{i}]", item["reason"])
            for i, item in enumerate(spec.get("never", []))
        ]
        self.rules = [
            _Rule(compile_quantity_pattern(item["pattern"]), f"quantities.rules[{i}]", item.get("reason", ""))
            for i, item in enumerate(spec["rules"])
        ]

    def sentences(self, text: str) -> list[str]:
        """The sentences of one line, its list mark cut off."""
        text = text.strip()
        if self.marks:
            text = self.marks.sub("", text, count=1)
        return [s.strip().rstrip("。") for s in _split_sentences(text) if s.strip().rstrip("。")]

    def judge(self, sentence: str, line: int, field: str, read: bool) -> list[Verdict]:
        """A verdict for every quantity of `sentence`."""
        quantities = read_quantities(sentence)
        if not read:
            reason = "この欄は読まない (quantities.fields)"
            return [Verdict(line, field, sentence, q, False, "quantities.fields", reason) for q in quantities]
        matches = [(rule, match) for rule in self.rules for match in rule.pattern.finditer(sentence)]
        quantities = sorted([*quantities, *_named_by_rules(matches, quantities)], key=lambda q: q.start)
        claimed = _claimed(matches, quantities)
        verdicts = []
        for index, quantity in enumerate(quantities):
            never = next((r for r in self.never if _covers(r.pattern, sentence, quantity)), None)
            if never is not None:
                verdicts.append(Verdict(line, field, sentence, quantity, False, never.key, never.reason))
            elif index in claimed:
                rule, match = claimed[index]
                name = (match.groupdict().get("name") or sentence).strip()
                ruled = _as_ruled(quantity, match)
                verdicts.append(Verdict(line, field, sentence, ruled, True, rule.key, rule.reason, name))
            else:
                verdicts.append(Verdict(line, field, sentence, quantity, False))
        return verdicts


def _named_by_rules(matches: list[tuple[_Rule, Match[str]]], quantities: list[Quantity]) -> list[Quantity]:
    """Values a rule names that the reader does not take alone: a word (`随時行います`)."""
    named: dict[int, Quantity] = {}
    for _, match in matches:
        start, end = match.span("number")
        if start < end and not any(q.start <= start < q.end for q in quantities):
            named.setdefault(start, Quantity(match["number"], start, end, _number_or_none(match["number"])))
    return list(named.values())


def _claimed(
    matches: list[tuple[_Rule, Match[str]]], quantities: list[Quantity]
) -> dict[int, tuple[_Rule, Match[str]]]:
    """The quantity each rule match names with its group `number`; the first rule wins."""
    claimed: dict[int, tuple[_Rule, Match[str]]] = {}
    for rule, match in matches:
        at = match.start("number")
        index = next((i for i, q in enumerate(quantities) if q.start <= at < q.end), None)
        if index is not None:
            claimed.setdefault(index, (rule, match))
    return claimed


def _number_or_none(text: str) -> float | None:
    try:
        return number_value(text)
    except ValueError:
        return None  # a qualitative value


def _split_sentences(text: str) -> list[str]:
    """At each `。` outside brackets: `（以下「CSW」という。）を5人配置し` is one sentence."""
    sentences, depth, start = [], 0, 0
    for mark in _SENTENCE_MARKS.finditer(text):
        char = mark.group()
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(depth - 1, 0)
        elif depth == 0:
            sentences.append(text[start : mark.end()])
            start = mark.end()
    return [*sentences, text[start:]]


def _covers(pattern: Pattern, sentence: str, quantity: Quantity) -> bool:
    return any(m.start() < quantity.end and quantity.start < m.end() for m in pattern.finditer(sentence))


def _as_ruled(quantity: Quantity, match: Match[str]) -> Quantity:
    """The groups `unit` and `period` of the rule, when it names them, say better."""
    groups = match.groupdict()
    unit = groups.get("unit") or quantity.unit
    period = groups.get("period") or quantity.period
    if (unit, period) == (quantity.unit, quantity.period):
        return quantity
    return dataclasses.replace(quantity, unit=unit, period=period)


def read_declared_quantities(
    spec: dict[str, Any], lines: Iterable[SourceLine], ctx: Context, problems: Problems
) -> list[Verdict]:
    """Judge every sentence of every line taken into a field; add what counts to the records
    and a located warning for each counted number that does not fit to `problems`."""
    rules = QuantityRules(spec)
    verdicts: list[Verdict] = []
    for line in lines:
        use = ctx.coverage.uses.get(line.number)
        if use is None or use.use is not Use.FIELD:
            continue
        owner, _, field = use.target.rpartition(".")
        if owner != "policy" and field not in PROJECT_FIELDS:
            continue
        for sentence in rules.sentences(line.text):
            judged = [
                _checked(v, ctx, line, problems)
                for v in rules.judge(sentence, line.number, use.target, field in rules.fields)
            ]
            verdicts.extend(judged)
            counted = [v for v in judged if v.counts]
            if counted and owner != "policy":  # a policy is no project: nothing to measure it by
                _record(ctx, owner, counted, line)
    return verdicts


def _checked(verdict: Verdict, ctx: Context, line: SourceLine, problems: Problems) -> Verdict:
    """A counted quantity Excel cannot hold is dropped, a percentage over 1,000% kept: each warned."""
    number = verdict.quantity.number
    if not verdict.counts or number is None:
        return verdict
    where = Location(file=ctx.file, line=line.number, key=verdict.rule)
    if abs(number) > EXCEL_LARGEST:
        problems.append(
            problem(
                "quantity.too_large",
                where,
                ja=f"数値が大きすぎて Excel で扱えません（{verdict.quantity.text}）: 達成目標・実績にしません",
                en=f"number too large for Excel ({verdict.quantity.text}): not taken as a target or result",
                hint="原文の桁を確認してください",
            )
        )
        return dataclasses.replace(verdict, counts=False, reason="Excel で扱えない大きさ")
    if verdict.quantity.unit in ("%", "％") and abs(number) > PERCENT_LIMIT:
        problems.append(
            problem(
                "quantity.percent_over_1000",
                where,
                ja=f"1,000% を超える割合です（{verdict.quantity.text}）: 原文を確認してください",
                en=f"a percentage over 1,000% ({verdict.quantity.text}): check the document",
                hint="桁の誤りや単位の誤りがないか確認してください",
            )
        )
    return verdict


def _record(ctx: Context, project_id: str, counted: list[Verdict], line: SourceLine) -> None:
    """A sentence's counted quantities: targets of its project in a plan, its result in a report."""
    if ctx.records.document.kind is DocumentKind.REPORT:
        _add_result(ctx.records, project_id, counted, ctx.source(line))
    else:
        for verdict in counted:
            _add_indicator(ctx.records, project_id, verdict, ctx.source(line))


def _add_indicator(records: Records, project_id: str, verdict: Verdict, source: Source) -> None:
    """A target: its value is the plan of every fiscal year; a word (`随時`) is judged 達成 or not."""
    quantity = verdict.quantity
    unit = quantity.per_unit
    if quantity.number is None:
        plan = TargetValue(quantity.text, ValueKind.QUALITATIVE)
    else:
        plan = TargetValue(quantity.text, ValueKind.NUMBER, abs(quantity.number), unit)
    number = 1 + sum(i.project_id == project_id for i in records.indicators)
    plans = {year: plan for year in records.document.fiscal_years}
    records.indicators.append(Indicator(project_id, number, verdict.name, source, unit, plans))


def _add_result(records: Records, project_id: str, verdicts: list[Verdict], source: Source) -> None:
    """The year's result: the sentence as 実績 without its changes, each change as 前年比."""
    year = records.document.fiscal_years[-1]
    result = next((r for r in records.results if (r.project_id, r.fiscal_year) == (project_id, year)), None)
    if result is None:
        result = Result(project_id, year, source)
        records.results.append(result)
    changes = [v.quantity for v in verdicts if v.quantity.change]
    for change in changes:
        result.change_value = None if result.change_text else change.number  # a value only for a single change
        result.change_text = f"{result.change_text} {_CHANGE_PREFIX.sub('', change.text)}".strip()
    if len(changes) < len(verdicts):
        actual = _without(verdicts[0].sentence, changes)
        result.actual = f"{result.actual}\n{actual}" if result.actual else actual


def _without(sentence: str, changes: list[Quantity]) -> str:
    """`相談件数 58件（前年比8%増）` without its change: `相談件数 58件`."""
    for change in sorted(changes, key=lambda q: q.start, reverse=True):
        sentence = sentence[: change.start] + sentence[change.end :]
    return _EMPTY_BRACKETS.sub("", sentence).strip()


def quantity_pattern_error(pattern: str, *, needs_number: bool) -> str:
    """Why a quantity pattern cannot be used (or a rule cannot give a number); empty if it can."""
    try:
        compiled = compile_quantity_pattern(pattern)
    except regex.error as err:
        return f"bad regular expression {pattern!r}: {err}"
    if needs_number and "number" not in compiled.groupindex:
        return f"no group `number` in {pattern!r}"
    return ""
