"""Synthetic but realistic canonical records for rendering and read-back tests.

A fictional council (架空の「さくら台市社会福祉協議会」, code 339997) with a five-year
地域福祉活動計画 R5..R9 (2023..2027) in the manner of the PDCA sheets councils use:
policies, projects with every field, numeric, qualitative and continuing ("→")
targets, a year without a target, results of a report and pre-filled PDCA entries.
Every call builds fresh objects, so tests may change them.
"""

from __future__ import annotations

from openpyxl.utils.cell import coordinate_from_string, quote_sheetname

from etl.model import (
    Council,
    DocumentInfo,
    DocumentKind,
    Indicator,
    PdcaEntry,
    Policy,
    Project,
    Records,
    Result,
    Source,
    Status,
    TargetValue,
    ValueKind,
)
from etl.workbook.contract import input_name

FILE = "sakuradai_katsudo_keikaku.txt"
YEARS = (2023, 2024, 2025, 2026, 2027)
COUNCIL = Council("339997", "さくら台市社会福祉協議会", "岡山県")


def src(line: int) -> Source:
    return Source(FILE, line)


def number(value: float, unit: str) -> TargetValue:
    shown = f"{value:g}{unit}"
    return TargetValue(shown, ValueKind.NUMBER, value, unit)


def words(text: str) -> TargetValue:
    return TargetValue(text, ValueKind.QUALITATIVE)


ARROW = TargetValue("—————▶", ValueKind.CONTINUES)
BLANK = TargetValue("", ValueKind.BLANK)


def policies() -> list[Policy]:
    return [
        Policy("基本理念", "誰もが住み慣れた地域で、安心して自分らしく暮らせるまちをみんなでつくる。", src(3)),
        Policy(
            "基本目標",
            "1 総合的な相談体制の確立\n2 地域生活の支援\n3 市民の権利の実現\n4 地域福祉を担う人づくり",
            src(5),
        ),
    ]


def projects() -> list[Project]:
    return [
        Project(
            project_id="5-1-1",
            printed_id="５－１－１",
            name="包括的相談支援事業",
            source=src(12),
            path=("5 誰もが安心して暮らせる地域づくりの推進", "5-1 総合的な相談体制の確立"),
            purpose="分野・属性を問わないあらゆる相談を包括的に受け止め、必要な支援につなげる。",
            method=(
                "総合相談支援センターと社協地域ステーションは、初期相談の入口として断らない相談を徹底し、"
                "参加支援事業や地域づくり事業を意識した相談支援に取り組む。\n"
                "CSWや包括職員の相談援助技術の向上と制度理解のための研修を行う。"
            ),
            goal="相談窓口が市民や支援機関に広く知られ、どの窓口でも迅速に対応できる。",
            situation=(
                "相談件数は着実に増加しているが、市民や各支援機関に相談窓口として十分浸透しておらず、"
                "あらゆる相談に迅速に対応できない場面も見受けられる。"
            ),
            tags=("地域", "受託"),
            status=Status.EXPANDED,
            funding="市受託事業",
            category="福祉サービス利用支援部門",
        ),
        Project(
            project_id="5-1-2",
            printed_id="５－１－２",
            name="アウトリーチ支援事業",
            source=src(40),
            path=("5 誰もが安心して暮らせる地域づくりの推進", "5-1 総合的な相談体制の確立"),
            situation="長期にわたりひきこもり状態にある人などの把握が十分にできていない。",
            method="民児協や地区社協の会議で事業を周知し、支援機関と連携して潜在的な相談者の情報を集める。",
            status=Status.NEW,
            category="福祉サービス利用支援部門",
        ),
        Project(
            project_id="5-2-1",
            printed_id="５－２－１",
            name="ふれあい・いきいきサロン活動支援",
            source=src(70),
            path=("5 誰もが安心して暮らせる地域づくりの推進", "5-2 地域生活の支援"),
            purpose="住民が気軽に集える場を地域に広げ、孤立を防ぐ。",
            goal="サロンの数を増やし、担い手を育てる。",
            funding="自主事業",
            category="地域福祉活動推進部門",
        ),
    ]


