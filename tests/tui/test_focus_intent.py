"""Focus that follows intent, from a fresh app: a chat opened from search, the list (Enter or a click)
or the palette takes typing in the composer, so the history's one-letter keys never act on what the
user meant to write; a right click offers the message's menu; in find, ↑ is the previous match and ↓
the next."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_helpers import SIZE, chat_id, settle, text, until_dialog, wait_for
from mouse_helpers import terminal_click
from test_template_buttons import open_by_keys
from textual.pilot import Pilot

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.widgets.composer import Composer
from tui_messenger.tui.widgets.find_bar import FindBar
from tui_messenger.tui.widgets.message_view import MessageView

pytestmark = pytest.mark.usefixtures("utc")


def row_of(view: MessageView, words: str) -> tuple[int, int]:
    for y in range(view.size.height):
        x = view.render_line(y).text.find(words)
        if x >= 0:
            return x + 1, y
    raise AssertionError(f"{words!r} is not on screen")


async def test_typing_after_opening_from_search_lands_in_the_composer(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await until_dialog(pilot)
        await pilot.press(*"balance")
        await wait_for(pilot, lambda: "Your balance" in text(pilot))
        await pilot.press("enter")
        await settle(pilot)
        view = pilot.app.screen.query_one(MessageView)
        shown = [m.message_id for m in view.messages]
        assert view.selected_message is not None and "balance" in view.selected_message.body.lower()
        await pilot.press(*"lost card x e +")
        await settle(pilot)
        composer = pilot.app.screen.query_one(Composer)
        assert composer.has_focus and composer.text == "lost card x e +"
        assert pilot.app.screen.id == "main"  # no delete, edit or reaction dialog
        assert [m.message_id for m in view.messages] == shown
        assert not pilot.app.screen.query_one("#edit-strip").display


async def test_a_click_on_a_chat_row_focuses_the_composer(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        options = pilot.app.screen.query_one("#chat-options")
        anna = await chat_id(pilot, "anna")
        line = next(y for y in range(options.size.height) if "Anna" in options.render_line(y).text)
        await terminal_click(pilot, options, (4, line))
        await settle(pilot)
        assert pilot.app.screen.conversation.chat_id == anna
        assert isinstance(pilot.app.focused, Composer)


async def menu_of(pilot: Pilot[Any], view: MessageView, words: str) -> list[str]:
    await terminal_click(pilot, view, row_of(view, words), button=3)
    await until_dialog(pilot)
    return [b.id.removeprefix("message-action-") for b in pilot.app.screen.query("#message-menu Button")]


async def test_right_click_menu_reply_react_copy(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await open_by_keys(pilot, "anna")
        theirs = next(m for m in reversed(view.messages) if not m.outgoing and m.body)
        words = theirs.body.split("\n")[0][:12]
        assert await menu_of(pilot, view, words) == ["reply", "react", "copy", "delete-me", "cancel"]
        await pilot.click("#message-action-reply")
        await settle(pilot)
        pane = pilot.app.screen.conversation
        assert pane.reply_to is not None and pane.reply_to.message_id == theirs.message_id
        assert pane.composer.has_focus

        copied: list[str] = []
        pilot.app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        await menu_of(pilot, view, words)
        await pilot.click("#message-action-copy")
        await settle(pilot)
        assert copied == [theirs.body]

        await menu_of(pilot, view, words)
        await pilot.click("#message-action-react")
        await until_dialog(pilot)
        assert type(pilot.app.screen).__name__ == "ReactionPickerModal"


async def test_right_click_on_my_message_offers_edit_and_delete_for_everyone(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await open_by_keys(pilot, "anna")
        await pilot.press(*"see you soon", "enter")
        await wait_for(pilot, lambda: any(m.body == "see you soon" for m in view.messages))
        await settle(pilot)
        assert await menu_of(pilot, view, "see you soon") == [
            "reply", "react", "copy", "edit", "delete-me", "delete-everyone", "cancel",
        ]  # fmt: skip


async def test_find_up_is_previous_and_down_is_next(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await open_by_keys(pilot, "anna")
        for body in ("zebra one", "zebra two", "zebra three"):
            await pilot.press(*body, "enter")
            await wait_for(pilot, lambda body=body: any(m.body == body for m in view.messages))
        await pilot.press("ctrl+g", *"zebra")
        await settle(pilot)
        assert view.selected_message is not None and view.selected_message.body == "zebra three"
        assert "3 of 3" in text(pilot)
        await pilot.press("up")
        await settle(pilot)
        assert view.selected_message.body == "zebra two" and "2 of 3" in text(pilot)
        await pilot.press("up")
        await settle(pilot)
        assert view.selected_message.body == "zebra one" and "1 of 3" in text(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert view.selected_message.body == "zebra two" and "2 of 3" in text(pilot)
        footer = {b.key: b.description for b in FindBar.BINDINGS}  # type: ignore[union-attr]
        assert footer["up"] == "Previous match" and footer["shift+enter,down"] == "Next match"
