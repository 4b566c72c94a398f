"""Matrix events as the wire's frames, and the ids between them.

The services know messages by the ids they gave them: the user's own by the id chosen when composing
(sent as the Matrix transaction id), everyone else's by their Matrix event id. `Ids` keeps the two apart
and together: a reaction, an edit, a redaction or a read receipt names an event, and the frame names the
message the services know.

Only what a personal chat holds is read: plain text (the body, never `formatted_body`: that is HTML, and
text from the network is data), replies, edits, reactions, redactions, typing and read receipts. A message
of a kind not known here (a location, a poll, another client's own) shows its body, the text the spec
makes every message carry for such clients. Imports matrix-nio: import this module lazily.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from nio import (
    BadEvent,
    ReactionEvent,
    ReceiptEvent,
    RedactionEvent,
    RoomMemberEvent,
    RoomMessageEmote,
    RoomMessageNotice,
    RoomMessageText,
    RoomMessageUnknown,
    TypingNoticeEvent,
)
from pydantic import ValidationError

from tui_messenger.domain.matrix_memory import OwnEvent, Reacted, Remembered, RoomMark
from tui_messenger.transport import wire
from tui_messenger.transport.matrix.files import MEDIA_TYPES, file_frame

log = logging.getLogger(__name__)

MAX_ID = 200  # the wire's limit on ids and account ids
MAX_NOTED = 1_000  # events that are not messages, noted with the message before them (for receipts)


class _Reactions(dict[str, tuple[str, str, str]]):
    """Reaction event -> (sender, target event, key), noting what is added and taken back (to be kept)."""

    def __init__(self) -> None:
        super().__init__()
        self.changes = Remembered()

    def __setitem__(self, event_id: str, value: tuple[str, str, str]) -> None:
        if event_id not in self:
            self.changes.reactions.append(Reacted(event_id, *value))
        super().__setitem__(event_id, value)

    def pop(self, event_id: str, default: Any = None) -> Any:
        if event_id in self:
            self.changes.unreacted.append(event_id)
        return super().pop(event_id, default)


@dataclass
class Ids:
    """Event ids and the services' message ids, both ways, with what the receipts need: each event's time
    and the user's own messages of each room in order. What a restart must not lose (the user's own
    events, reactions, each room's mark) is noted in `changes` for the transport to keep
    (domain/matrix_memory.py), and given back by `recall`."""

    local_of_event: dict[str, str] = field(default_factory=dict)
    event_of_local: dict[str, str] = field(default_factory=dict)
    times: dict[str, int] = field(default_factory=dict)  # event id -> server time (ms)
    room_of: dict[str, str] = field(default_factory=dict)  # event id -> its room
    own: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # room -> [(time, local id)]
    reactions: _Reactions = field(default_factory=_Reactions)  # event -> (sender, target, key)
    marks: dict[str, RoomMark] = field(default_factory=dict)  # room -> its history position
    changes: Remembered = field(default_factory=Remembered)
    newest: dict[str, tuple[int, str]] = field(default_factory=dict)  # room -> its newest message seen
    message_before: dict[str, str] = field(default_factory=dict)  # another event -> the message before it

    def recall(self, kept: Remembered) -> None:
        """What an earlier run kept (before anything of this run)."""
        for own in kept.own:
            self.sent(own.room_id, own.message_id, own.event_id, own.at, new=False)
        for reaction in kept.reactions:
            dict.__setitem__(
                self.reactions, reaction.event_id, (reaction.sender, reaction.target, reaction.key)
            )
        self.marks.update(kept.rooms)

    def take_changes(self) -> Remembered:
        """What changed since the last call (to be kept), and start noting afresh."""
        changes, self.changes = self.changes, Remembered()
        changes.reactions += self.reactions.changes.reactions
        changes.unreacted += self.reactions.changes.unreacted
        self.reactions.changes = Remembered()
        return changes

    def mark(self, room_id: str, **change: Any) -> RoomMark:
        """Change room `room_id`'s mark (older, complete, read_up_to), noted to be kept."""
        mark = replace(self.marks.get(room_id) or RoomMark(room_id), **change)
        self.marks[room_id] = self.changes.rooms[room_id] = mark
        return mark

    def sent(self, room_id: str, local_id: str, event_id: str, when: int, *, new: bool = True) -> None:
        """The user's own message `local_id` is event `event_id` (from the send's answer or its echo)."""
        if event_id in self.local_of_event:
            return
        self.local_of_event[event_id] = local_id
        self.event_of_local[local_id] = event_id
        self.times[event_id] = when
        self.room_of[event_id] = room_id
        self.own.setdefault(room_id, []).append((when, local_id))
        if new and local_id != event_id:
            self.changes.own.append(OwnEvent(event_id, room_id, local_id, when))

    def own_echo(self, room_id: str, event: Any, me: str, when: int) -> bool:
        """The user's own message coming back, which the services have: this device's echo (by its
        transaction id, noted here) or an event this database sent before (from an earlier sign-in: a
        new device is not given the transaction id, nor, in an encrypted room, the key)."""
        if str(getattr(event, "sender", "")) != me:
            return False
        event_id, txn = str(getattr(event, "event_id", "")), getattr(event, "transaction_id", None)
        if txn:
            self.sent(room_id, txn, event_id, when)
            self._server_time(room_id, txn, event_id, when)
        return bool(txn) or event_id in self.local_of_event

    def _server_time(self, room_id: str, local_id: str, event_id: str, when: int) -> None:
        """The echo's time is the server's: a send's answer has none, so until its echo a message counts
        at the time it was written, and one sent long after (from the outbox after a reconnect, or
        retried) fell before the other person's read mark: the receipt on it never made it read."""
        if self.times.get(event_id) == when or self.local_of_event.get(event_id) != local_id:
            return
        self.times[event_id] = when
        self.own[room_id] = [
            (when if mine == local_id else at, mine) for at, mine in self.own.get(room_id, [])
        ]
        self.changes.own.append(OwnEvent(event_id, room_id, local_id, when))

    def seen(self, room_id: str, event_id: str, when: int, *, message: bool) -> None:
        """A timeline event, in the order of the room's timeline. An event that is not a message (a
        reaction, an edit, a redaction, a change of the room) notes the newest message before it: a read
        receipt on it (another client's) reads up to that message. Older history paged in later is
        older than the newest message: it notes nothing."""
        self.room_of[event_id] = room_id
        newest = self.newest.get(room_id)
        if message:
            if newest is None or when >= newest[0]:
                self.newest[room_id] = (when, event_id)
        elif newest is not None and newest[0] <= when:
            self.message_before[event_id] = newest[1]
            if len(self.message_before) > MAX_NOTED:
                del self.message_before[next(iter(self.message_before))]

    def message_at(self, event_id: str) -> str:
        """The message a read receipt on `event_id` reads up to (see `seen`), as the services know it."""
        return self.local(self.message_before.get(event_id, event_id))

    def local(self, event_id: str) -> str:
        return self.local_of_event.get(event_id, event_id)

    def event(self, message_id: str) -> str:
        return self.event_of_local.get(message_id, message_id)

    def read(self, room_id: str, event_id: str) -> list[str]:
        """The user's own messages in `room_id` newly read by a receipt on `event_id` (all up to it)."""
        when = self.times.get(event_id)
        before = self.marks[room_id].read_up_to if room_id in self.marks else -1
        if when is None or when <= before:
            return []
        self.mark(room_id, read_up_to=when)
        return [local for at, local in self.own.get(room_id, []) if before < at <= when]


