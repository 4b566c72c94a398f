"""Editing and deleting messages: the user's own (a mixin of `MessengerService`) and the other side's
(receive-batch items). The rules are `domain.edits`, judged on the service clock.

The user's edit or deletion for everyone is stored with its frame in one transaction (the rule is
checked again inside it), then sent through the action outbox, which retries until the network acks it.

A message still pending (composed, not yet acknowledged by the network) can be edited and deleted too:
its frame already went out, or may have, byte for byte under its client transaction id, so rewriting
that frame could not change what the peer got. Instead the edit (or deletion) waits in the action
outbox until the message's own `sent` arrives, then goes as for any sent message: the peer always gets
the message first and the change after it. A failed message (never delivered) can only be deleted for
me, which also drops its parked send.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui_messenger.domain import edits as rules
from tui_messenger.domain.clock import to_ms
from tui_messenger.domain.events import ChatChanged, MessageChanged, MessageRemoved
from tui_messenger.domain.models import ChatMessage, ChatSummary
from tui_messenger.services.actions import outgoing_action
from tui_messenger.services.blocklist import BlockList
from tui_messenger.services.errors import BlockedError, InvalidMessageError, NotFoundError
from tui_messenger.store.edits import Change, RemoteChange
from tui_messenger.store.ingest import BatchItem, Dropped
from tui_messenger.transport import wire

if TYPE_CHECKING:
    from tui_messenger.domain.clock import Clock
    from tui_messenger.services.actions import ActionSender
    from tui_messenger.services.hub import EventHub
    from tui_messenger.store.action_outbox import OutgoingAction
    from tui_messenger.store.chats import ChatRepository
    from tui_messenger.store.edits import EditRepository
    from tui_messenger.store.messages import MessageRepository

log = logging.getLogger(__name__)


class RefusedError(InvalidMessageError):
    """The rules do not allow this edit or deletion; the message says why."""


def inbound_converters(
    *, user_id: str, clock: Clock, blocked: BlockList
) -> dict[type, Callable[[Any], BatchItem | None]]:
    """The receiver's converters that store edits and deletions from the network (in the batch's
    transaction)."""

    def convert(frame: wire.EditFrame | wire.DeleteFrame) -> BatchItem | None:
        if frame.sender in blocked:
            return Dropped(frame.sender)  # counted, never applied: nothing from a blocked account shows
        if user_id not in (frame.sender, frame.to):
            return None
        body = frame.body if isinstance(frame, wire.EditFrame) else None
        return RemoteChange(frame.id, frame.message_id, frame.sender, frame.timestamp, clock.now(), body)

    return {wire.EditFrame: convert, wire.DeleteFrame: convert}


class MessageEdits:
    """Edits and deletions of messages: a feature object owned by `MessengerService`."""

    def __init__(
        self, *, user_id: str, clock: Clock, hub: EventHub, chats: ChatRepository,
        messages: MessageRepository, edits: EditRepository, actions: ActionSender, new_id: Callable[[], str],
        decorate: Callable[[ChatSummary], ChatSummary],
    ) -> None:  # fmt: skip
        self.user_id, self.clock, self.hub, self.chats, self.messages = user_id, clock, hub, chats, messages
        self.edits, self.actions, self._new_id, self.decorate = edits, actions, new_id, decorate

    async def allowed_actions(self, message_id: str) -> rules.Allowed:
        """What the user may do with the message now: edit, delete for everyone (delete for me always)."""
        message = await self._own_view(message_id)
        return rules.allowed(message, self.user_id, self.clock.now())

    async def edit_message(self, message_id: str, body: str) -> ChatMessage:
        """Replace the text of the user's own message (within 15 minutes); shown "edited" on both sides.
        Raises RefusedError with the reason when the rules say no."""
        async with self.actions.writing:  # made, stored and sent in that order (ActionSender.writing)
            change, action = await self._store_edit(message_id, body)
        return await self._changed(change, action)

    async def delete_for_everyone(self, message_id: str) -> ChatMessage:
        """Delete the user's own message for both sides (within 15 minutes): "This message was deleted"."""
        async with self.actions.writing:
            change, action = await self._store_deletion(message_id)
        return await self._changed(change, action)

    async def _store_edit(self, message_id: str, body: str) -> tuple[Change, OutgoingAction]:
        message = await self._own_view(message_id)
        now = self.clock.now()
        if (refusal := rules.edit_refusal(message, body, self.user_id, now)) is not None:
            raise RefusedError(refusal.value)
        peer = await self._peer_of(message)
        frame = wire.EditFrame(
            id=self._new_id(), sender=self.user_id, to=peer, message_id=message_id, body=body,
            timestamp=to_ms(now),
        )  # fmt: skip
        action = outgoing_action(frame)
        if len(action.frame) > wire.MAX_FRAME_BYTES:
            raise RefusedError("the text is too long to send")
        change = await asyncio.to_thread(
            self.edits.edit, message_id=message_id, body=body, at=now, action=action,
            check=lambda m: rules.edit_refusal(m, body, self.user_id, now),
        )  # fmt: skip
        return change, action

    async def _store_deletion(self, message_id: str) -> tuple[Change, OutgoingAction]:
        message = await self._own_view(message_id)
        now = self.clock.now()
        if (refusal := rules.own_refusal(message, self.user_id, now, edit=False)) is not None:
            raise RefusedError(refusal.value)
        peer = await self._peer_of(message)
        frame = wire.DeleteFrame(
            id=self._new_id(), sender=self.user_id, to=peer, message_id=message_id, timestamp=to_ms(now)
        )
        action = outgoing_action(frame)
        change = await asyncio.to_thread(
            self.edits.delete_for_everyone, message_id=message_id, at=now, action=action,
            check=lambda m: rules.own_refusal(m, self.user_id, now, edit=False),
        )  # fmt: skip
        return change, action

    async def delete_for_me(self, message_id: str) -> None:
        """Remove a message from this device only (any message, any time). Nothing is sent."""
        change = await asyncio.to_thread(self.edits.delete_for_me, message_id=message_id)
        if change.message is None:
            raise NotFoundError("no such message")
        self.hub.emit(MessageRemoved(change.message.chat_id, message_id))
        if change.summary is not None:
            self.hub.emit(ChatChanged(self.decorate(change.summary)))

    # helpers ---------------------------------------------------------------------------------------
    async def _own_view(self, message_id: str) -> ChatMessage:
        message = await asyncio.to_thread(self.messages.get, message_id=message_id)
        if message is None or await asyncio.to_thread(self.edits.is_hidden, message_id=message_id):
            raise NotFoundError("no such message")
        return message

    async def _peer_of(self, message: ChatMessage) -> str:
        summary = await asyncio.to_thread(self.chats.get, chat_id=message.chat_id)
        if summary.blocked:
            raise BlockedError("the contact is blocked; unblock to change messages sent to them")
        return summary.peer.id

    async def _changed(self, change: Change, action: OutgoingAction) -> ChatMessage:
        if change.message is None:
            raise NotFoundError("no such message")
        if change.refused is not None:  # the rules said no inside the transaction (the clock moved on)
            raise RefusedError(str(change.refused.value))
        self.hub.emit(MessageChanged(change.message.chat_id, change.message))
        if change.summary is not None:
            self.hub.emit(ChatChanged(self.decorate(change.summary)))
        await self.actions.send_new(action)
        return change.message
