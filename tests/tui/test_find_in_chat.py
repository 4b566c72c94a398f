"""Find in chat (ctrl+g): the bar above the composer, next / previous by keyboard and by mouse, Escape
closes; hostile queries never raise. Opening a chat with unread messages selects the first unread."""

from __future__ import annotations

from pathlib import Path

from app_helpers import SIZE, chat_id, settle, text
from test_journeys_real import send

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.widgets.find_bar import FindBar
from tui_messenger.tui.widgets.message_view import MessageView


async def test_find_next_previous_by_keyboard_and_mouse(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.screen.open_chat(await chat_id(pilot, "anna"))
        await settle(pilot)
        for body in ("zebra one", "nothing here", "zebra two"):
            await send(pilot, body)
        view = pilot.app.screen.query_one(MessageView)
        await pilot.press("ctrl+g")
        await settle(pilot)
        bar = pilot.app.screen.query_one(FindBar)
        assert bar.display and bar.input.has_focus
        await pilot.press(*"zebra")
        await settle(pilot)
        assert view.selected_message is not None and view.selected_message.body == "zebra two"
        assert "1 of 2" not in text(pilot) and "2 of 2" in text(pilot)
        await pilot.press("enter")  # on upwards: the older match
        await settle(pilot)
        assert view.selected_message.body == "zebra one"
        await pilot.press("shift+enter")  # next: back down to the newer one
        await settle(pilot)
        assert view.selected_message.body == "zebra two"
        await pilot.click("#find-up")  # by mouse
        await settle(pilot)
        assert view.selected_message.body == "zebra one"
        await pilot.click("#find-down")
        await settle(pilot)
        assert view.selected_message.body == "zebra two"
        bar.input.focus()
        await pilot.press("escape")
        await settle(pilot)
        assert not bar.display and view.has_focus


async def test_hostile_queries_never_raise(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.screen.open_chat(await chat_id(pilot, "anna"))
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        bar = pilot.app.screen.query_one(FindBar)
        for query in ['"', "NEAR(a", "*", "a OR", "((", "' OR 1=1 --", "\x1b[31m", "[b]x[/b]", "\u202e"]:
            bar.input.value = query
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
        assert not [n for n in pilot.app.shown_toasts if n.severity == "error"]
        await pilot.click("#find-close")
        await settle(pilot)
        assert not bar.display


async def test_opening_a_chat_selects_the_first_unread(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        messenger = pilot.app.messenger
        unread = [s for s in await messenger.chat_list() if s.chat.unread_count and not s.blocked]  # type: ignore[attr-defined]
        assert unread, "the demo world has unread chats"
        summary = unread[0]
        first = await messenger.first_unread(summary.chat.id)  # type: ignore[attr-defined]
        assert first is not None
        pilot.app.screen.open_chat(summary.chat.id)
        await settle(pilot)
        view = pilot.app.screen.query_one(MessageView)
        assert view.selected_message is not None and view.selected_message.message_id == first
