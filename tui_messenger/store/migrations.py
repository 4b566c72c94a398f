"""Schema versions in `PRAGMA user_version`; each migration runs in one transaction with its bump."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from tui_messenger.store import tables
from tui_messenger.store.preflight import SCHEMA_VERSION


def _v1_initial(conn: sqlite3.Connection) -> None:
    # Version 1 is generated from the tables module; later migrations are written so that they also hold
    # on a database that version 1 already made complete (nothing has been released yet). Freeze this DDL
    # as text at the first release.
    dialect = sqlite_dialect.dialect()
    for table in tables.SQLModel.metadata.sorted_tables:
        conn.execute(str(CreateTable(table).compile(dialect=dialect)))
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            conn.execute(str(CreateIndex(index).compile(dialect=dialect)))
    for statement in tables.FTS_DDL:
        conn.execute(statement)


def _v2_mute_until(conn: sqlite3.Connection) -> None:
    # Mutes with a duration (8 hours, 1 week). Version 1 is generated from the tables module, so a new
    # database already has the column; one made before it gains it here.
    columns = {row[1] for row in conn.execute("PRAGMA table_info(chats)")}
    if "muted_until" not in columns:
        conn.execute("ALTER TABLE chats ADD COLUMN muted_until INTEGER")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1_initial, 2: _v2_mute_until}


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the database to SCHEMA_VERSION. The connection must be in autocommit mode.

    The first statement is a write probe, so a read-only or locked file fails here, before any change.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"PRAGMA user_version = {int(version)}")
    finally:
        conn.execute("ROLLBACK")
    for target in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[target](conn)
            conn.execute(f"PRAGMA user_version = {target}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
