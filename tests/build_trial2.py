"""The Word and Excel documents of the second blind draft trial (tests/test_draft_trial2.py),
built the way an office types them: a Word plan with headings and one project table per
department (事業名 / 事業内容 / 予算額), and an Excel workbook with one sheet per 課."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from build_word import WordPlan

WORD_DEPARTMENTS = {
    "１　法人運営部門": [
        ("理事会・評議員会の運営", "理事会を年4回、評議員会を年2回開催し、法人運営の適正化を図る。", "650,000"),
        ("広報紙の発行", "社協だより「ひだまり」を年6回発行し、全戸に配布する。", "1,820,000"),
        ("社協会員の募集", "一般会員・賛助会員の加入を促進し、自主財源を確保する。", "280,000"),
    ],
    "２　地域福祉活動推進部門": [
        (
            "いきいきサロン助成事業",
            "地域のサロン55か所に活動費を助成する。\n新規立ち上げには別途5万円を助成する。",
            "2,750,000",
        ),
        ("ボランティアセンター運営事業", "ボランティアの登録、相談、需給調整を行う。", "1,100,000"),
        ("福祉教育推進事業", "小中学校へ講師を派遣し、福祉体験学習を実施する。", "350,000"),
        ("子ども食堂支援事業", "市内の子ども食堂に食材提供と運営相談を行う。", "900,000"),
    ],
    "３　福祉サービス利用支援部門": [
        ("総合相談支援事業", "社協窓口で福祉に関する相談を受け、関係機関と連携して支援する。", "420,000"),
        ("日常生活自立支援事業", "福祉サービスの利用援助と日常的金銭管理を行う。", "3,300,000"),
        ("生活困窮者自立相談支援事業", "市の委託を受け、自立相談支援と家計改善支援を行う。", "18,600,000"),
    ],
}

WORD_INTRO = [
    "令和6年度",
    "社会福祉法人 緑ヶ丘市社会福祉協議会",
    "事業計画",
]

WORD_POLICY = (
    "本会は、第5次地域福祉活動計画の基本理念「つながり、ささえあう、みどりのまち」の実現に向け、"
    "住民、福祉関係者、行政と協働して地域福祉を推進します。令和6年度は、重層的支援体制整備事業の"
    "本格実施に向け、相談支援と地域づくりを一体的に進めます。"
)


def word_plan(path: Path) -> Path:
    """A plan typed in Word: title lines, a 基本方針 heading and paragraph, then per department a
    見出し2 and a table 事業名 / 事業内容 / 予算額(円)."""
    plan = WordPlan()
    for line in WORD_INTRO:
        plan.title(line)
    plan.heading("基本方針", 1)
    plan.paragraph(WORD_POLICY)
    plan.heading("重点目標", 1)
    for goal in ("１　包括的な相談支援体制の構築", "２　住民主体の地域づくりの推進", "３　財源の確保"):
        plan.paragraph(goal)
    plan.heading("事業計画", 1)
    for department, projects in WORD_DEPARTMENTS.items():
        plan.heading(department, 2)
        plan.table([["事業名", "事業内容", "予算額（円）"], *[list(row) for row in projects]])
        plan.paragraph("")
    return plan.save(path)


EXCEL_SHEETS = {
    "総務課": [
        ("1", "理事会・評議員会", "定款に基づき会議を開催する", "理事会4回・評議員会2回", "自主"),
        ("2", "広報啓発", "社協だより年4回発行、HP更新", "年4回発行", "自主"),
        ("3", "会費募集", "自治会を通じて会員を募集する", "加入率60%", "自主"),
    ],
    "地域福祉課": [
        ("1", "小地域ネットワーク活動", "地区ごとの見守り活動を支援する", "全12地区で実施", "補助"),
        ("2", "ふれあいサロン", "サロン運営費の助成と運営支援", "40か所", "補助"),
        ("3", "ボランティアセンター", "登録・相談・調整、講座開催", "登録者500人", "補助"),
        ("4", "生活支援体制整備事業", "生活支援コーディネーターによる資源開発", "協議体6回", "市受託"),
    ],
    "在宅福祉課": [
        ("1", "訪問介護", "介護保険・障害福祉サービスの訪問介護", "月利用者60人", "介護保険"),
        ("2", "居宅介護支援", "ケアプランの作成", "月100件", "介護保険"),
        ("3", "移送サービス", "福祉車両による通院送迎", "延べ900回", "市受託"),
    ],
}


def excel_plan(path: Path) -> Path:
    """One sheet per 課: a title row, a blank row, a header row 番号 / 事業名 / 事業内容 / 目標 /
    財源, the projects."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for division, projects in EXCEL_SHEETS.items():
        sheet = book.create_sheet(division)
        sheet.append([f"令和6年度 事業計画（{division}）　社会福祉法人 青葉台町社会福祉協議会"])
        sheet.append([])
        sheet.append(["番号", "事業名", "事業内容", "目標", "財源"])
        for row in projects:
            sheet.append(list(row))
    book.save(str(path))
    return path
