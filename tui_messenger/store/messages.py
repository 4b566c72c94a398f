"""Messages: keyset pages of a chat's history, status changes, read state, search and report evidence.

History is read only in pages on the (chat_id, position) index, with the row id breaking ties
(`(position, id)` is the keyset cursor); nothing here loads a whole chat.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from tui_messenger.domain.models import (
    SERVER_ACCOUNT,
    ChatMessage,
    Direction,
    MessageStatus,
    PageCursor,
    SearchHit,
)
from tui_messenger.store.attachments import attach_infos
from tui_messenger.store.base import Repository, raw
from tui_messenger.store.convert import MESSAGE_COLUMNS, message_from_tuple

log = logging.getLogger(__name__)

COLUMNS = ", ".join(f"m.{c}" for c in MESSAGE_COLUMNS)
MAX_PAGE = 500
READ_SLACK = 50  # messages `mark_read` looks at beyond the unread count (see there)
IS_REFUSAL = "(m.kind = 'system' AND m.error_code IS NOT NULL)"  # a refused send's line (store/refusals.py)
PARKED = 2**62  # an outbox entry's next attempt time once it failed: only the retry action revives it


def _page(
    conn: sqlite3.Connection, where: str, params: tuple[Any, ...], *, newest_first: bool, limit: int
) -> list[Any]:
    order = "DESC" if newest_first else "ASC"
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM messages m WHERE {where} AND m.hidden = 0"  # deleted for me: never shown
        f" ORDER BY m.position {order}, m.id {order} LIMIT ?",
        (*params, max(0, min(limit, MAX_PAGE))),
    ).fetchall()
    if newest_first:
        rows.reverse()
    return attach_infos(conn, [message_from_tuple(r) for r in rows])  # files: one query, no bytes


def fts_query(text: str) -> str | None:
    """User text as FTS5 string tokens: every word quoted (quotes doubled), joined by implicit AND.

    Nothing the user types is FTS syntax: `NEAR`, `*`, `-`, `:`, `^`, parentheses and quotes become
    plain string tokens. Returns None when nothing searchable is left."""
    words = [w for w in text.split() if any(ch.isalnum() for ch in w)]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in words[:32])


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A receipt to apply: by client transaction id when the network gave one, else by message id."""

    message_id: str
    status: MessageStatus
    reporter_id: str  # who reports it: the server (SERVER_ACCOUNT) or the recipient; no one else counts
    client_txn_id: str | None = None
    error_code: int | None = None


def apply_status(conn: sqlite3.Connection, change: StatusChange) -> ChatMessage | None:
    """Move an outgoing message's status forward (never back); returns the message when it changed.

    Any status from the network means it has the message, so the outbox entry goes; on `failed` it stays,
    parked, so the retry action can send the same frame again."""
    row = None
    if change.client_txn_id:
        row = conn.execute(
            f"SELECT {COLUMNS} FROM messages m WHERE m.client_txn_id IS NOT NULL AND m.client_txn_id = ?",
            (change.client_txn_id,),
        ).fetchone()
    if row is None:
        row = conn.execute(
            f"SELECT {COLUMNS} FROM messages m WHERE m.message_id = ?", (change.message_id,)
        ).fetchone()
    if row is None:
        return None
    current = message_from_tuple(row)
    if current.direction is not Direction.OUTBOUND:
        return None
    if not _may_report(conn, change, current):
        log.warning(
            "ignored a %s receipt of %r from %r: only its recipient or the server reports on a message",
            change.status.value, current.message_id, change.reporter_id,
        )  # fmt: skip
        return None
    movable = current.status.can_move_to(change.status)
    if change.status is MessageStatus.FAILED and (movable or current.status is MessageStatus.FAILED):
        # Kept, parked, for the retry action: the frame is sent again byte for byte.
        conn.execute(
            "UPDATE outbox SET next_attempt_at = ? WHERE message_id = ?", (PARKED, current.message_id)
        )
    else:
        conn.execute("DELETE FROM outbox WHERE message_id = ?", (current.message_id,))
    if not movable:
        return None
    error = change.error_code if change.status is MessageStatus.FAILED else None
    conn.execute(
        "UPDATE messages SET status = ?, error_code = ? WHERE id = ?",
        (change.status.value, error, current.id),
    )
    moved = message_from_tuple(
        conn.execute(f"SELECT {COLUMNS} FROM messages m WHERE m.id = ?", (current.id,)).fetchone()
    )
    return attach_infos(conn, [moved])[0]  # a document keeps its card


