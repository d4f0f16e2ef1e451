"""Japanese text realities: identifier normalisation, numbers, eras, display width.

Prose is kept exactly as written; only identifiers and numbers are normalised.
"""

from __future__ import annotations

import re
import unicodedata

# Dash-like characters that councils type between the parts of a project number.
_DASHES = "‐‑‒–—―−－ｰ─━"
_DASH_RE = re.compile(f"[{_DASHES}]")
_SPACE_RE = re.compile(r"\s+")
REIWA_BASE = 2018  # 令和N年度 = FY 2018 + N
HEISEI_BASE = 1988  # 平成N年度 = FY 1988 + N


def normalise_id(text: str) -> str:
    """`１－１－１` and ` 1-1-1 ` give `1-1-1`: NFKC, one kind of dash, no spaces."""
    folded = unicodedata.normalize("NFKC", text)
    return _SPACE_RE.sub("", _DASH_RE.sub("-", folded))


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def fiscal_year_label(year: int) -> str:
    """Western fiscal year with its era name alongside: 2023 -> `2023年度（令和5年度）`."""
    return f"{year}年度（{wareki(year)}）"


def wareki(year: int) -> str:
    """Era name of a fiscal year: 2019 -> 令和元年度, 2018 -> 平成30年度."""
    if year > REIWA_BASE:
        n = year - REIWA_BASE
        return f"令和{'元' if n == 1 else n}年度"
    if year > HEISEI_BASE:
        return f"平成{year - HEISEI_BASE}年度"
    return f"{year}年度"


_ERA_RE = re.compile(r"(令和|平成|R|H)\s*(元|\d+)\s*(?:年度?)?")


def parse_fiscal_year(text: str) -> int | None:
    """`令和3年度`, `R5`, `令和元年`, `平成31年度`, `2023` -> western fiscal year."""
    folded = nfkc(text).strip()
    if re.fullmatch(r"\d{4}(年度?)?", folded):
        return int(folded[:4])
    match = _ERA_RE.fullmatch(folded)
    if not match:
        return None
    era, number = match.groups()
    n = 1 if number == "元" else int(number)
    return (REIWA_BASE if era in ("令和", "R") else HEISEI_BASE) + n


def display_width(text: str) -> int:
    """Width in half-width cells: wide and full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)
