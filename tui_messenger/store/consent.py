"""Consent records (opt-in, marketing stop/resume with times) and feedback on business messages."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from tui_messenger.domain.models import (
    ChatMessage,
    Consent,
    ConsentSource,
    Direction,
    Feedback,
    FeedbackKind,
    MessageKind,
    MessageStatus,
    TemplateCategory,
)
from tui_messenger.store import convert
from tui_messenger.store.base import Repository, raw, select_in
from tui_messenger.store.tables import ConsentRow, FeedbackRow

INSERT_LINE = (
    "INSERT INTO messages (id, message_id, client_txn_id, chat_id, sender_id, direction, kind,"
    " template_category, body, payload, reply_to, position, sent_at, received_at, status, error_code)"
    " VALUES (?, ?, NULL, ?, ?, ?, 'system', ?, ?, ?, NULL, ?, ?, ?, ?, ?)"
)


def add_line(
    conn: sqlite3.Connection,
    *,
    chat_id: int,
    message_id: str,
    sender_id: str,
    body: str,
    payload: dict[str, Any],
    at_ms: int,
    direction: Direction = Direction.INBOUND,
    category: str | None = None,
    error_code: int | None = None,
) -> ChatMessage | None:
    """A system line in a chat (a consent change, a refused send): no unread count, no preview, no
    notification. None when a line with this id is already there (a frame sent twice)."""
    if conn.execute("SELECT 1 FROM messages WHERE message_id = ?", (message_id,)).fetchone() is not None:
        return None
    row_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM messages").fetchone()[0]
    data = json.dumps(payload, separators=(",", ":"))
    conn.execute(
        INSERT_LINE,
        (row_id, message_id, chat_id, sender_id, direction.value, category, body, data, at_ms, at_ms,
         at_ms, MessageStatus.DELIVERED.value, error_code),
    )  # fmt: skip
    return ChatMessage(
        message_id=message_id, chat_id=chat_id, sender_id=sender_id, direction=direction,
        kind=MessageKind.SYSTEM, body=body, sent_at=convert.dt(at_ms), status=MessageStatus.DELIVERED,
        id=row_id, position=at_ms, payload=payload, error_code=error_code,
        template_category=TemplateCategory(category) if category else None,
    )  # fmt: skip


def opt_in(conn: sqlite3.Connection, *, business_id: str, source: ConsentSource, at_ms: int) -> bool:
    """Record an opt-in unless there is one; True when it is new."""
    row = conn.execute("SELECT opted_in FROM consents WHERE business_id = ?", (business_id,)).fetchone()
    if row is not None and row[0]:
        return False
    conn.execute(
        "INSERT INTO consents (business_id, opted_in, source, opted_in_at, marketing_stopped)"
        " VALUES (?, 1, ?, ?, 0) ON CONFLICT(business_id) DO UPDATE SET opted_in = 1,"
        " source = excluded.source, opted_in_at = excluded.opted_in_at",
        (business_id, source.value, at_ms),
    )
    return True


def _consent(business_id: str, row: ConsentRow | None) -> Consent:
    if row is None:
        return Consent(business_id=business_id, opted_in=False)
    return Consent(
        business_id=business_id,
        opted_in=row.opted_in,
        source=ConsentSource(row.source) if row.source else None,
        opted_in_at=convert.opt_dt(row.opted_in_at),
        marketing_stopped=row.marketing_stopped,
        marketing_changed_at=convert.opt_dt(row.marketing_changed_at),
    )


class ConsentRepository(Repository):
    def get(self, *, business_id: str) -> Consent:
        with self.db.read() as session:
            return _consent(business_id, session.get(ConsentRow, business_id))

    def opt_in(self, *, business_id: str, source: ConsentSource, now: datetime) -> Consent:
        with self.db.write() as session:
            opt_in(raw(session), business_id=business_id, source=source, at_ms=convert.ms(now))
            session.expire_all()
            return _consent(business_id, session.get(ConsentRow, business_id))

    def set_marketing_stopped(self, *, business_id: str, stopped: bool, now: datetime) -> Consent:
        """Stop or resume marketing templates from a business, with the time of the change."""
        with self.db.write() as session:
            row = session.get(ConsentRow, business_id) or ConsentRow(business_id=business_id)
            if row.marketing_stopped != stopped or row.marketing_changed_at is None:
                row.marketing_stopped = stopped
                row.marketing_changed_at = convert.ms(now)
            session.add(row)
            session.flush()
            return _consent(business_id, row)

    def record_preference(
        self,
        *,
        business_id: str,
        user_id: str,
        stopped: bool,
        now: datetime,
        line_id: str,
        line: Callable[[str, bool], str],
    ) -> tuple[Consent, ChatMessage | None]:
        """Stop or resume marketing, and say so in the business's chat (if there is one) with the system
        line `line(name, changed)`, in one transaction. The line's payload records the change, for the
        pilot report: {"preference": "stop" | "resume", "changed": bool}."""
        with self.db.write() as session:
            conn = raw(session)
            row = conn.execute(
                "SELECT marketing_stopped, marketing_changed_at FROM consents WHERE business_id = ?",
                (business_id,),
            ).fetchone()
            at_ms = convert.ms(now)
            changed = row is None or bool(row[0]) != stopped
            if row is None:
                conn.execute(
                    "INSERT INTO consents (business_id, opted_in, marketing_stopped, marketing_changed_at)"
                    " VALUES (?, 0, ?, ?)",
                    (business_id, stopped, at_ms),
                )
            elif changed or row[1] is None:
                conn.execute(
                    "UPDATE consents SET marketing_stopped = ?, marketing_changed_at = ?"
                    " WHERE business_id = ?",
                    (stopped, at_ms, business_id),
                )
            chat = conn.execute(
                "SELECT c.id, a.display_name, max(c.last_activity, ?) FROM chats c"
                " JOIN accounts a ON a.id = c.peer_id WHERE c.peer_id = ?",
                (at_ms, business_id),
            ).fetchone()
            added = None
            if chat is not None:
                chat_id, name, at = chat
                payload = {"preference": "stop" if stopped else "resume", "changed": changed}
                added = add_line(
                    conn, chat_id=chat_id, message_id=line_id, sender_id=user_id,
                    body=line(convert.clean_name(name), changed), payload=payload, at_ms=at,
                    direction=Direction.OUTBOUND,
                )  # fmt: skip
            session.expire_all()
            return _consent(business_id, session.get(ConsentRow, business_id)), added


class FeedbackRepository(Repository):
    def give(self, *, message_id: str, business_id: str, kind: FeedbackKind, now: datetime) -> Feedback:
        """Feedback on one business message; a second answer replaces the first."""
        with self.db.write() as session:
            row = session.get(FeedbackRow, message_id) or FeedbackRow(
                message_id=message_id, business_id=business_id, kind=kind.value, given_at=0
            )
            row.kind = kind.value
            row.given_at = convert.ms(now)
            session.add(row)
            return Feedback(message_id, row.business_id, kind, now)

    def for_messages(self, *, message_ids: Sequence[str]) -> dict[str, FeedbackKind]:
        with self.db.read() as session:
            rows = select_in(
                raw(session), "SELECT message_id, kind FROM feedback WHERE message_id IN ({})", message_ids
            )
            return {message_id: FeedbackKind(kind) for message_id, kind in rows}

    def since(self, *, business_id: str, since: datetime) -> dict[FeedbackKind, int]:
        with self.db.read() as session:
            rows = raw(session).execute(
                "SELECT kind, count(*) FROM feedback WHERE business_id = ? AND given_at >= ? GROUP BY kind",
                (business_id, convert.ms(since)),
            )
            return {FeedbackKind(kind): n for kind, n in rows}
