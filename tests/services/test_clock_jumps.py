"""The virtual clock's jumps are stored in the database: after a restart the clock goes on from the same
time, so what the screen shows agrees with itself (one separator per day, nothing in the future, the
window's end ahead of now only while it is open). A jump only moves the clock forward."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from service_helpers import until

from tui_messenger.bootstrap import build_messenger, resumed_clock
from tui_messenger.domain.clock import VirtualClock, from_ms
from tui_messenger.store.database import open_database
from tui_messenger.transport.fake import parse_world
from tui_messenger.tui.widgets.timefmt import day_label, same_day

WORLD = """
[scenario]
name = "jumps"

[[accounts]]
id = "shop"
display_name = "Shop"
kind = "business"
opt_in = "app"
auto_reply = "We will get back to you."
"""
DAY = 86400.0


async def run(db_path, *, jump: float = 0.0, say: tuple[str, ...] = ("hello",)) -> tuple[datetime, float]:
    """One run of the app: sync, write to the shop, maybe jump, write again; the clock's time at the end
    and its stored jumps."""
    db = open_database(db_path)
    try:
        clock = resumed_clock(db_path, speed=1.0)
        service = build_messenger(db, parse_world(WORLD), clock=clock)
        await service.start()
        await until(service, lambda: service.settings.sync_token() is not None and service.idle)
        chat = await service.open_chat("shop")
        await service.send_text(chat.chat.id, say[0])
        if jump:
            await service.jump_ahead(jump)
        for text in say[1:]:
            await service.send_text(chat.chat.id, text)
        await until(service, lambda: service.outbox_repo.all() == [] and service.idle)
        window = await service.window("shop")
        now = clock.now()
        if window.closes_at is not None:
            assert window.closes_at - now <= timedelta(days=1)  # never "open until" a day beyond
        await service.stop()
        return now, clock.jumped
    finally:
        db.close()


def stamps(db_path) -> list[datetime]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT sent_at FROM messages ORDER BY position").fetchall()
    return [from_ms(ms) for (ms,) in rows]


async def test_a_jump_survives_a_restart_and_nothing_lies_in_the_future(db_path) -> None:
    before, jumped = await run(db_path, jump=DAY, say=("hello", "after the jump"))
    assert jumped == pytest.approx(DAY, abs=60)
    assert before - datetime.now(UTC) > timedelta(hours=23)

    clock = resumed_clock(db_path, speed=1.0)  # the next run's clock, as the app builds it
    now = clock.now()
    assert now >= before and clock.jumped == pytest.approx(DAY, abs=60)
    messages = stamps(db_path)
    assert messages and max(messages) <= now  # no message is stamped ahead of the clock

    labels = [day_label(t, now) for i, t in enumerate(messages) if i == 0 or not same_day(messages[i - 1], t)]
    assert len(labels) == len(set(labels))  # one separator per day: never two "Today"


async def test_the_clock_goes_on_from_the_stored_jump_in_a_second_run(db_path) -> None:
    await run(db_path, jump=DAY)
    now, jumped = await run(db_path, say=("again",))
    assert jumped == pytest.approx(DAY, abs=60) and now - datetime.now(UTC) > timedelta(hours=23)


def test_resume_never_starts_before_what_is_on_record() -> None:
    clock = VirtualClock(speed=1.0)
    newest = clock.now() + timedelta(hours=30)  # a database from a run whose jump was not stored
    clock.resume(jumped=0.0, not_before=newest)
    assert clock.now() >= newest
    later = clock.now()
    clock.jump(-3600)  # a jump back is refused: messages already stamped must stay in the past
    assert clock.now() >= later
