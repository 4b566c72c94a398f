"""Checks before a database is used, on the standard library alone.

They run before any screen is drawn, and before SQLAlchemy is even imported, so the app can refuse a bad
file at once and start importing its screens while the checks run (`sqlite3` releases the GIL).
A file that is not ours, damaged, from a newer version, locked by another instance or read-only is refused
with a `StoreError` before anything is written: the file stays byte-identical.
"""

from __future__ import annotations

import fcntl
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

SCHEMA_VERSION = 3
BUSY_TIMEOUT_MS = 5000


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


@dataclass
class Preflight:
    """A database that passed the checks; with `exclusive`, it holds the one-instance lock."""

    path: Path
    version: int
    lock: IO[bytes] | None = field(default=None, repr=False)

    def release(self) -> None:
        if self.lock is not None:
            self.lock.close()
            self.lock = None


def classify(path: Path, exc: sqlite3.Error) -> StoreError:
    text = " ".join(str(exc).split())
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDatabaseError(f"{path}: database is read-only")
    if "locked" in text or "busy" in text:
        return DatabaseLockedError(f"{path}: database is locked by another program")
    if "disk" in text and "full" in text:
        return StoreError(f"{path}: the disk is full")
    if "not a database" in text or "malformed" in text:
        return CorruptDatabaseError(f"{path}: not a tui-messenger database or damaged ({text})")
    return DatabaseOpenError(f"{path}: cannot open database: {text}")


def _read_checks(path: Path) -> int:
    """Ours, intact, not from a newer version: read-only, so nothing can change the file."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseOpenError(f"{path}: cannot open: {exc}") from exc
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise NewerSchemaError(
                f"{path}: database is from a newer tui-messenger (schema {version}, this version knows "
                f"{SCHEMA_VERSION}); refusing to open it"
            )
        result = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if result != "ok":
            first = " ".join(str(result).split())  # SQLite's report spans lines; the user gets one
            raise CorruptDatabaseError(f"{path}: database is damaged (quick_check: {first[:160]})")
        return version
    except sqlite3.DatabaseError as exc:
        raise classify(path, exc) from exc
    finally:
        conn.close()


def _write_probe(path: Path, version: int) -> None:
    """A write that is rolled back: a read-only or locked file fails here, before any change."""
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise classify(path, exc) from exc
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(f"PRAGMA user_version = {version}")
        finally:
            conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise classify(path, exc) from exc
    finally:
        conn.close()


def _lock_instance(path: Path) -> IO[bytes]:
    """One messenger per database: an advisory lock that SQLite's own locks do not see."""
    handle = open(path, "rb")  # noqa: SIM115 - held for the life of the Database
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        handle.close()
        raise DatabaseLockedError(f"{path}: database is in use by another tui-messenger") from exc
    return handle


def preflight(path: str | Path, *, exclusive: bool = False) -> Preflight:
    """Check (or create) the database file at `path`. Raises StoreError subclasses."""
    path = Path(path).expanduser()
    if path.exists():
        if not path.is_file():
            raise DatabaseOpenError(f"{path}: not a regular file")
        version = _read_checks(path) if path.stat().st_size else 0
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        except OSError as exc:
            raise DatabaseOpenError(f"{path}: cannot create database: {exc.strerror}") from exc
        version = 0
    lock = _lock_instance(path) if exclusive else None
    try:
        _write_probe(path, version)
    except StoreError:
        if lock is not None:
            lock.close()
        raise
    return Preflight(path, version, lock)
