"""Schema versions in `PRAGMA user_version`; each migration runs in one transaction with its bump."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlmodel import SQLModel

from tui_messenger.store import tables  # noqa: F401 - defines the tables on SQLModel.metadata
from tui_messenger.store.preflight import SCHEMA_VERSION, check_schema
from tui_messenger.store.schema import FTS_DDL


def _v1_initial(conn: sqlite3.Connection) -> None:
    # Version 1 is generated from the tables module; later migrations are written so that they also hold
    # on a database that version 1 already made complete (nothing has been released yet). Freeze this DDL
    # as text at the first release.
    dialect = sqlite_dialect.dialect()
    for table in SQLModel.metadata.sorted_tables:
        conn.execute(str(CreateTable(table).compile(dialect=dialect)))
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            conn.execute(str(CreateIndex(index).compile(dialect=dialect)))
    for statement in FTS_DDL:
        conn.execute(statement)


def _v2_mute_until(conn: sqlite3.Connection) -> None:
    # Mutes with a duration (8 hours, 1 week). Version 1 is generated from the tables module, so a new
    # database already has the column; one made before it gains it here.
    columns = {row[1] for row in conn.execute("PRAGMA table_info(chats)")}
    if "muted_until" not in columns:
        conn.execute("ALTER TABLE chats ADD COLUMN muted_until INTEGER")


def _v3_content(conn: sqlite3.Connection) -> None:
    # Reactions, edits, deletions and files. Like version 2, this holds on a database that version 1
    # already made complete: every table and column the tables module has and the file lacks is added
    # (new columns are nullable or carry their model default).
    dialect = sqlite_dialect.dialect()
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in SQLModel.metadata.sorted_tables:
        if table.name not in present:
            conn.execute(str(CreateTable(table).compile(dialect=dialect)))
            for index in sorted(table.indexes, key=lambda i: i.name or ""):
                conn.execute(str(CreateIndex(index).compile(dialect=dialect)))
            continue
        columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{table.name}")')}
        for column in table.columns:
            if column.name in columns:
                continue
            kind = column.type.compile(dialect=dialect)
            ddl = f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}'
            default = getattr(column.default, "arg", None)
            if not column.nullable:
                if not isinstance(default, bool | int | str):
                    raise RuntimeError(f"column {table.name}.{column.name} needs a default to be added")
                literal = (
                    int(default)
                    if isinstance(default, bool | int)
                    else "'" + default.replace("'", "''") + "'"
                )
                ddl += f" NOT NULL DEFAULT {literal}"
            conn.execute(ddl)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _v1_initial,
    2: _v2_mute_until,
    3: _v3_content,
    4: _v3_content,  # the Matrix account (`matrix_account`): a new table, added the same way
    5: _v3_content,  # a file still on the network (`attachments.source`): a new column, added the same way
    6: _v3_content,  # accounts.encrypted: the network says the chat is end-to-end encrypted
    7: _v3_content,  # what a Matrix device remembers across restarts (`matrix_events`, `matrix_rooms`)
    8: _v3_content,  # changes that came before their message (`waiting_changes`)
    9: _v3_content,  # where the user saved a file (`attachments.saved_to`)
}


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the database to SCHEMA_VERSION. The connection must be in autocommit mode.

    The first statement is a write probe, so a read-only or locked file fails here, before any change;
    then, under the write lock, the schema is checked once more (NotOursError): the file may have changed
    since the checks before opening.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"PRAGMA user_version = {int(version)}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        check_schema(conn, Path(conn.execute("PRAGMA database_list").fetchone()[2] or ":memory:"), version)
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
