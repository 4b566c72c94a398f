"""The user's typing, told to the other side from the composer (conversation/typing.py), from a fresh
start by keyboard: once per burst, stopped when the text is sent, when another chat is opened and when
the keys rest; a draft the app puts back is not typing."""

from __future__ import annotations

from typing import Any

import pytest
from app_helpers import SIZE, make_app, open_chat_by_keyboard, settle, wait_for
from fake_messenger import demo_world
from textual.pilot import Pilot

from tui_messenger.tui.conversation import typing as typing_module

ANNA, BANK = 1, 2


async def _typed(pilot: Pilot[Any], keys: str) -> None:
    """From the first screen: Anna's chat opened by keyboard, `keys` typed into its composer."""
    await settle(pilot)
    await open_chat_by_keyboard(pilot, ANNA)
    await pilot.press(*keys)


async def test_one_signal_per_burst_and_stopped_by_sending() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await _typed(pilot, "on my way")
        await settle(pilot)
        assert m.typing_told == [(ANNA, True)]
        await pilot.press("enter")
        await wait_for(pilot, lambda: m.typing_told[-1:] == [(ANNA, False)])
        assert m.typing_told == [(ANNA, True), (ANNA, False)]


async def test_stopped_when_another_chat_is_opened() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await _typed(pilot, "half a")
        await open_chat_by_keyboard(pilot, BANK)
        await wait_for(pilot, lambda: m.typing_told[-1:] == [(ANNA, False)])
        assert m.typing_told == [(ANNA, True), (ANNA, False)]  # nothing told to the bank


async def test_stopped_when_the_keys_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typing_module, "IDLE", 0.3)
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await _typed(pilot, "hm")
        await pilot.pause(0.6)
        assert m.typing_told == [(ANNA, True), (ANNA, False)]
        assert pilot.app.screen.query_one("#composer").text == "hm"  # the text stays, only the signal ends


async def test_a_draft_put_back_is_not_typing() -> None:
    m = demo_world()
    m.drafts[ANNA] = "a draft from yesterday"
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, ANNA)
        await settle(pilot)
        assert pilot.app.screen.query_one("#composer").text == "a draft from yesterday"
        assert m.typing_told == []
        await pilot.press("!")
        await settle(pilot)
        assert m.typing_told == [(ANNA, True)]
