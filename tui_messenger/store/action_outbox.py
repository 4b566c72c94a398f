"""The action outbox: the user's reactions, edits and deletions until the network acknowledges them.

An action is stored in the SAME transaction as its local effect: a repository that applies an edit (or a
reaction) calls `enqueue_action(conn, action, now)` inside its own `db.write()`, so an effect the user saw
is never without its frame, and a frame is never sent for an effect that was rolled back. The services build
`OutgoingAction`s from wire frames (`services/actions.py`: `outgoing_action(frame)`) and send and retry
them (`ActionSender`); the network's AckFrame naming a frame's id removes its entry (`ActionsAcked`, applied
inside the receive batch's transaction).

The store does not import the transport: an action carries its frame already encoded.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from tui_messenger.store import convert
from tui_messenger.store.base import Repository, raw, select_in
from tui_messenger.store.messages import PARKED

if TYPE_CHECKING:
    from tui_messenger.store.ingest import BatchResult

ACTION_KINDS = ("reaction", "edit", "delete")


@dataclass(frozen=True, slots=True)
class OutgoingAction:
    """One action frame to store and send: `frame` is the encoded envelope, sent again byte for byte."""

    frame_id: str  # the frame's own id: what the network's AckFrame names
    kind: str  # reaction | edit | delete
    message_id: str  # the message it acts on
    frame: bytes


@dataclass(frozen=True, slots=True)
class ActionEntry:
    frame_id: str
    kind: str
    message_id: str
    frame: bytes
    attempts: int
    next_attempt_at: datetime


def _conn(target: Session | sqlite3.Connection) -> sqlite3.Connection:
    return target if isinstance(target, sqlite3.Connection) else raw(target)


def enqueue_action(
    target: Session | sqlite3.Connection,
    action: OutgoingAction,
    now: datetime,
    *,
    supersedes: Iterable[str] = (),
) -> None:
    """Store `action` (due now) inside the caller's write transaction.

    `supersedes`: kinds of still-waiting actions on the same message that this one makes pointless (a new
    edit replaces an unsent older edit; a deletion replaces both). They are dropped, never sent."""
    if action.kind not in ACTION_KINDS:
        raise ValueError(f"unknown action kind {action.kind!r}")
    conn = _conn(target)
    kinds = list(supersedes)
    if kinds:
        marks = ",".join("?" * len(kinds))
        conn.execute(
            f"DELETE FROM action_outbox WHERE message_id = ? AND kind IN ({marks})",
            (action.message_id, *kinds),
        )
    conn.execute(
        "INSERT OR REPLACE INTO action_outbox (frame_id, kind, message_id, frame, attempts, next_attempt_at)"
        " VALUES (?, ?, ?, ?, 0, ?)",
        (action.frame_id, action.kind, action.message_id, action.frame, convert.ms(now)),
    )


def drop_actions(target: Session | sqlite3.Connection, frame_ids: Iterable[str]) -> int:
    """Remove acknowledged entries; returns how many there were."""
    conn = _conn(target)
    found = select_in(conn, "SELECT frame_id FROM action_outbox WHERE frame_id IN ({})", frame_ids)
    conn.executemany("DELETE FROM action_outbox WHERE frame_id = ?", found)
    return len(found)


@dataclass(frozen=True, slots=True)
class ActionsAcked:
    """A receive-batch item: the network has these action frames (ids that are not ours are ignored:
    the same AckFrame may name other things)."""

    frame_ids: tuple[str, ...]

    def apply(self, conn: sqlite3.Connection, result: BatchResult) -> None:
        drop_actions(conn, self.frame_ids)


def _entry(row: tuple[Any, ...]) -> ActionEntry:
    frame_id, kind, message_id, frame, attempts, next_at = row
    return ActionEntry(frame_id, kind, message_id, bytes(frame), attempts, convert.dt(next_at))


_SELECT = "SELECT frame_id, kind, message_id, frame, attempts, next_attempt_at FROM action_outbox"


class ActionOutboxRepository(Repository):
    def enqueue(self, *, action: OutgoingAction, now: datetime, supersedes: Sequence[str] = ()) -> None:
        """An action with no local effect of its own to store with it."""
        with self.db.write() as session:
            enqueue_action(session, action, now, supersedes=supersedes)

    def entries(self, *, due_by: datetime | None = None) -> list[ActionEntry]:
        """Entries due by `due_by` (all of them if None), oldest first (rowid: the order they were made).

        An action on a message the network has not acknowledged yet (still in the outbox) waits: it
        would reach the peer before its message. The sender is woken when a message's status moves."""
        with self.db.read() as session:
            conn = raw(session)
            limit = PARKED if due_by is None else convert.ms(due_by)
            rows = conn.execute(
                f"{_SELECT} a WHERE next_attempt_at <= ? AND NOT EXISTS"
                " (SELECT 1 FROM outbox o WHERE o.message_id = a.message_id)"
                " ORDER BY next_attempt_at, rowid",
                (limit,),
            ).fetchall()
            return [_entry(r) for r in rows]

    def ready(self, *, frame_id: str) -> bool:
        """The entry still waits and may go now (its message is not in the outbox any more)."""
        with self.db.read() as session:
            row = (
                raw(session)
                .execute(
                    "SELECT 1 FROM action_outbox a WHERE frame_id = ? AND NOT EXISTS"
                    " (SELECT 1 FROM outbox o WHERE o.message_id = a.message_id)",
                    (frame_id,),
                )
                .fetchone()
            )
            return row is not None

    def all(self) -> list[ActionEntry]:
        with self.db.read() as session:
            return [_entry(r) for r in raw(session).execute(f"{_SELECT} ORDER BY rowid").fetchall()]

    def attempted(self, *, frame_id: str, attempts: int, next_attempt_at: datetime) -> None:
        """Record a send (an entry acked meanwhile is simply not there any more)."""
        with self.db.write() as session:
            raw(session).execute(
                "UPDATE action_outbox SET attempts = ?, next_attempt_at = ? WHERE frame_id = ?",
                (attempts, convert.ms(next_attempt_at), frame_id),
            )

    def acked(self, *, frame_ids: Sequence[str]) -> int:
        with self.db.write() as session:
            return drop_actions(session, frame_ids)
