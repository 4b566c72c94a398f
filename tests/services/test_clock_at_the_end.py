"""A tester clock that reaches the end of the calendar (`--speed 10000` for long, or huge jumps) stops at
clock.LATEST; the receive, connection and retry loops keep running (issue 12, item 11)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tui_messenger.domain.clock import LATEST, VirtualClock
from tui_messenger.services.service import MessengerService
from tui_messenger.transport.fake import FakePeer


async def test_the_loops_outlive_the_end_of_the_calendar(db) -> None:
    clock = VirtualClock(start=LATEST - timedelta(seconds=30), speed=10_000)
    peer = FakePeer.for_scenario("default", clock=clock, seed=1)
    service = MessengerService(db, peer, clock=clock, user_id=peer.user_id)
    await service.start()
    try:
        await asyncio.sleep(0.5)  # 5,000 s of the clock: past the 30 s left
        clock.jump(60 * 86_400)  # and two months ahead: past what a datetime holds
        await asyncio.sleep(0.5)
        assert clock.now() == LATEST
        dead = [t.get_name() for t in service._tasks if t.done()]
        assert dead == []
        chats = await service.chat_list()
        sent = await service.send_text(chats[0].chat.id, "still here")
        assert sent.sent_at <= LATEST
    finally:
        await service.stop()
