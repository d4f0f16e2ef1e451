"""The `quantities` block of a draft: targets stated in a plan's sentences (`年4回開催`),
results in a prose report's (`相談件数は58件`), with the usual false friends excluded."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .shapes import Entry

_FREQUENCY = re.compile(r"(?:年|月|週)(?:間)?(?:平均)?[0-9０-９]+")
_COUNT = re.compile(r"[0-9０-９][0-9０-９,，]*(?:回|件|人|名|部|か所|ヶ所|箇所|世帯|団体)")
NEVER: tuple[dict[str, str], ...] = (
    {"pattern": "{number}歳", "reason": "対象者の年齢"},
    {"pattern": "第{number}", "reason": "順序・条文の番号"},
    {"pattern": "{number}月(?:{number}日)?(?:から|まで|に|頃)", "reason": "日付"},
    {"pattern": r"\d{2,4}-\d{2,4}-\d{3,4}", "reason": "電話番号"},
    {"pattern": "{number}年生", "reason": "学年"},
)
PLAN_RULE = {"pattern": "(?P<period>年|月|週)(?:間)?(?:平均)?{number}{unit}", "reason": "回数・件数の頻度"}
REPORT_RULE = {"pattern": "(?:延べ|計|約)?{number}{unit}", "reason": "実績の回数・件数・人数"}


def quantities(lines: Sequence[str], kind: str, layout: str) -> list[Entry]:
    """The block's entries, or none when the document states no such quantity (or a table
    column holds the results already)."""
    text = "\n".join(lines)
    if kind == "report" and layout == "outline" and _COUNT.search(text):
        rule, why = REPORT_RULE, f"{len(_COUNT.findall(text))} counts in the report's sentences: its results"
    elif kind == "plan" and _FREQUENCY.search(text):
        rule, why = PLAN_RULE, f"{len(_FREQUENCY.findall(text))} frequencies (年4回 …) in the plan's sentences: targets"
    else:
        return []
    return [
        Entry("never", list(NEVER), "numbers that are never a target or a result"),
        Entry("rules", [rule], f"TODO: check each with mapping explain; {why}"),
    ]
