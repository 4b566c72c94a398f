"""The reaction picker takes what is typed right after `+`, however fast: `+:heart:` Enter in one burst
reacts with ❤️ (the `e` of "heart" never starts an edit, Enter never a reply), a paste after `+` is the
reaction, and letters typed while an emoji button has the focus go into the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_helpers import SIZE, settle, until_dialog, wait_for
from mouse_helpers import terminal_keys
from test_template_buttons import focus_history, open_by_keys
from textual import events
from textual.pilot import Pilot

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.modals.reaction_picker import ReactionPickerModal
from tui_messenger.tui.widgets.message_view import MessageView

pytestmark = pytest.mark.usefixtures("utc")


async def newest_selected(pilot: Pilot[Any]) -> MessageView:
    await settle(pilot)
    view = await open_by_keys(pilot, "anna")
    await focus_history(pilot, view)
    await pilot.press("end")
    assert view.selected_message is not None and not view.selected_message.reactions
    return view


def mine(view: MessageView) -> list[str]:
    message = view.selected_message
    return [r.emoji for r in message.reactions if r.mine] if message else []


async def test_fast_shortcode_after_plus(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        view = await newest_selected(pilot)
        await terminal_keys(pilot, "+", *":heart:", "enter")
        await settle(pilot)
        await wait_for(pilot, lambda: mine(view) == ["❤️"])
        pane = pilot.app.screen.conversation
        assert pane.reply_to is None and pane.editing.message is None
        assert pilot.app.screen.id == "main"


async def test_paste_after_plus(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        view = await newest_selected(pilot)
        await terminal_keys(pilot, "+", events.Paste("🎉"), "enter")
        await settle(pilot)
        await wait_for(pilot, lambda: mine(view) == ["🎉"])


async def test_letters_typed_on_an_emoji_button_go_into_the_field(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        view = await newest_selected(pilot)
        await pilot.press("plus")
        await until_dialog(pilot)
        picker = pilot.app.screen
        assert isinstance(picker, ReactionPickerModal) and picker.focused is not None
        assert picker.focused.id == "react-0"
        await pilot.press(*"tada", "enter")  # Enter on the button would be 👍
        await settle(pilot)
        await wait_for(pilot, lambda: mine(view) == ["🎉"])
