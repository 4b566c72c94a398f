"""Changes that came before their message (an edit, a deletion, a reaction, a locked message's key), kept
in the database until the message comes (services/receive_units.py).

A network that sends again what was not acked (the fake peer) would bring them back after a restart
anyway; a Matrix sync does not: its position is stored with the batch, so what that batch brought must be
stored with it too. `KeepWaiting` goes last in a batch: in the batch's transaction it keeps the changes
that batch parked (by ack key: the message they wait for and the frame as it came) and removes the kept
ones it settled (applied at last, or given up). At start the kept frames are read back and received again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui_messenger.store.base import Repository, raw

if TYPE_CHECKING:
    from tui_messenger.store.ingest import BatchResult


@dataclass(slots=True)
class KeepWaiting:
    """The last item of a batch (an `AppliesItself`). `origin(item)`: the ack key of the frame a change
    item of the batch came in, and that frame (asked only when the batch parked something);
    `settled`: kept keys to remove unless the batch parks them again. After the transaction, `parked`
    holds what it kept (key -> message id)."""

    origin: Callable[[object], tuple[str, bytes] | None]
    settled: set[str]
    parked: dict[str, str] = field(default_factory=dict)

    def apply(self, conn: sqlite3.Connection, result: BatchResult) -> None:
        rows = []
        for item in result.waiting:
            if (found := self.origin(item)) is not None:
                key, frame = found
                self.parked[key] = item.target  # type: ignore[attr-defined]  # (every waiting item has one)
                rows.append((key, self.parked[key], frame))
        if rows:
            conn.executemany(
                "INSERT OR REPLACE INTO waiting_changes (ack_key, target, frame) VALUES (?, ?, ?)", rows
            )
        if gone := [(key,) for key in self.settled if key not in self.parked]:
            conn.executemany("DELETE FROM waiting_changes WHERE ack_key = ?", gone)


class WaitingChangesRepository(Repository):
    def frames(self, limit: int) -> list[tuple[str, bytes]]:
        """The kept changes, oldest first (the newest `limit`): (ack key, frame)."""
        with self.db.read() as session:
            rows = (
                raw(session)
                .execute(
                    "SELECT ack_key, frame FROM (SELECT rowid, ack_key, frame FROM waiting_changes"
                    " ORDER BY rowid DESC LIMIT ?) ORDER BY rowid",
                    (limit,),
                )
                .fetchall()
            )
        return [(str(key), bytes(frame)) for key, frame in rows]
