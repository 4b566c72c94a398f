"""Schema versions in `PRAGMA user_version`; each migration runs in one transaction with its bump."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from tui_messenger.store import tables
from tui_messenger.store.preflight import SCHEMA_VERSION


def _v1_initial(conn: sqlite3.Connection) -> None:
    # Version 1 is the tables module as first released. When version 2 exists, freeze this DDL as text.
    dialect = sqlite_dialect.dialect()
    for table in tables.SQLModel.metadata.sorted_tables:
        conn.execute(str(CreateTable(table).compile(dialect=dialect)))
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            conn.execute(str(CreateIndex(index).compile(dialect=dialect)))
    for statement in tables.FTS_DDL:
        conn.execute(statement)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1_initial}


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
