"""A locked message opened in place: the end-to-end encrypted message whose key came late.

The message was stored when it arrived, as `MessageKind.LOCKED` with the app's own words for its body
(`LOCKED_TEXT`), at its place in the chat. When its key comes, `Unlock` gives that same row its real
content: kind, body (the FTS index follows by its update trigger), payload, reply and file. It is not an
edit: `edited_at` stays unset ("edited" is not shown) and no edit window is asked, as the content is the
message's own, first one. Its place, time, status and unread count stay; the chat list's preview follows
when it is the chat's last message. A locked message raises no toast; its unlock does, with its text, if
the message is still unread (and recent: the receiver's rules for toasts hold).

Only a row that is still locked, by the same sender, is opened; a deleted or hidden one stays as it is.
An unlock that overtook its message waits for it (`result.waiting`), as edits do.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui_messenger.domain.models import Direction, MessageKind, MessageStatus
from tui_messenger.store.attachments import insert_files, with_files
from tui_messenger.store.edits import _load, _reload, _set_preview

if TYPE_CHECKING:
    from tui_messenger.store.ingest import BatchResult, Incoming

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Unlock:
    """A batch item: the readable content of a message stored locked (see the module doc)."""

    content: Incoming  # the message as it would have been stored, had its key come with it

    @property
    def target(self) -> str:
        """The message this unlocks."""
        return self.content.message_id

    def apply(self, conn: sqlite3.Connection, result: BatchResult) -> None:
        new = self.content
        loaded = _load(conn, new.message_id)
        if loaded is None:
            log.info("the unlocked message %r waits for its locked row", new.message_id)
            result.waiting.append(self)
            return
        message, hidden = loaded
        if hidden or message.deleted or message.kind is not MessageKind.LOCKED:
            return  # deleted, or opened already (a re-sent unlock)
        if message.sender_id != new.sender_id or new.kind == MessageKind.LOCKED.value:
            log.warning("dropped an unlock of %r: not its sender's, or still locked", new.message_id)
            return
        conn.execute(
            "UPDATE messages SET kind = ?, body = ?, payload = ?, reply_to = ?, template_category = ?"
            " WHERE message_id = ?",
            (new.kind, new.body, new.payload, new.reply_to, new.template_category, new.message_id),
        )
        opened = _reload(conn, new.message_id)
        if new.attachment is not None:
            insert_files(conn, {new.message_id: new.attachment})
            opened = with_files([opened], {new.message_id: new.attachment.info})[0]
        _set_preview(conn, message, new.body)
        result.changed.append(opened)
        result.touched.add(message.chat_id)
        if opened.direction is Direction.INBOUND and opened.status is not MessageStatus.READ:
            result.notify.append(opened)  # its toast, with its text (the receiver drops an old one's)
