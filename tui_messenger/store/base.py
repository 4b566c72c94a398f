"""What every repository shares: the database, and the raw connection of a session for hot paths."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlmodel import Session

from tui_messenger.store.database import Database

T = TypeVar("T")

# SQLite's default limit on host parameters is 32766 since 3.32; stay well below it.
CHUNK = 900


class Repository:
    """Base of the repositories: each takes the Database and opens one session per call."""

    def __init__(self, db: Database) -> None:
        self.db = db


def raw(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under `session`, inside the session's transaction."""
    dbapi = session.connection().connection.dbapi_connection
    assert dbapi is not None
    return dbapi  # type: ignore[return-value]


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def select_in(
    conn: sqlite3.Connection, sql: str, values: Iterable[Any], *, prefix: Sequence[Any] = ()
) -> list[tuple[Any, ...]]:
    """Run `sql` (with one `({})` placeholder for an IN list) over `values` in chunks."""
    items = list(dict.fromkeys(values))
    out: list[tuple[Any, ...]] = []
    for part in chunks(items):
        marks = ",".join("?" * len(part))
        out.extend(conn.execute(sql.format(marks), (*prefix, *part)).fetchall())
    return out
