"""The canonical model: the records every stage of the pipeline talks through.

Mapping produces `Records` (plain dataclasses, easy to build and to render);
`Records.frames()` turns them into the pandas tables that the pandera schemas below
declare, one schema per table. Every row keeps where it came from (`source_file`,
`source_line`, `source_origin`) so that a failed check can name the place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)  # fmt: skip
CATEGORIES = ("法人運営部門", "地域福祉活動推進部門", "福祉サービス利用支援部門", "在宅福祉サービス部門")
DIRECTIONS = ("継続", "一部見直し", "見直し", "終了")
ACHIEVEMENTS = ("達成", "一部達成", "未達成")
MIN_FISCAL_YEAR, MAX_FISCAL_YEAR = 1989, 2100


class DocumentKind(StrEnum):
    PLAN = "plan"  # 事業計画
    REPORT = "report"  # 事業報告
    PDCA_PLAN = "pdca_plan"  # 地域福祉活動計画 (PDCA sheets)

    @property
    def ja(self) -> str:
        return {"plan": "事業計画", "report": "事業報告", "pdca_plan": "地域福祉活動計画"}[self.value]


class Status(StrEnum):
    NONE = ""
    NEW = "new"  # 新規・新設
    EXPANDED = "expanded"  # 拡充

    @property
    def ja(self) -> str:
        return {"": "", "new": "新規", "expanded": "拡充"}[self.value]


class ValueKind(StrEnum):
    """How a per-year target or result cell reads."""

    BLANK = "blank"
    NUMBER = "number"  # `30ヶ所` -> 30, unit ヶ所
    QUALITATIVE = "qualitative"  # `作成`
    CONTINUES = "continues"  # an arrow: same as the year before


def council_code_is_valid(code: str) -> bool:
    """全国地方公共団体コード: five digits and a check digit (JIS X 0402)."""
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return False
    return council_code_check_digit(code) == code[5]


def council_code_check_digit(code: str) -> str:
    """The check digit the first five digits of a 全国地方公共団体コード call for."""
    total = sum(int(d) * w for d, w in zip(code[:5], (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


@dataclass(frozen=True)
class Source:
    """Where a record came from: file, line number in the read document, origin text."""

    file: str
    line: int
    origin: str = ""  # e.g. `表1!B3` or `p.2` for documents that are not plain text


@dataclass(frozen=True)
class Council:
    id: str
    name: str
    prefecture: str


@dataclass(frozen=True)
class DocumentInfo:
    kind: DocumentKind
    title: str
    fiscal_years: tuple[int, ...]
    source_file: str


@dataclass
class Policy:
    heading: str  # 使命・経営理念, 方針, 重点目標, 基本方針 ...
    text: str
    source: Source


@dataclass
class Project:
    project_id: str  # normalised: `1-1-1`
    printed_id: str  # as printed: `１－１－１`
    name: str
    source: Source
    path: tuple[str, ...] = ()  # section headings above the project, outermost first
    purpose: str = ""
    method: str = ""
    goal: str = ""
    situation: str = ""  # 現状と課題
    tags: tuple[str, ...] = ()
    status: Status = Status.NONE
    funding: str = ""
    category: str = ""


@dataclass
class TargetValue:
    text: str  # as printed
    kind: ValueKind = ValueKind.BLANK
    number: float | None = None
    unit: str = ""


@dataclass
class Indicator:
    project_id: str
    number: int  # 1-based order within the project
    name: str
    source: Source
    unit: str = ""
    plans: dict[int, TargetValue] = field(default_factory=dict)  # fiscal year -> plan
    results: dict[int, TargetValue] = field(default_factory=dict)


@dataclass
class Result:
    project_id: str
    fiscal_year: int
    source: Source
    activities: str = ""  # 具体的実施事項
    actual: str = ""  # 実績
    change_text: str = ""  # 増減(前年比) as printed: `+149`, `-4`, `±0`
    change_value: float | None = None


@dataclass
class PdcaEntry:
    project_id: str
    fiscal_year: int
    source: Source
    do: str = ""
    achievement: str = ""  # 達成状況と成果
    issues: str = ""  # 課題
    direction: str = ""  # 今後の方向性
    action: str = ""


@dataclass
class Records:
    council: Council
    document: DocumentInfo
    policies: list[Policy] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    pdca: list[PdcaEntry] = field(default_factory=list)

    def frames(self) -> dict[str, pd.DataFrame]:
        """The records as the tables the schemas in `SCHEMAS` validate."""
        return {
            "council": _council_frame(self.council),
            "document": _document_frame(self.document, self.council.id),
            "policies": _frame(
                [{"heading": p.heading, "text": p.text, **_src(p.source)} for p in self.policies],
                PolicySchema,
            ),
            "projects": _frame([_project_row(p) for p in self.projects], ProjectSchema),
            "indicators": _frame(list(_indicator_rows(self.indicators)), IndicatorSchema),
            "results": _frame([_result_row(r) for r in self.results], ResultSchema),
            "pdca": _frame([_pdca_row(e) for e in self.pdca], PdcaSchema),
        }


# --- schemas -------------------------------------------------------------------


class _Sourced(pa.DataFrameModel):
    source_file: Series[str]
    source_line: Series[int] = pa.Field(ge=0)
    source_origin: Series[str]

    class Config:
        strict = True
        coerce = True


class CouncilSchema(pa.DataFrameModel):
    council_id: Series[str] = pa.Field(str_matches=r"^[0-9]{6}$")
    name: Series[str] = pa.Field(str_length={"min_value": 1})
    prefecture: Series[str] = pa.Field(isin=PREFECTURES)

    @pa.check("council_id", name="council_code_check_digit")
    @classmethod
    def _check_digit(cls, ids: Series[str]) -> Series[bool]:
        return ids.map(council_code_is_valid)

    class Config:
        strict = True
        coerce = True


class DocumentSchema(pa.DataFrameModel):
    council_id: Series[str]
    kind: Series[str] = pa.Field(isin=[k.value for k in DocumentKind])
    title: Series[str]
    first_fiscal_year: Series[int] = pa.Field(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR)
    last_fiscal_year: Series[int] = pa.Field(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR)
    source_file: Series[str]

    @pa.dataframe_check(name="fiscal_years_in_order")
    @classmethod
    def _years_in_order(cls, df: pd.DataFrame) -> Series[bool]:
        return df["first_fiscal_year"] <= df["last_fiscal_year"]

    class Config:
        strict = True
        coerce = True


class PolicySchema(_Sourced):
    heading: Series[str] = pa.Field(str_length={"min_value": 1})
    text: Series[str] = pa.Field(str_length={"min_value": 1})


class ProjectSchema(_Sourced):
    project_id: Series[str] = pa.Field(str_length={"min_value": 1}, unique=True)
    printed_id: Series[str]
    path: Series[str]
    name: Series[str] = pa.Field(str_length={"min_value": 1})
    purpose: Series[str]
    method: Series[str]
    goal: Series[str]
    situation: Series[str]
    tags: Series[str]
    status: Series[str] = pa.Field(isin=[s.value for s in Status])
    funding: Series[str]
    category: Series[str] = pa.Field(isin=["", *CATEGORIES])


class IndicatorSchema(_Sourced):
    project_id: Series[str] = pa.Field(str_length={"min_value": 1})
    number: Series[int] = pa.Field(ge=1)
    name: Series[str] = pa.Field(str_length={"min_value": 1})
    unit: Series[str]
    fiscal_year: Series[int] = pa.Field(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR)
    plan_text: Series[str]
    plan_kind: Series[str] = pa.Field(isin=[k.value for k in ValueKind])
    plan_number: Series[float] = pa.Field(nullable=True, ge=0)
    result_text: Series[str]
    result_kind: Series[str] = pa.Field(isin=[k.value for k in ValueKind])
    result_number: Series[float] = pa.Field(nullable=True)

    @pa.dataframe_check(name="one_row_per_indicator_and_year")
    @classmethod
    def _unique_year(cls, df: pd.DataFrame) -> Series[bool]:
        return ~df.duplicated(["project_id", "number", "fiscal_year"], keep=False)


class ResultSchema(_Sourced):
    project_id: Series[str] = pa.Field(str_length={"min_value": 1})
    fiscal_year: Series[int] = pa.Field(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR)
    activities: Series[str]
    actual: Series[str]
    change_text: Series[str]
    change_value: Series[float] = pa.Field(nullable=True)


class PdcaSchema(_Sourced):
    project_id: Series[str] = pa.Field(str_length={"min_value": 1})
    fiscal_year: Series[int] = pa.Field(ge=MIN_FISCAL_YEAR, le=MAX_FISCAL_YEAR)
    do: Series[str]
    achievement: Series[str]
    issues: Series[str]
    direction: Series[str] = pa.Field(isin=["", *DIRECTIONS])
    action: Series[str]


SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "council": CouncilSchema,
    "document": DocumentSchema,
    "policies": PolicySchema,
    "projects": ProjectSchema,
    "indicators": IndicatorSchema,
    "results": ResultSchema,
    "pdca": PdcaSchema,
}


# --- records -> frames -----------------------------------------------------------


def _src(source: Source) -> dict[str, object]:
    return {"source_file": source.file, "source_line": source.line, "source_origin": source.origin}


def _frame(rows: list[dict[str, object]], schema: type[pa.DataFrameModel]) -> pd.DataFrame:
    """A frame with exactly the schema's columns, even when there are no rows."""
    return pd.DataFrame(rows, columns=list(schema.to_schema().columns))


