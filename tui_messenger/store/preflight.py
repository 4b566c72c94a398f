"""Checks before a database is used, on the standard library alone.

They run before any screen is drawn, and before SQLAlchemy is even imported, so the app can refuse a bad
file at once and start importing its screens while the checks run (`sqlite3` releases the GIL).
A file that is not ours, damaged, from a newer version, locked by another instance or read-only is refused
with a `StoreError` before anything is written: the file stays byte-identical. "Ours" is the schema
(store/schema.py): only our tables and indexes, our triggers and full-text table word for word, no view;
another program's SQLite file, or ours with a table dropped or a trigger planted, is refused before
SQLite's journal mode or anything else changes. Every connection names exactly the file given (a `?` or
`%41` in the name is part of it), and a file that passed is kept private: 0600 with its side files.

The integrity check in two steps (`defer_history=True`, what the app does). A full `PRAGMA quick_check`
reads every page: about 0.5 s for a million messages, which would double the time to the first frame.
(`quick_check(1)` is no cheaper: its argument caps the errors reported, not the pages read.) So before the
first frame the app checks what that frame and every write path rest on: the header and the schema (the
first query parses both), the schema version, and each table that grows with chats and accounts rather
than with history, with its indexes (`PRAGMA quick_check(<table>)`, SQLite 3.33+): together about 1 ms.
The tables that grow with history (`HISTORY_TABLES`: messages, their full-text index, reactions,
attachments) and the page accounting (pages in no b-tree, or in two) are left to the full `quick_check`,
which `Preflight.verify` runs in a background thread right after the first frame. Nothing writes to the
file before it passed: the service (the only writer: migrations, network, outbox) opens the database only
after `verify`, and `open_database` runs it itself for a preflight that has not. Until then the first
frame reads the chat list read-only, so a damage found late costs a glimpse of the list, never a write:
the app then closes with the same one line and exit code 2 as a damage found before the screen.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from tui_messenger.domain.private import FILE_MODE, make_private_folder, private_folder, tighten
from tui_messenger.store.schema import SCHEMA_SQL, schema_problem

SCHEMA_VERSION = 9
BUSY_TIMEOUT_MS = 5000
# Tables whose size grows with the message history: their check waits until after the first frame.
HISTORY_TABLES = frozenset(
    {"messages", "message_fts_data", "message_fts_idx", "message_fts_docsize", "reactions", "attachments"}
)


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


class NotOursError(CorruptDatabaseError):
    """Another program's SQLite file, or ours with a table dropped or a trigger or view planted."""


SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass
class Preflight:
    """A database that passed the checks; with `exclusive`, it holds the one-instance lock."""

    path: Path
    version: int
    lock: IO[bytes] | None = field(default=None, repr=False)
    verified: bool = True  # False: the history tables and the page accounting are not checked yet
    notices: list[str] = field(default_factory=list)  # permissions tightened: one line each for stderr
    created: bool = False  # this check made the file (it did not exist)

    def verify(self) -> None:
        """The full `quick_check`, read-only (see the module docstring); raises CorruptDatabaseError."""
        if self.verified:
            return
        conn = _read_only(self.path)
        try:
            _quick_check(conn, self.path, "PRAGMA quick_check(1)")
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            raise classify(self.path, exc) from exc
        finally:
            conn.close()
        self.verified = True

    def release(self) -> None:
        if self.lock is not None:
            self.lock.close()
            self.lock = None

    def abandon(self) -> None:
        """The start was refused after the check (a bad scenario, no terminal): the lock released, and a
        file this check made, still empty, removed, so a refused start leaves nothing behind."""
        self.release()
        try:
            if not self.created or self.path.stat().st_size:
                return
            self.path.unlink()
        except OSError:
            return
        _take_back(self.path, {"-wal", "-shm"})


def _decode(value: bytes) -> str:
    return value.decode("utf-8", "replace")


