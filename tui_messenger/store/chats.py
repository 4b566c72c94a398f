"""Chats and the chat list. The list figures (last message, unread count) live on the chat row and are
kept up to date by the message writers in the same transaction, so the list never scans history."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from tui_messenger.domain.models import AccountKind, ChatFilter, ChatKind, ChatSummary
from tui_messenger.store import convert
from tui_messenger.store.base import Repository, raw, select_in
from tui_messenger.store.chat_rows import COUNTS_SQL, SUMMARY_SQL, counts_from_row, list_sql, summary_from_row
from tui_messenger.store.tables import AccountRow, ChatRow


class ChatNotFound(LookupError):
    pass


_to_summary = summary_from_row


def summaries(conn: sqlite3.Connection, chat_ids: list[int]) -> list[ChatSummary]:
    rows = select_in(conn, SUMMARY_SQL + " WHERE c.id IN ({})", chat_ids)
    return [_to_summary(r) for r in rows]


def summary(conn: sqlite3.Connection, chat_id: int) -> ChatSummary:
    found = summaries(conn, [chat_id])
    if not found:
        raise ChatNotFound(f"no chat {chat_id}")
    return found[0]


def chat_kind_for(account_kind: str) -> str:
    return ChatKind.BUSINESS.value if account_kind == AccountKind.BUSINESS.value else ChatKind.PERSONAL.value


def ensure_chat(session: Session, *, peer_id: str, is_request: bool = False) -> ChatRow:
    """The chat with `peer_id`, created if missing (the peer's account must exist)."""
    row = session.exec(select(ChatRow).where(ChatRow.peer_id == peer_id)).first()
    if row is None:
        account = session.get(AccountRow, peer_id)
        assert account is not None, "ensure the account first"
        row = ChatRow(peer_id=peer_id, kind=chat_kind_for(account.kind), is_request=is_request)
        session.add(row)
        session.flush()
    return row


class ChatRepository(Repository):
    def get(self, *, chat_id: int) -> ChatSummary:
        with self.db.read() as session:
            return summary(raw(session), chat_id)

    def many(self, *, chat_ids: list[int]) -> list[ChatSummary]:
        with self.db.read() as session:
            return summaries(raw(session), chat_ids)

    def for_peer(self, *, account_id: str) -> ChatSummary | None:
        with self.db.read() as session:
            row = raw(session).execute(SUMMARY_SQL + " WHERE c.peer_id = ?", (account_id,)).fetchone()
            return _to_summary(row) if row is not None else None

    def open_with(self, *, account_id: str, now: datetime) -> ChatSummary:
        """The chat with `account_id`, created (not as a request: the user opened it) if missing."""
        with self.db.write() as session:
            if session.get(AccountRow, account_id) is None:
                placeholder = AccountRow(
                    id=account_id, display_name=account_id, kind=AccountKind.PERSON.value
                )
                placeholder.updated_at = convert.ms(now)
                session.add(placeholder)
                session.flush()
            row = ensure_chat(session, peer_id=account_id)
            assert row.id is not None
            return summary(raw(session), row.id)

    def list(self, *, filter: ChatFilter = ChatFilter.ALL, archived: bool = False) -> list[ChatSummary]:
        """Pinned first, then by last activity, newest first (the ix_chats_list index order)."""
        with self.db.read() as session:
            return [_to_summary(r) for r in raw(session).execute(list_sql(filter), (archived,))]

    def counts(self) -> dict[ChatFilter, int]:
        """Chats per filter tab, archived excluded; Unread counts chats with unread messages."""
        with self.db.read() as session:
            return counts_from_row(raw(session).execute(COUNTS_SQL).fetchone())

    def update(self, *, chat_id: int, **flags: Any) -> ChatSummary:
        """Set any of pinned, muted, muted_until (ms or None), archived, is_request, draft, unread_count."""
        allowed = {"pinned", "muted", "muted_until", "archived", "is_request", "draft", "unread_count"}
        if unknown := set(flags) - allowed:
            raise ValueError(f"not a chat flag: {sorted(unknown)}")
        with self.db.write() as session:
            row = session.get(ChatRow, chat_id)
            if row is None:
                raise ChatNotFound(f"no chat {chat_id}")
            for name, value in flags.items():
                setattr(row, name, value)
            session.add(row)
            session.flush()
            return summary(raw(session), chat_id)

    def last_outbound_at(self, *, chat_id: int) -> datetime | None:
        with self.db.read() as session:
            row = session.get(ChatRow, chat_id)
            if row is None:
                raise ChatNotFound(f"no chat {chat_id}")
            return convert.dt(row.last_outbound_at) if row.last_outbound_at else None