def read_up_to(conn: sqlite3.Connection, message_id: str) -> tuple[int, int, int] | None:
    """The user read `message_id` and what came before it elsewhere (their own read receipt from the
    network: another device, or before this login): the chat's unread incoming messages up to it are read
    here too, and its unread count keeps only those after it. Returns that message's (chat id, position,
    row id) when the count went down; None when there was nothing to read (or no such message here)."""
    target = conn.execute(
        "SELECT chat_id, position, id FROM messages WHERE message_id = ?", (message_id,)
    ).fetchone()
    if target is None:
        return None
    chat_id, position, row_id = target
    count = conn.execute("SELECT unread_count FROM chats WHERE id = ?", (chat_id,)).fetchone()
    if count is None or count[0] <= 0:
        return None
    unread = conn.execute(  # the unread ones are the newest `unread_count` incoming (as in `mark_read`)
        f"SELECT m.id, m.position FROM messages m WHERE m.chat_id = ? AND m.direction = 'in'"
        f" AND NOT {IS_REFUSAL} ORDER BY m.position DESC, m.id DESC LIMIT ?",
        (chat_id, count[0]),
    ).fetchall()
    read = [(i,) for i, at in unread if (at, i) <= (position, row_id)]
    if not read:
        return None
    conn.execute("UPDATE chats SET unread_count = ? WHERE id = ?", (count[0] - len(read), chat_id))
    conn.executemany("UPDATE messages SET status = 'read' WHERE id = ?", read)
    return chat_id, position, row_id


def _may_report(conn: sqlite3.Connection, change: StatusChange, message: ChatMessage) -> bool:
    """A receipt counts only from the server or the message's recipient (the chat's peer): a third
    account cannot mark the user's message read, or failed (sender identity is the frame's account)."""
    if change.reporter_id == SERVER_ACCOUNT:
        return True
    peer = conn.execute("SELECT peer_id FROM chats WHERE id = ?", (message.chat_id,)).fetchone()
    return peer is not None and peer[0] == change.reporter_id


