"""Opening the database safely: checks first, then WAL, pragmas and migrations.

A file that is not ours (random bytes, another program's SQLite file, a schema not ours), corrupt, from a
newer version, locked by another instance or read-only is refused with a clear `StoreError` before
anything is written, so the file stays untouched. Every connection opens exactly the file named (never a
URL SQLAlchemy would parse: `?timeout=1` or `%41` in a name are part of the name).
"""

from __future__ import annotations

import operator
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool, QueuePool
from sqlmodel import Session

from tui_messenger.folders import single_connections
from tui_messenger.store.migrations import migrate
from tui_messenger.store.preflight import (  # noqa: F401 - the store's errors, re-exported
    BUSY_TIMEOUT_MS,
    CorruptDatabaseError,
    DatabaseLockedError,
    DatabaseOpenError,
    NewerSchemaError,
    NotOursError,
    Preflight,
    ReadOnlyDatabaseError,
    StoreError,
    classify,
    connect,
    preflight,
)

CACHE_KIB = 16384


class Database:
    """An open store: an engine with our pragmas, and read and write sessions."""

    def __init__(
        self, path: Path, engine: Engine, lock_file: IO[bytes] | None = None, notices: list[str] | None = None
    ) -> None:
        self.path = path
        self.notices = notices or []  # permissions tightened on open: one line each, for stderr
        self.engine = engine
        self._write_engine = engine.execution_options(begin_immediate=True)
        self._lock_file = lock_file

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading: a deferred transaction, never a lock on writers."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in a `BEGIN IMMEDIATE` transaction, committed on success, rolled back on error."""
        with Session(self._write_engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    @contextmanager
    def write_conn(self) -> Iterator[sqlite3.Connection]:
        """The raw connection in a `BEGIN IMMEDIATE` transaction, committed on success, rolled back on
        error: for the hot paths that write with SQL alone (a message sent, a sync's batch). A Session
        costs ~0.3 ms more a transaction on a CPU idle since the last one (measured: 0.5 against 0.18
        ms for one statement), on each side of every message."""
        pooled = self.engine.raw_connection()
        try:
            conn: sqlite3.Connection = pooled.driver_connection  # type: ignore[assignment]
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:  # (SQLite ends it itself on some errors)
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            pooled.close()  # back to the pool, which rolls back a commit that failed

    def close(self) -> None:
        self.engine.dispose()
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None


# Text that is not valid UTF-8 (only another program can have written it) is read with U+FFFD, not an error
# that would hide every row of the query. In C: ~0.3 us a value more than the default (measured).
_decode = operator.methodcaller("decode", "utf-8", "replace")


def _make_engine(path: Path) -> Engine:
    def creator() -> sqlite3.Connection:
        conn = connect(path, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.text_factory = _decode
        return conn

    engine = create_engine(
        "sqlite://",  # the file is the creator's, named exactly: a URL would read `?` and `%XX` in it
        creator=creator,
        poolclass=NullPool if single_connections() else QueuePool,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # We issue BEGIN ourselves (see below); the driver must not.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")  # batch ingest touches several indexes at once
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        # Writes take the write lock up front: a read-then-write transaction would otherwise fail
        # with "database is locked" at once, whatever the busy timeout.
        immediate = conn.get_execution_options().get("begin_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def open_database(
    path: str | os.PathLike[str],
    *,
    exclusive: bool = False,
    checked: Preflight | None = None,
    own_folder: bool = False,
) -> Database:
    """Open (or create) the store at `path`, migrated to this version's schema.

    With `exclusive`, also take the one-instance lock (the app does; scripts that only read do not).
    `checked` is a `preflight` already run for this path (the app runs it while it imports its screens).
    With `own_folder` (the app's data folder), the folder is kept 0700 (the file is always kept 0600).
    Raises StoreError subclasses with a message fit for one line on stderr.
    """
    checked = checked or preflight(Path(path), exclusive=exclusive, own_folder=own_folder)
    try:
        checked.verify()  # a preflight that left the history tables for later: never migrate before
    except StoreError:
        checked.release()
        raise
    engine = _make_engine(checked.path)
    try:
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            migrate(raw)
    except (sqlite3.Error, DBAPIError) as exc:
        engine.dispose()
        checked.release()
        orig = exc.orig if isinstance(exc, DBAPIError) else exc
        raise classify(checked.path, orig) from exc  # type: ignore[arg-type]
    except BaseException:
        engine.dispose()
        checked.release()
        raise
    return Database(checked.path, engine, checked.lock, checked.notices)
