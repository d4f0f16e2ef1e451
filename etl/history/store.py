"""The history database: an SQLite file, or PostgreSQL when given a `postgresql://` URL.

    db = HistoryDB("output/history.sqlite")       # or HistoryDB("postgresql://user@host/db")
    db.rows(council="202088")                      # what the history holds, by council and year
    db.record(submissions)                         # one transaction: all of a run, or nothing

Every statement goes through SQLAlchemy Core with bound parameters. A database that
cannot be used (not an SQLite file, locked by another program, made by a newer version of
the tool, a server that refuses the connection) raises `HistoryError` carrying one problem,
and nothing of the run is recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, RowMapping, Select, and_, create_engine, event, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from ..problems import Location, Problem, problem
from . import schema as s
from .recorded import EntryRow, HistoryError, HistoryRow, Recorded, YearFigures, replaces

POSTGRESQL_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
DEFAULT_TIMEOUT = 10.0  # seconds to wait for a lock or a server


@dataclass(frozen=True)
class RecordOutcome:
    added: int  # submissions recorded
    unchanged: int  # submissions already recorded (the same file again)
    replaced: int  # council-years whose submission another took the place of


class HistoryDB:
    def __init__(self, location: str | Path, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.location = str(location)
        self.timeout = timeout
        self.is_postgresql = self.location.startswith(POSTGRESQL_SCHEMES)

    @property
    def shown(self) -> str:
        """The location as messages show it: a URL without its password."""
        if not self.is_postgresql:
            return self.location
        try:
            return make_url(self.location).render_as_string(hide_password=True)
        except ArgumentError:
            return "postgresql://…"

    def rows(self, council: str | None = None) -> list[HistoryRow]:
        """Each council and fiscal year the history holds, with the figures of its current submission."""
        if not self.is_postgresql and not Path(self.location).is_file():
            return []
        with self._transaction(write=False) as connection:
            if not self._checked_version(connection):
                return []
            return [_history_row(row) for row in connection.execute(_current_query(council)).mappings()]

    def record(self, submissions: list[Recorded], collected_at: dt.datetime | None = None) -> RecordOutcome:
        """Record a run's submissions in one transaction; a file recorded before changes nothing.
        `collected_at` is when the run started: no time after it is trusted (`recorded.replaces`)."""
        started = collected_at or dt.datetime.now(dt.UTC)
        when = _utc_text(started)
        added = unchanged = replaced = 0
        with self._transaction(write=True) as connection:
            s.migrate(connection, self._checked_version(connection))
            for submission in submissions:
                if _recorded_before(connection, submission):
                    unchanged += 1
                    continue
                submission_id = _insert_submission(connection, submission, when)
                replaced += _make_current(connection, submission, submission_id, started)
                added += 1
        return RecordOutcome(added, unchanged, replaced)

    def counts(self) -> dict[str, int]:
        """Rows per table (an empty dict for a database without the tables)."""
        with self._transaction(write=False) as connection:
            if not self._checked_version(connection):
                return {}
            tables = [t for t in s.metadata.sorted_tables if t is not s.schema_version]
            return {t.name: connection.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}

    # --- connections -----------------------------------------------------------------

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Connection]:
        engine = self._engine()
        try:
            with engine.connect() as opened:
                connection = opened.execution_options(shakyo_write=write)
                with connection.begin():
                    yield connection
        except SQLAlchemyError as err:
            raise self._failure(err) from None
        except OSError as err:
            raise self._unusable(
                "history.unreadable", f"データベースを開けません（{err.strerror}）", str(err)
            ) from None
        finally:
            engine.dispose()

    def _engine(self) -> Engine:
        if self.is_postgresql:
            url = make_url(self.location).set(drivername="postgresql+psycopg")
            return create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": max(1, round(self.timeout))})
        path = Path(self.location)
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            URL.create("sqlite", database=str(path)), poolclass=NullPool, connect_args={"timeout": self.timeout}
        )
        event.listen(engine, "connect", _sqlite_manual_transactions)
        event.listen(engine, "begin", _sqlite_begin)
        return engine

    def _checked_version(self, connection: Connection) -> int:
        found = s.stored_version(connection)
        if found > s.SCHEMA_VERSION:
            raise self._unusable(
                "history.newer_schema",
                f"データベースは新しい版のツールで作られています"
                f"（スキーマ {found}、このツールは {s.SCHEMA_VERSION} まで）",
                f"the database has schema version {found}; this tool knows up to {s.SCHEMA_VERSION}",
                hint="新しい版の shakyo-pdca を使うか、別のデータベースを指定してください",
            )
        return found

    def _failure(self, err: SQLAlchemyError) -> HistoryError:
        text = str(getattr(err, "orig", None) or err)
        if "file is not a database" in text:
            return self._unusable(
                "history.not_a_database",
                "SQLite のデータベースではないファイルです",
                "the file is not an SQLite database",
                hint="--history に別のファイル名を指定してください",
            )
        if "database is locked" in text:
            return self._unusable(
                "history.locked",
                "データベースが他のプログラムに使われています（ロック中）",
                f"the database is locked by another program (waited {self.timeout:g} s)",
                hint="他の集約が終わってからもう一度実行してください",
            )
        if self.is_postgresql and "connect" in text.lower():
            return self._unusable(
                "history.unreachable",
                "データベースサーバーに接続できません",
                f"cannot connect to the database server: {text.splitlines()[0]}",
                hint="サーバーが起動しているか、URL（ホスト・ポート・ユーザー）を確かめてください",
            )
        return self._unusable("history.failed", "データベースの操作に失敗しました", text.splitlines()[0])

    def _unusable(self, code: str, ja: str, en: str, hint: str = "") -> HistoryError:
        message_ja = f"{ja}。集約結果は書き出しましたが、履歴には何も記録していません"
        message_en = f"{en}; the consolidated outputs are written, nothing was recorded in the history"
        return HistoryError(problem(code, Location(file=self.shown), ja=message_ja, en=message_en, hint=hint))


def _sqlite_manual_transactions(dbapi_connection: object, _record: object) -> None:
    # The sqlite3 module opens transactions itself and not before DDL; the tool begins them
    # instead, so that a migration and a run's records commit together or not at all.
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]


def _sqlite_begin(connection: Connection) -> None:
    # A writer takes the lock at once, so that a locked database fails before any work.
    write = connection.get_execution_options().get("shakyo_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


# --- recording -------------------------------------------------------------------------


def _recorded_before(connection: Connection, submission: Recorded) -> bool:
    query = select(s.submissions.c.id).where(
        s.submissions.c.council_id == submission.council_id, s.submissions.c.file_sha256 == submission.file_sha256
    )
    return connection.execute(query).first() is not None


def _insert_submission(connection: Connection, submission: Recorded, when: str) -> int:
    values = {
        "council_id": submission.council_id,
        "council_name": submission.council_name,
        "prefecture": submission.prefecture,
        "document_kind": submission.document_kind,
        "document_title": submission.document_title,
        "first_year": submission.first_year,
        "last_year": submission.last_year,
        "template_version": submission.template_version,
        "file_name": submission.file_name,
        "file_sha256": submission.file_sha256,
        "plan_fingerprint": submission.plan_fingerprint,
        "saved_at": _utc_text(submission.saved_at),
        "received_at": _utc_text(submission.received_at),
        "entries_sha256": submission.entries_sha256,
        "collected_at": when,
    }
    submission_id = connection.execute(s.submissions.insert().values(values)).inserted_primary_key[0]
    connection.execute(s.submission_years.insert(), [_year_values(submission_id, y) for y in submission.years])
    if submission.entries:
        connection.execute(s.entries.insert(), [_entry_values(submission_id, e) for e in submission.entries])
    if submission.problems:
        connection.execute(s.problems.insert(), [_problem_values(submission_id, p) for p in submission.problems])
    return submission_id


def _make_current(connection: Connection, submission: Recorded, submission_id: int, run_started: dt.datetime) -> int:
    """Point each of the submission's council-years at it where the rule says it wins; count replacements."""
    replaced = 0
    current, subs = s.current_years, s.submissions
    for figures in submission.years:
        where = and_(current.c.council_id == submission.council_id, current.c.fiscal_year == figures.fiscal_year)
        query = select(subs.c.id, subs.c.file_name, subs.c.saved_at, subs.c.received_at, subs.c.entries_sha256)
        old = (
            connection.execute(query.join(current, current.c.submission_id == subs.c.id).where(where))
            .mappings()
            .first()
        )
        if old is None:
            connection.execute(
                current.insert().values(
                    council_id=submission.council_id, fiscal_year=figures.fiscal_year, submission_id=submission_id
                )
            )
        elif replaces(submission, _submitted(old), run_started):
            connection.execute(current.update().where(where).values(submission_id=submission_id))
            connection.execute(
                s.replacements.insert().values(
                    council_id=submission.council_id,
                    fiscal_year=figures.fiscal_year,
                    old_submission_id=old["id"],
                    new_submission_id=submission_id,
                    replaced_at=_utc_text(run_started),
                )
            )
            replaced += 1
    return replaced


