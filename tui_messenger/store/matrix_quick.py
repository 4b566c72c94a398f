"""The Matrix login of a database, read with the standard library alone: before SQLAlchemy is imported,
the first sync can be asked for (transport/matrix/early_sync.py) while the service is built."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tui_messenger.store.setting_keys import SYNC_TOKEN


@dataclass(frozen=True, slots=True)
class QuickLogin:
    homeserver: str
    access_token: str
    since: str | None  # the stored sync token


def quick_login(path: Path) -> QuickLogin | None:
    """The signed-in Matrix account's server, token and sync position; None for any other database (or
    one that cannot be read: the service's own checks then say why)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA trusted_schema=OFF")
        row = conn.execute("SELECT homeserver, access_token FROM matrix_account WHERE one = 1").fetchone()
        token = conn.execute("SELECT value FROM settings WHERE key = ?", (SYNC_TOKEN,)).fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    if row is None or not row[1]:
        return None
    return QuickLogin(str(row[0]), str(row[1]), str(token[0]) if token and token[0] else None)
