"""The history of every year: collect records each run in a database (SQLite, or a real
PostgreSQL server when `.ci/run` starts one), `history` prints it, and the consolidated
workbook compares the years once there is more than one.

The council is the fictional さくら台市 with a one-year plan written here for 2022 and 2023:
two projects, a numeric and a qualitative target, so that every figure is known by hand.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from etl.cli import main
from etl.collect import collect
from etl.history import HistoryDB, store
from etl.history.schema import SCHEMA_VERSION, metadata
from etl.model import CATEGORIES, Council, DocumentInfo, DocumentKind, Indicator, Project, Records
from etl.render import render_workbook
from tests import records_fixtures as rf
from tests.test_readback import edit

POSTGRESQL_ENV = "SHAKYO_TEST_POSTGRESQL"  # a server URL; .ci/run starts a throwaway server and sets it

FILLED = {
    2022: {
        "indicator|A-1|1|2022|result": 12,  # plan 10: achieved
        "indicator|A-1|2|2022|result": "未達成",
        "pdca|A-1|2022|do": "講座を12回開いた。",
        "pdca|A-1|2022|direction": "継続",
        "pdca|B-1|2022|direction": "終了",
    },
    2023: {
        "indicator|A-1|1|2023|result": 8,  # plan 10: not achieved
        "indicator|A-1|2|2023|result": "達成",
        "pdca|A-1|2023|direction": "見直し",
    },
}


def plan(year: int) -> Records:
    projects = [
        Project(
            "A-1", "A-1", "福祉講座の開催", rf.src(3), purpose="住民の福祉への理解を深める。", category=CATEGORIES[1]
        ),
        Project("B-1", "B-1", "広報紙の発行", rf.src(9), purpose="社協の活動を知らせる。", category=CATEGORIES[0]),
    ]
    indicators = [
        Indicator("A-1", 1, "公開講座の開催回数", rf.src(5), unit="回", plans={year: rf.number(10, "回")}),
        Indicator("A-1", 2, "受講者アンケートの実施", rf.src(6), plans={year: rf.words("実施")}),
    ]
    document = DocumentInfo(DocumentKind.PLAN, f"{year}年度 事業計画", (year,), f"plan_{year}.txt")
    return Records(rf.COUNCIL, document, projects=projects, indicators=indicators)


@pytest.fixture(scope="module")
def inboxes(tmp_path_factory) -> dict[int, Path]:
    """A folder per year holding the council's filled workbook of that year."""
    root = tmp_path_factory.mktemp("years")
    folders = {}
    for year, values in FILLED.items():
        folder = root / str(year)
        target = folder / "339997_さくら台市社会福祉協議会_事業計画.xlsx"
        assert render_workbook(plan(year), target).path == target
        edit(target, lambda wb, values=values: rf.fill(wb, values))
        folders[year] = folder
    return folders


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty history database: an SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "history.sqlite")
        return
    server = os.environ.get(POSTGRESQL_ENV)
    if not server:
        reason = f"no PostgreSQL server: set {POSTGRESQL_ENV} (bash .ci/run starts one)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test PostgreSQL: {reason}")
        pytest.skip(reason)
    yield from _postgresql_database(server)


def _postgresql_database(server: str) -> Iterator[str]:
    import psycopg  # noqa: PLC0415 - only the PostgreSQL tests need the driver
    from psycopg import sql  # noqa: PLC0415

    name = f"shakyo_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def collect_year(inboxes: dict[int, Path], year: int, out: Path, db: str, **kwargs):
    return collect([inboxes[year]], out / "集約.xlsx", history=HistoryDB(db), log=False, **kwargs)


def test_two_years_are_listed_with_their_figures(inboxes, db: str, tmp_path: Path):
    first = collect_year(inboxes, 2022, tmp_path, db)
    assert first.history is not None and (first.history.added, first.problems) == (1, [])
    assert "経年比較" not in openpyxl.load_workbook(first.output).sheetnames
    second = collect_year(inboxes, 2023, tmp_path, db)
    assert second.history is not None and second.history.added == 1

    code, output = run("history", "--history", db, "--format", "json")
    assert code == 0
    rows = json.loads(output)
    assert [(r["council_id"], r["fiscal_year"]) for r in rows] == [("339997", 2022), ("339997", 2023)]
    figures = [{k: r[k] for k in ("projects", "targets", "inputs", "entered", "judged", "achieved")} for r in rows]
    assert figures == [
        {"projects": 2, "targets": 2, "inputs": 12, "entered": 5, "judged": 2, "achieved": 1},
        {"projects": 2, "targets": 2, "inputs": 12, "entered": 3, "judged": 2, "achieved": 1},
    ]
    assert [(r["percent_entered"], r["percent_achieved"]) for r in rows] == [(41.7, 50.0), (25.0, 50.0)]
    assert rows[0]["directions"] == {"継続": 1, "一部見直し": 0, "見直し": 0, "終了": 1}
    assert rows[1]["directions"] == {"継続": 0, "一部見直し": 0, "見直し": 1, "終了": 0}


