"""The customer service window line says the day it closes, relative to the app's clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from app_helpers import SIZE, make_app, open_chat_by_keyboard, settle, text
from fake_messenger import demo_world
from textual.pilot import Pilot
from textual.widgets import Static

from tui_messenger.tui.widgets.composer import Composer
from tui_messenger.tui.widgets.timefmt import day_and_time, window_text

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday
BANK = 2


pytestmark = pytest.mark.usefixtures("utc")


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(hours=5, minutes=5), "today 14:05"),
        (timedelta(hours=24), "tomorrow 09:00"),
        (timedelta(hours=15), "tomorrow 00:00"),
        (timedelta(hours=15, minutes=-1), "today 23:59"),
        (timedelta(days=2, hours=5, minutes=5), "Wed 14:05"),
        (timedelta(days=6), "Sun 09:00"),
        (timedelta(days=9), "14 Jan 09:00"),
        (timedelta(days=400), "9 Feb 2027 09:00"),
        (timedelta(hours=-10), "yesterday 23:00"),
    ],
)
def test_day_and_time(delta: timedelta, expected: str) -> None:
    assert day_and_time(NOW + delta, NOW) == expected


def test_window_text() -> None:
    assert window_text(True, NOW + timedelta(hours=24), NOW) == "Window open until tomorrow 09:00"
    assert window_text(True, None, NOW) == "Window open"
    assert window_text(False, NOW, NOW).startswith("Window closed")


def test_window_text_around_midnight_in_another_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")  # UTC+9: 20:00 UTC is 05:00 the next day there
    time.tzset()
    now = datetime(2026, 1, 5, 20, 0, tzinfo=UTC)
    assert window_text(True, now + timedelta(hours=24), now) == "Window open until tomorrow 05:00"


async def write_to_the_bank_by_keyboard(pilot: Pilot[Any]) -> None:
    """Open the bank's chat from the list and send a message: that opens its service window."""
    await settle(pilot)
    await open_chat_by_keyboard(pilot, BANK)
    pilot.app.screen.query_one(Composer).text = "hello bank"
    await pilot.press("enter")
    await settle(pilot)


async def test_header_says_the_day_the_window_closes_by_keyboard() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await write_to_the_bank_by_keyboard(pilot)
        assert "Window open until tomorrow 09:00" in text(pilot)


async def test_header_says_the_day_the_window_closes_by_mouse() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        options = pilot.app.screen.query_one("#chat-options")
        row = next(y for y in range(options.size.height) if "Nordbank" in options.render_line(y).text)
        await pilot.click(options, offset=(5, row))
        await settle(pilot)
        composer = pilot.app.screen.query_one(Composer)
        await pilot.click(composer)
        composer.text = "hello bank"
        await pilot.press("enter")
        await settle(pilot)
        m.clock.moment = m.clock.moment + timedelta(hours=20)  # 05:00 the next day: closes today
        pilot.app.screen.conversation.refresh_state()
        await settle(pilot)
        status = pilot.app.screen.query_one("#header-status", Static)
        assert "Window open until today 09:00" in str(status.render())


async def test_the_day_moves_on_with_the_clock_while_the_chat_is_open() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await write_to_the_bank_by_keyboard(pilot)
        status = pilot.app.screen.query_one("#header-status", Static)
        assert "Window open until tomorrow 09:00" in str(status.render())
        m.clock.moment = m.clock.moment + timedelta(hours=15)  # past midnight
        pilot.app.screen.conversation._tick()  # noqa: SLF001 - the minute timer's work, without waiting
        await settle(pilot)
        assert "Window open until today 09:00" in str(status.render())
