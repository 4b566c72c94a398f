"""Edits and deletions in the store. The store keeps what the rules need and no more:

- an edit replaces the body (the FTS index follows by its update trigger) and sets `edited_at`; only
  the latest text is kept;
- deleted for everyone: a tombstone; no body, no payload, its reactions and file gone, `deleted_at` set.
  The row stays so a re-sent frame (dedupe by id) or a late edit of it is recognised and dropped;
- deleted for me: `hidden`, and the body and payload cleared too; every view skips it, and a duplicate
  frame of it (dedupe by id) leaves it hidden;
- the chat list's preview follows when the message is the chat's last one (a hidden last message gives
  way to the newest visible one).

Who may do what, and until when, is `domain.edits`: the user's own changes come with a `check` the
service runs inside the transaction; a change from the other side is a batch item (`RemoteChange`).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui_messenger.domain.edits import DELETED_TEXT, EDITABLE_KINDS, accepts_remote
from tui_messenger.domain.models import ChatMessage, ChatSummary, MessageKind
from tui_messenger.store import convert
from tui_messenger.store.action_outbox import OutgoingAction, enqueue_action
from tui_messenger.store.base import Repository, raw
from tui_messenger.store.chats import summary
from tui_messenger.store.convert import message_from_tuple
from tui_messenger.store.messages import COLUMNS

if TYPE_CHECKING:
    from tui_messenger.store.ingest import BatchResult

log = logging.getLogger(__name__)

_SELECT = f"SELECT {COLUMNS}, m.hidden FROM messages m WHERE m.message_id = ?"


def _load(conn: sqlite3.Connection, message_id: str) -> tuple[ChatMessage, bool] | None:
    row = conn.execute(_SELECT, (message_id,)).fetchone()
    return None if row is None else (message_from_tuple(row[:-1]), bool(row[-1]))


def _reload(conn: sqlite3.Connection, message_id: str) -> ChatMessage:
    loaded = _load(conn, message_id)
    assert loaded is not None
    return loaded[0]


def _set_preview(conn: sqlite3.Connection, message: ChatMessage, text: str) -> bool:
    """The chat list's preview, when `message` is the chat's last one. True when it changed."""
    cur = conn.execute(
        "UPDATE chats SET last_preview = ? WHERE id = ? AND last_message_id = ?",
        (convert.preview(text, convert.PREVIEW_CELLS), message.chat_id, message.message_id),
    )
    return cur.rowcount > 0


def edit_row(conn: sqlite3.Connection, message: ChatMessage, body: str, at_ms: int) -> ChatMessage:
    conn.execute(
        "UPDATE messages SET body = ?, edited_at = ? WHERE message_id = ?", (body, at_ms, message.message_id)
    )
    _set_preview(conn, message, body)
    return _reload(conn, message.message_id)


def _forget_extras(conn: sqlite3.Connection, message_id: str) -> None:
    conn.execute("DELETE FROM reactions WHERE message_id = ?", (message_id,))
    conn.execute("DELETE FROM attachments WHERE message_id = ?", (message_id,))


def tombstone_row(conn: sqlite3.Connection, message: ChatMessage, at_ms: int) -> ChatMessage:
    conn.execute(
        "UPDATE messages SET body = '', payload = NULL, deleted_at = ? WHERE message_id = ?",
        (at_ms, message.message_id),
    )
    _forget_extras(conn, message.message_id)
    _set_preview(conn, message, DELETED_TEXT)
    return _reload(conn, message.message_id)


def hide_row(conn: sqlite3.Connection, message: ChatMessage) -> None:
    conn.execute(
        "UPDATE messages SET hidden = 1, body = '', payload = NULL WHERE message_id = ?",
        (message.message_id,),
    )
    _forget_extras(conn, message.message_id)
    # A failed send never leaves now: its parked outbox entry goes too. A pending one is still sent
    # (it may be on its way already); deleting it for me hides only this copy.
    conn.execute(
        "DELETE FROM outbox WHERE message_id = ? AND EXISTS"
        " (SELECT 1 FROM messages WHERE message_id = ? AND status = 'failed')",
        (message.message_id, message.message_id),
    )
    chat = conn.execute("SELECT last_message_id FROM chats WHERE id = ?", (message.chat_id,)).fetchone()
    if chat is not None and chat[0] == message.message_id:
        newest = conn.execute(
            "SELECT message_id, body, deleted_at FROM messages WHERE chat_id = ? AND hidden = 0"
            " ORDER BY position DESC, id DESC LIMIT 1",
            (message.chat_id,),
        ).fetchone()
        if newest is None:
            conn.execute(
                "UPDATE chats SET last_preview = '', last_message_id = NULL WHERE id = ?", (message.chat_id,)
            )
        else:
            text = DELETED_TEXT if newest[2] is not None else newest[1]
            conn.execute(
                "UPDATE chats SET last_preview = ?, last_message_id = ? WHERE id = ?",
                (convert.preview(text, convert.PREVIEW_CELLS), newest[0], message.chat_id),
            )


@dataclass(frozen=True, slots=True)
class Change:
    """The outcome of the user's edit or deletion."""

    message: ChatMessage | None  # the message now; None if unknown (or hidden, after delete for me)
    summary: ChatSummary | None  # the chat's row after the change
    refused: Any = None  # what `check` answered when it refused (a domain.edits.Refusal)


