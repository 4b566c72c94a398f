"""ctrl+b is Block, and in a blocked chat Unblock: the footer says which, and the palette offers the one
that applies. Before, ctrl+b in a blocked chat asked to block it again (the header had no Block button
there, the key still did). From a fresh start, the chat opened by keys, the dialog answered by a click."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_helpers import (
    SIZE,
    chat_id,
    footer,
    open_chat_by_keyboard,
    palette_entries,
    settle,
    text,
    toasts,
    until_dialog,
    wait_for,
)
from textual.pilot import Pilot

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.modals import BlockModal

pytestmark = pytest.mark.usefixtures("utc")


def ctrl_b(pilot: Pilot[Any]) -> str:
    """What ctrl+b does now, as the footer shows it."""
    return pilot.app.screen.active_bindings["ctrl+b"].binding.description


@pytest.mark.parametrize("size", [SIZE, (80, 24)])
async def test_ctrl_b_blocks_then_unblocks(tmp_path: Path, size: tuple[int, int]) -> None:
    app = build_test_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        anna = await chat_id(pilot, "anna")
        await open_chat_by_keyboard(pilot, anna)
        assert ctrl_b(pilot) == "Block"
        assert "Block contact" in await palette_entries(pilot, "block contact")
        await pilot.press("ctrl+b")
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, BlockModal)
        await pilot.click("#block-confirm")
        await wait_for(pilot, lambda: "You blocked this contact." in text(pilot))
        messenger: Any = app.messenger
        assert (await messenger.summary(anna)).blocked
        await wait_for(pilot, lambda: ctrl_b(pilot) == "Unblock")
        titles = await palette_entries(pilot, "block contact")
        assert "Unblock contact" in titles and "Block contact" not in titles

        await pilot.press("ctrl+b")  # no dialog: the chat is unblocked
        await settle(pilot)
        assert not isinstance(pilot.app.screen, BlockModal)
        await wait_for(pilot, lambda: "You blocked this contact." not in text(pilot))
        assert not (await messenger.summary(anna)).blocked
        assert any("their new messages show again" in toast for toast in toasts(pilot))
        await wait_for(pilot, lambda: ctrl_b(pilot) == "Block")
        await pilot.press(*"back in touch", "enter")  # the composer is back, and has the keys
        await wait_for(pilot, lambda: "back in touch" in text(pilot))
        assert (await messenger.latest_page(anna))[-1].body == "back in touch"


async def test_blocked_chat_offers_no_reply_or_react(tmp_path: Path) -> None:
    """In a blocked chat nothing is sent: the footer offers neither Reply nor React on a selected message
    (they did nothing there but warn), and offers them again once the chat is unblocked."""
    app = build_test_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        anna = await chat_id(pilot, "anna")
        await open_chat_by_keyboard(pilot, anna)
        await pilot.press("ctrl+b")
        await until_dialog(pilot)
        await pilot.click("#block-confirm")
        await wait_for(pilot, lambda: "You blocked this contact." in text(pilot))
        await settle(pilot)
        assert pilot.app.focused is pilot.app.screen.query_one("#message-view")  # the composer is hidden
        await pilot.press("up")
        await settle(pilot)
        shown = footer(pilot)
        assert "Unblock" in shown and not any(w in shown for w in ("Reply", "React", "Send file")), shown

        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: "You blocked this contact." not in text(pilot))
        pilot.app.screen.query_one("#message-view").focus()
        await pilot.press("up")
        await wait_for(pilot, lambda: all(w in footer(pilot) for w in ("Reply", "React", "Send file")))