def classify(path: Path, exc: sqlite3.Error | UnicodeDecodeError) -> StoreError:
    if isinstance(exc, UnicodeDecodeError):  # SQLite's message quoted a name that is not UTF-8
        return NotOursError(f"{path}: not a tui-messenger database or damaged (a name is not UTF-8)")
    # One line of printable text: SQLite's messages quote names from the file, which may hold anything.
    text = "".join(ch if ch.isprintable() else "?" for ch in " ".join(str(exc).split()))
    if "readonly" in text or "read-only" in text:
        return ReadOnlyDatabaseError(f"{path}: database is read-only")
    if "locked" in text or "busy" in text:
        return DatabaseLockedError(f"{path}: database is locked by another program")
    if "disk" in text and "full" in text:
        return StoreError(f"{path}: the disk is full")
    if "not a database" in text or "malformed" in text:
        return CorruptDatabaseError(f"{path}: not a tui-messenger database or damaged ({text})")
    return DatabaseOpenError(f"{path}: cannot open database: {text}")


def connect(
    path: Path,
    *,
    timeout: float = 5.0,
    isolation_level: Literal["DEFERRED", "EXCLUSIVE", "IMMEDIATE"] | None = "DEFERRED",
    check_same_thread: bool = True,
) -> sqlite3.Connection:
    """A connection to exactly the file `path`: never read as a URI or a URL (`?`, `%41`, `file:`).

    Connections that write keep `trusted_schema` on: our own FTS5 triggers write to a virtual table,
    which SQLite refuses with it off ("unsafe use of virtual table"). What guards them is `check_schema`:
    no trigger or view but ours, word for word, before anything opens the file for writing."""
    return sqlite3.connect(
        os.path.abspath(path), timeout=timeout, isolation_level=isolation_level,
        check_same_thread=check_same_thread,
    )  # fmt: skip


def _read_only(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)  # as_uri quotes ? and %
        conn.execute("PRAGMA trusted_schema=OFF")
        conn.text_factory = _decode  # a name that is not UTF-8 is reported, not a traceback
        return conn
    except sqlite3.Error as exc:
        raise DatabaseOpenError(f"{path}: cannot open: {exc}") from exc


def check_schema(conn: sqlite3.Connection, path: Path, version: int) -> list[tuple[str, str, str | None]]:
    """Refuse (NotOursError) a schema that is not ours at `version` (see store/schema.py); the rows."""
    rows = conn.execute(SCHEMA_SQL).fetchall()
    problem = schema_problem(rows, version, SCHEMA_VERSION)
    if problem is not None:
        raise NotOursError(
            f"{path}: not a tui-messenger database or damaged ({problem}); refusing to open it"
        )
    return rows


def _quick_check(conn: sqlite3.Connection, path: Path, sql: str) -> None:
    result = conn.execute(sql).fetchone()[0]
    if result != "ok":
        first = " ".join(str(result).split())  # SQLite's report spans lines; the user gets one
        raise CorruptDatabaseError(f"{path}: database is damaged (quick_check: {first[:160]})")


def _check_small_tables(
    conn: sqlite3.Connection, path: Path, rows: list[tuple[str, str, str | None]]
) -> None:
    """Each table outside HISTORY_TABLES with its indexes (virtual tables have no b-tree of their own)."""
    for kind, name, sql in rows:
        if kind == "table" and not (sql or "").startswith("CREATE VIRTUAL") and name not in HISTORY_TABLES:
            quoted = name.replace('"', '""')
            _quick_check(conn, path, f'PRAGMA quick_check("{quoted}")')


def _read_checks(path: Path, *, defer_history: bool = False) -> int:
    """Ours, intact, not from a newer version: read-only, so nothing can change the file."""
    conn = _read_only(path)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise NewerSchemaError(
                f"{path}: database is from a newer tui-messenger (schema {version}, this version knows "
                f"{SCHEMA_VERSION}); refusing to open it"
            )
        rows = check_schema(conn, path, version)
        if defer_history:
            _check_small_tables(conn, path, rows)
        else:
            _quick_check(conn, path, "PRAGMA quick_check(1)")
        return version
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        raise classify(path, exc) from exc
    finally:
        conn.close()


