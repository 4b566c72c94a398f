"""Sending: the outbox and its retries.

A composed message is stored (pending) together with its outbox entry in one transaction before any
network work, so nothing composed is ever lost. The frame is then sent at once, and again with capped
exponential backoff (on the injected clock) until the network's `sent` status with the same client
transaction id removes the entry. After the last attempt the message shows failed, with a retry action
that sends the very same frame again (sends are idempotent per client transaction id). While offline
nothing is counted as an attempt; after a reconnect every waiting entry is sent again at once.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Unpack

from tui_messenger.domain.events import MessageChanged
from tui_messenger.services.hub import EventHub
from tui_messenger.services.retry_loop import LoopParts, RetryLoop
from tui_messenger.store.outbox import OutboxEntry, OutboxRepository


class Outbox(RetryLoop[OutboxEntry]):
    label = "outbox"
    _repo: OutboxRepository

    def __init__(self, *, hub: EventHub, **loop: Unpack[LoopParts[OutboxEntry]]) -> None:
        super().__init__(**loop)
        self._hub = hub

    async def _record(self, entry: OutboxEntry, attempts: int, next_at: datetime) -> None:
        await asyncio.to_thread(
            self._repo.attempted, message_id=entry.message_id, attempts=attempts, next_attempt_at=next_at
        )

    async def _passed_over(self, entry: OutboxEntry, now: datetime) -> bool:
        """An entry that ran out of attempts is not sent again: its message shows failed."""
        if entry.attempts < self.policy.max_attempts:
            return False
        failed = await asyncio.to_thread(self._repo.fail, message_id=entry.message_id)
        if failed is not None:
            self._hub.emit(MessageChanged(failed.chat_id, failed))
        return True

    async def send_new(self, message_id: str, frame: bytes) -> None:
        """The first attempt, right after the message and its entry were stored. Not while a pass that
        sends every waiting entry is due (just after a start or a reconnect), nor while an older one waits
        unsent (its request failed): the loop sends this one too, after the older ones, so a message never
        overtakes one written before it."""
        async with self._lock:
            if self._online() and not self._resend_all and not self._behind:
                entry = OutboxEntry(message_id, frame, attempts=0, next_attempt_at=None)
                self._behind = True  # until it has gone (an exception leaves it so)
                self._behind = not await self.attempt(entry)
        self._wake.set()  # the loop re-plans its next wake-up
