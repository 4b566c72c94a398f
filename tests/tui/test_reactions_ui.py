"""Reactions on the real app (`build_test_app`: own database, fixed clock, the fake peer): the picker by
keyboard (`+`, a quick emoji, `:shortcode:`) and by mouse (the footer's React key, a picker button, a
chip), the chips under the bubble, and a bot's reaction arriving."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import SIZE, open_account_chat, real_service, settle, until_dialog, view_text, wait_for
from textual.widgets._footer import FooterKey

from tui_messenger.bootstrap import build_test_app
from tui_messenger.domain.models import ReactionCount
from tui_messenger.tui.modals.reaction_picker import ReactionPickerModal
from tui_messenger.tui.widgets.message_view import MessageView

pytestmark = pytest.mark.usefixtures("utc")


def chips_of(view: MessageView, message_id: str) -> tuple[ReactionCount, ...]:
    message = view.get(message_id)
    assert message is not None
    return message.reactions


def chip_cell(view: MessageView, label: str) -> tuple[int, int]:
    """Where a chip is drawn in the view (x, y), read from the rendered lines."""
    for y in range(view.size.height):
        line = view.render_line(y).text
        if label in line:
            return line.index(label) + 1, y  # +1: inside the chip, past its padding
    raise AssertionError(f"chip {label!r} not on screen:\n{view_text_lines(view)}")


def view_text_lines(view: MessageView) -> str:
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


async def test_react_by_keyboard_quick_emoji_then_shortcode_then_take_back(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        view = await open_account_chat(pilot, "anna", focus=True)
        await pilot.press("up")  # select the newest message
        target = view.selected_message
        assert target is not None
        await pilot.press("plus")
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, ReactionPickerModal)
        await pilot.press("enter")  # the first quick reaction: 👍
        await settle(pilot)
        assert chips_of(view, target.message_id) == (ReactionCount("👍", 1, mine=True),)
        assert " 👍 1 " in view_text(pilot)
        real = await real_service(pilot)
        await wait_for(pilot, lambda: real.action_repo.all() == [])  # the network acked it

        await pilot.press("plus")
        await until_dialog(pilot)
        await pilot.press("colon", *"tada", "colon")
        assert pilot.app.screen.query_one("#reaction-input").value == ":tada:"
        await pilot.press("enter")
        await settle(pilot)
        assert chips_of(view, target.message_id) == (ReactionCount("🎉", 1, mine=True),)
        assert "👍" not in view_text(pilot).split(target.body[:10])[-1]

        await pilot.press("plus")
        await until_dialog(pilot)
        await pilot.press("colon", *"nope", "enter")  # refused: the picker stays with a hint
        await pilot.pause()
        assert isinstance(pilot.app.screen, ReactionPickerModal)
        assert "not one emoji" in str(pilot.app.screen.query_one("#reaction-hint").render())
        await pilot.press("escape")
        await settle(pilot)
        assert chips_of(view, target.message_id) == (ReactionCount("🎉", 1, mine=True),)
        page = await pilot.app.messenger.latest_page(view.messages[-1].chat_id)  # type: ignore[attr-defined]
        stored = next(m for m in page if m.message_id == target.message_id)
        assert stored.reactions == (ReactionCount("🎉", 1, mine=True),)


async def test_react_by_mouse_footer_key_picker_button_and_chip(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        view = await open_account_chat(pilot, "anna", focus=True)
        target = view.messages[-1]
        await pilot.click(MessageView, offset=(10, view.size.height - 3))  # the newest bubble's last row
        await pilot.pause()
        assert view.selected_message is not None
        target = view.selected_message
        footer_key = next(k for k in pilot.app.screen.query(FooterKey) if k.action == "react")
        await pilot.click(footer_key)
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, ReactionPickerModal)
        await pilot.click("#react-1")  # ❤️
        await settle(pilot)
        assert chips_of(view, target.message_id) == (ReactionCount("❤️", 1, mine=True),)
        x, y = chip_cell(view, " ❤️ 1 ")
        await pilot.click(MessageView, offset=(x, y))  # a click on my own chip takes it back
        await settle(pilot)
        assert chips_of(view, target.message_id) == ()
        assert "❤️ 1" not in view_text(pilot)


async def test_a_bot_reaction_shows_under_the_bubble_and_a_click_joins_it(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        view = await open_account_chat(pilot, "anna", focus=True)
        real = await real_service(pilot)
        mine = next(m for m in reversed(view.messages) if m.outgoing)
        real.transport.react("anna", mine.message_id, "😂")
        real.transport.pump()
        await wait_for(pilot, lambda: chips_of(view, mine.message_id) == (ReactionCount("😂", 1),))
        await settle(pilot)
        x, y = chip_cell(view, " 😂 1 ")
        width = view.size.width
        assert all(len(view.render_line(r).text) <= width for r in range(view.size.height))
        await pilot.click(MessageView, offset=(x, y))  # someone else's chip: I react the same
        await settle(pilot)
        assert chips_of(view, mine.message_id) == (ReactionCount("😂", 2, mine=True),)
        assert " 😂 2 " in view_text(pilot)