Check = Callable[[ChatMessage], Any]
"""The services' rule, run inside the transaction on the stored message: None allows."""


class EditRepository(Repository):
    def edit(
        self, *, message_id: str, body: str, at: datetime, action: OutgoingAction, check: Check
    ) -> Change:
        """The user edits their message: new body, `edited_at`, and the edit frame, atomically."""
        return self._own_change(
            message_id, at, action, check,
            change=lambda conn, message: edit_row(conn, message, body, convert.ms(at)),
            supersedes=("edit",),
        )  # fmt: skip

    def delete_for_everyone(
        self, *, message_id: str, at: datetime, action: OutgoingAction, check: Check
    ) -> Change:
        """The user deletes their message for everyone: a tombstone and the delete frame, atomically.
        Waiting edits of it are never sent now."""
        return self._own_change(
            message_id, at, action, check,
            change=lambda conn, message: tombstone_row(conn, message, convert.ms(at)),
            supersedes=("edit", "reaction"),
        )  # fmt: skip

    def _own_change(
        self, message_id: str, at: datetime, action: OutgoingAction, check: Check, *,
        change: Callable[[sqlite3.Connection, ChatMessage], ChatMessage], supersedes: tuple[str, ...],
    ) -> Change:  # fmt: skip
        """A change of the user's own message that `check` allows, with its frame (which makes the
        waiting frames of the `supersedes` kinds for that message unsent), in one transaction."""
        with self.db.write_conn() as conn:
            loaded = _load(conn, message_id)
            if loaded is None or loaded[1]:
                return Change(None, None)
            if (refused := check(loaded[0])) is not None:
                return Change(loaded[0], None, refused)
            message = change(conn, loaded[0])
            enqueue_action(conn, action, at, supersedes=supersedes)
            return Change(message, summary(conn, message.chat_id))

    def delete_for_me(self, *, message_id: str) -> Change:
        """Hide the message on this device only; the chat's preview moves to the newest visible one.
        `message` in the answer is the message as it was (for the screen to drop it)."""
        with self.db.write_conn() as conn:
            loaded = _load(conn, message_id)
            if loaded is None or loaded[1]:
                return Change(None, None)
            hide_row(conn, loaded[0])
            return Change(loaded[0], summary(conn, loaded[0].chat_id))

    def is_hidden(self, *, message_id: str) -> bool:
        with self.db.read() as session:
            loaded = _load(raw(session), message_id)
            return loaded is not None and loaded[1]


@dataclass(frozen=True, slots=True)
class RemoteChange:
    """An edit (`body` set) or a deletion for everyone (`body` None) from the network: a batch item.

    Applied only to a message the store has, not hidden, not deleted, by its own sender, within the
    window (domain.edits.accepts_remote); an edit older than the one applied changes nothing. Anything
    else is dropped and logged. A change of a message the store does not have yet (it overtook its
    message) goes to `result.waiting`: the receiver keeps it, unacked, and applies it when the message
    comes (SECURITY.md: a deletion is never lost to reordering)."""

    frame_id: str
    message_id: str
    actor: str  # the account the frame came from
    at_ms: int  # the frame's timestamp
    now: datetime  # our clock when it arrived
    body: str | None = None

    @property
    def target(self) -> str:
        """The message this change is about."""
        return self.message_id

    def apply(self, conn: sqlite3.Connection, result: BatchResult) -> None:
        what = "delete" if self.body is None else "edit"
        loaded = _load(conn, self.message_id)
        if loaded is None:
            log.info("%s %s waits for its message %r", what, self.frame_id, self.message_id)
            result.waiting.append(self)
            return
        message, hidden = loaded
        if hidden or message.deleted:
            return  # gone already: a duplicate, or nothing left to change
        at = convert.dt(self.at_ms)
        if not accepts_remote(
            author=message.sender_id, actor=self.actor, sent_at=message.sent_at, at=at, now=self.now
        ):
            log.warning(
                "dropped %s %s of %r by %r: not the author, or outside the window",
                what, self.frame_id, self.message_id, self.actor,
            )  # fmt: skip
            return
        if self.body is not None and message.kind is MessageKind.LOCKED:  # its text has not come: wait for it
            log.info("edit %s waits for its message %r to be readable", self.frame_id, self.message_id)
            result.waiting.append(self)
            return
        if self.body is not None and message.kind not in EDITABLE_KINDS:
            log.warning("dropped edit %s of %r: a %s message is not edited", self.frame_id, self.message_id,
                        message.kind.value)  # fmt: skip
            return
        if self.body is None:
            changed = tombstone_row(conn, message, self.at_ms)
        elif message.edited_at is not None and at <= message.edited_at:
            return  # a duplicate, or an older edit arriving late: the newer text stays
        else:
            changed = edit_row(conn, message, self.body, self.at_ms)
        result.changed.append(changed)
        result.touched.add(changed.chat_id)
