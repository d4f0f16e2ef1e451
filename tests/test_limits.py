"""No input hangs or exhausts the tool: time limits, linear patterns, bounded memory, any console.

Each finding of issue 19 is reproduced here on documents and mappings written in the
test: a long run of spaces in a heading with the bundled 小諸市 mapping, a pattern
that backtracks without end, a large generated document under a memory cap, a
command whose output cannot be encoded in CP932. The slow reproductions at full size
(100,000 spaces before the fix, the largest input each reader accepts) are in
`bench/limits.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.batch import LOG_NAME
from etl.cli import main
from etl.convert import convert_batch, find_documents, map_document
from etl.mapping.lint import LAZY_BEFORE_SPACES, NESTED, pattern_warnings, slow_shape
from etl.mapping.loader import load_mapping
from etl.mapping.patterns import PatternTimeout, compile_pattern, time_limit
from etl.problems import EtlError, Location, Severity, problem
from etl.read.source import MAX_LINES
from etl.repeated import LISTED_PER_KIND, keep_first, terminal_lines
from tests.conftest import MAPPINGS, REPO

IDEOGRAPHIC_SPACE = "\u3000"

OWN_MAPPING = """\
version: 1
council: {id: "132187", name: テスト市社会福祉協議会, prefecture: 東京都}
document: {kind: plan, title: 事業計画, fiscal_years: [2024]}
ignore:
  - {pattern: '%s', reason: 記号だけの行}
sections:
  - {level: 1, pattern: '^第(?P<id>[0-9]+)章\\s*(?P<title>\\S(?:.*\\S)?)\\s*$'}
layout:
  type: outline
  project: '^(?P<printed>\\((?P<id>[0-9]+)\\))\\s*(?P<name>\\S(?:.*\\S)?)\\s*$'