def _write_probe(path: Path, version: int) -> None:
    """A write that is rolled back: a read-only or locked file fails here, before any change."""
    try:
        conn = connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise classify(path, exc) from exc
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(f"PRAGMA user_version = {version}")
        finally:
            conn.execute("ROLLBACK")
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise classify(path, exc) from exc
    finally:
        conn.close()


def _lock_instance(path: Path) -> IO[bytes]:
    """One messenger per database: an advisory lock that SQLite's own locks do not see."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - held for the life of the Database
    except OSError as exc:
        raise DatabaseOpenError(f"{path}: cannot open database: {exc.strerror}") from exc
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        handle.close()
        raise DatabaseLockedError(f"{path}: database is in use by another tui-messenger") from exc
    return handle


def _create(path: Path) -> bool:
    """A new, empty database file, 0600, in a folder made 0700 if it has to be made; False if another
    process made it meanwhile."""
    try:
        make_private_folder(path.parent)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE))
        return True
    except FileExistsError:
        return False  # made meanwhile: checked like any other file
    except OSError as exc:
        raise DatabaseOpenError(f"{path}: cannot create database: {exc.strerror}") from exc


def _private(path: Path, *, folder: bool) -> list[str]:
    """The database and its side files 0600 (and with `folder`, its folder 0700): the notices."""
    notices = private_folder(path.parent) if folder else []
    for name in (path, *(Path(f"{path}{suffix}") for suffix in SIDE_FILES)):
        notice = tighten(name, mode=FILE_MODE, what="file")
        if notice:
            notices.append(notice)
    return notices


def preflight(
    path: str | Path, *, exclusive: bool = False, defer_history: bool = False, own_folder: bool = False
) -> Preflight:
    """Check (or create) the database file at `path`. Raises StoreError subclasses.

    With `defer_history`, the history tables are left to `Preflight.verify` (see the module docstring).
    A file that passed is made private: 0600, its side files too, and with `own_folder` (the app's
    own data folder) the folder 0700; each loosened permission taken back is a line in `notices`."""
    path = Path(path).expanduser()
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise DatabaseOpenError(f"{path}: cannot open database: {exc.strerror}") from exc
    # Reading a WAL file, even read-only, makes its -wal and -shm; a refusal takes back those it made
    # (not when another instance holds the file: they may be its own by now).
    made = {suffix for suffix in ("-wal", "-shm") if not os.path.lexists(f"{path}{suffix}")}
    try:
        return _preflight(path, info, exclusive=exclusive, defer_history=defer_history, own_folder=own_folder)
    except DatabaseLockedError:
        raise
    except StoreError:
        _take_back(path, made)
        raise


def _take_back(path: Path, made: set[str]) -> None:
    """The side files that refused checks made: an empty -wal (they never write) and its -shm."""
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    try:
        if "-wal" in made and wal.exists():
            if wal.stat().st_size:
                return
            wal.unlink()
        if "-shm" in made and shm.exists():
            shm.unlink()
    except OSError:
        pass


def _preflight(
    path: Path, info: os.stat_result | None, *, exclusive: bool, defer_history: bool, own_folder: bool
) -> Preflight:
    deferred = created = False
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise DatabaseOpenError(f"{path}: not a regular file")
        if not os.access(path, os.R_OK):
            raise DatabaseOpenError(f"{path}: cannot open database: permission denied")
        if not os.access(path, os.W_OK):  # before SQLite opens it: it would leave a read-only -shm behind
            raise ReadOnlyDatabaseError(f"{path}: database is read-only")
        deferred = defer_history and info.st_size > 0
        version = _read_checks(path, defer_history=deferred) if info.st_size else 0
    else:
        created = _create(path)
        version = 0
    lock = _lock_instance(path) if exclusive else None
    try:
        _write_probe(path, version)
        notices = _private(path, folder=own_folder)
    except StoreError:
        if lock is not None:
            lock.close()
        raise
    except OSError as exc:
        if lock is not None:
            lock.close()
        raise DatabaseOpenError(f"{path}: cannot open database: {exc.strerror}") from exc
    return Preflight(path, version, lock, verified=not deferred, notices=notices, created=created)
