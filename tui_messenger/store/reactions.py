"""Reactions: one emoji per person per message, stored as the latest word of each person.

Rules kept here, inside the transaction that stores a reaction:
- a reaction to a message the store has hidden or deleted is dropped; one to a message the store does
  not have yet waits for it (`BatchResult.waiting`: the receiver keeps it, unacked);
- only the two people of a chat react in it: the chat's peer or the user (from another device); a
  reaction from anyone else is dropped (sender identity is the frame's account, DESIGN.md rule 3);
- a blocked account's reactions are never stored (the batch path counts them as dropped) and, if stored
  before the block, never shown;
- the newest word wins by timestamp: a late, reordered frame cannot undo a newer one. Taking a reaction
  back keeps the row with an empty emoji (a tombstone of a few bytes) for exactly that reason.

History pages get their chips with ONE grouped query per page (`counts_for`), never one per message.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlmodel import Session

from tui_messenger.domain.models import ChatMessage, ReactionCount
from tui_messenger.domain.reactions import is_emoji
from tui_messenger.store.base import Repository, raw, select_in

if TYPE_CHECKING:
    from tui_messenger.store.ingest import BatchResult

COUNTS_SQL = (
    "SELECT message_id, emoji, count(*), max(reactor_id = ?), min(reacted_at) FROM reactions"
    " WHERE message_id IN ({}) AND emoji != ''"
    " AND reactor_id NOT IN (SELECT account_id FROM blocks)"
    " GROUP BY message_id, emoji"
)
TARGET_SQL = (
    "SELECT m.chat_id, c.peer_id FROM messages m JOIN chats c ON c.id = m.chat_id"
    " WHERE m.message_id = ? AND m.hidden = 0 AND m.deleted_at IS NULL"
)


@dataclass(frozen=True, slots=True)
class ReactionChange:
    """A reaction frame as the store takes it (also a batch item of the ingest path)."""

    message_id: str
    reactor_id: str
    emoji: str  # "" takes the reactor's reaction back
    timestamp: int  # ms, server time


@dataclass(frozen=True, slots=True)
class ReactionUpdate:
    """A message's chips after a change: what the open chat repaints."""

    chat_id: int
    message_id: str
    reactions: tuple[ReactionCount, ...]


@dataclass(frozen=True, slots=True)
class ReactionTarget:
    """The message a reaction is about: its chat and the other person in it."""

    chat_id: int
    peer_id: str
    peer_blocked: bool


class ReactionRefused(Exception):
    """The message cannot take a reaction (unknown, hidden or deleted)."""


def counts_for(
    conn: sqlite3.Connection, message_ids: Sequence[str], user_id: str
) -> dict[str, tuple[ReactionCount, ...]]:
    """The chips of each message that has any: one grouped query (a page is under the chunk size)."""
    grouped: dict[str, list[tuple[int, int, str, bool]]] = {}
    for message_id, emoji, count, mine, first in select_in(conn, COUNTS_SQL, message_ids, prefix=(user_id,)):
        grouped.setdefault(message_id, []).append((-count, first, emoji, bool(mine)))
    return {
        message_id: tuple(ReactionCount(emoji, -neg, mine) for neg, _, emoji, mine in sorted(chips))
        for message_id, chips in grouped.items()
    }


def with_counts(conn: sqlite3.Connection, messages: list[ChatMessage], user_id: str) -> list[ChatMessage]:
    if not messages:
        return messages
    counts = counts_for(conn, [m.message_id for m in messages], user_id)
    if not counts:
        return messages
    return [replace(m, reactions=counts[m.message_id]) if m.message_id in counts else m for m in messages]


def target(conn: sqlite3.Connection, message_id: str) -> ReactionTarget | None:
    row = conn.execute(TARGET_SQL, (message_id,)).fetchone()
    if row is None:
        return None
    blocked = conn.execute("SELECT 1 FROM blocks WHERE account_id = ?", (row[1],)).fetchone() is not None
    return ReactionTarget(chat_id=row[0], peer_id=row[1], peer_blocked=blocked)


