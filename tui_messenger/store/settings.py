"""Small key/value state: the sync token, pending preference changes."""

from __future__ import annotations

import sqlite3

from tui_messenger.store.base import Repository, raw
from tui_messenger.store.setting_keys import CLOCK_JUMPED, SYNC_TOKEN

__all__ = ["CLOCK_JUMPED", "SYNC_TOKEN", "SettingsRepository", "put"]


def put(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM settings WHERE key = ?", (key,))
    else:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


class SettingsRepository(Repository):
    def get(self, *, key: str) -> str | None:
        with self.db.read() as session:
            row = raw(session).execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
            return row[0] if row else None

    def set(self, *, key: str, value: str | None) -> None:
        with self.db.write() as session:
            put(raw(session), key, value)

    def sync_token(self) -> str | None:
        return self.get(key=SYNC_TOKEN)

    def set_sync_token(self, *, token: str) -> None:
        self.set(key=SYNC_TOKEN, value=token)

    def set_clock_jumped(self, *, seconds: float) -> None:
        """Remember the virtual clock's jumps, so the next run's clock goes on from there."""
        self.set(key=CLOCK_JUMPED, value=repr(float(seconds)))
