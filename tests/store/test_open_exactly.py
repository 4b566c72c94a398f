"""Issue 12: the store opens only what is ours, exactly the file named, and keeps it private.

A foreign SQLite file, ours with a table dropped or a trigger or view planted, is refused before a byte is
written (sha256 before and after); a name with `?` or `%41` is that file, not a URL; the database, its side
files and its folder are 0600 / 0700 whatever the umask; a read-only file leaves nothing behind; text that
is not UTF-8 in one row hides no other row.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import apply, inbound, person

from tui_messenger.store.chat_rows import QuickChatList
from tui_messenger.store.chats import ChatRepository
from tui_messenger.store.database import (
    DatabaseOpenError,
    NotOursError,
    ReadOnlyDatabaseError,
    open_database,
)
from tui_messenger.store.migrations import SCHEMA_VERSION
from tui_messenger.store.preflight import preflight
from tui_messenger.store.schema import EXACT, INDEXES, TABLES
from tui_messenger.store.settings import SettingsRepository


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def places_like(path: Path, version: int = 0) -> None:
    """A browser's history file: tables of its own, in rollback-journal mode."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT, title TEXT)")
    conn.execute("CREATE TABLE moz_historyvisits (id INTEGER PRIMARY KEY, place_id INTEGER)")
    conn.execute("INSERT INTO moz_places (url, title) VALUES ('https://example.org/', 'Example')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def ours(path: Path) -> None:
    """A database of ours, closed and checkpointed into the main file."""
    open_database(path).close()
    assert not Path(f"{path}-wal").exists()


def assert_untouched(path: Path, before: str) -> None:
    assert digest(path) == before
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-journal").exists()


# Open only what is ours ----------------------------------------------------------------------------
def test_the_schema_names_are_what_the_migrations_make(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    ours(path)
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    conn.close()
    assert {n for t, n, _ in rows if t == "table"} == TABLES
    assert {n for t, n, _ in rows if t == "index"} == INDEXES
    assert {n for t, n, _ in rows if t == "trigger"} | {"message_fts"} == set(EXACT)
    assert not [n for t, n, _ in rows if t == "view"]


@pytest.mark.parametrize("version", [0, 1, SCHEMA_VERSION])
def test_another_programs_sqlite_file_is_refused_byte_identical(tmp_path: Path, version: int) -> None:
    path = tmp_path / "places.sqlite"
    places_like(path, version)
    before = digest(path)
    with pytest.raises(NotOursError, match="not a tui-messenger database.*moz_"):
        open_database(path, exclusive=True)
    assert_untouched(path, before)
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # never switched to WAL
    conn.close()


def test_our_file_with_a_table_dropped_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    ours(path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE blocks")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NotOursError, match="'blocks' is missing"):
        open_database(path)
    assert_untouched(path, before)


PLANTED = {
    "trigger": "CREATE TRIGGER trust AFTER INSERT ON accounts BEGIN"
    " UPDATE accounts SET verified = 1, verified_name = new.display_name WHERE id = new.id; END",
    "view": "CREATE VIEW v AS SELECT * FROM accounts",
    "table": "CREATE TABLE extra (x)",
    "index": "CREATE INDEX ix_extra ON accounts (display_name)",
    # one of our triggers, rewritten to mark every sender verified
    "our trigger changed": "DROP TRIGGER messages_fts_insert; CREATE TRIGGER messages_fts_insert AFTER INSERT"
    " ON messages BEGIN UPDATE accounts SET verified = 1 WHERE id = new.sender_id; END",
}


@pytest.mark.parametrize("what", list(PLANTED))
def test_a_trigger_view_table_or_index_planted_in_ours_is_refused(tmp_path: Path, what: str) -> None:
    path = tmp_path / "m.db"
    ours(path)
    conn = sqlite3.connect(path)
    conn.executescript(PLANTED[what])
    conn.close()
    before = digest(path)
    with pytest.raises(NotOursError, match="does not make"):
        preflight(path, exclusive=True, defer_history=True)  # what the app runs before its first frame
    with pytest.raises(NotOursError):
        open_database(path)
    assert_untouched(path, before)


def test_an_older_version_of_ours_still_opens_and_is_completed(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    ours(path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE reactions")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    db = open_database(path)
    with db.read() as session:
        raw = session.connection().connection.dbapi_connection
        assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 'reactions'").fetchone()[0] == 1
    db.close()


# Exactly the file named ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["q.db?timeout=5", "pct%41.db", "file:x.db?mode=memory", "a#b.db"])
def test_a_name_that_looks_like_a_url_is_that_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    db = open_database(path, exclusive=True)
    SettingsRepository(db).set_sync_token(token="here")
    db.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no q.db, no pctA.db, nothing else
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    assert conn.execute("SELECT value FROM settings").fetchall() == [("here",)]
    conn.close()


def test_a_query_in_the_name_does_not_bypass_the_checks_of_the_other_file(tmp_path: Path) -> None:
    # q.db is from a newer version, in rollback-journal mode; "q.db?timeout=1" is another file
    newer = tmp_path / "q.db"
    ours(newer)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = digest(newer)
    db = open_database(tmp_path / "q.db?timeout=1", exclusive=True)
    try:
        with db.read() as session:
            raw = session.connection().connection.dbapi_connection
            assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        db.close()
    assert_untouched(newer, before)


def test_a_second_instance_with_a_query_in_the_name_writes_its_own_file(tmp_path: Path) -> None:
    first = open_database(tmp_path / "q.db", exclusive=True)
    second = open_database(tmp_path / "q.db?timeout=1", exclusive=True)  # another file: its own lock
    try:
        SettingsRepository(second).set_sync_token(token="second")
        assert SettingsRepository(first).sync_token() is None  # not the same database underneath
    finally:
        second.close()
        first.close()


# Private by default --------------------------------------------------------------------------------
def test_a_new_database_and_its_folders_are_private(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "new" / "deeper" / "m.db"
    db = open_database(path, exclusive=True)
    try:
        with db.write() as session:
            session.connection()
        assert mode(path) == 0o600
        for side in ("-wal", "-shm"):
            assert mode(Path(f"{path}{side}")) == 0o600, side
        assert mode(path.parent) == 0o700
        assert mode(path.parent.parent) == 0o700
        assert db.notices == []
    finally:
        db.close()


def test_a_loosened_database_is_tightened_with_a_notice(tmp_path: Path, umask_022: None) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    path = folder / "m.db"
    ours(path)
    os.chmod(path, 0o644)
    holder = sqlite3.connect(path)  # another reader keeps the side files, made 0644 like the file
    holder.execute("SELECT count(*) FROM accounts").fetchall()
    assert mode(Path(f"{path}-wal")) == mode(Path(f"{path}-shm")) == 0o644
    db = open_database(path, exclusive=True, own_folder=True)
    try:
        assert mode(path) == mode(Path(f"{path}-wal")) == mode(Path(f"{path}-shm")) == 0o600
        assert mode(folder) == 0o700
        assert len(db.notices) == 4, db.notices
        assert all("\n" not in n and "now 0" in n for n in db.notices)
    finally:
        db.close()
        holder.close()


def test_a_folder_the_user_chose_is_left_as_it_is(tmp_path: Path, umask_022: None) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    db = open_database(folder / "m.db")
    db.close()
    assert mode(folder) == 0o755 and mode(folder / "m.db") == 0o600


# Read-only, unreachable ----------------------------------------------------------------------------
def _immutable(path: Path, on: bool) -> bool:
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    return subprocess.run([chattr, "+i" if on else "-i", str(path)], capture_output=True).returncode == 0


def test_a_read_only_database_is_refused_and_leaves_no_side_file(tmp_path: Path) -> None:
    # As root, file modes do not stop writes; the immutable attribute does (and access(2) reports it).
    path = tmp_path / "ro.db"
    ours(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")  # as the app leaves it
    conn.close()
    if not _immutable(path, True):
        pytest.skip("chattr +i is not available on this file system")
    try:
        before = digest(path)
        with pytest.raises(ReadOnlyDatabaseError, match="read-only"):
            open_database(path, exclusive=True)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["ro.db"]  # no -shm, no -wal left behind
        assert digest(path) == before
    finally:
        _immutable(path, False)


def test_a_path_that_cannot_be_looked_up_is_one_line(tmp_path: Path) -> None:
    # EACCES needs another user; a name too long fails the same lookup as root
    path = tmp_path / ("x" * 300) / "m.db"
    with pytest.raises(DatabaseOpenError) as info:
        preflight(path, exclusive=True)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


# One bad row hides no other ------------------------------------------------------------------------
def test_a_name_that_is_not_utf8_hides_no_chat(db, db_path: Path) -> None:
    apply(db, person("anna"), inbound("m1", "anna"), person("bob"), inbound("m2", "bob"))
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE accounts SET display_name = CAST(X'416e6e61ff' AS TEXT) WHERE id = 'anna'")
    conn.commit()
    conn.close()
    quick = QuickChatList(db_path).chat_list()
    full = ChatRepository(db).list()
    for chats in (quick, full):
        assert sorted(s.peer.display_name for s in chats) == ["Anna\ufffd", "Bob"]


def test_a_hostile_name_in_the_schema_is_one_printable_line(tmp_path: Path) -> None:
    escape = tmp_path / "escape.db"
    ours(escape)
    conn = sqlite3.connect(escape)
    conn.execute('CREATE TABLE "evil\x1b]2;pwn\x07\u202e" (x)')
    conn.commit()
    conn.close()
    not_utf8 = tmp_path / "not-utf8.db"
    ours(not_utf8)
    conn = sqlite3.connect(not_utf8)
    conn.execute("CREATE TABLE extra (x)")
    conn.execute("PRAGMA writable_schema=ON")  # only another program can write such a name
    conn.execute(
        "UPDATE sqlite_master SET name = CAST(X'6578741b5dff' AS TEXT),"
        " tbl_name = CAST(X'6578741b5dff' AS TEXT) WHERE name = 'extra'"
    )
    conn.commit()
    conn.close()
    for path in (escape, not_utf8):
        before = digest(path)
        with pytest.raises(NotOursError) as info:
            preflight(path, exclusive=True, defer_history=True)
        assert str(info.value).isprintable(), str(info.value)
        assert digest(path) == before
