"""StepClock (the clock of the service and whole-app tests): time moves only by `advance`, and `sleep`
returns once it has moved past the sleep's end; sleeping never moves it."""

from __future__ import annotations

import asyncio

from tui_messenger.domain.clock import StepClock


async def test_a_sleep_waits_until_the_time_is_moved_past_its_end() -> None:
    clock = StepClock()
    start = clock.now()
    sleeper = asyncio.ensure_future(clock.sleep(10))
    for _ in range(5):
        await asyncio.sleep(0)
    assert not sleeper.done() and clock.now() == start  # sleeping moves nothing
    clock.advance(4)
    for _ in range(5):
        await asyncio.sleep(0)
    assert not sleeper.done()  # 4 of 10 s
    clock.advance(6)
    await asyncio.wait_for(sleeper, 1)
    assert (clock.now() - start).total_seconds() == 10


async def test_a_sleep_of_nothing_returns_and_a_cancelled_one_ends() -> None:
    clock = StepClock()
    await asyncio.wait_for(clock.sleep(0), 1)
    sleeper = asyncio.ensure_future(clock.sleep(5))
    await asyncio.sleep(0)
    sleeper.cancel()
    await asyncio.gather(sleeper, return_exceptions=True)
    assert sleeper.cancelled()
    clock.advance(5)  # nobody waits any more: nothing to wake
