"""A send-and-retry loop over a stored queue of frames, shared by the message outbox (outbox.py) and
the action sender (actions.py).

Each entry is sent, its attempt recorded with the time it falls due again (capped exponential backoff
from `RetryPolicy`, on the injected clock), and sent again when due, until the network's answer removes
it from the store. While offline nothing is counted as an attempt; after a reconnect every waiting entry
is sent again at once. A subclass says how an attempt is recorded and, if it likes, passes over an entry.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, NotRequired, Protocol, TypedDict, TypeVar

from tui_messenger.domain.clock import Clock
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


class Entry(Protocol):
    @property
    def frame(self) -> bytes: ...
    @property
    def attempts(self) -> int: ...
    @property
    def next_attempt_at(self) -> datetime | None: ...


E = TypeVar("E", bound=Entry)


class EntryRepository(Protocol[E]):
    def entries(self, *, due_by: datetime | None = None) -> list[E]: ...


class LoopParts(TypedDict, Generic[E]):
    """What every retry loop is built with: a subclass takes them as `**loop` and adds its own."""

    repo: EntryRepository[E]
    transport: Transport
    clock: Clock
    policy: RetryPolicy
    online: Callable[[], bool]
    on_pass: NotRequired[Callable[[], None]]


class RetryLoop(ABC, Generic[E]):
    """Abstract: a subclass says how an attempt is recorded (`_record`)."""

    label = "retry loop"  # names the loop in the log

    def __init__(
        self,
        *,
        repo: EntryRepository[E],
        transport: Transport,
        clock: Clock,
        policy: RetryPolicy,
        online: Callable[[], bool],
        on_pass: Callable[[], None] = lambda: None,
    ) -> None:
        self._repo = repo
        self._transport = transport
        self._clock = clock
        self.policy = policy
        self._online = online
        self._wake = asyncio.Event()  # a pass now
        self._replan = asyncio.Event()  # no pass: only the timer to `_next_pass` again
        self._next_pass: datetime | None = None  # when the sleeping loop passes next (None: when woken)
        self._lock = asyncio.Lock()
        self._resend_all = True  # the first pass sends every waiting entry (left from the last run)
        self._behind = True  # an entry may wait unsent: a new one goes through the loop, after it
        self.on_pass = on_pass  # called after every pass (progress signal)

    def wake(self) -> None:
        self._wake.set()

    def reconnected(self) -> None:
        """Resend every waiting entry now (the next pass takes them all)."""
        self._resend_all = True
        self._wake.set()

    @abstractmethod
    async def _record(self, entry: E, attempts: int, next_at: datetime) -> None:
        """Store that `entry` was sent for the `attempts`-th time and falls due again at `next_at`."""

    async def _passed_over(self, entry: E, now: datetime) -> bool:
        """True to leave a due entry unsent in this pass (the subclass may also act on it here)."""
        return False

    async def send(self, entry: E) -> bool:
        """Send one entry without recording it; False when the transport is closed."""
        try:
            await self._transport.send(entry.frame)
        except TransportClosed:
            return False
        return True

    async def attempt(self, entry: E) -> bool:
        """Send one entry and record the attempt; False when the transport is closed (not counted)."""
        if not await self.send(entry):
            return False
        attempts = entry.attempts + 1
        delay = self.policy.delay(min(attempts, self.policy.max_attempts))
        await self._record(entry, attempts, self._clock.now() + timedelta(seconds=delay))
        return True

    async def run_due(self, *, everything: bool = False) -> float | None:
        """Send what is due (`everything`: all waiting entries, after a reconnect). Returns the seconds
        until the next entry falls due, or None if none waits.

        After a reconnect an entry not due yet is sent again without counting as an attempt, and falls
        due when it did: its last attempt went on a connection that broke before an answer could come.
        Counted, a connection that breaks five times in a second would fail a message in that second."""
        async with self._lock:
            self._behind = True  # until every entry due has gone (an exception leaves it so)
            now = self._clock.now()
            for entry in await asyncio.to_thread(self._repo.entries, due_by=None if everything else now):
                if await self._passed_over(entry, now):
                    continue
                if not self._online():
                    break  # offline: wait for the reconnect, which wakes us
                if self._resend_all and not everything:
                    break  # a reconnect came while this pass read: the pass it woke resends all, in order
                resend_only = entry.next_attempt_at is not None and entry.next_attempt_at > now
                if not await (self.send(entry) if resend_only else self.attempt(entry)):
                    # one request failed, the connection stays: soon again
                    self.on_pass()
                    return self.policy.first_delay
            else:
                self._behind = False
            waiting = await asyncio.to_thread(self._repo.entries)
            self.on_pass()
            due = [e.next_attempt_at for e in waiting if e.next_attempt_at is not None]
            if not due:
                return None
            return max((min(due) - self._clock.now()).total_seconds(), 0.0)

    def _due_at(self, at: datetime) -> None:
        """An entry sent just now falls due again at `at`: the loop's timer is set for it, with no pass
        (two reads of the store) now."""
        if self._next_pass is None or at < self._next_pass:
            self._next_pass = at
            self._replan.set()

    async def run(self) -> None:
        """The background loop: a pass when woken (new work, a reconnect) or when the next retry falls
        due; told of an earlier due time (`_due_at`), it only sets its timer again."""
        passing = True
        while True:
            if passing:
                self._wake.clear()
                everything, self._resend_all = self._resend_all, False
                try:
                    wait = await self.run_due(everything=everything)
                except Exception:
                    log.exception("%s pass failed", self.label)
                    wait = self.policy.max_delay
                self._next_pass = None if wait is None else self._clock.now() + timedelta(seconds=wait)
                if self._wake.is_set():
                    continue
            passing = await self._sleep()

    async def _until(self, at: datetime) -> None:
        """Sleep until `at`, counted from when the timer starts: time may move on before it does (a
        test's clock stepped on, a demo's clock jumped), and a pass already due must not wait again."""
        await self._clock.sleep(max((at - self._clock.now()).total_seconds(), 0.0))

    async def _sleep(self) -> bool:
        """Until woken or the next pass falls due (True: pass now), or told of a new due time (False)."""
        self._replan.clear()
        wake = asyncio.ensure_future(self._wake.wait())
        tasks: set[asyncio.Future[Any]] = {wake, asyncio.ensure_future(self._replan.wait())}
        timer = None
        if self._next_pass is not None and self._online():
            timer = asyncio.ensure_future(self._until(self._next_pass))
            tasks.add(timer)
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            # Not `suppress(CancelledError)` around each await: a stop() that lands while this
            # waits for its own timers would be swallowed there and the loop would never end.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        return wake in done or timer in done
