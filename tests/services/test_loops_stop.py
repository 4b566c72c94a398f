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


async def test_the_connection_loop_outlives_an_error_and_connects_on_the_next_try(
    db, transport, clock, monkeypatch
) -> None:
    """An unexpected error while connecting (here the store's read of the sync token, as a database busy
    recovering from a crash may fail one) is logged and retried with backoff; it never ends the loop. It
    ended it before: the app stayed offline for good, sent nothing and took nothing in (the kill -9 test
    failed under load that way)."""
    from tui_messenger.services.service import MessengerService

    service = MessengerService(db, transport, clock=clock, user_id="me")
    read = service.settings.sync_token
    calls = []

    def flaky() -> str | None:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk I/O error")  # what sqlite3 raises is an OperationalError; any error counts
        return read()

    monkeypatch.setattr(service.settings, "sync_token", flaky)
    await service.start()
    try:
        for _ in range(100):
            if service.online:
                break
            clock.advance(1.0)
            await asyncio.sleep(0.01)
        assert service.online and len(calls) >= 2
        assert all(not task.done() for task in service._tasks)
    finally:
        await service.stop()


async def test_stop_never_hangs_on_a_loop_or_a_close_that_does_not_end(db, transport, clock, caplog) -> None:
    """Quitting waits for the service's stop: a loop that swallows its cancellation, or a network close
    that never returns, once hung it (a test's teardown waited 180 s). Each gets `stop_wait`, then is
    left behind, logged and named."""
    from tui_messenger.services.service import MessengerService

    service = MessengerService(db, transport, clock=clock, user_id="me")
    never = asyncio.Event()

    async def stubborn() -> None:
        while not never.is_set():
            try:
                await never.wait()
            except asyncio.CancelledError:
                continue  # the bug this guards against: a cancellation swallowed

    async def close_never() -> None:
        await never.wait()

    service.outbox.run = stubborn  # type: ignore[method-assign]
    transport.close = close_never
    await service.start()
    service.stop_wait = 0.2
    loop = asyncio.get_running_loop()
    began = loop.time()
    await asyncio.wait_for(service.stop(), 5)
    assert loop.time() - began < 2
    assert service.left_behind == ["messenger-outbox", "the network's close"]
    assert "messenger-outbox did not end" in caplog.text
    never.set()  # the stubborn loop may end now, before the test's own loop closes
    await asyncio.sleep(0)
