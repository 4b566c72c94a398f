"""`build_test_app`'s clock moves only when a test moves it. It was a ManualClock, whose `sleep` moves the
clock itself: the outbox, waiting for the network's ack (2, 4, 8, 16, 30 s), ran through all its attempts
in no real time while the zero-delay peer's ack was still being stored, so on a loaded machine a message
just sent was marked failed and the clock had jumped a minute (the edit tests then found it could not be
edited: 2 of 8 CI runs)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from app_helpers import open_account_chat, real_service, wait_for

from tui_messenger.bootstrap import build_test_app
from tui_messenger.domain.models import MessageStatus
from tui_messenger.tui.widgets.composer import Composer

pytestmark = pytest.mark.usefixtures("utc")


async def test_a_message_whose_ack_is_slow_waits_for_it_and_is_sent(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        view = await open_account_chat(pilot, "anna")
        real = await real_service(pilot)
        clock, receiver = real.clock, real.receiver
        handle, sleep, stored, waits = receiver.handle, clock.sleep, asyncio.Event(), []

        async def slow_store(batch: list[bytes]) -> None:  # what the network answers is stored late
            await stored.wait()
            await handle(batch)

        async def counted_sleep(seconds: float) -> None:
            waits.append(seconds)
            await sleep(seconds)

        receiver.handle = slow_store
        clock.sleep = counted_sleep
        start = clock.now()
        composer = pilot.app.screen.query_one(Composer)
        composer.focus()
        composer.text = "is the ack slow?"
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(waits) and [e.attempts for e in real.outbox_repo.all()] == [1])
        assert clock.now() == start  # the outbox waits for its ack in the app's time, which stands still

        stored.set()  # the ack is stored
        await wait_for(pilot, lambda: real.outbox_repo.all() == [])
        (mine,) = [m for m in view.messages if m.body == "is the ack slow?"]
        assert mine.status is not MessageStatus.FAILED and mine.status.rank >= MessageStatus.SENT.rank