def test_the_workbook_compares_the_years_once_there_are_two(inboxes, db: str, tmp_path: Path):
    collect_year(inboxes, 2022, tmp_path, db)
    outcome = collect_year(inboxes, 2023, tmp_path, db)
    sheet = openpyxl.load_workbook(outcome.output)["経年比較"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("社協コード", "社協名", "都道府県", "年度", "和暦", "社協・年度")
    assert [row[3] for row in rows[1:]] == [2022, 2023]
    assert sheet._charts, "the comparison has a chart"
    assert (tmp_path / "集約_経年比較.csv").exists()


def test_collecting_again_changes_nothing(inboxes, db: str, tmp_path: Path):
    collect_year(inboxes, 2022, tmp_path, db)
    collect_year(inboxes, 2023, tmp_path, db)
    before = HistoryDB(db).counts()
    again = collect_year(inboxes, 2023, tmp_path, db)
    assert again.history is not None and (again.history.added, again.history.unchanged) == (0, 1)
    assert HistoryDB(db).counts() == before
    assert before["submissions"] == 2 and before["entries"] == 8 and before["replacements"] == 0


def test_a_later_submission_of_the_same_year_replaces_it_and_is_recorded(inboxes, db: str, tmp_path: Path):
    collect_year(inboxes, 2023, tmp_path, db)
    resent = tmp_path / "resent"
    shutil.copytree(inboxes[2023], resent)
    [workbook] = resent.glob("*.xlsx")
    edit(workbook, lambda wb: rf.fill(wb, {"indicator|A-1|1|2023|result": 11, "pdca|A-1|2023|do": "10回"}))
    outcome = collect([resent], tmp_path / "集約.xlsx", history=HistoryDB(db), log=False)
    assert outcome.history is not None and (outcome.history.added, outcome.history.replaced) == (1, 1)
    [row] = HistoryDB(db).rows()
    assert (row.figures.entered, row.figures.achieved) == (4, 2)
    assert HistoryDB(db).counts()["replacements"] == 1


def test_history_text_csv_and_one_council(inboxes, db: str, tmp_path: Path):
    collect_year(inboxes, 2022, tmp_path, db)
    code, text = run("history", "--history", db)
    assert code == 0 and "さくら台市社会福祉協議会" in text and "41.7%" in text
    code, csv_text = run("history", "--history", db, "--format", "csv")
    assert code == 0
    assert csv_text.splitlines()[1] == "339997,さくら台市社会福祉協議会,2022,令和4年度,2,2,41.7,50,1,0,0,1"
    code, output = run("history", "--history", db, "--council", "202088", "--format", "json")
    assert (code, json.loads(output)) == (0, [])


def test_a_refused_database_is_a_problem_and_the_workbook_is_written(inboxes, db: str, tmp_path: Path):
    """A database from a newer version of the tool: exit 1, the outputs stand, nothing recorded."""
    collect_year(inboxes, 2022, tmp_path, db)
    _set_schema_version(db, SCHEMA_VERSION + 1)
    before = _raw_counts(db)
    out = tmp_path / "after"
    code, output = run("collect", str(inboxes[2023]), "-o", str(out / "集約.xlsx"), "--history", db)
    assert code == 1
    assert "history.newer_schema" in output and "データベースは新しい版のツールで作られています" in output
    assert (out / "集約.xlsx").exists()
    assert _raw_counts(db) == before


def _set_schema_version(db: str, version: int) -> None:
    engine = _engine(db)
    with engine.begin() as connection:
        connection.execute(text("UPDATE schema_version SET version = :v"), {"v": version})
    engine.dispose()


def _raw_counts(db: str) -> dict[str, int]:
    engine = _engine(db)
    with engine.connect() as connection:
        counts = {
            t.name: connection.execute(select(func.count()).select_from(t)).scalar_one() for t in metadata.sorted_tables
        }
    engine.dispose()
    return counts


def _engine(db: str):
    """An engine reaching under the tool, to change or count what it stored."""
    if "://" in db:
        return create_engine(make_url(db).set(drivername="postgresql+psycopg"))
    return create_engine(f"sqlite:///{db}")


# --- SQLite files that cannot be used, a server that refuses -------------------------


def test_a_file_that_is_not_sqlite_is_left_alone(inboxes, tmp_path: Path):
    bogus = tmp_path / "history.sqlite"
    bogus.write_bytes(b"staff kept their notes here\n" * 10)
    code, output = run("collect", str(inboxes[2022]), "-o", str(tmp_path / "集約.xlsx"))
    assert code == 1 and "history.not_a_database" in output
    assert (tmp_path / "集約.xlsx").exists()
    assert bogus.read_bytes() == b"staff kept their notes here\n" * 10


def test_a_locked_database_records_nothing(inboxes, tmp_path: Path):
    path = tmp_path / "history.sqlite"
    HistoryDB(path).record([])  # the tables, empty
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        outcome = collect([inboxes[2022]], tmp_path / "集約.xlsx", history=HistoryDB(path, timeout=0.1), log=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert [p.code for p in outcome.problems] == ["history.locked"]
    assert outcome.output is not None and outcome.output.exists() and outcome.history is None
    assert HistoryDB(path).counts()["submissions"] == 0


def test_a_server_that_refuses_the_connection(inboxes, tmp_path: Path):
    url = "postgresql://shakyo:secret@127.0.0.1:1/history"
    code, output = run("collect", str(inboxes[2022]), "-o", str(tmp_path / "集約.xlsx"), "--history", url)
    assert code == 1 and "history.unreachable" in output
    assert "secret" not in output
    assert (tmp_path / "集約.xlsx").exists()


def test_dry_run_and_no_history_write_no_database(inboxes, tmp_path: Path):
    code, output = run("collect", str(inboxes[2022]), "-o", str(tmp_path / "集約.xlsx"), "--dry-run")
    assert code == 0 and "history.sqlite" in output
    assert not (tmp_path / "history.sqlite").exists() and not (tmp_path / "集約.xlsx").exists()
    code, _ = run("collect", str(inboxes[2022]), "-o", str(tmp_path / "集約.xlsx"), "--no-history")
    assert code == 0 and (tmp_path / "集約.xlsx").exists()
    assert not (tmp_path / "history.sqlite").exists()


def test_history_without_a_database_says_so(tmp_path: Path):
    code, output = run("history", "--history", str(tmp_path / "none.sqlite"))
    assert code == 1 and "履歴データベースがありません" in output


def test_a_failure_midway_leaves_nothing_not_even_the_tables(inboxes, tmp_path: Path, monkeypatch):
    """The schema and the run's records commit together: a failure after some inserts undoes all."""

    def fail(*_args, **_kwargs):
        raise OperationalError("UPDATE current_years", {}, Exception("disk I/O error"))

    monkeypatch.setattr(store, "_make_current", fail)
    path = tmp_path / "history.sqlite"
    outcome = collect([inboxes[2022]], tmp_path / "集約.xlsx", history=HistoryDB(path), log=False)
    assert [p.code for p in outcome.problems] == ["history.failed"]
    assert outcome.output is not None and outcome.output.exists()
    assert HistoryDB(path).counts() == {}


def test_councils_of_different_years_are_nothing_to_compare(inboxes, tmp_path: Path):
    other = tmp_path / "other"
    records = plan(2023)
    records.council = Council("202088", "ほかの市社会福祉協議会", "長野県")
    render_workbook(records, other / "202088.xlsx")
    shutil.copy(next(inboxes[2022].glob("*.xlsx")), other)
    outcome = collect([other], tmp_path / "集約.xlsx", history=HistoryDB(tmp_path / "h.sqlite"), log=False)
    assert len(HistoryDB(tmp_path / "h.sqlite").rows()) == 2
    assert "経年比較" not in openpyxl.load_workbook(outcome.output).sheetnames


def test_the_same_entries_saved_again_replace_nothing(inboxes, tmp_path: Path):
    db = HistoryDB(tmp_path / "h.sqlite")
    collect([inboxes[2023]], tmp_path / "集約.xlsx", history=db, log=False)
    resaved = tmp_path / "resaved"
    shutil.copytree(inboxes[2023], resaved)
    edit(next(resaved.glob("*.xlsx")), lambda wb: None)  # saved again: other bytes, the same entries
    outcome = collect([resaved], tmp_path / "集約.xlsx", history=db, log=False)
    assert outcome.history is not None and (outcome.history.added, outcome.history.replaced) == (1, 0)
    assert db.counts()["replacements"] == 0
