"""The history database's tables (SQLAlchemy Core), its version, and the steps that migrate it.

`schema_version` holds one row: the version of the tables. `MIGRATIONS[n]` takes a database
from version n to n + 1 (0 is an empty database); the tool runs the missing steps in the
run's transaction and refuses a database newer than it knows. The README documents the
tables for whoever queries them directly.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    select,
)

metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("council_id", String(6), nullable=False),
    Column("council_name", Text, nullable=False),
    Column("prefecture", Text, nullable=False),
    Column("document_kind", String(20), nullable=False),
    Column("document_title", Text, nullable=False),
    Column("first_year", Integer, nullable=False),
    Column("last_year", Integer, nullable=False),
    Column("template_version", String(40), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("plan_fingerprint", String(64), nullable=False),
    Column("saved_at", String(32), nullable=False),  # ISO 8601 in UTC: sorts as it reads
    Column("received_at", String(32), nullable=False),  # the file's modification time
    Column("entries_sha256", String(64), nullable=False),  # of what staff entered
    Column("collected_at", String(32), nullable=False),
    UniqueConstraint("council_id", "file_sha256"),
)

submission_years = Table(
    "submission_years",
    metadata,
    Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True),
    Column("projects", Integer, nullable=False),
    Column("targets", Integer, nullable=False),
    Column("inputs", Integer, nullable=False),
    Column("entered", Integer, nullable=False),
    Column("judged", Integer, nullable=False),
    Column("achieved", Integer, nullable=False),
    Column("dir_continue", Integer, nullable=False),  # 継続
    Column("dir_partly_revise", Integer, nullable=False),  # 一部見直し
    Column("dir_revise", Integer, nullable=False),  # 見直し
    Column("dir_end", Integer, nullable=False),  # 終了
)
DIRECTION_COLUMNS = ("dir_continue", "dir_partly_revise", "dir_revise", "dir_end")  # in model.DIRECTIONS order

current_years = Table(
    "current_years",
    metadata,
    Column("council_id", String(6), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
)

replacements = Table(
    "replacements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("council_id", String(6), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("old_submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("new_submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("replaced_at", String(32), nullable=False),
)

entries = Table(
    "entries",
    metadata,
    Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
    Column("key", Text, primary_key=True),
    Column("project_id", Text, nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("field", String(20), nullable=False),
    Column("indicator_number", Integer),
    Column("value_text", Text),
    Column("value_number", Float),
)

problems = Table(
    "problems",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("code", String(80), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("sheet", Text, nullable=False),
    Column("cell", String(20), nullable=False),
    Column("key", Text, nullable=False),
    Column("message_ja", Text, nullable=False),
    Column("message_en", Text, nullable=False),
    Column("hint", Text, nullable=False),
    Index("problems_by_submission", "submission_id"),
)

_VERSION_1_TABLES = (schema_version, submissions, submission_years, current_years, replacements, entries, problems)


def _create_version_1(connection: Connection) -> None:
    metadata.create_all(connection, tables=list(_VERSION_1_TABLES))
    connection.execute(schema_version.insert().values(version=1))


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_create_version_1,)
SCHEMA_VERSION = len(MIGRATIONS)


def stored_version(connection: Connection) -> int:
    """The version of the database's tables: 0 for a database without them."""
    if not inspect(connection).has_table(schema_version.name):
        return 0
    return connection.execute(select(schema_version.c.version)).scalar_one_or_none() or 0


def migrate(connection: Connection, found: int) -> None:
    """Bring a database at version `found` (not newer than this tool's) up to `SCHEMA_VERSION`."""
    for step in MIGRATIONS[found:]:
        step(connection)
    if found < SCHEMA_VERSION:
        connection.execute(schema_version.update().values(version=SCHEMA_VERSION))
