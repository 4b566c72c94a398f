"""A background loop that has just woken, and is cancelling its own timers, still ends when it is
cancelled itself: otherwise `MessengerService.stop()` (quitting the app, a test's teardown) waits forever.
The cancel is tried at every point of that wake-up."""

from __future__ import annotations

import asyncio

import pytest
from service_helpers import T0

from tui_messenger.services.actions import ActionSender
from tui_messenger.transport import wire


@pytest.mark.parametrize("turns", range(8))
async def test_a_waking_action_loop_still_ends_when_cancelled(messenger, transport, clock, turns) -> None:
    reaction = wire.ReactionFrame(id="r1", sender="me", to="anna", message_id="m1", emoji="👍", timestamp=T0)
    await messenger.actions.enqueue(reaction)  # sent; due again later: a loop sleeps on the clock for it
    sender = ActionSender(
        repo=messenger.action_repo, transport=transport, clock=clock, policy=messenger.actions.policy,
        online=lambda: True,
    )  # fmt: skip
    sender._resend_all = False  # a plain pass: nothing is due, so the loop goes to sleep
    passed = asyncio.Event()
    sender.on_pass = passed.set
    loop = asyncio.create_task(sender.run())
    await asyncio.wait_for(passed.wait(), timeout=10)
    for _ in range(3):  # into asyncio.wait(its waker, its clock sleep)
        await asyncio.sleep(0)
    sender.wake()  # it wakes, and cancels the clock sleep in its `finally`...
    for _ in range(turns):
        await asyncio.sleep(0)
    loop.cancel()  # ...while this lands somewhere in that
    done, _ = await asyncio.wait({loop}, timeout=5)
    assert loop in done, "the loop swallowed its cancellation"
    assert loop.cancelled()
