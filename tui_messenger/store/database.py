"""Opening the database safely: checks first, then WAL, pragmas and migrations.

A file that is not ours (random bytes), corrupt, from a newer version, locked by another instance or
read-only is refused with a clear `StoreError` before anything is written, so the file stays untouched.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from tui_messenger.store.migrations import SCHEMA_VERSION, migrate

BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 16384


class StoreError(Exception):
    """A database problem to show the user as one clear line."""


class DatabaseOpenError(StoreError):
    pass


class NewerSchemaError(StoreError):
    pass


class CorruptDatabaseError(StoreError):
    pass


class DatabaseLockedError(StoreError):
    pass


class ReadOnlyDatabaseError(StoreError):
    pass


def _preflight(path: Path) -> None:
    """Read-only checks on an existing file: ours, intact, not from a newer version."""
    if not path.is_file():
        raise DatabaseOpenError(f"{path}: not a regular file")
    if path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseOpenError(f"{path}: cannot open: {exc}") from exc
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise NewerSchemaError(
                f"{path}: database is from a newer tui-messenger (schema {version}, this version knows "
                f"{SCHEMA_VERSION}); refusing to open it"
            )
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise CorruptDatabaseError(f"{path}: database is damaged (quick_check: {result})")
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise DatabaseLockedError(f"{path}: database is locked by another program") from exc
        raise CorruptDatabaseError(f"{path}: not a tui-messenger database or damaged ({exc})") from exc
    finally:
        conn.close()


def _classify(path: Path, exc: sqlite3.Error) -> StoreError:
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDatabaseError(f"{path}: database is read-only")
    if "locked" in text or "busy" in text:
        return DatabaseLockedError(f"{path}: database is locked by another program")
    if "disk" in text and "full" in text:
        return StoreError(f"{path}: the disk is full")
    return DatabaseOpenError(f"{path}: cannot open database: {text}")


class Database:
    """An open store: an engine with our pragmas, and read and write sessions."""

    def __init__(self, path: Path, engine: Engine, lock_file: IO[bytes] | None = None) -> None:
        self.path = path
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

    def close(self) -> None:
        self.engine.dispose()
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None


def _make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=NullPool if os.environ.get("TUI_MESSENGER_NULLPOOL") else None,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
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


def _lock_instance(path: Path) -> IO[bytes]:
    """One messenger per database: an advisory lock that SQLite's own locks do not see."""
    handle = open(path, "rb")  # noqa: SIM115 - held for the life of the Database
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        handle.close()
        raise DatabaseLockedError(f"{path}: database is in use by another tui-messenger") from exc
    return handle


def open_database(path: str | os.PathLike[str], *, exclusive: bool = False) -> Database:
    """Open (or create) the store at `path`, migrated to this version's schema.

    With `exclusive`, also take the one-instance lock (the app does; scripts that only read do not).
    Raises StoreError subclasses with a message fit for one line on stderr.
    """
    path = Path(path).expanduser()
    if path.exists():
        _preflight(path)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        except OSError as exc:
            raise DatabaseOpenError(f"{path}: cannot create database: {exc.strerror}") from exc
    lock = _lock_instance(path) if exclusive else None
    engine = _make_engine(path)
    try:
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            migrate(raw)
    except (sqlite3.Error, DBAPIError) as exc:
        engine.dispose()
        if lock:
            lock.close()
        orig = exc.orig if isinstance(exc, DBAPIError) else exc
        raise _classify(path, orig) from exc  # type: ignore[arg-type]
    except Exception:
        engine.dispose()
        if lock:
            lock.close()
        raise
    return Database(path, engine, lock)
