"""The canonical model's schemas catch untrustworthy records, as problems."""

from etl.model import (
    Council,
    DocumentInfo,
    DocumentKind,
    Indicator,
    PdcaEntry,
    Project,
    Records,
    Source,
    TargetValue,
    ValueKind,
    council_code_is_valid,
)
from etl.problems import Location, Severity, problem
from etl.validate import validate_records

SRC = Source("plan.txt", 10)


def records(**changes) -> Records:
    base = Records(
        Council("202088", "小諸市社会福祉協議会", "長野県"),
        DocumentInfo(DocumentKind.PDCA_PLAN, "地域福祉活動計画", (2023, 2024), "plan.txt"),
        projects=[Project("1-1-1", "１－１－１", "法人の適正な運営", SRC)],
    )
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def codes(found) -> set[str]:
    return {p.code for p in found}


def test_valid_records_have_no_problems():
    assert validate_records(records()) == []


def test_council_codes_carry_a_check_digit():
    assert council_code_is_valid("011002")  # 札幌市
    assert council_code_is_valid("202088")  # 小諸市
    assert not council_code_is_valid("202089")
    assert not council_code_is_valid("２０２０８８")
    assert not council_code_is_valid("4610")


def test_bad_council_is_reported_with_the_failing_check():
    found = validate_records(records(council=Council("202089", "小諸市社会福祉協議会", "信濃国")))
    assert codes(found) == {"record.council.council_code_check_digit", "record.council.isin"}


def test_duplicate_project_ids_point_at_both_source_lines():
    twice = [
        Project("1-1-1", "１－１－１", "A", Source("plan.txt", 8)),
        Project("1-1-1", "1-1-1", "B", Source("plan.txt", 24)),
    ]
    found = validate_records(records(projects=twice))
    assert codes(found) == {"record.projects.field_uniqueness"}
    assert sorted(p.location.line for p in found) == [8, 24]
    assert all(p.severity is Severity.ERROR for p in found)


def test_empty_project_name_names_the_line():
    found = validate_records(records(projects=[Project("1-1-1", "1-1-1", "", Source("plan.txt", 42))]))
    assert [(p.code, p.location.line, p.field) for p in found] == [("record.projects.str_length", 42, "name")]


def test_unknown_direction_and_unknown_project_are_both_reported():
    entry = PdcaEntry("9-9-9", 2023, Source("plan.txt", 77), direction="やめる")
    found = validate_records(records(pdca=[entry]))
    assert codes(found) == {"record.pdca.isin", "record.unknown_project"}
    assert {p.location.line for p in found} == {77}


def test_indicator_year_outside_the_plan_period_is_a_warning():
    indicator = Indicator(
        "1-1-1", 1, "研修会の開催", Source("plan.txt", 30), plans={2030: TargetValue("3回", ValueKind.NUMBER, 3, "回")}
    )
    found = validate_records(records(indicators=[indicator]))
    assert [(p.code, p.severity) for p in found] == [("record.fiscal_year_outside_document", Severity.WARNING)]


def test_fiscal_years_out_of_order_are_caught():
    doc = DocumentInfo(DocumentKind.PLAN, "事業計画", (), "plan.txt")
    found = validate_records(records(document=doc))
    assert "record.document.greater_than_or_equal_to" in codes(found)


def test_a_problem_reads_in_japanese_and_english_with_its_place():
    where = Location(file="a.xlsx", sheet="達成目標", cell="G2")
    found = problem("x.y", where, ja="数値を入力してください", en="a number")
    text = found.bilingual()
    assert text.startswith("a.xlsx:達成目標!G2: エラー [x.y] 数値を入力してください")
    assert "a number" in text