def indicators() -> list[Indicator]:
    return [
        Indicator(
            "5-1-1",
            1,
            "地区社協、民生委員会、校園長会での周知（事業、相談窓口）",
            src(20),
            unit="ヶ所",
            plans={
                2023: number(30, "ヶ所"),
                2024: number(35, "ヶ所"),
                2025: number(42, "ヶ所"),
                2026: ARROW,
                2027: ARROW,
            },
        ),
        Indicator(
            "5-1-1",
            2,
            "関係機関が講師となる研修会の開催",
            src(22),
            unit="回",
            plans={2023: number(1, "回"), **{y: number(3, "回") for y in YEARS[1:]}},
        ),
        Indicator(
            "5-1-2",
            1,
            "民児協や地区社協に事業周知",
            src(48),
            plans={2023: ARROW, 2024: ARROW, 2025: ARROW, 2026: ARROW, 2027: ARROW},
        ),
        Indicator(
            "5-1-2",
            2,
            "支援マニュアルの作成",
            src(50),
            plans={2023: words("検討"), 2024: words("作成"), 2025: words("運用"), 2026: ARROW, 2027: ARROW},
        ),
        Indicator(
            "5-1-2",
            3,
            "重層的支援会議のケース事例",
            src(52),
            unit="事例",
            plans={2023: number(5, "事例"), 2024: BLANK, 2025: number(5, "事例"), 2026: BLANK, 2027: number(5, "事例")},
            results={2023: number(4, "事例")},
        ),
    ]


def pdca_entries() -> list[PdcaEntry]:
    return [
        PdcaEntry("5-1-1", 2023, src(30), do="地区社協12ヶ所、民生委員会10ヶ所で周知した。", direction="一部見直し"),
        PdcaEntry("5-2-1", 2023, src(80), achievement="新たに2ヶ所のサロンが立ち上がった。", issues="担い手の高齢化"),
    ]


def results() -> list[Result]:
    return [
        Result("5-2-1", 2023, src(82), activities="立ち上げ講座を2回開催", actual="サロン 38ヶ所", change_text="+2"),
    ]


def pdca_records() -> Records:
    """The five-year plan with everything a workbook shows."""
    return Records(
        council=COUNCIL,
        document=DocumentInfo(DocumentKind.PDCA_PLAN, "第4次地域福祉活動計画", YEARS, FILE),
        policies=policies(),
        projects=projects(),
        indicators=indicators(),
        results=results(),
        pdca=pdca_entries(),
    )


def single_year_records() -> Records:
    """A one-year 事業計画: one row per PDCA part, no targets, no policies."""
    return Records(
        council=COUNCIL,
        document=DocumentInfo(DocumentKind.PLAN, "令和5年度 事業計画", (2023,), "sakuradai_jigyo_keikaku.txt"),
        projects=projects(),
    )


# --- filling a generated workbook as staff would (with openpyxl) -------------------


def name_target(workbook, name: str) -> tuple[str, str]:
    """(sheet, cell) a defined name points at, e.g. ('達成目標', 'G2')."""
    [(sheet, cells)] = list(workbook.defined_names[name].destinations)
    return sheet, cells.replace("$", "")


def fill(workbook, values: dict[str, object]) -> None:
    """Type `values` (by input key) into their cells, found through the defined names."""
    for key, value in values.items():
        sheet, cell = name_target(workbook, input_name(key))
        workbook[sheet][cell] = value


def insert_row_like_excel(workbook, sheet_name: str, row: int) -> None:
    """Insert a row before `row` (1-based) and move the names below it, as Excel does.

    openpyxl's `insert_rows` moves only the cells; Excel also moves every defined name
    that points below the new row. List sheets have no merged cells to move.
    """
    workbook[sheet_name].insert_rows(row)
    for defined in workbook.defined_names.values():
        destinations = list(defined.destinations)
        if len(destinations) != 1 or destinations[0][0] != sheet_name:
            continue
        column, number = coordinate_from_string(destinations[0][1].replace("$", ""))
        if number >= row:
            defined.attr_text = f"{quote_sheetname(sheet_name)}!${column}${number + 1}"