def _council_frame(council: Council) -> pd.DataFrame:
    row = {"council_id": council.id, "name": council.name, "prefecture": council.prefecture}
    return _frame([row], CouncilSchema)


def _document_frame(document: DocumentInfo, council_id: str) -> pd.DataFrame:
    years = document.fiscal_years or (0,)
    row = {
        "council_id": council_id,
        "kind": document.kind.value,
        "title": document.title,
        "first_fiscal_year": min(years),
        "last_fiscal_year": max(years),
        "source_file": document.source_file,
    }
    return _frame([row], DocumentSchema)


def _project_row(p: Project) -> dict[str, object]:
    return {
        "project_id": p.project_id,
        "printed_id": p.printed_id,
        "path": " > ".join(p.path),
        "name": p.name,
        "purpose": p.purpose,
        "method": p.method,
        "goal": p.goal,
        "situation": p.situation,
        "tags": " ".join(p.tags),
        "status": p.status.value,
        "funding": p.funding,
        "category": p.category,
        **_src(p.source),
    }


def _indicator_rows(indicators: list[Indicator]):
    blank = TargetValue("")
    for ind in indicators:
        for year in sorted(set(ind.plans) | set(ind.results)):
            plan, result = ind.plans.get(year, blank), ind.results.get(year, blank)
            yield {
                "project_id": ind.project_id,
                "number": ind.number,
                "name": ind.name,
                "unit": ind.unit,
                "fiscal_year": year,
                "plan_text": plan.text,
                "plan_kind": plan.kind.value,
                "plan_number": plan.number,
                "result_text": result.text,
                "result_kind": result.kind.value,
                "result_number": result.number,
                **_src(ind.source),
            }


def _result_row(r: Result) -> dict[str, object]:
    return {
        "project_id": r.project_id,
        "fiscal_year": r.fiscal_year,
        "activities": r.activities,
        "actual": r.actual,
        "change_text": r.change_text,
        "change_value": r.change_value,
        **_src(r.source),
    }


def _pdca_row(e: PdcaEntry) -> dict[str, object]:
    return {
        "project_id": e.project_id,
        "fiscal_year": e.fiscal_year,
        "do": e.do,
        "achievement": e.achievement,
        "issues": e.issues,
        "direction": e.direction,
        "action": e.action,
        **_src(e.source),
    }