class MessageRepository(Repository):
    hide_refusals = False  # history pages without the testers' "Refused by the platform" lines

    @property
    def _in_chat(self) -> str:
        return f"m.chat_id = ? AND NOT {IS_REFUSAL}" if self.hide_refusals else "m.chat_id = ?"

    def get(self, *, message_id: str) -> ChatMessage | None:
        with self.db.read() as session:
            row = (
                raw(session)
                .execute(f"SELECT {COLUMNS} FROM messages m WHERE m.message_id = ?", (message_id,))
                .fetchone()
            )
            return attach_infos(raw(session), [message_from_tuple(row)])[0] if row else None

    def existing(self, *, message_ids: Sequence[str]) -> set[str]:
        """Which of these ids are stored (a restarted fake network skips what it already delivered)."""
        found: set[str] = set()
        with self.db.read() as session:
            for start in range(0, len(message_ids), 500):
                chunk = list(message_ids[start : start + 500])
                marks = ", ".join("?" * len(chunk))
                rows = raw(session).execute(
                    f"SELECT message_id FROM messages WHERE message_id IN ({marks})", chunk
                )
                found.update(row[0] for row in rows)
        return found

    def latest_page(self, *, chat_id: int, limit: int = 50) -> list[ChatMessage]:
        """The newest `limit` messages of the chat, oldest first."""
        with self.db.read() as session:
            return _page(raw(session), self._in_chat, (chat_id,), newest_first=True, limit=limit)

    def page_before(self, *, chat_id: int, cursor: PageCursor, limit: int = 50) -> list[ChatMessage]:
        """The `limit` messages just older than `cursor`, oldest first."""
        with self.db.read() as session:
            return _page(
                raw(session),
                self._in_chat + " AND (m.position, m.id) < (?, ?)",
                (chat_id, cursor.position, cursor.id),
                newest_first=True,
                limit=limit,
            )

    def page_after(self, *, chat_id: int, cursor: PageCursor, limit: int = 50) -> list[ChatMessage]:
        """The `limit` messages just newer than `cursor`, oldest first."""
        with self.db.read() as session:
            return _page(
                raw(session),
                self._in_chat + " AND (m.position, m.id) > (?, ?)",
                (chat_id, cursor.position, cursor.id),
                newest_first=False,
                limit=limit,
            )

    def page_around(self, *, chat_id: int, message_id: str, limit: int = 50) -> list[ChatMessage]:
        """A page holding `message_id` near its middle, oldest first; empty if not in this chat."""
        with self.db.read() as session:
            conn = raw(session)
            target = conn.execute(
                "SELECT position, id FROM messages WHERE message_id = ? AND chat_id = ?",
                (message_id, chat_id),
            ).fetchone()
            if target is None:
                return []
            limit = max(1, min(limit, MAX_PAGE))
            older = _page(
                conn,
                self._in_chat + " AND (m.position, m.id) <= (?, ?)",
                (chat_id, *target),
                newest_first=True,
                limit=limit // 2 + 1,
            )
            newer = _page(
                conn,
                self._in_chat + " AND (m.position, m.id) > (?, ?)",
                (chat_id, *target),
                newest_first=False,
                limit=limit - len(older),
            )
            return older + newer

    def search(self, *, query: str, limit: int = 50) -> list[SearchHit]:
        """Messages whose body has every word of `query`, newest first (by rowid, not by rank:
        ranking a common word over a big store takes seconds)."""
        match = fts_query(query)
        if match is None or limit <= 0:
            return []
        with self.db.read() as session:
            conn = raw(session)
            try:
                rows = conn.execute(
                    f"SELECT {COLUMNS}, a.display_name FROM"
                    " (SELECT rowid FROM message_fts WHERE message_fts MATCH ? ORDER BY rowid DESC LIMIT ?) f"
                    " JOIN messages m ON m.id = f.rowid JOIN chats c ON c.id = m.chat_id"
                    " JOIN accounts a ON a.id = c.peer_id ORDER BY m.id DESC",
                    (match, min(limit, MAX_PAGE)),
                ).fetchall()
            except sqlite3.OperationalError as exc:  # belt and braces: a query is never fatal
                log.warning("search failed for %r: %s", query, exc)
                return []
            return [SearchHit(message=message_from_tuple(r[:-1]), chat_title=r[-1]) for r in rows]

    def search_in_chat(self, *, chat_id: int, query: str, limit: int = 200) -> list[ChatMessage]:
        """Messages of one chat whose body has every word of `query`, oldest first (find next and
        previous walk this list). The FTS match is joined to the chat on the messages' primary key."""
        match = fts_query(query)
        if match is None or limit <= 0:
            return []
        with self.db.read() as session:
            try:
                rows = (
                    raw(session)
                    .execute(
                        f"SELECT {COLUMNS} FROM message_fts f JOIN messages m ON m.id = f.rowid"
                        " WHERE message_fts MATCH ? AND m.chat_id = ?"
                        " ORDER BY m.position DESC, m.id DESC LIMIT ?",
                        (match, chat_id, min(limit, MAX_PAGE)),
                    )
                    .fetchall()
                )
            except sqlite3.OperationalError as exc:  # a query is never fatal
                log.warning("search in chat failed for %r: %s", query, exc)
                return []
            return [message_from_tuple(r) for r in reversed(rows)]

    def first_unread(self, *, chat_id: int) -> str | None:
        """The oldest of the chat's `unread_count` newest incoming messages (on the position index),
        or None when nothing is unread."""
        with self.db.read() as session:
            conn = raw(session)
            row = conn.execute("SELECT unread_count FROM chats WHERE id = ?", (chat_id,)).fetchone()
            if row is None or row[0] <= 0:
                return None
            found = conn.execute(
                "SELECT m.message_id FROM messages m WHERE m.chat_id = ? AND m.direction = 'in'"
                " ORDER BY m.position DESC, m.id DESC LIMIT 1 OFFSET ?",
                (chat_id, row[0] - 1),
            ).fetchone()
            if found is None:  # fewer incoming messages than the count: the oldest incoming one
                found = conn.execute(
                    "SELECT m.message_id FROM messages m WHERE m.chat_id = ? AND m.direction = 'in'"
                    " ORDER BY m.position, m.id LIMIT 1",
                    (chat_id,),
                ).fetchone()
            return found[0] if found is not None else None

    def from_account(self, *, account_id: str, limit: int = 5) -> list[ChatMessage]:
        """The last `limit` messages the account sent the user, newest first (report evidence)."""
        with self.db.read() as session:
            conn = raw(session)
            chat = conn.execute("SELECT id FROM chats WHERE peer_id = ?", (account_id,)).fetchone()
            if chat is None:
                return []
            rows = conn.execute(
                f"SELECT {COLUMNS} FROM messages m WHERE m.chat_id = ? AND m.direction = 'in'"
                " AND m.sender_id = ? AND m.hidden = 0 ORDER BY m.position DESC, m.id DESC LIMIT ?",
                (chat[0], account_id, limit),
            ).fetchall()
            return [message_from_tuple(r) for r in rows]

    def apply_statuses(self, *, changes: Sequence[StatusChange]) -> list[ChatMessage]:
        with self.db.write() as session:
            conn = raw(session)
            return [m for c in changes if (m := apply_status(conn, c)) is not None]

    def mark_read(self, *, chat_id: int) -> list[ChatMessage]:
        """Zero the unread count; the unread incoming messages become READ and are returned (for the
        read receipts). Only the newest `unread_count` incoming messages are looked at, on the index,
        and `READ_SLACK` more: those that arrived read (the chat on screen) after the unread ones, before
        this call, would otherwise hide as many of them."""
        with self.db.write() as session:
            conn = raw(session)
            row = conn.execute("SELECT unread_count FROM chats WHERE id = ?", (chat_id,)).fetchone()
            if row is None or row[0] <= 0:
                return []
            rows = conn.execute(
                f"SELECT {COLUMNS} FROM messages m WHERE m.chat_id = ? AND m.direction = 'in'"
                f" AND NOT {IS_REFUSAL} ORDER BY m.position DESC, m.id DESC LIMIT ?",
                (chat_id, row[0] + READ_SLACK),
            ).fetchall()
            conn.execute("UPDATE chats SET unread_count = 0 WHERE id = ?", (chat_id,))
            unread = [m for m in map(message_from_tuple, rows) if m.status is not MessageStatus.READ]
            unread = unread[: row[0]]
            conn.executemany("UPDATE messages SET status = 'read' WHERE id = ?", [(m.id,) for m in unread])
            return [replace(m, status=MessageStatus.READ) for m in reversed(unread)]

    def newest_read(self, *, chat_id: int, limit: int) -> list[ChatMessage]:
        """The chat's newest incoming messages that are read (at most `limit`, oldest first): what a
        request accepted late owes its sender a read receipt for."""
        with self.db.read() as session:
            rows = (
                raw(session)
                .execute(
                    f"SELECT {COLUMNS} FROM messages m WHERE m.chat_id = ? AND m.direction = 'in'"
                    f" AND NOT {IS_REFUSAL} ORDER BY m.position DESC, m.id DESC LIMIT ?",
                    (chat_id, limit),
                )
                .fetchall()
            )
        return [m for m in map(message_from_tuple, reversed(rows)) if m.status is MessageStatus.READ]

    def count(self, *, chat_id: int) -> int:
        with self.db.read() as session:
            return int(
                raw(session)
                .execute("SELECT count(*) FROM messages WHERE chat_id = ?", (chat_id,))
                .fetchone()[0]
            )