"""
OWN_DOCUMENT = "第1章 地域福祉の推進\n(1) 見守り活動\n%s\n地域の見守りを行います。\n"


def council_folder(root: Path, name: str, pattern: str, line: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "mapping.yaml").write_text(OWN_MAPPING % pattern, encoding="utf-8")
    (folder / "document.txt").write_text(OWN_DOCUMENT % line, encoding="utf-8")
    return folder


# --- time: linear bundled patterns, a budget per document --------------------------------


def test_a_heading_with_a_long_run_of_spaces_maps_well_within_the_budget(tmp_path: Path):
    # `\S.*?\s*$` rescanned the run for every character: 55 s for this line, now linear.
    spaces = IDEOGRAPHIC_SPACE * 100_000
    document = tmp_path / "plan.txt"
    text = (MAPPINGS / "komoro" / "sample.txt").read_text(encoding="utf-8")
    headings = f"５{IDEOGRAPHIC_SPACE}見出し{spaces}終\n１－１{spaces}小見出し{spaces}終\n"
    document.write_text(f"{text}\n{headings}", encoding="utf-8")
    result = map_document(document, MAPPINGS / "komoro" / "mapping.yaml", seconds=10)
    headings = [use.target for use in result.coverage.uses.values() if use.rule.startswith("sections")]
    assert f"5 見出し{spaces}終" in headings
    assert f"1-1 小見出し{spaces}終" in headings


def test_the_bundled_mappings_have_no_slow_pattern_and_their_old_shape_is_flagged():
    for mapping in sorted(MAPPINGS.glob("*/mapping.yaml")):
        assert pattern_warnings(load_mapping(mapping)) == [], mapping
    assert slow_shape(r"^(?P<id>[0-9０-９]+)\u3000+(?P<title>\S.*?)\s*$") == LAZY_BEFORE_SPACES
    assert slow_shape(r"^(?P<id>[0-9０-９]+)\u3000+(?P<title>\S(?:.*\S)?)\s*$") is None


@pytest.mark.parametrize(
    ("pattern", "shape"),
    [
        (r"(a+)+$", NESTED),
        (r"^(\w+\s?)*$", NESTED),
        (r"x|(?P<t>y.*?)[ \u3000]+\Z", LAZY_BEFORE_SPACES),
        (r"^(?:[－-][0-9]+)+$", None),  # a separator in every turn: one way to read a line
        (r"^(?P<value>\S.*)$", None),
        (r"\p{Han}+", None),  # regex-only syntax is not judged
    ],
)
def test_slow_shapes_are_recognised_on_the_parsed_pattern(pattern: str, shape: str | None):
    assert slow_shape(pattern) == shape


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="(?:)|*+?{},.a\\s\\S$^[]- \u3000", max_size=24))
def test_any_text_is_judged_without_failing(pattern: str):
    assert slow_shape(pattern) in (None, NESTED, LAZY_BEFORE_SPACES)


def test_mapping_check_warns_about_a_slow_pattern_at_its_line(tmp_path: Path):
    folder = council_folder(tmp_path, "slow", r"^(\w+\s?)*$", "――")
    warnings = pattern_warnings(load_mapping(folder / "mapping.yaml"))
    assert [(w.code, w.severity, w.location.line, w.location.key) for w in warnings] == [
        ("mapping.slow_pattern", Severity.WARNING, 5, "ignore[0].pattern")
    ]


def test_a_catastrophic_pattern_ends_its_document_with_a_located_problem_and_the_batch_goes_on(tmp_path: Path):
    council_folder(tmp_path / "in", "slow", "^(a|aa)+$", "a" * 40 + "b")  # backtracks for hours
    council_folder(tmp_path / "in", "fine", "^[―-]+$", "――")
    batch = convert_batch(find_documents([tmp_path / "in"]), tmp_path / "out", jobs=2, seconds=1)
    outcomes = {o.document.parent.name: o for o in batch.outcomes}
    [stopped] = outcomes["slow"].problems
    assert stopped.code == "mapping.time_limit"
    assert (stopped.location.line, stopped.location.key) == (3, "ignore[0].pattern")
    assert "ignore[0].pattern" in stopped.message_ja and "3 行目" in stopped.message_ja
    assert outcomes["fine"].ok
    assert outcomes["fine"].output is not None and outcomes["fine"].output.exists()
    assert "mapping.time_limit x1" in (tmp_path / "out" / LOG_NAME).read_text(encoding="utf-8")


def test_the_issues_own_catastrophic_pattern_no_longer_hangs(tmp_path: Path):
    folder = council_folder(tmp_path, "nested", "^(a+)+$", "a" * 40 + "b")  # `re` takes hours on it
    result = map_document(folder / "document.txt", folder / "mapping.yaml", seconds=5)
    assert [p.name for p in result.records.projects] == ["見守り活動"]


def test_every_match_shares_the_budget_and_none_runs_without_one():
    slow = compile_pattern("^(a|aa)+$")
    with time_limit(0.2), pytest.raises(PatternTimeout) as stopped:
        slow.match("a" * 40 + "b")
    assert stopped.value.pattern == "^(a|aa)+$"
    assert compile_pattern("^a+$").match("aaa") is not None  # no budget open: no timeout


# --- memory: repeated problems counted, lines capped -------------------------------------


def test_repeated_problems_are_listed_a_few_times_and_counted(tmp_path: Path):
    folder = council_folder(tmp_path / "in", "stray", "^[―-]+$", "――")
    (folder / "document.txt").write_text("".join(f"迷子の行{n}\n" for n in range(2_000)), encoding="utf-8")
    [outcome] = convert_batch(find_documents([tmp_path / "in"]), tmp_path / "out", seconds=None).outcomes
    listed = [p for p in outcome.problems if p.code == "mapping.unaccounted_text"]
    assert len(listed) == LISTED_PER_KIND
    assert {p.code for p in outcome.problems} - {"mapping.unaccounted_text"} == {
        "mapping.no_projects",
        "mapping.low_coverage",
    }
    [unlisted] = outcome.unlisted
    assert (unlisted.code, unlisted.count) == ("mapping.unaccounted_text", 2_000 - LISTED_PER_KIND)
    assert outcome.summary().warnings == 2_000 + 2
    shown = "\n".join(terminal_lines(outcome.problems, outcome.unlisted))
    assert shown.count("mapping.unaccounted_text") == LISTED_PER_KIND + 1
    assert "… and 1,990 more like this" in shown
    assert "mapping.unaccounted_text x2000" in (tmp_path / "out" / LOG_NAME).read_text(encoding="utf-8")


def test_a_kind_is_a_code_and_severity_in_one_file_and_what_is_not_kept_is_never_held():
    def stray(file: str, severity: Severity = Severity.WARNING):
        for n in range(1, 4):
            yield problem("mapping.unaccounted_text", Location(file=file, line=n), ja="", en="", severity=severity)

    listed, unlisted = keep_first((p for f in ("a.txt", "b.txt") for p in stray(f)), listed=2)
    assert [(p.location.file, p.location.line) for p in listed] == [
        ("a.txt", 1),
        ("a.txt", 2),
        ("b.txt", 1),
        ("b.txt", 2),
    ]
    assert [(u.file, u.count) for u in unlisted] == [("a.txt", 1), ("b.txt", 1)]
    listed, unlisted = keep_first([*stray("a.txt"), *stray("a.txt", Severity.ERROR)], listed=3)
    assert (len(listed), unlisted) == (6, [])


def test_a_document_over_the_line_cap_is_refused_before_its_lines_are_made(tmp_path: Path):
    document = tmp_path / "lines.txt"
    document.write_bytes(b"x\r\n" * MAX_LINES)
    with pytest.raises(EtlError) as refused:
        map_document(document, MAPPINGS / "komoro" / "mapping.yaml")
    assert refused.value.problem.code == "read.too_many_lines"


MEMORY_CHILD = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    from etl.convert import convert_document

    mapping, small, large, out, allowance = sys.argv[1:]
    convert_document(Path(small), Path(mapping), Path(out))  # every module loaded, every cache warm
    in_use = int(open("/proc/self/status").read().split("VmSize:")[1].split()[0]) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (in_use + int(allowance), resource.RLIM_INFINITY))
    outcome = convert_document(Path(large), Path(mapping), Path(out))
    print(outcome.status, sum(u.count for u in outcome.unlisted))
    """
)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmSize from /proc (Linux)")
def test_a_large_generated_document_converts_under_a_memory_cap(tmp_path: Path):
    # 1 GB per worker for the largest document (MAX_LINES lines) leaves some 700 MB for
    # its lines once the tool is loaded: this document's share of that is its cap.
    lines = 50_000
    allowance = 700 * 2**20 * lines // MAX_LINES
    document = tmp_path / "large.txt"
    document.write_text("".join(f"第{n}項 迷子の行です\n" for n in range(lines)), encoding="utf-8")
    folder = council_folder(tmp_path / "in", "large", "^[―-]+$", "――")
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            MEMORY_CHILD,
            str(folder / "mapping.yaml"),
            str(folder / "document.txt"),
            str(document),
            str(tmp_path / "out"),
            str(allowance),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.split() == ["warnings", str(lines - LISTED_PER_KIND)]