def strip_reply_fallback(body: str) -> str:
    """A reply's body starts with the quoted lines ("> ...") and a blank line: the quote is shown from the
    message it points at, so only the reply itself is kept."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith("> "):
        return body
    index = 0
    while index < len(lines) and lines[index].startswith(">"):
        index += 1
    if index < len(lines) and lines[index] == "":
        index += 1
    return "\n".join(lines[index:])


def _text(event: Any) -> str | None:
    """The text a message event shows: a text, a notice (a bot's), an emote; for a kind of message not
    known here, or one nio finds malformed, its `body` (the spec's fallback), if it is text."""
    if isinstance(event, RoomMessageText | RoomMessageNotice | RoomMessageEmote):
        return str(event.body)
    if isinstance(event, RoomMessageUnknown):
        content = event.content
    elif isinstance(event, BadEvent) and event.type == "m.room.message":  # another client's slip elsewhere
        content = event.source.get("content")  # (an html part that is not a string, an image with no url)
    else:
        return None
    body = content.get("body") if isinstance(content, dict) else None
    return body if isinstance(body, str) else None


def _relation(source: dict[str, Any]) -> dict[str, Any]:
    content = source.get("content")
    relates = content.get("m.relates_to") if isinstance(content, dict) else None
    return relates if isinstance(relates, dict) else {}


def _fits(*values: str) -> bool:
    return all(0 < len(v) <= MAX_ID for v in values)


def newcomer(event: RoomMemberEvent, me: str, peer: str, when: int) -> wire.MessageFrame | None:
    """A third person joining the room of a personal chat, or invited to it: a line in the chat at that
    point (what the user writes from then on goes to a room of just the two: transport.py)."""
    who = str(event.state_key)
    if (
        who in (me, peer)
        or event.membership not in ("join", "invite")
        or event.prev_membership
        in (
            "join",  # a join after a join is a new display name
            "invite",  # the invitation was the line
        )
    ):
        return None
    name = event.content.get("displayname")
    label = f"{name} ({who})" if isinstance(name, str) and name.strip() and name != who else who
    verb = "joined" if event.membership == "join" else "was invited to"
    body = f"{label[:300]} {verb} the room this chat used. What you write from now on goes to a room of"
    body += " just the two of you."
    return wire.MessageFrame(
        id=str(event.event_id),
        sender=peer,
        to=me,
        timestamp=when,
        kind="system",
        text=wire.TextContent(body=body),
    )


def timeline_frame(event: Any, room_id: str, me: str, peer: str, ids: Ids) -> wire.Frame | None:
    """One timeline event of a personal chat as a frame; None for what a chat does not show, and for the
    user's own message that this database sent (the services have it already: `Ids.own_echo`)."""
    sender = str(getattr(event, "sender", ""))
    to = me if sender != me else peer
    event_id = str(getattr(event, "event_id", ""))
    when = int(getattr(event, "server_timestamp", 0) or 0)
    if not _fits(sender, to, event_id):
        return None
    ids.times.setdefault(event_id, when)
    text = _text(event)
    message = text is not None or isinstance(event, MEDIA_TYPES)
    ids.seen(room_id, event_id, when, message=message and _relation(event.source).get("rel_type") is None)
    if isinstance(event, RoomMemberEvent):
        return newcomer(event, me, peer, when)
    if isinstance(event, MEDIA_TYPES):  # m.file, m.image: named, fetched only when saved
        return file_frame(event, room_id, me, peer, when, ids)
    if text is not None:
        if ids.own_echo(room_id, event, me, when):
            return None
        relation = _relation(event.source)
        if relation.get("rel_type") == "m.replace":
            new = event.source.get("content", {}).get("m.new_content", {})
            body = new.get("body") if isinstance(new, dict) else None
            target = relation.get("event_id")
            if not isinstance(body, str) or not isinstance(target, str):
                return None
            return wire.EditFrame(
                id=event_id, sender=sender, to=to, message_id=ids.local(target), body=body, timestamp=when
            )
        reply = relation.get("m.in_reply_to", {})
        quoted = reply.get("event_id") if isinstance(reply, dict) else None
        body = strip_reply_fallback(text) if quoted else text
        if isinstance(event, RoomMessageEmote):  # "/me waves": shown as "* waves"
            body = f"* {body}"
        return wire.MessageFrame(
            id=event_id,
            sender=sender,
            to=to,
            timestamp=when,
            kind="text",
            text=wire.TextContent(body=body),
            context=wire.Context(message_id=ids.local(quoted)) if isinstance(quoted, str) else None,
        )
    if isinstance(event, ReactionEvent):
        ids.reactions[event_id] = (sender, event.reacts_to, event.key)
        return wire.ReactionFrame(
            id=event_id, sender=sender, to=to, message_id=ids.local(event.reacts_to), emoji=event.key,
            timestamp=when,
        )  # fmt: skip
    if isinstance(event, RedactionEvent):
        reaction = ids.reactions.pop(event.redacts, None)
        if reaction is not None:  # a reaction taken back: no emoji
            return wire.ReactionFrame(
                id=event_id, sender=sender, to=to, message_id=ids.local(reaction[1]), emoji="", timestamp=when
            )
        return wire.DeleteFrame(
            id=event_id, sender=sender, to=to, message_id=ids.local(event.redacts), timestamp=when
        )
    return None


def ephemeral_frames(event: Any, room_id: str, me: str, peer: str, ids: Ids) -> list[wire.Frame]:
    """Typing and read receipts of the other person in a personal chat, and the user's own read receipts
    (what they read on another device, or before this login)."""
    if isinstance(event, TypingNoticeEvent):
        return [wire.TypingFrame(sender=peer, to=me, typing=peer in event.users)]
    if isinstance(event, ReceiptEvent):
        frames: list[wire.Frame] = []
        for receipt in event.receipts:
            if receipt.user_id == peer and receipt.receipt_type == "m.read":
                frames += [
                    wire.StatusFrame(
                        message_id=local, status="read", sender=peer, to=me, timestamp=receipt.timestamp
                    )
                    for local in ids.read(room_id, receipt.event_id)
                ]
            elif receipt.user_id == me and receipt.receipt_type in ("m.read", "m.read.private"):
                frames.append(  # the user read up to it elsewhere (the services read it here too)
                    wire.StatusFrame(
                        message_id=ids.message_at(receipt.event_id),
                        status="read",
                        sender=me,
                        to=peer,
                        timestamp=receipt.timestamp,
                    )  # fmt: skip
                )
        return frames
    return []


def safely(convert: Callable[..., Any], *args: Any) -> list[wire.Frame]:
    """A converted event as a list; an event whose fields break the wire's limits is left out (logged)."""
    try:
        result = convert(*args)
    except (ValidationError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("left out a Matrix event: %s", exc)
        return []
    if result is None:
        return []
    return list(result) if isinstance(result, list) else [result]
