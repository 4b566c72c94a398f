"""Rows to domain objects (and back), done inside the session that read the rows."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from tui_messenger.domain.clock import to_ms
from tui_messenger.domain.models import (
    Account,
    AccountKind,
    BusinessProfile,
    Chat,
    ChatKind,
    ChatMessage,
    Direction,
    MessageKind,
    MessageStatus,
    TemplateCategory,
)
from tui_messenger.domain.safe_text import clean_name, preview  # the one safe-text path
from tui_messenger.store.chat_rows import account_from_tuple, dt  # noqa: F401 - shared with the first frame
from tui_messenger.store.tables import AccountRow, ChatRow, MessageRow

PREVIEW_CELLS = 120  # what the chat list keeps of the last message; the screen clips it further

__all__ = ["clean_name", "preview", "ms", "dt", "opt_dt", "account", "chat", "message", "message_tuple"]


_DIRECTIONS = {d.value: d for d in Direction}
_KINDS = {k.value: k for k in MessageKind}
_STATUSES = {s.value: s for s in MessageStatus}
_CATEGORIES = {c.value: c for c in TemplateCategory}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # epoch + timedelta: exact, and faster than fromtimestamp


def ms(moment: datetime) -> int:
    return to_ms(moment)


def opt_dt(value: int | None) -> datetime | None:
    return None if value is None else _EPOCH + timedelta(milliseconds=value)


def account(row: AccountRow) -> Account:
    kind = AccountKind(row.kind)
    profile = None
    if kind is AccountKind.BUSINESS:
        profile = BusinessProfile(
            about=row.about,
            description=row.description,
            category=row.category,
            address=row.address,
            email=row.email,
            websites=tuple(w for w in row.websites.split("\n") if w),
            hours=row.hours,
        )
    return Account(
        id=row.id,
        display_name=row.display_name,
        kind=kind,
        verified=row.verified,
        scam=row.scam,
        verified_name=row.verified_name,
        profile=profile,
        encrypted=bool(row.encrypted),
    )


def chat(row: ChatRow, title: str) -> Chat:
    assert row.id is not None
    return Chat(
        id=row.id,
        peer_id=row.peer_id,
        kind=ChatKind(row.kind),
        title=title,
        pinned=row.pinned,
        muted=row.muted,
        archived=row.archived,
        is_request=row.is_request,
        unread_count=row.unread_count,
        last_activity=dt(row.last_activity) if row.last_activity else None,
        last_preview=row.last_preview,
        last_message_id=row.last_message_id,
        draft=row.draft,
        muted_until=dt(row.muted_until) if row.muted_until is not None else None,
    )


def message(row: MessageRow) -> ChatMessage:
    return ChatMessage(
        message_id=row.message_id,
        chat_id=row.chat_id,
        sender_id=row.sender_id,
        direction=Direction(row.direction),
        kind=MessageKind(row.kind),
        body=row.body,
        sent_at=dt(row.sent_at),
        status=MessageStatus(row.status),
        id=row.id,
        position=row.position,
        client_txn_id=row.client_txn_id,
        template_category=TemplateCategory(row.template_category) if row.template_category else None,
        payload=json.loads(row.payload) if row.payload else None,
        reply_to=row.reply_to,
        received_at=opt_dt(row.received_at),
        error_code=row.error_code,
        edited_at=opt_dt(row.edited_at),
        deleted=row.deleted_at is not None,
    )


# Column order of `message_tuple`, the hot path's row shape (raw executemany, no ORM objects).
MESSAGE_COLUMNS = (
    "id",
    "message_id",
    "client_txn_id",
    "chat_id",
    "sender_id",
    "direction",
    "kind",
    "template_category",
    "body",
    "payload",
    "reply_to",
    "position",
    "sent_at",
    "received_at",
    "status",
    "error_code",
    "edited_at",  # the last two are read, never inserted: INSERT_MESSAGE takes the first 16
    "deleted_at",
)


def message_from_tuple(values: tuple[Any, ...]) -> ChatMessage:
    """From a row read with MESSAGE_COLUMNS, or from the 16 values `message_tuple` inserts."""
    (row_id, message_id, txn, chat_id, sender, direction, kind, category, body, payload, reply_to, position,
     sent_at, received_at, status, error_code) = values[:16]  # fmt: skip
    edited_at, deleted_at = values[16:18] if len(values) > 16 else (None, None)
    return ChatMessage(
        message_id=message_id,
        chat_id=chat_id,
        sender_id=sender,
        direction=_DIRECTIONS[direction],
        kind=_KINDS[kind],
        body=body,
        sent_at=_EPOCH + timedelta(milliseconds=sent_at),
        status=_STATUSES[status],
        id=row_id,
        position=position,
        client_txn_id=txn,
        template_category=_CATEGORIES[category] if category else None,
        payload=json.loads(payload) if payload else None,
        reply_to=reply_to,
        received_at=None if received_at is None else _EPOCH + timedelta(milliseconds=received_at),
        error_code=error_code,
        edited_at=None if edited_at is None else _EPOCH + timedelta(milliseconds=edited_at),
        deleted=deleted_at is not None,
    )


def message_tuple(msg: ChatMessage, *, row_id: int, chat_id: int) -> tuple[Any, ...]:
    return (
        row_id,
        msg.message_id,
        msg.client_txn_id,
        chat_id,
        msg.sender_id,
        msg.direction.value,
        msg.kind.value,
        msg.template_category.value if msg.template_category else None,
        msg.body,
        json.dumps(msg.payload, separators=(",", ":")) if msg.payload is not None else None,
        msg.reply_to,
        msg.position,
        ms(msg.sent_at),
        ms(msg.received_at) if msg.received_at else None,
        msg.status.value,
        msg.error_code,
    )
