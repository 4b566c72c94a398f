"""Sends the network refused (131047 outside the window, 131049 no opt-in, 131050 marketing stopped...),
as the fake network tells testers: a dimmed system line in the business's chat.

A refusal line is a `system` message with the error code in `error_code`, the refused template's category
in `template_category` (none for free-form), and the network ("server") as its sender, never the business:
it is no message from the business, so it counts as nothing delivered, moves no unread count, preview or
notification, and is never report evidence. Lines of a blocked business are not kept (nothing of it is).
Whether they are shown is the screen's choice (`MessageRepository.hide_refusals`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from tui_messenger.domain.models import AccountKind
from tui_messenger.domain.stop_words import REFUSAL_SENDER
from tui_messenger.store.accounts import ensure_accounts
from tui_messenger.store.chats import chat_kind_for
from tui_messenger.store.consent import add_line
from tui_messenger.store.ingest import BatchResult


@dataclass(frozen=True, slots=True)
class RefusalItem:
    """A batch item (store/ingest.py `AppliesItself`) for one refusal frame."""

    refusal_id: str
    business_id: str
    code: int
    category: str | None
    body: str
    timestamp: int

    def apply(self, conn: sqlite3.Connection, result: BatchResult) -> None:
        if conn.execute("SELECT 1 FROM blocks WHERE account_id = ?", (self.business_id,)).fetchone():
            return
        ensure_accounts(conn, [self.business_id], now_ms=self.timestamp)
        chat = conn.execute("SELECT id FROM chats WHERE peer_id = ?", (self.business_id,)).fetchone()
        if chat is None:  # a business that never reached the user: its chat opens as a request
            cur = conn.execute(
                "INSERT INTO chats (peer_id, kind, pinned, muted, archived, is_request, unread_count,"
                " last_activity, last_preview, last_message_id, last_outbound_at, draft)"
                " VALUES (?, ?, 0, 0, 0, 1, 0, 0, '', NULL, 0, '')",
                (self.business_id, chat_kind_for(AccountKind.BUSINESS.value)),
            )
            chat_id = cur.lastrowid or 0
        else:
            chat_id = chat[0]
        line = add_line(
            conn, chat_id=chat_id, message_id=self.refusal_id, sender_id=REFUSAL_SENDER, body=self.body,
            payload={"refusal": self.code}, at_ms=self.timestamp, category=self.category,
            error_code=self.code,
        )  # fmt: skip
        if line is not None:
            result.added.append(line)
            result.touched.add(chat_id)
