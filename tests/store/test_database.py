"""Opening the store: pragmas, refusals that leave the file byte-identical, read-only files."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tui_messenger.store.database import (
    CorruptDatabaseError,
    NewerSchemaError,
    ReadOnlyDatabaseError,
    classify,
    open_database,
)
from tui_messenger.store.migrations import SCHEMA_VERSION, migrate


def test_pragmas_wal_full_foreign_keys(db) -> None:
    with db.read() as session:
        conn = session.connection().connection.dbapi_connection
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_write_sessions_take_the_write_lock_up_front(db, db_path: Path) -> None:
    other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    with db.write() as session:
        session.connection()  # BEGIN IMMEDIATE has run
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.close()


def test_newer_schema_refused_and_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (a)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError):
        open_database(path)
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_random_bytes_refused_and_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(os.urandom(8192))
    before = path.read_bytes()
    with pytest.raises(CorruptDatabaseError):
        open_database(path)
    assert path.read_bytes() == before


def test_read_only_database_fails_on_the_write_probe_untouched(tmp_path: Path) -> None:
    # As root, file permissions do not stop writes: open the file read-only by URI instead.
    path = tmp_path / "ro.db"
    open_database(path).close()
    before = path.read_bytes()
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError) as info:
        migrate(conn)
    conn.close()
    assert isinstance(classify(path, info.value), ReadOnlyDatabaseError)
    assert path.read_bytes() == before


def test_reopen_keeps_data(db_path: Path) -> None:
    from tui_messenger.store.settings import SettingsRepository

    first = open_database(db_path)
    SettingsRepository(first).set_sync_token(token="abc")
    first.close()
    second = open_database(db_path)
    assert SettingsRepository(second).sync_token() == "abc"
    second.close()


def made_at(tmp_path: Path, version: int, *statements: str) -> Path:
    """A database of ours as `version` left it: made now, then `statements` undo what came later."""
    path = tmp_path / f"v{version}.db"
    open_database(path).close()
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path


def test_a_version_1_database_gains_the_mute_duration(tmp_path: Path) -> None:
    path = made_at(
        tmp_path, 1, "ALTER TABLE chats DROP COLUMN muted_until"
    )  # as version 1 was made before mutes had one
    db = open_database(path)
    with db.read() as session:
        raw = session.connection().connection.dbapi_connection
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 9
        assert "muted_until" in {row[1] for row in raw.execute("PRAGMA table_info(chats)")}
    db.close()


def test_a_version_2_database_gains_reactions_edits_deletions_and_files(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE reactions")  # as version 2 was made before them
    conn.execute("DROP TABLE attachments")
    conn.execute("DROP TABLE action_outbox")
    for column in ("edited_at", "deleted_at", "hidden"):
        conn.execute(f"ALTER TABLE messages DROP COLUMN {column}")
    conn.execute(
        "INSERT INTO accounts (id, display_name, kind, verified, scam, about, description, category,"
        " address, email, websites, hours, updated_at) VALUES ('a', 'A', 'person', 0, 0, '', '', '',"
        " '', '', '', '', 0)"
    )
    conn.execute(
        "INSERT INTO chats (peer_id, kind, pinned, muted, archived, is_request, unread_count,"
        " last_activity, last_preview, last_outbound_at, draft) VALUES ('a', 'personal', 0, 0, 0, 0,"
        " 0, 0, '', 0, '')"
    )
    conn.execute(
        "INSERT INTO messages (message_id, chat_id, sender_id, direction, kind, body, position,"
        " sent_at, status) VALUES ('m1', 1, 'a', 'in', 'text', 'kept', 1, 1, 'delivered')"
    )
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    db = open_database(path)
    with db.read() as session:
        raw = session.connection().connection.dbapi_connection
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 9
        columns = {row[1]: row for row in raw.execute("PRAGMA table_info(messages)")}
        assert {"edited_at", "deleted_at", "hidden"} <= set(columns)
        assert raw.execute("SELECT body, hidden, edited_at FROM messages").fetchall() == [("kept", 0, None)]
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"reactions", "attachments", "action_outbox"} <= tables
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_a_version_3_database_gains_the_matrix_account_table(tmp_path: Path) -> None:
    path = made_at(tmp_path, 3, "DROP TABLE matrix_account")  # as version 3 was made before Matrix accounts
    db = open_database(path)
    with db.read() as session:
        raw = session.connection().connection.dbapi_connection
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 9
        columns = {row[1] for row in raw.execute("PRAGMA table_info(matrix_account)")}
        assert {"homeserver", "user_id", "device_id", "access_token", "pickle_key"} <= columns
        with pytest.raises(sqlite3.IntegrityError):  # one account per database
            raw.execute("INSERT INTO matrix_account (one, homeserver, user_id) VALUES (2, 'h', '@a:h')")
    db.close()


def test_a_version_4_database_gains_the_source_of_files_still_on_the_network(tmp_path: Path) -> None:
    path = made_at(
        tmp_path, 4, "ALTER TABLE attachments DROP COLUMN source"
    )  # as version 4 was made before Matrix files
    db = open_database(path)
    with db.read() as session:
        raw = session.connection().connection.dbapi_connection
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 9
        columns = {row[1]: row for row in raw.execute("PRAGMA table_info(attachments)")}
        assert "source" in columns and columns["source"][3] == 0  # nullable: files here have none
    db.close()


def test_a_version_5_database_gains_the_encrypted_mark_of_accounts(tmp_path: Path) -> None:
    path = tmp_path / "v5.db"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE accounts DROP COLUMN encrypted")  # as version 5 was made before it
    conn.execute(
        "INSERT INTO accounts (id, display_name, kind, verified, scam, about, description, category,"
        " address, email, websites, hours, updated_at) VALUES ('a', 'A', 'person', 0, 0, '', '', '',"
        " '', '', '', '', 0)"
    )
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()
    db = open_database(path)
    with db.read() as session:
        raw = session.connection().connection.dbapi_connection
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 9
        assert raw.execute("SELECT id, encrypted FROM accounts").fetchall() == [("a", 0)]
    db.close()


@pytest.mark.parametrize(
    ("version", "new_tables"),
    [
        (6, ("matrix_events", "matrix_rooms")),  # what a Matrix device remembers across restarts
        (7, ("waiting_changes",)),  # changes that came before their message
    ],
)
def test_an_older_database_gains_the_tables_of_later_versions(
    tmp_path: Path, version: int, new_tables: tuple[str, ...]
) -> None:
    path = tmp_path / f"v{version}.db"
    open_database(path).close()
    conn = sqlite3.connect(path)
    for table in new_tables:
        conn.execute(f"DROP TABLE {table}")  # as that version was made before they were kept
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    db = open_database(path)
    with db.read() as session:
        raw = session.connection().connection.dbapi_connection
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 9
        tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert set(new_tables) <= tables
    db.close()


def test_a_version_8_database_gains_where_files_were_saved(tmp_path: Path) -> None:
    path = made_at(tmp_path, 8, "ALTER TABLE attachments DROP COLUMN saved_to")  # made before it
    db = open_database(path)
    with db.read() as session:
        raw = session.connection().connection.dbapi_connection
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 9
        columns = {row[1]: row for row in raw.execute("PRAGMA table_info(attachments)")}
        assert "saved_to" in columns and columns["saved_to"][3] == 0  # nullable: nothing saved yet
    db.close()