# --- any console -------------------------------------------------------------------------


def test_a_cp932_console_gets_replacements_not_a_crash_and_files_stay_utf8(tmp_path: Path):
    folder = council_folder(tmp_path / "in", "rare", "^[―-]+$", "⺠ 𠮷野家 😀 ⇥")
    env = {**os.environ, "PYTHONIOENCODING": "cp932", "PYTHONPATH": str(REPO)}

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, env=env, cwd=REPO, check=False)

    explain = run("mapping", "explain", str(folder / "mapping.yaml"), str(folder / "document.txt"))
    assert explain.returncode == 0, explain.stderr.decode("cp932", "replace")
    shown = explain.stdout.decode("cp932")
    assert "見守り活動" in shown and "? ?野家 ? ?" in shown
    converted = run("convert", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--format", "json", "-j", "1")
    assert converted.returncode == 0, converted.stderr.decode("cp932", "replace")
    [outcome] = json.loads(converted.stdout.decode("utf-8"))
    assert outcome["status"] == "ok"
    log = (tmp_path / "out" / LOG_NAME).read_text(encoding="utf-8")
    assert "rare" in log


@pytest.mark.parametrize(
    ("step", "key"),
    [
        ("clean: ['^(a|aa)+$']", "clean[0]"),
        ("replace: [{pattern: '^(a|aa)+$', with: x}]", "replace[0].pattern"),
        ("split: [{before: '^(a|aa)+$'}]", "split[0].before"),
    ],
)
def test_the_text_steps_patterns_share_the_budget(tmp_path: Path, step: str, key: str):
    folder = council_folder(tmp_path, "steps", "^[―-]+$", "a" * 40 + "b")
    mapping = folder / "mapping.yaml"
    mapping.write_text(mapping.read_text(encoding="utf-8") + step + "\n", encoding="utf-8")
    with pytest.raises(EtlError) as stopped:
        map_document(folder / "document.txt", mapping, seconds=0.5)
    assert (stopped.value.problem.code, stopped.value.problem.location.key) == ("mapping.time_limit", key)


def test_mapping_check_prints_pattern_warnings_beside_the_coverage_and_fails_on_them(tmp_path: Path):
    folder = council_folder(tmp_path, "nested", "^(a+)+$", "aaa")
    result = CliRunner().invoke(main, ["mapping", "check", str(folder / "mapping.yaml"), str(folder / "document.txt")])
    assert result.exit_code == 1, result.output
    assert "[mapping.slow_pattern]" in result.output
    assert "0 unaccounted;" in result.output
