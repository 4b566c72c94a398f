"""The rules for editing and deleting messages, the same on both sides of the wire.

- Only the author edits or deletes for everyone, within `EDIT_WINDOW` of the message's time.
- The user's own actions are judged on the service clock: 14:59 after sending is fine, 15:01 is not.
- An edit or deletion from the other side is judged on its own time (the frame's timestamp, so one that
  waited in a queue is not refused for arriving late), which may run `CLOCK_SKEW` past the window or
  ahead of our clock but no more; otherwise it is dropped (and logged by the caller).
- Only text is edited (a template, a list or a file keeps what it was); any message can be deleted.
- A deleted message cannot be edited; an edit older than the last one applied changes nothing.
- Delete for me is always allowed: it touches only this device.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from tui_messenger.domain.models import ChatMessage, MessageKind, MessageStatus

EDIT_WINDOW = timedelta(minutes=15)
CLOCK_SKEW = timedelta(minutes=1)
DELETED_TEXT = "This message was deleted"
MAX_EDIT_CHARS = 65_536  # as for a new message: a 1 MB body travels, but nobody types that much
EDITABLE_KINDS = frozenset({MessageKind.TEXT})  # a reply to a button or a file keeps what it was


class Refusal(StrEnum):
    """Why an edit or a deletion for everyone is not allowed (the text is shown to the user)."""

    NOT_AUTHOR = "Only the author can change a message"
    TOO_LATE = "Messages can be changed for 15 minutes after sending"
    DELETED = "This message was deleted"
    NOT_SENT = "This message was not sent"
    NOT_TEXT = "Only text messages can be edited"
    EMPTY = "An edited message cannot be empty"
    UNCHANGED = "The text is the same"


@dataclass(frozen=True, slots=True)
class Allowed:
    """What the user may do with a message now (the menu and the keys ask this)."""

    edit: bool
    delete_for_everyone: bool
    delete_for_me: bool = True


def within_window(sent_at: datetime, at: datetime) -> bool:
    return at - sent_at <= EDIT_WINDOW


def own_refusal(message: ChatMessage, user_id: str, now: datetime, *, edit: bool) -> Refusal | None:
    """Why the user may not edit (`edit`) or delete for everyone this message now, or None."""
    if message.sender_id != user_id or not message.outgoing:
        return Refusal.NOT_AUTHOR
    if message.deleted:
        return Refusal.DELETED
    if message.status is MessageStatus.FAILED:
        return Refusal.NOT_SENT  # never reached anyone: delete it for me, or retry it
    if edit and message.kind not in EDITABLE_KINDS:
        return Refusal.NOT_TEXT
    if not within_window(message.sent_at, now):
        return Refusal.TOO_LATE
    return None


def allowed(message: ChatMessage, user_id: str, now: datetime) -> Allowed:
    return Allowed(
        edit=own_refusal(message, user_id, now, edit=True) is None,
        delete_for_everyone=own_refusal(message, user_id, now, edit=False) is None,
    )


def edit_refusal(message: ChatMessage, body: str, user_id: str, now: datetime) -> Refusal | None:
    """`own_refusal` for an edit, plus the new text itself."""
    if (refusal := own_refusal(message, user_id, now, edit=True)) is not None:
        return refusal
    if not body.strip():
        return Refusal.EMPTY
    if body == message.body:
        return Refusal.UNCHANGED
    return None


def accepts_remote(*, author: str, actor: str, sent_at: datetime, at: datetime, now: datetime) -> bool:
    """An edit or deletion by `actor` made at `at` (its frame's time) of a message `author` sent at
    `sent_at`: only the author, within the window give or take the clock skew, and not from the future.
    No lower bound: an edit made while the message was still queued may carry a time before the one
    the network gave the message."""
    return actor == author and at <= now + CLOCK_SKEW and at - sent_at <= EDIT_WINDOW + CLOCK_SKEW