@dataclass(frozen=True)
class _Submitted:
    file_name: str
    saved_at: dt.datetime
    received_at: dt.datetime
    entries_sha256: str


def _submitted(row: RowMapping) -> _Submitted:
    return _Submitted(
        row["file_name"],
        dt.datetime.fromisoformat(row["saved_at"]),
        dt.datetime.fromisoformat(row["received_at"]),
        row["entries_sha256"],
    )


def _year_values(submission_id: int, figures: YearFigures) -> dict[str, object]:
    return {
        "submission_id": submission_id,
        "fiscal_year": figures.fiscal_year,
        "projects": figures.projects,
        "targets": figures.targets,
        "inputs": figures.inputs,
        "entered": figures.entered,
        "judged": figures.judged,
        "achieved": figures.achieved,
        **dict(zip(s.DIRECTION_COLUMNS, figures.directions, strict=True)),
    }


def _entry_values(submission_id: int, entry: EntryRow) -> dict[str, object]:
    return {
        "submission_id": submission_id,
        "key": entry.key,
        "project_id": entry.project_id,
        "fiscal_year": entry.fiscal_year,
        "field": entry.field,
        "indicator_number": entry.indicator_number,
        "value_text": entry.text,
        "value_number": entry.number,
    }


def _problem_values(submission_id: int, p: Problem) -> dict[str, object]:
    return {
        "submission_id": submission_id,
        "code": p.code,
        "severity": p.severity.value,
        "sheet": p.location.sheet,
        "cell": p.location.cell,
        "key": p.location.key,
        "message_ja": p.message_ja,
        "message_en": p.message_en,
        "hint": p.hint,
    }


