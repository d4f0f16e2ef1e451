"""Standard categories come from the shared rule file, overridable per mapping."""

from etl.mapping.classify import classify, classify_projects, shared_rules
from etl.model import CATEGORIES, Project, Source

SRC = Source("plan.txt", 1)


def project(name: str, path: tuple[str, ...] = (), purpose: str = "", project_id: str = "1") -> Project:
    return Project(project_id, project_id, name, SRC, path, purpose=purpose)


def test_shared_rules_use_only_the_four_departments():
    assert {rule.category for rule in shared_rules()} == set(CATEGORIES)


def test_name_decides_before_the_section_heading():
    rules = shared_rules()
    assert classify(project("日常生活自立支援事業", ("1-1 法人運営事業",)), rules) == "福祉サービス利用支援部門"
    assert classify(project("理事会の開催"), rules) == "法人運営部門"
    assert classify(project("ふれあいサロン事業"), rules) == "地域福祉活動推進部門"
    assert classify(project("ホームヘルプ（訪問介護）"), rules) == "在宅福祉サービス部門"


def test_heading_then_content_are_fallbacks_and_unmatched_stays_blank():
    rules = shared_rules()
    assert classify(project("例年の取組", ("2 ボランティアセンター",)), rules) == "地域福祉活動推進部門"
    assert classify(project("その他", purpose="成年後見制度の利用を支援します"), rules) == "福祉サービス利用支援部門"
    assert classify(project("その他"), rules) == ""


def test_mapping_overrides_and_rules_take_precedence():
    projects = [project("社協会費", project_id="1-2-1"), project("カフェ事業", project_id="9-1")]
    settings = {
        "overrides": {"1-2-1": "地域福祉活動推進部門"},
        "rules": [{"category": "在宅福祉サービス部門", "pattern": "カフェ"}],
    }
    classify_projects(projects, settings)
    assert [p.category for p in projects] == ["地域福祉活動推進部門", "在宅福祉サービス部門"]


def test_a_category_already_set_by_the_mapping_is_kept():
    projects = [Project("1", "1", "理事会", SRC, category="在宅福祉サービス部門")]
    classify_projects(projects)
    assert projects[0].category == "在宅福祉サービス部門"
