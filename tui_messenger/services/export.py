"""A chat as wire frames (the same shapes the network uses) or as plain text, read page by page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from tui_messenger.domain.clock import to_ms
from tui_messenger.domain.edits import DELETED_TEXT
from tui_messenger.domain.models import ChatMessage, MessageKind, MessageStatus, PageCursor
from tui_messenger.domain.safe_text import clean_body, clean_name, json_safe
from tui_messenger.services import frames
from tui_messenger.services.port import Messenger
from tui_messenger.transport import wire

PAGE = 500


async def history(messenger: Messenger, chat_id: int) -> AsyncIterator[ChatMessage]:
    """Every message of a chat, oldest first, read in keyset pages from the newest end."""
    pages: list[list[ChatMessage]] = []
    page = await messenger.latest_page(chat_id, limit=PAGE)
    while page:
        pages.append(page)
        first = page[0]
        if len(page) < PAGE or first.id is None:
            break
        page = await messenger.page_before(chat_id, PageCursor(first.position, first.id), limit=PAGE)
    for chunk in reversed(pages):
        for message in chunk:
            yield message


def message_frame(message: ChatMessage, *, to: str) -> wire.MessageFrame:
    """The wire frame of a stored message: structured content back from its payload."""
    context = wire.Context(message_id=message.reply_to) if message.reply_to else None
    common: dict[str, Any] = frames.envelope(message, to=to) | {"context": context}
    if fields := frames.content_fields(message):
        return wire.MessageFrame(**fields, **common)
    kind = "system" if message.kind is MessageKind.SYSTEM else "text"
    return wire.MessageFrame(kind=kind, text=wire.TextContent(body=message.body), **common)


def status_frame(message: ChatMessage, *, peer: str) -> wire.StatusFrame | None:
    """Where an outgoing message got to, as the receipt that took it there."""
    if not message.outgoing or message.status is MessageStatus.PENDING or message.kind is MessageKind.SYSTEM:
        return None  # a system line (a stop, a refusal) is no message anyone received
    error = wire.ErrorInfo(code=message.error_code) if message.error_code else None
    return wire.StatusFrame(
        message_id=message.message_id,
        status=message.status.value,
        sender=peer,
        to=message.sender_id,
        timestamp=to_ms(message.received_at or message.sent_at),
        client_txn_id=message.client_txn_id,
        error=error,
    )


async def export_frames(
    messenger: Messenger, chat_id: int, *, user_id: str, peer_id: str
) -> AsyncIterator[str]:
    """One JSON envelope per line: each message, then the receipt of each outgoing one. Safe to write to a
    terminal: controls, bidi, tag and invisible characters are `\\uXXXX` escapes (`json_safe`)."""
    async for message in history(messenger, chat_id):
        to = peer_id if message.outgoing else user_id
        yield json_safe(wire.encode(message_frame(message, to=to)).decode())
        receipt = status_frame(message, peer=peer_id)
        if receipt is not None:
            yield json_safe(wire.encode(receipt).decode())


async def export_text(messenger: Messenger, chat_id: int, *, title: str) -> AsyncIterator[str]:
    """One line per message (continuation lines indented), safe for a terminal."""
    name = clean_name(title)
    async for message in history(messenger, chat_id):
        system = message.kind is MessageKind.SYSTEM  # a line of the app's or the network's, not a message
        who = "--" if system else "me" if message.outgoing else name
        when = message.sent_at.strftime("%Y-%m-%d %H:%M")
        tick = f" [{message.status.value}]" if message.outgoing and not system else ""
        body = clean_body(message.body).replace("\n", "\n    ")
        if message.deleted:
            body = f"({DELETED_TEXT})"
        elif message.edited_at is not None:
            body += " (edited)"
        yield f"{when}  {who}{tick}: {body}"
        if message.reactions:  # each chip passed the one-emoji check in the store
            yield "    " + "  ".join(f"{r.emoji} {r.count}" for r in message.reactions)