# --- reading ---------------------------------------------------------------------------


def _current_query(council: str | None) -> Select:
    subs, years, current = s.submissions, s.submission_years, s.current_years
    joined = current.join(subs, subs.c.id == current.c.submission_id).join(
        years, and_(years.c.submission_id == current.c.submission_id, years.c.fiscal_year == current.c.fiscal_year)
    )
    query = select(
        subs.c.council_id,
        subs.c.council_name,
        subs.c.prefecture,
        subs.c.document_title,
        subs.c.file_name,
        subs.c.saved_at,
        subs.c.received_at,
        subs.c.entries_sha256,
        *(c for c in years.c if c.name != "submission_id"),
    ).select_from(joined)
    if council is not None:
        query = query.where(current.c.council_id == council)
    return query.order_by(current.c.council_id, current.c.fiscal_year)


def _history_row(row: dict) -> HistoryRow:
    figures = YearFigures(
        fiscal_year=row["fiscal_year"],
        projects=row["projects"],
        targets=row["targets"],
        inputs=row["inputs"],
        entered=row["entered"],
        judged=row["judged"],
        achieved=row["achieved"],
        directions=tuple(row[c] for c in s.DIRECTION_COLUMNS),
    )
    return HistoryRow(
        row["council_id"],
        row["council_name"],
        row["prefecture"],
        row["document_title"],
        row["file_name"],
        dt.datetime.fromisoformat(row["saved_at"]),
        dt.datetime.fromisoformat(row["received_at"]),
        row["entries_sha256"],
        figures,
    )


def _utc_text(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat(timespec="seconds")
