"""Sending: the outbox and its retries.

A composed message is stored (pending) together with its outbox entry in one transaction before any
network work, so nothing composed is ever lost. The entry is written as sent once (`retry_at`): the frame
is then sent at once, with no second write to record it; if it cannot go at once, the entry is made due
and the loop sends it, in order. After a crash between the two, the pass after the restart sends every
waiting entry (that message may then be allowed one attempt fewer). The frame is sent again with capped
exponential backoff (on the injected clock) until the network's `sent` status with the same client
transaction id removes the entry. After the last attempt the message shows failed, with a retry action
that sends the very same frame again (sends are idempotent per client transaction id). While offline
nothing is counted as an attempt; after a reconnect every waiting entry is sent again at once, not
counted either unless it was due (`RetryLoop.run_due`).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
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
        # Held by the services while a new message is written, until it is handed to `send_new`: messages
        # sent in quick succession are stored and go out in the order sent, not in the order their writes
        # win the database's lock.
        self.writing = asyncio.Lock()

    async def _record(self, entry: OutboxEntry, attempts: int, next_at: datetime) -> None:
        await asyncio.to_thread(
            self._repo.attempted, message_id=entry.message_id, attempts=attempts, next_attempt_at=next_at
        )

    async def _passed_over(self, entry: OutboxEntry, now: datetime) -> bool:
        """An entry that ran out of attempts is not sent again once its last one is due: its message
        shows failed."""
        if entry.attempts < self.policy.max_attempts or (entry.next_attempt_at or now) > now:
            return False
        failed = await asyncio.to_thread(self._repo.fail, message_id=entry.message_id)
        if failed is not None:
            self._hub.emit(MessageChanged(failed.chat_id, failed))
        return True

    def retry_at(self, now: datetime) -> datetime:
        """When a message written at `now` falls due again after the first attempt that `send_new` makes
        right after the write (the outbox repository's `compose(retry_at=...)`)."""
        return now + timedelta(seconds=self.policy.delay(1))

    async def send_new(self, message_id: str, frame: bytes) -> None:
        """The first attempt, right after the message and its entry (as sent once) were stored. Not while
        a pass that sends every waiting entry is due (just after a start or a reconnect), nor while an
        older one waits unsent (its request failed): then the entry is made due and the loop sends it, after
        the older ones, so a message never overtakes one written before it."""
        entry = OutboxEntry(message_id, frame, attempts=0, next_attempt_at=None)
        async with self._lock:
            sent = False
            try:
                if self._online() and not self._resend_all and not self._behind:
                    self._behind = True  # until it has gone (an exception leaves it so)
                    sent = await self.send(entry)
                    self._behind = not sent
            finally:
                if not sent:  # due at once, never sent: the loop takes it
                    await self._record(entry, 0, self._clock.now())
            if sent:  # the loop's timer covers its retry; no pass now
                self._due_at(self.retry_at(self._clock.now()))
        if not sent:
            self._wake.set()
