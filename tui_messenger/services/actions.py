"""A reliable sender for the user's action frames: reactions, edits and deletions.

How to use it for a new action (a reaction, an edit, a deletion):
1. build the wire frame (its own fresh `id`), and `action = outgoing_action(frame)`;
2. in the store, inside the transaction that applies the local effect, call
   `store.action_outbox.enqueue_action(conn_or_session, action, now)`: effect and frame commit together;
3. then `await service.actions.send_new(action)`: sent at once if online.
`ActionSender.enqueue(frame)` does 1-3 for an action with no local effect to store.

After that the entry is sent again with capped exponential backoff (the service's `RetryPolicy`, on the
injected clock) and at once after every reconnect, until the network's AckFrame naming the frame's id
arrives; the receiver turns that AckFrame into `ActionsAcked`, which removes the entry inside the receive
batch's transaction. Unlike a message, an action never turns "failed": once the attempts of the policy
are spent it keeps going at the policy's longest delay, since the network acks every action frame it can
read (also one it refuses by its rules), so only a lost connection keeps an entry waiting.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Unpack

from tui_messenger.services.retry_loop import LoopParts, RetryLoop
from tui_messenger.store.action_outbox import (
    ActionEntry,
    ActionOutboxRepository,
    ActionsAcked,
    OutgoingAction,
)
from tui_messenger.transport import wire

ActionFrame = wire.ReactionFrame | wire.EditFrame | wire.DeleteFrame


def outgoing_action(frame: ActionFrame) -> OutgoingAction:
    """The store's form of an action frame: its id, kind, target message and encoded bytes."""
    return OutgoingAction(frame.id, frame.type, frame.message_id, wire.encode(frame))


def acked_item(frame: wire.AckFrame) -> ActionsAcked:
    """A receive-batch item for an AckFrame from the network (see Receiver.converters)."""
    return ActionsAcked(tuple(frame.ids))


class ActionSender(RetryLoop[ActionEntry]):
    label = "action outbox"
    _repo: ActionOutboxRepository

    def __init__(self, **loop: Unpack[LoopParts[ActionEntry]]) -> None:
        super().__init__(**loop)
        self._sent_on_this_connection: set[str] = set()  # a reconnect pass need not send these again
        # Held by the services from the moment an action is made until it is stored; `send_new` follows
        # with no await between: actions made in quick succession go out in the order made, and the
        # newest (a reaction, an edit) is the one both sides keep (as `Outbox.writing`).
        self.writing = asyncio.Lock()

    def reconnected(self) -> None:
        self._sent_on_this_connection.clear()
        super().reconnected()

    async def enqueue(self, frame: ActionFrame, *, supersedes: tuple[str, ...] = ()) -> OutgoingAction:
        """Store an action that has no local effect of its own, then send it."""
        action = outgoing_action(frame)
        async with self.writing:
            await asyncio.to_thread(
                self._repo.enqueue, action=action, now=self._clock.now(), supersedes=supersedes
            )
        await self.send_new(action)
        return action

    async def send_new(self, action: OutgoingAction) -> None:
        """The first attempt, right after the action was stored with its effect; an action on a message
        the network has not acknowledged yet waits for it (see `ActionOutboxRepository.entries`)."""
        async with self._lock:
            # A pass that ran meanwhile may have sent it already (it was stored before the pass read).
            if (
                self._online()
                and action.frame_id not in self._sent_on_this_connection
                and await asyncio.to_thread(self._repo.ready, frame_id=action.frame_id)
            ):
                entry = ActionEntry(
                    action.frame_id, action.kind, action.message_id, action.frame, 0, self._clock.now()
                )
                await self.attempt(entry)
        self._wake.set()

    async def _record(self, entry: ActionEntry, attempts: int, next_at: datetime) -> None:
        self._sent_on_this_connection.add(entry.frame_id)
        await asyncio.to_thread(
            self._repo.attempted, frame_id=entry.frame_id, attempts=attempts, next_attempt_at=next_at
        )

    async def _passed_over(self, entry: ActionEntry, now: datetime) -> bool:
        """Sent since the reconnect, and not due again yet."""
        return entry.next_attempt_at > now and entry.frame_id in self._sent_on_this_connection
