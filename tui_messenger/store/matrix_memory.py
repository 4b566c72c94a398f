"""What the Matrix device remembers across restarts (domain/matrix_memory.py), in `matrix_events` and
`matrix_rooms`: the transport's `MatrixMemory`.

Kept with raw statements in one `BEGIN IMMEDIATE` transaction per call: a sync's changes at once, however
many. Keeping is idempotent (an event kept twice is one row), so a change kept before the batch it came
with is stored, and then kept again after a crash, leaves nothing doubled.
"""

from __future__ import annotations

from tui_messenger.domain.matrix_memory import OwnEvent, Reacted, Remembered, RoomMark
from tui_messenger.store.base import Repository, chunks, raw


class MatrixMemoryRepository(Repository):
    def recall(self) -> Remembered:
        with self.db.read() as session:
            conn = raw(session)
            events = conn.execute(
                "SELECT event_id, room_id, message_id, at, sender, target, reaction_key FROM matrix_events"
                " ORDER BY at, rowid"
            ).fetchall()
            rooms = conn.execute("SELECT room_id, older, complete, read_up_to FROM matrix_rooms").fetchall()
        found = Remembered()
        for event_id, room_id, message_id, at, sender, target, key in events:
            if message_id is not None:
                found.own.append(OwnEvent(event_id, room_id, message_id, at))
            elif sender is not None and target is not None and key is not None:
                found.reactions.append(Reacted(event_id, sender, target, key))
        found.rooms = {r[0]: RoomMark(r[0], r[1], bool(r[2]), r[3]) for r in rooms}
        return found

    def keep(self, changes: Remembered) -> None:
        if not changes:
            return
        with self.db.write() as session:
            conn = raw(session)
            conn.executemany(
                "INSERT INTO matrix_events (event_id, room_id, message_id, at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (event_id) DO UPDATE SET at = excluded.at",  # the echo's server time
                [(e.event_id, e.room_id, e.message_id, e.at) for e in changes.own],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO matrix_events (event_id, room_id, at, sender, target, reaction_key)"
                " VALUES (?, '', 0, ?, ?, ?)",
                [(r.event_id, r.sender, r.target, r.key) for r in changes.reactions],
            )
            for part in chunks(changes.unreacted):
                marks = ",".join("?" * len(part))
                conn.execute(
                    f"DELETE FROM matrix_events WHERE message_id IS NULL AND event_id IN ({marks})", part
                )
            conn.executemany(
                "INSERT INTO matrix_rooms (room_id, older, complete, read_up_to) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (room_id) DO UPDATE SET older = excluded.older, complete = excluded.complete,"
                " read_up_to = excluded.read_up_to",
                [(m.room_id, m.older, m.complete, m.read_up_to) for m in changes.rooms.values()],
            )
