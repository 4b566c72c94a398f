"""Chats and the chat list. The list figures (last message, unread count) live on the chat row and are
kept up to date by the message writers in the same transaction, so the list never scans history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from tui_messenger.domain.models import AccountKind, Chat, ChatFilter, ChatKind, ChatSummary
from tui_messenger.store import convert
from tui_messenger.store.base import Repository, raw, select_in
from tui_messenger.store.tables import AccountRow, ChatRow


class ChatNotFound(LookupError):
    pass


# Raw SQL on the hot read path: the ORM costs ~20x for 200 rows of three tables (measured).
_CHAT_COLS = (
    "c.id, c.peer_id, c.kind, c.pinned, c.muted, c.archived, c.is_request, c.unread_count, c.last_activity,"
    " c.last_preview, c.last_message_id, c.draft"
)
_ACCOUNT_COLS = (
    "a.id, a.display_name, a.kind, a.verified, a.scam, a.verified_name, a.about, a.description, a.category,"
    " a.address, a.email, a.websites, a.hours"
)
SUMMARY_SQL = (
    f"SELECT {_CHAT_COLS}, {_ACCOUNT_COLS}, b.account_id IS NOT NULL FROM chats c"
    " JOIN accounts a ON a.id = c.peer_id LEFT JOIN blocks b ON b.account_id = c.peer_id"
)


def _to_summary(row: tuple[Any, ...]) -> ChatSummary:
    peer = convert.account_from_tuple(row[12:25])
    (chat_id, peer_id, kind, pinned, muted, archived, is_request, unread, last_activity, preview, last_id,
     draft) = row[:12]  # fmt: skip
    chat = Chat(
        id=chat_id,
        peer_id=peer_id,
        kind=ChatKind(kind),
        title=peer.display_name,
        pinned=bool(pinned),
        muted=bool(muted),
        archived=bool(archived),
        is_request=bool(is_request),
        unread_count=unread,
        last_activity=convert.dt(last_activity) if last_activity else None,
        last_preview=preview,
        last_message_id=last_id,
        draft=draft,
    )
    return ChatSummary(chat=chat, peer=peer, blocked=bool(row[25]))


def summaries(session: Session, chat_ids: list[int]) -> list[ChatSummary]:
    rows = select_in(raw(session), SUMMARY_SQL + " WHERE c.id IN ({})", chat_ids)
    return [_to_summary(r) for r in rows]


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
            return summary(session, row.id)

    def list(self, *, filter: ChatFilter = ChatFilter.ALL, archived: bool = False) -> list[ChatSummary]:
        """Pinned first, then by last activity, newest first (the ix_chats_list index order)."""
        where = ["c.archived = ?"]
        if filter is ChatFilter.UNREAD:
            where.append("c.unread_count > 0")
        elif filter is ChatFilter.PERSONAL:
            where.append(f"c.kind = '{ChatKind.PERSONAL.value}'")
        elif filter is ChatFilter.BUSINESS:
            where.append(f"c.kind = '{ChatKind.BUSINESS.value}'")
        order = "ORDER BY c.pinned DESC, c.last_activity DESC, c.id DESC"
        sql = f"{SUMMARY_SQL} WHERE {' AND '.join(where)} {order}"
        with self.db.read() as session:
            return [_to_summary(r) for r in raw(session).execute(sql, (archived,))]

    def counts(self) -> dict[ChatFilter, int]:
        """Chats per filter tab, archived excluded; Unread counts chats with unread messages."""
        sql = (
            "SELECT count(*), coalesce(sum(unread_count > 0), 0), coalesce(sum(kind = ?), 0),"
            " coalesce(sum(kind = ?), 0) FROM chats WHERE archived = 0"
        )
        with self.db.read() as session:
            params = (ChatKind.PERSONAL.value, ChatKind.BUSINESS.value)
            total, unread, personal, business = raw(session).execute(sql, params).fetchone()
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
