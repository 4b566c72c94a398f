"""The integrity check in two steps: the small tables before the first frame, the history after it,
and never a write before both passed (store/preflight.py explains why that is safe)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from tui_messenger.store.database import CorruptDatabaseError, open_database
from tui_messenger.store.preflight import HISTORY_TABLES, preflight


def damaged(path: Path, table: str, rows: int = 300) -> None:
    """A real store whose `table` (filled with `rows` rows first) has its root page scrambled."""
    open_database(path).close()
    conn = sqlite3.connect(path)
    if table == "messages":
        conn.executemany(
            "INSERT INTO messages (message_id, chat_id, sender_id, direction, kind, body, position, sent_at,"
            " status) VALUES (?, 1, 'x', 'inbound', 'text', ?, ?, 0, 'delivered')",
            [(f"m{i}", "hello " * 20, i) for i in range(rows)],
        )
    else:  # one of our small tables (a table not ours is refused as such, before any integrity check)
        conn.executemany(f"INSERT INTO {table} VALUES (?, ?)", [(f"k{i}", "x" * 100) for i in range(rows)])
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * size
    for i in range(start + 12, start + size - 8, 5):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_damage_in_a_small_table_is_found_before_the_first_frame(tmp_path: Path) -> None:
    path = tmp_path / "small.db"
    assert "settings" not in HISTORY_TABLES
    damaged(path, "settings")
    before = digest(path)
    with pytest.raises(CorruptDatabaseError, match="damaged"):
        preflight(path, exclusive=True, defer_history=True)
    assert digest(path) == before


def test_damage_in_the_history_is_left_to_verify_which_finds_it(tmp_path: Path) -> None:
    assert "messages" in HISTORY_TABLES
    path = tmp_path / "history.db"
    damaged(path, "messages")
    before = digest(path)
    checked = preflight(path, exclusive=True, defer_history=True)
    try:
        assert not checked.verified
        with pytest.raises(CorruptDatabaseError, match="damaged"):
            checked.verify()
        assert not checked.verified
        # open_database never migrates (writes) a file whose check has not passed
        with pytest.raises(CorruptDatabaseError):
            open_database(path, checked=checked)
    finally:
        checked.release()
    assert digest(path) == before
    with pytest.raises(CorruptDatabaseError):  # the plain path checks everything up front, as before
        preflight(path)


def test_an_intact_store_passes_both_steps(tmp_path: Path) -> None:
    path = tmp_path / "ok.db"
    open_database(path).close()
    checked = preflight(path, exclusive=True, defer_history=True)
    assert not checked.verified
    checked.verify()
    assert checked.verified
    open_database(path, checked=checked).close()


def test_a_new_file_has_nothing_to_verify(tmp_path: Path) -> None:
    checked = preflight(tmp_path / "new.db", defer_history=True)
    assert checked.verified
    checked.release()