def _store(conn: sqlite3.Connection, change: ReactionChange, *, own: bool = False) -> bool:
    """Upsert unless a newer word of the same person is stored; False when nothing changed. The user's
    own choice on this device always wins (its time is moved past the stored one)."""
    row = conn.execute(
        "SELECT emoji, reacted_at FROM reactions WHERE message_id = ? AND reactor_id = ?",
        (change.message_id, change.reactor_id),
    ).fetchone()
    if row is not None and own:
        change = replace(change, timestamp=max(change.timestamp, row[1] + 1))
    if row is not None and (row[1] > change.timestamp or row[0] == change.emoji):
        return False
    conn.execute(
        "INSERT INTO reactions (message_id, reactor_id, emoji, reacted_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (message_id, reactor_id) DO UPDATE SET emoji = excluded.emoji,"
        " reacted_at = excluded.reacted_at",
        (change.message_id, change.reactor_id, change.emoji, change.timestamp),
    )
    return row is not None or bool(change.emoji)  # taking back what was never given shows nothing


def apply_incoming(
    conn: sqlite3.Connection, change: ReactionChange, *, user_id: str
) -> ReactionUpdate | None:
    """Store a reaction that came over the network (blocked senders are the caller's check, so the
    batch can count them). None when it is dropped or changes nothing."""
    if change.emoji and not is_emoji(change.emoji):
        return None
    found = target(conn, change.message_id)
    if found is None or change.reactor_id not in (found.peer_id, user_id):
        return None
    if not _store(conn, change):
        return None
    counts = counts_for(conn, [change.message_id], user_id).get(change.message_id, ())
    return ReactionUpdate(found.chat_id, change.message_id, counts)


@dataclass(frozen=True, slots=True)
class ReactionReceived:
    """A receive-batch item: a reaction frame from the network, applied in the batch's transaction in
    arrival order (so a reaction right after its message in one batch finds it)."""

    change: ReactionChange
    user_id: str

    @property
    def target(self) -> str:
        """The message this reaction is about."""
        return self.change.message_id

    def apply(self, conn: sqlite3.Connection, result: BatchResult) -> None:
        reactor = self.change.reactor_id
        if (
            reactor != self.user_id
            and conn.execute("SELECT 1 FROM blocks WHERE account_id = ?", (reactor,)).fetchone()
        ):
            result.dropped[reactor] = result.dropped.get(reactor, 0) + 1  # counted, never stored
            return
        if conn.execute("SELECT 1 FROM messages WHERE message_id = ?", (self.target,)).fetchone() is None:
            result.waiting.append(self)  # it overtook its message: kept until the message comes
            return
        if (update := apply_incoming(conn, self.change, user_id=self.user_id)) is not None:
            result.reactions[update.message_id] = update


class ReactionRepository(Repository):
    def fill(self, *, messages: list[ChatMessage], user_id: str) -> list[ChatMessage]:
        """The messages of one page with their chips (one query)."""
        if not messages:
            return messages
        with self.db.read() as session:
            return with_counts(raw(session), messages, user_id)

    def target(self, *, message_id: str) -> ReactionTarget | None:
        with self.db.read() as session:
            return target(raw(session), message_id)

    def set_own(
        self,
        *,
        change: ReactionChange,
        also: Callable[[Session, ReactionTarget], None] | None = None,
    ) -> ReactionUpdate:
        """Store the user's own reaction (or take it back) and, in the same transaction, whatever `also`
        writes (the frame for the action outbox). Raises ReactionRefused for a message that cannot take
        one."""
        with self.db.write() as session:
            conn = raw(session)
            found = target(conn, change.message_id)
            if found is None:
                raise ReactionRefused("that message is not available")
            _store(conn, change, own=True)
            if also is not None:
                also(session, found)
            counts = counts_for(conn, [change.message_id], change.reactor_id).get(change.message_id, ())
            return ReactionUpdate(found.chat_id, change.message_id, counts)

    def all_for(self, *, message_id: str) -> list[tuple[str, str, int]]:
        """(reactor, emoji, reacted_at) rows of one message, tombstones included (tests, export)."""
        with self.db.read() as session:
            return (
                raw(session)
                .execute(
                    "SELECT reactor_id, emoji, reacted_at FROM reactions WHERE message_id = ?"
                    " ORDER BY reactor_id",
                    (message_id,),
                )
                .fetchall()
            )
