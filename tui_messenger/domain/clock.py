"""Clocks: the one source of "now" for services and the fake peer, injectable for tests."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

# The latest time a clock gives: a month short of what `datetime` holds, so `now + a retry's wait` (a
# minute) or `now + a scheduled step` never overflows. A fast or long-jumped tester clock stops here
# instead of killing the receive and retry loops with OverflowError.
LATEST = datetime(9999, 12, 1, tzinfo=UTC)


def _later(moment: datetime, seconds: float) -> datetime:
    """`moment + seconds`, no later than LATEST (and no earlier than `moment`)."""
    room = (LATEST - moment).total_seconds()
    if not seconds > 0:  # also NaN
        return moment
    return LATEST if seconds >= room else moment + timedelta(seconds=seconds)


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait for `seconds` of this clock's time."""
        ...


class ManualClock:
    """A fixed clock for tests: time moves only by `advance` or by `sleep`, which returns at once."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now = _later(self._now, seconds)

    async def sleep(self, seconds: float) -> None:
        self.advance(max(0.0, seconds))
        await asyncio.sleep(0)


class StepClock(ManualClock):
    """A ManualClock whose `sleep` waits until `advance` moves the time past its end: background loops
    (outbox retries, reconnects) run only when a test moves time, so tests stay deterministic and never
    sleep on the wall clock. The whole-app tests' clock (`build_test_app`) too: with ManualClock's `sleep`,
    which moves the clock itself, a retry loop waiting for an ack (2, 4, 8, 16 s) ran through all its
    attempts in no real time, and a message whose ack from the zero-delay peer was still being stored (a
    loaded machine) was marked failed, with the clock a minute on."""

    def __init__(self, start: datetime | None = None) -> None:
        super().__init__(start)
        self._sleepers: list[tuple[datetime, asyncio.Future[None]]] = []

    def advance(self, seconds: float) -> None:
        super().advance(seconds)
        now = self.now()
        for deadline, fut in list(self._sleepers):
            if deadline <= now and not fut.done():
                fut.set_result(None)
        self._sleepers = [(d, f) for d, f in self._sleepers if not f.done()]

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        fut = asyncio.get_running_loop().create_future()
        self._sleepers.append((_later(self.now(), seconds), fut))
        try:
            await fut
        finally:
            self._sleepers = [(d, f) for d, f in self._sleepers if f is not fut]

    @property
    def sleeping(self) -> int:
        return len(self._sleepers)


class VirtualClock:
    """Wall time scaled by `speed`, plus jumps: a tester can show a 24-hour window closing."""

    def __init__(self, start: datetime | None = None, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._start = start or datetime.now(UTC)
        self._t0 = time.monotonic()
        self._offset = timedelta()

    def now(self) -> datetime:
        elapsed = (time.monotonic() - self._t0) * self.speed
        return _later(_later(self._start, self._offset.total_seconds()), elapsed)

    def jump(self, seconds: float) -> None:
        """Move ahead (never back: a message stamped before a jump must stay in the past), up to LATEST."""
        self._offset = _later(self._start, self._offset.total_seconds() + max(0.0, seconds)) - self._start

    @property
    def jumped(self) -> float:
        """Seconds this clock was moved ahead in all: what a restart must restore (see `resume`)."""
        return self._offset.total_seconds()

    def resume(self, *, jumped: float = 0.0, not_before: datetime | None = None) -> None:
        """Continue a clock of an earlier run: its stored jumps again, and no earlier than `not_before`
        (the newest time already on record), so nothing already shown lies in the future."""
        stored = _later(self._start, jumped) - self._start
        self._offset = max(self._offset, stored)
        if not_before is not None and self.now() < not_before:
            self._offset += not_before - self.now()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self.speed)


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)
