"""The trial documents that are not text (issue 15's blind trial): Excel exports with
columns 事業名/内容/目標 (no numbers) and No./事業名/事業内容/目標・指標/財源 (rows that
continue a project), and a Word plan whose projects are headings styled 見出し2."""

from __future__ import annotations

from pathlib import Path

from build_word import WordPlan
from openpyxl import Workbook

EXCEL_ROWS = [
    ("法人運営", "理事会・評議員会の運営", "定款に基づき理事会・評議員会を開催する。", "理事会 年4回\n評議員会 年2回"),
    ("", "職員の資質向上", "外部研修への派遣と内部研修を行う。", "研修参加 延べ30人"),
    ("地域福祉", "ふれあいサロン助成事業", "地域住民が運営するサロンに運営費を助成する。", "40か所"),
    (
        "",
        "地域見守り活動推進事業",
        "民生委員・町内会と連携し、見守り対象者を把握する。\n訪問活動を支援する。",
        "見守り対象者 全数把握",
    ),
    ("", "生活支援コーディネーター事業（市受託）", "第1層・第2層協議体を運営する。", "協議体 年6回"),
    ("権利擁護", "日常生活自立支援事業", "福祉サービスの利用援助と日常的金銭管理を行う。", "契約件数 25件"),
    ("", "法人後見事業", "家庭裁判所の審判を受け法人として後見業務を行う。", "受任 10件"),
]


def excel_plan(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "事業計画"
    sheet.append(["令和6年度 登別市社会福祉協議会 事業計画"])
    sheet.append([])
    sheet.append(["区分", "事業名", "内容", "目標"])
    for row in EXCEL_ROWS:
        sheet.append(list(row))
    workbook.save(path)
    return path


NUMBERED_ROWS = [
    (1, "ボランティアセンター運営事業", "ボランティアの登録・相談・調整", "登録者 600人", "自主"),
    (None, None, "災害ボランティアの育成", None, None),
    (2, "地域福祉懇談会の開催", "各地区で住民懇談会を開催", "10地区", "市補助"),
    (3, "見守りネットワーク事業", "見守り協力員の研修", "研修会 2回", "市受託"),
    (None, None, "協力員の新規登録", "新規 20人", None),
    (4, "法人後見事業", "成年後見の受任", "受任 15件", "市受託"),
]


def excel_numbered(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["令和6年度 事業計画（鶴岡市社会福祉協議会）"])
    sheet.append(["No.", "事業名", "事業内容", "目標・指標", "財源"])
    for row in NUMBERED_ROWS:
        sheet.append(list(row))
    workbook.save(path)
    return path


def word_plan(path: Path) -> Path:
    plan = WordPlan()
    plan.title("令和6年度 事業計画")
    plan.paragraph("社会福祉法人 湯沢市社会福祉協議会")
    plan.heading("基本方針", 1)
    plan.paragraph("地域住民一人ひとりが役割を持ち、支え合う地域共生社会の実現を目指します。")
    plan.heading("地域福祉活動の推進", 1)
    plan.heading("小地域福祉活動推進事業", 2)
    plan.paragraph("町内会単位の見守り・支え合い活動に助成します。")
    plan.paragraph("目標：実施町内会 45か所")
    plan.heading("ボランティアセンター運営事業", 2)
    plan.paragraph("ボランティアの登録、相談、活動先の紹介を行います。")
    plan.heading("福祉教育推進事業", 2)
    plan.paragraph("市内小中学校の福祉学習に講師を派遣します。")
    plan.heading("在宅福祉サービスの充実", 1)
    plan.heading("軽度生活援助事業", 2)
    plan.paragraph("高齢者世帯の除雪・草取りなど軽微な援助を行います。")
    plan.heading("移送サービス事業", 2)
    plan.paragraph("車いす利用者の通院を福祉車両で送迎します。")
    plan.heading("相談・権利擁護", 1)
    plan.heading("生活福祉資金貸付事業", 2)
    plan.paragraph("低所得世帯等に資金の貸付と必要な相談支援を行います。")
    plan.heading("心配ごと相談事業", 2)
    plan.paragraph("毎月2回、民生委員による相談所を開設します。")
    return plan.save(path)
