"""User journeys on the real app: `bootstrap.build_test_app` (own database, fixed clock, the fake peer at
zero delay, the real MessengerService). By keyboard and by mouse."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from app_helpers import (
    SIZE,
    chat_id,
    highlighted_command,
    palette,
    settle,
    text,
    until_dialog,
    view_text,
    wait_for,
)
from textual.pilot import Pilot

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.widgets.composer import Composer
from tui_messenger.tui.widgets.interactive_panel import InteractivePanel
from tui_messenger.tui.widgets.message_view import MessageView

pytestmark = pytest.mark.usefixtures("utc")


async def advance(pilot: Pilot[Any], seconds: float = 10) -> None:
    """The test world's clock is fixed: move it so the peer's scheduled answers fall due."""
    await pilot.app.messenger.jump_ahead(seconds)  # type: ignore[attr-defined]
    await settle(pilot)


async def send(pilot: Pilot[Any], body: str) -> None:
    composer = pilot.app.screen.query_one(Composer)
    composer.focus()
    composer.text = body
    await pilot.press("enter")
    await settle(pilot)
    await advance(pilot)


async def test_first_screen_lists_the_demo_world(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = text(pilot)
        assert "Anna Becker" in screen
        assert "✔ Nordbank" in screen and "✔ SkyWays Airlines" in screen
        assert "MegaDeals 24" in screen and "✔ MegaDeals" not in screen
        assert "looks like Nordbank" in screen
        assert "✔ N0rdbank" not in screen


async def test_palette_open_anna_send_and_get_a_reply(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "open chat: anna")
        anna = await chat_id(pilot, "anna")
        assert pilot.app.screen.conversation.chat_id == anna
        assert isinstance(pilot.app.focused, Composer)
        await pilot.press(*"lunch?", "enter")
        view = pilot.app.screen.query_one(MessageView)
        await wait_for(pilot, lambda: any(m.body == "lunch?" for m in view.messages))
        await advance(pilot)
        await wait_for(pilot, lambda: not view.messages[-1].outgoing)  # Anna answered
        shown = view_text(pilot)
        assert "lunch?" in shown and ("✓" in shown or "🕓" in shown)


async def test_nordbank_buttons_by_mouse(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.screen.open_chat(await chat_id(pilot, "nordbank"))
        await settle(pilot)
        await send(pilot, "balance")
        await wait_for(pilot, lambda: bool(pilot.app.screen.query(InteractivePanel)))
        panel = pilot.app.screen.query_one(InteractivePanel)
        assert "Recent payments" in text(pilot)
        await pilot.click("#choice-0")
        await settle(pilot)
        await advance(pilot)
        await wait_for(pilot, lambda: "Last payments" in view_text(pilot))
        assert panel.message.message_id not in [
            p.message.message_id for p in pilot.app.screen.query(InteractivePanel)
        ]


async def test_skyways_list_by_keyboard(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.screen.open_chat(await chat_id(pilot, "skyways"))
        await settle(pilot)
        await send(pilot, "delay")
        await wait_for(pilot, lambda: bool(pilot.app.screen.query("#choice-list")))
        rows = pilot.app.screen.query_one("#choice-list")
        rows.focus()
        await pilot.press("down", "enter")  # the highlight starts on row 1; row 2 is SK 127
        await settle(pilot)
        await advance(pilot)
        await wait_for(pilot, lambda: "rebooked on SK 127" in view_text(pilot))


async def test_stop_promotions_from_the_palette(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.screen.open_chat(await chat_id(pilot, "megadeals"))
        await settle(pilot)
        await palette(pilot, "stop promotions")
        consent = await pilot.app.messenger.consent("megadeals")  # type: ignore[attr-defined]
        assert consent.marketing_stopped
        assert "Resume promotions" in text(pilot)


async def test_impersonator_request_block_with_report(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.screen.open_chat(await chat_id(pilot, "nordbank-support"))
        await settle(pilot)
        screen = text(pilot)
        assert "Unknown business" in screen and "looks like Nordbank" in screen
        await pilot.click("#header-block")
        await until_dialog(pilot)
        await pilot.click("#block-confirm")  # "Also report" is checked by default
        await settle(pilot)
        messenger: Any = pilot.app.messenger
        assert await messenger.is_blocked("nordbank-support")
        assert "You blocked this contact." in text(pilot)
        assert not pilot.app.screen.query_one(Composer).display
        assert not pilot.app.screen.query(InteractivePanel)


async def test_search_and_jump(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await until_dialog(pilot)
        pilot.app.screen.query_one("Input").value = "statement"
        await wait_for(pilot, lambda: "Nordbank" in text(pilot) and "monthly statement" in text(pilot))
        await pilot.press("down", "enter")
        await settle(pilot)
        assert pilot.app.screen.conversation.chat_id == await chat_id(pilot, "nordbank")
        selected = pilot.app.screen.query_one(MessageView).selected_message
        assert selected is not None and "monthly statement" in selected.body


async def test_theme_switch_is_remembered(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "switch theme")
        await pilot.press(*"tui-light")
        await wait_for(pilot, lambda: "tui-light" in highlighted_command(pilot))
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.theme == "tui-light"
    state = json.loads((tmp_path / "config" / "state.json").read_text())
    assert state["theme"] == "tui-light"
