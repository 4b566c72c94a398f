"""The outbox: a composed message and its outbox entry are written in one transaction, so nothing the
user composed is ever lost; entries leave only when the network acknowledges the message."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tui_messenger.domain.models import AccountKind, ChatMessage, ChatSummary, ConsentSource, MessageStatus
from tui_messenger.store import convert
from tui_messenger.store.attachments import StoredFile, insert_files
from tui_messenger.store.base import Repository, raw
from tui_messenger.store.chats import ChatNotFound, summary
from tui_messenger.store.consent import opt_in
from tui_messenger.store.convert import message_from_tuple, message_tuple
from tui_messenger.store.ingest import INSERT_MESSAGE
from tui_messenger.store.messages import COLUMNS, PARKED


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    message_id: str
    frame: bytes
    attempts: int
    next_attempt_at: datetime | None  # None: parked after failing, waits for the retry action


def _entry(row: tuple[Any, ...]) -> OutboxEntry:
    message_id, frame, attempts, next_at = row
    return OutboxEntry(message_id, bytes(frame), attempts, None if next_at >= PARKED else convert.dt(next_at))


def _wrote_first(conn: sqlite3.Connection, chat_id: int) -> bool:
    """Nothing from the peer in the chat yet (system lines aside): the user starts the conversation."""
    row = conn.execute(
        "SELECT 1 FROM messages WHERE chat_id = ? AND direction = 'in' AND kind != 'system' LIMIT 1",
        (chat_id,),
    ).fetchone()
    return row is None


class OutboxRepository(Repository):
    def compose(
        self,
        *,
        message: ChatMessage,
        frame: bytes | Callable[[ChatSummary], tuple[bytes, bool]],
        now: datetime,
        attachment: StoredFile | None = None,
        opt_out: bool = False,
        retry_at: datetime | None = None,
    ) -> tuple[ChatMessage, ChatSummary]:
        """Store an outgoing message (pending) and its outbox entry, and update the chat, atomically.

        `frame` may be a function of the chat as it is in this transaction, giving the frame and whether
        it is an opt-out (it raises to write nothing: a blocked chat, a frame too long). The sender then
        reads the chat and writes in one transaction.

        `retry_at`: the entry is written as sent once, due again then (the caller sends it right after
        this transaction, and so needs no second write to record that); None: due at once, never sent.

        Writing first is also consent: a business the user writes to before it ever wrote to them counts
        as opted in (source `user_message`); answering a business that started the chat opts the user in
        to nothing. A request chat the user answers is accepted. An `opt_out` (a STOP) is neither: it
        accepts no request and opts in to nothing."""
        with self.db.write_conn() as conn:
            if callable(frame):
                frame, opt_out = frame(summary(conn, message.chat_id))
            chat = conn.execute(
                "SELECT c.peer_id, c.last_activity, a.kind FROM chats c JOIN accounts a ON a.id = c.peer_id"
                " WHERE c.id = ?",
                (message.chat_id,),
            ).fetchone()
            if chat is None:
                raise ChatNotFound(f"no chat {message.chat_id}")
            peer_id, last_activity, kind = chat
            row_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM messages").fetchone()[0]
            row = message_tuple(message, row_id=row_id, chat_id=message.chat_id)
            conn.execute(INSERT_MESSAGE, row)
            if attachment is not None:  # a file goes in with its message, or neither does
                insert_files(conn, {message.message_id: attachment})
            conn.execute(
                "INSERT INTO outbox (message_id, frame, attempts, next_attempt_at) VALUES (?, ?, ?, ?)",
                (message.message_id, frame, int(retry_at is not None), convert.ms(retry_at or now)),
            )
            update = "UPDATE chats SET last_outbound_at = max(last_outbound_at, ?)"
            if not opt_out:
                update += ", is_request = 0"
            params: list[Any] = [message.position]
            if message.position >= last_activity:
                update += ", last_activity = ?, last_preview = ?, last_message_id = ?"
                params += [
                    message.position,
                    convert.preview(message.body, convert.PREVIEW_CELLS),
                    message.message_id,
                ]
            conn.execute(update + " WHERE id = ?", (*params, message.chat_id))
            if kind == AccountKind.BUSINESS.value and not opt_out and _wrote_first(conn, message.chat_id):
                opt_in(conn, business_id=peer_id, source=ConsentSource.USER_MESSAGE, at_ms=message.position)
            stored = message_from_tuple(row)
            if attachment is not None:
                stored = replace(stored, attachment=attachment.info)
            return stored, summary(conn, message.chat_id)

    def entries(self, *, due_by: datetime | None = None) -> list[OutboxEntry]:
        """Entries due by `due_by` (all waiting ones if None; never parked ones), in the order their
        messages were written: sent in that order, one never overtakes an older one (whatever their
        retry times: after a restart, one never tried yet would go before one tried once). CROSS JOIN
        keeps the outbox the outer loop: else SQLite may walk every message in id order to skip the
        sort, the whole history at each pass."""
        limit = PARKED if due_by is None else convert.ms(due_by) + 1
        with self.db.read() as session:
            rows = (
                raw(session)
                .execute(
                    "SELECT o.message_id, o.frame, o.attempts, o.next_attempt_at FROM outbox o"
                    " CROSS JOIN messages m ON m.message_id = o.message_id"
                    " WHERE o.next_attempt_at < ? ORDER BY m.id",
                    (limit,),
                )
                .fetchall()
            )
            return [_entry(r) for r in rows]

    def all(self) -> list[OutboxEntry]:
        with self.db.read() as session:
            rows = (
                raw(session)
                .execute("SELECT message_id, frame, attempts, next_attempt_at FROM outbox ORDER BY rowid")
                .fetchall()
            )
            return [_entry(r) for r in rows]

    def attempted(self, *, message_id: str, attempts: int, next_attempt_at: datetime) -> None:
        """Record a send. An entry parked meanwhile (a `failed` answer came back first) stays parked."""
        with self.db.write_conn() as conn:
            conn.execute(
                "UPDATE outbox SET attempts = ?, next_attempt_at = ?"
                " WHERE message_id = ? AND next_attempt_at < ?",
                (attempts, convert.ms(next_attempt_at), message_id, PARKED),
            )

    def fail(self, *, message_id: str) -> ChatMessage | None:
        """After the last attempt: the message shows failed; its entry is parked for the retry action."""
        with self.db.write_conn() as conn:
            conn.execute("UPDATE outbox SET next_attempt_at = ? WHERE message_id = ?", (PARKED, message_id))
            row = conn.execute(
                f"SELECT {COLUMNS} FROM messages m WHERE m.message_id = ?", (message_id,)
            ).fetchone()
            if row is None:
                return None
            current = message_from_tuple(row)
            if not current.status.can_move_to(MessageStatus.FAILED):
                conn.execute("DELETE FROM outbox WHERE message_id = ?", (message_id,))
                return None
            conn.execute("UPDATE messages SET status = 'failed' WHERE message_id = ?", (message_id,))
            return message_from_tuple(
                conn.execute(
                    f"SELECT {COLUMNS} FROM messages m WHERE m.message_id = ?", (message_id,)
                ).fetchone()
            )

    def retry(self, *, message_id: str, now: datetime) -> ChatMessage | None:
        """The retry action: a failed message goes back to pending and its entry is due now."""
        with self.db.write_conn() as conn:
            row = conn.execute(
                f"SELECT {COLUMNS} FROM messages m WHERE m.message_id = ?", (message_id,)
            ).fetchone()
            if row is None or message_from_tuple(row).status is not MessageStatus.FAILED:
                return None
            entry = conn.execute("SELECT 1 FROM outbox WHERE message_id = ?", (message_id,)).fetchone()
            if entry is None:
                return None
            conn.execute(
                "UPDATE outbox SET attempts = 0, next_attempt_at = ? WHERE message_id = ?",
                (convert.ms(now), message_id),
            )
            conn.execute(
                "UPDATE messages SET status = 'pending', error_code = NULL WHERE message_id = ?",
                (message_id,),
            )
            return message_from_tuple(
                conn.execute(
                    f"SELECT {COLUMNS} FROM messages m WHERE m.message_id = ?", (message_id,)
                ).fetchone()
            )
