"""Chats and the chat list. The list figures (last message, unread count) live on the chat row and are
kept up to date by the message writers in the same transaction, so the list never scans history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from tui_messenger.domain.models import AccountKind, ChatFilter, ChatKind, ChatSummary
from tui_messenger.store import convert
from tui_messenger.store.base import Repository
from tui_messenger.store.tables import AccountRow, BlockRow, ChatRow


class ChatNotFound(LookupError):
    pass


def _summary_query() -> Any:
    return (
        select(ChatRow, AccountRow, BlockRow.account_id)
        .join(AccountRow, col(AccountRow.id) == col(ChatRow.peer_id))
        .outerjoin(BlockRow, col(BlockRow.account_id) == col(ChatRow.peer_id))
    )


def _to_summary(chat_row: ChatRow, account_row: AccountRow, blocked: str | None) -> ChatSummary:
    peer = convert.account(account_row)
    return ChatSummary(chat=convert.chat(chat_row, peer.display_name), peer=peer, blocked=blocked is not None)


def summaries(session: Session, chat_ids: list[int]) -> list[ChatSummary]:
    if not chat_ids:
        return []
    rows = session.exec(_summary_query().where(col(ChatRow.id).in_(chat_ids)))
    return [_to_summary(*r) for r in rows]


def summary(session: Session, chat_id: int) -> ChatSummary:
    found = summaries(session, [chat_id])
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
            return summary(session, chat_id)

    def many(self, *, chat_ids: list[int]) -> list[ChatSummary]:
        with self.db.read() as session:
            return summaries(session, chat_ids)

    def for_peer(self, *, account_id: str) -> ChatSummary | None:
        with self.db.read() as session:
            row = session.exec(_summary_query().where(ChatRow.peer_id == account_id)).first()
            return _to_summary(*row) if row is not None else None

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
            return summary(session, row.id)

    def list(self, *, filter: ChatFilter = ChatFilter.ALL, archived: bool = False) -> list[ChatSummary]:
        """Pinned first, then by last activity, newest first (the ix_chats_list index order)."""
        query = _summary_query().where(ChatRow.archived == archived)
        if filter is ChatFilter.UNREAD:
            query = query.where(col(ChatRow.unread_count) > 0)
        elif filter is ChatFilter.PERSONAL:
            query = query.where(ChatRow.kind == ChatKind.PERSONAL.value)
        elif filter is ChatFilter.BUSINESS:
            query = query.where(ChatRow.kind == ChatKind.BUSINESS.value)
        query = query.order_by(
            col(ChatRow.pinned).desc(), col(ChatRow.last_activity).desc(), col(ChatRow.id).desc()
        )
        with self.db.read() as session:
            return [_to_summary(*r) for r in session.exec(query)]

    def counts(self) -> dict[ChatFilter, int]:
        """Chats per filter tab, archived excluded; Unread counts chats with unread messages."""
        query = select(
            func.count(),
            func.coalesce(func.sum(col(ChatRow.unread_count) > 0), 0),
            func.coalesce(func.sum(ChatRow.kind == ChatKind.PERSONAL.value), 0),
            func.coalesce(func.sum(ChatRow.kind == ChatKind.BUSINESS.value), 0),
        ).where(ChatRow.archived == False)  # noqa: E712
        with self.db.read() as session:
            total, unread, personal, business = session.exec(query).one()
        return {
            ChatFilter.ALL: int(total),
            ChatFilter.UNREAD: int(unread),
            ChatFilter.PERSONAL: int(personal),
            ChatFilter.BUSINESS: int(business),
        }

    def update(self, *, chat_id: int, **flags: Any) -> ChatSummary:
        """Set any of pinned, muted, archived, is_request, draft, unread_count."""
        allowed = {"pinned", "muted", "archived", "is_request", "draft", "unread_count"}
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
            return summary(session, chat_id)

    def last_outbound_at(self, *, chat_id: int) -> datetime | None:
        with self.db.read() as session:
            row = session.get(ChatRow, chat_id)
            if row is None:
                raise ChatNotFound(f"no chat {chat_id}")
            return convert.dt(row.last_outbound_at) if row.last_outbound_at else None
