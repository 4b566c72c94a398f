"""Reactions: the user's own (stored with their frame in one transaction, then sent reliably by the action
outbox) and the network's (a receive-batch item, applied in the batch's transaction).

Rules: a reaction is one emoji (`domain.reactions`); nothing is sent to a blocked account; a reaction
frame's sender is the account it came from, and the store takes it only from the two people of the chat.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui_messenger.domain.clock import Clock, to_ms
from tui_messenger.domain.events import ReactionsChanged
from tui_messenger.domain.models import ReactionCount
from tui_messenger.domain.reactions import normalize, resolve
from tui_messenger.services.actions import ActionSender, outgoing_action
from tui_messenger.services.blocklist import BlockList
from tui_messenger.services.errors import BlockedError, InvalidMessageError, NotFoundError
from tui_messenger.services.hub import EventHub
from tui_messenger.store.action_outbox import OutgoingAction, enqueue_action
from tui_messenger.store.reactions import (
    ReactionChange,
    ReactionReceived,
    ReactionRefused,
    ReactionRepository,
    ReactionUpdate,
)
from tui_messenger.transport import wire

if TYPE_CHECKING:
    from tui_messenger.store.reactions import ReactionTarget


def received_item(frame: wire.ReactionFrame, *, user_id: str) -> ReactionReceived | None:
    """The batch item for a reaction frame from the network (None: not for this user)."""
    if frame.to != user_id and frame.sender != user_id:
        return None
    emoji = normalize(frame.emoji) if frame.emoji else ""
    return ReactionReceived(ReactionChange(frame.message_id, frame.sender, emoji, frame.timestamp), user_id)


class ReactionService:
    def __init__(
        self,
        *,
        repo: ReactionRepository,
        actions: ActionSender,
        hub: EventHub,
        clock: Clock,
        user_id: str,
        blocked: BlockList,
        new_id: Callable[[], str],
    ) -> None:
        self._repo = repo
        self._actions = actions
        self._hub = hub
        self._clock = clock
        self._user_id = user_id
        self._blocked = blocked
        self._new_id = new_id

    async def react(self, message_id: str, emoji: str) -> tuple[ReactionCount, ...]:
        """React with `emoji` (an emoji or a `:shortcode:`), replacing the user's earlier reaction; ""
        takes it back. Returns the message's chips as now shown."""
        chosen = resolve(emoji) if emoji else ""
        if chosen is None:
            raise InvalidMessageError("a reaction is one emoji, or a :shortcode: such as :thumbsup:")
        async with self._actions.writing:  # made, stored and sent in that order (ActionSender.writing)
            update, action = await self._store(message_id, chosen)
        self.publish(update)
        await self._actions.send_new(action)
        return update.reactions

    async def _store(self, message_id: str, chosen: str) -> tuple[ReactionUpdate, OutgoingAction]:
        target = await asyncio.to_thread(self._repo.target, message_id=message_id)
        if target is None:
            raise NotFoundError("that message is not available")
        if target.peer_blocked or target.peer_id in self._blocked:
            raise BlockedError("this contact is blocked; unblock to react")
        now = self._clock.now()
        frame = wire.ReactionFrame(
            id=self._new_id(), sender=self._user_id, to=target.peer_id, message_id=message_id,
            emoji=chosen, timestamp=to_ms(now),
        )  # fmt: skip
        action = outgoing_action(frame)

        def also(session: Any, found: ReactionTarget) -> None:  # a store session: opaque here
            # An older reaction still waiting in the outbox is pointless now: this one replaces it.
            enqueue_action(session, action, now, supersedes=("reaction",))

        change = ReactionChange(message_id, self._user_id, chosen, to_ms(now))
        try:
            update = await asyncio.to_thread(self._repo.set_own, change=change, also=also)
        except ReactionRefused as exc:
            raise NotFoundError(str(exc)) from exc
        return update, action

    def publish(self, update: ReactionUpdate) -> None:
        self._hub.emit(ReactionsChanged(update.chat_id, update.message_id, update.reactions))
