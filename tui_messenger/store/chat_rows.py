"""The chat list in SQL, on the standard library alone: the store's repositories use it, and so does the
first frame, which shows the chat list before SQLAlchemy is imported."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tui_messenger.domain.models import (
    Account,
    AccountKind,
    BusinessProfile,
    Chat,
    ChatFilter,
    ChatKind,
    ChatSummary,
)
from tui_messenger.store.setting_keys import CLOCK_JUMPED

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # epoch + timedelta: exact, and faster than fromtimestamp

# Raw SQL on the hot read path: the ORM costs ~20x for 200 rows of three tables (measured).
_CHAT_COLS = (
    "c.id, c.peer_id, c.kind, c.pinned, c.muted, c.archived, c.is_request, c.unread_count, c.last_activity,"
    " c.last_preview, c.last_message_id, c.draft, c.muted_until"
)
_ACCOUNT_COLS = (
    "a.id, a.display_name, a.kind, a.verified, a.scam, a.verified_name, a.about, a.description, a.category,"
    " a.address, a.email, a.websites, a.hours"
)
SUMMARY_SQL = (
    f"SELECT {_CHAT_COLS}, {_ACCOUNT_COLS}, b.account_id IS NOT NULL, a.encrypted FROM chats c"
    " JOIN accounts a ON a.id = c.peer_id LEFT JOIN blocks b ON b.account_id = c.peer_id"
)
# A blocked chat stays in the list but counts nowhere: no tab, no unread (nothing of it is counted).
COUNTS_SQL = (
    "SELECT count(*), coalesce(sum(unread_count > 0), 0), coalesce(sum(kind = 'personal'), 0),"
    " coalesce(sum(kind = 'business'), 0) FROM chats WHERE archived = 0"
    " AND NOT EXISTS (SELECT 1 FROM blocks WHERE blocks.account_id = chats.peer_id)"
)
_FILTER_WHERE = {
    ChatFilter.ALL: "",
    ChatFilter.UNREAD: " AND c.unread_count > 0 AND b.account_id IS NULL",
    ChatFilter.PERSONAL: f" AND c.kind = '{ChatKind.PERSONAL.value}'",
    ChatFilter.BUSINESS: f" AND c.kind = '{ChatKind.BUSINESS.value}'",
}


def dt(value: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=value)


def list_sql(filter: ChatFilter) -> str:
    """Pinned first, then by last activity, newest first (the ix_chats_list index order); one parameter:
    archived."""
    order = " ORDER BY c.pinned DESC, c.last_activity DESC, c.id DESC"
    return f"{SUMMARY_SQL} WHERE c.archived = ?{_FILTER_WHERE[filter]}{order}"


def account_from_tuple(values: tuple[Any, ...], *, encrypted: bool = False) -> Account:
    """An account from a raw row: id, display_name, kind, verified, scam, verified_name, then the profile."""
    (account_id, name, kind, verified, scam, verified_name, about, description, category, address, email,
     websites, hours) = values  # fmt: skip
    account_kind = AccountKind(kind)
    profile = None
    if account_kind is AccountKind.BUSINESS:
        profile = BusinessProfile(
            about, description, category, address, email, tuple(w for w in websites.split("\n") if w), hours
        )
    return Account(
        account_id, name, account_kind, bool(verified), bool(scam), verified_name, profile, encrypted
    )


def summary_from_row(row: tuple[Any, ...]) -> ChatSummary:
    peer = account_from_tuple(row[13:26], encrypted=bool(row[27]))
    (chat_id, peer_id, kind, pinned, muted, archived, is_request, unread, last_activity, preview, last_id,
     draft, muted_until) = row[:13]  # fmt: skip
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
        last_activity=dt(last_activity) if last_activity else None,
        last_preview=preview,
        last_message_id=last_id,
        draft=draft,
        muted_until=dt(muted_until) if muted_until is not None else None,
    )
    return ChatSummary(chat=chat, peer=peer, blocked=bool(row[26]))


def counts_from_row(row: tuple[Any, ...]) -> dict[ChatFilter, int]:
    total, unread, personal, business = row
    return {
        ChatFilter.ALL: int(total),
        ChatFilter.UNREAD: int(unread),
        ChatFilter.PERSONAL: int(personal),
        ChatFilter.BUSINESS: int(business),
    }


class QuickChatList:
    """The chat list read straight from the file, read-only, for the first frame.

    A database not yet migrated (a new file) has no chats table: it reads as an empty list.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            conn.execute("PRAGMA trusted_schema=OFF")
        except sqlite3.Error:
            return []
        try:
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                if "decode" not in str(exc):
                    raise
            # Text that is not UTF-8 (only another program can have written it) must not hide every row:
            # read again with U+FFFD for the bad bytes (only then: decoding in Python costs on every value).
            conn.text_factory = lambda value: value.decode("utf-8", "replace")
            return conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError:
            return []
        finally:
            conn.close()

    def chat_list(self, *, filter: ChatFilter = ChatFilter.ALL, archived: bool = False) -> list[ChatSummary]:
        return [summary_from_row(r) for r in self._query(list_sql(filter), (archived,))]

    def counts(self) -> dict[ChatFilter, int]:
        rows = self._query(COUNTS_SQL)
        return counts_from_row(rows[0]) if rows else counts_from_row((0, 0, 0, 0))

    def clock_state(self) -> tuple[float, datetime | None]:
        """The virtual clock's stored jumps (seconds) and the newest activity on record, for the clock of
        a new run (`VirtualClock.resume`): a jump is not forgotten, and nothing shown lies ahead of now."""
        rows = self._query("SELECT value FROM settings WHERE key = ?", (CLOCK_JUMPED,))
        try:
            jumped = float(rows[0][0]) if rows else 0.0
        except (TypeError, ValueError):
            jumped = 0.0
        newest = self._query("SELECT MAX(last_activity) FROM chats")
        return jumped, dt(newest[0][0]) if newest and newest[0][0] else None

    def verified_names(self) -> dict[str, str]:
        """account id -> the name the directory confirmed, for every verified account."""
        rows = self._query("SELECT id, verified_name FROM accounts WHERE verified = 1")
        return {account_id: name for account_id, name in rows if name}
