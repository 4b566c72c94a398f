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
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from tui_messenger.domain.clock import Clock
from tui_messenger.domain.events import MessageChanged
from tui_messenger.services.hub import EventHub
from tui_messenger.store.outbox import OutboxEntry, OutboxRepository
from tui_messenger.transport.base import Transport, TransportClosed

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Attempt n (1-based) waits `first_delay * factor**(n-1)` seconds, at most `max_delay`, for its ack.
    With the defaults: attempts at 0, 2, 6, 14, 30 s, failed at 60 s."""

    first_delay: float = 2.0
    factor: float = 2.0
    max_delay: float = 30.0
    max_attempts: int = 5

    def delay(self, attempts: int) -> float:
        return min(self.first_delay * self.factor ** max(attempts - 1, 0), self.max_delay)


class Outbox:
    def __init__(
        self,
        *,
        repo: OutboxRepository,
        transport: Transport,
        clock: Clock,
        hub: EventHub,
        policy: RetryPolicy,
        online: Callable[[], bool],
    ) -> None:
        self._repo = repo
        self._transport = transport
        self._clock = clock
        self._hub = hub
        self.policy = policy
        self._online = online
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._resend_all = True  # the first pass sends every waiting entry (left from the last run)
        self.on_pass: Callable[[], None] = lambda: None  # called after every pass (progress signal)

    def wake(self) -> None:
        self._wake.set()

    async def attempt(self, entry: OutboxEntry) -> bool:
        """Send one entry and record the attempt; False when the transport is closed (not counted)."""
        try:
            await self._transport.send(entry.frame)
        except TransportClosed:
            return False
        attempts = entry.attempts + 1
        next_at = self._clock.now() + timedelta(seconds=self.policy.delay(attempts))
        await asyncio.to_thread(
            self._repo.attempted, message_id=entry.message_id, attempts=attempts, next_attempt_at=next_at
        )
        return True

    async def send_new(self, message_id: str, frame: bytes) -> None:
        """The first attempt, right after the message and its entry were stored."""
        async with self._lock:
            if self._online():
                await self.attempt(OutboxEntry(message_id, frame, attempts=0, next_attempt_at=None))
        self._wake.set()  # the loop re-plans its next wake-up

    async def run_due(self, *, everything: bool = False) -> float | None:
        """Send what is due (`everything`: all waiting entries, after a reconnect), fail what ran out of
        attempts. Returns the seconds until the next entry falls due, or None if none waits."""
        async with self._lock:
            now = self._clock.now()
            entries = await asyncio.to_thread(self._repo.entries, due_by=None if everything else now)
            for entry in entries:
                if entry.attempts >= self.policy.max_attempts:
                    failed = await asyncio.to_thread(self._repo.fail, message_id=entry.message_id)
                    if failed is not None:
                        self._hub.emit(MessageChanged(failed.chat_id, failed))
                    continue
                if not self._online() or not await self.attempt(entry):
                    break  # offline: wait for the reconnect, which wakes us
            waiting = await asyncio.to_thread(self._repo.entries)
            self.on_pass()
            if not waiting:
                return None
            due = min(e.next_attempt_at for e in waiting if e.next_attempt_at is not None)
            return max((due - self._clock.now()).total_seconds(), 0.0)

    async def run(self) -> None:
        """The background loop: wake on new work or when the next retry falls due."""
        while True:
            self._wake.clear()
            everything, self._resend_all = self._resend_all, False
            try:
                wait = await self.run_due(everything=everything)
            except Exception:
                log.exception("outbox pass failed")
                wait = self.policy.max_delay
            if self._wake.is_set():
                continue
            waker = asyncio.ensure_future(self._wake.wait())
            tasks = {waker}
            if wait is not None and self._online():
                tasks.add(asyncio.ensure_future(self._clock.sleep(wait)))
            try:
                await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            finally:
                # Not `suppress(CancelledError)` around each await: a stop() that lands while this
                # waits for its own timers would be swallowed there and the loop would never end.
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)

    def reconnected(self) -> None:
        """Resend every waiting entry now (the next pass takes them all)."""
        self._resend_all = True
        self._wake.set()
