"""Enter (and space) on the selected message is named for what it does there: "Retry" on a failed
message of ours, "Choose" on buttons nothing answered yet, "Reply" on any other, nothing without a
selection (tests/tui/test_link_opening.py). The footer said "Reply / retry" for all of them."""

from __future__ import annotations

from typing import Any

from app_helpers import SIZE, footer, make_app, open_chat_by_keyboard, settle
from fake_messenger import demo_world
from textual.pilot import Pilot

from tui_messenger.domain.models import MessageStatus
from tui_messenger.tui.widgets.message_view import MessageView

ANNA, BANK = 1, 2


async def to_history(pilot: Pilot[Any]) -> MessageView:
    """Back from the composer to the history with shift+tab, as the README says (past the panel under
    the history, when there is one)."""
    view = pilot.app.screen.query_one(MessageView)
    for _ in range(6):
        if view.has_focus:
            break
        await pilot.press("shift+tab")
        await settle(pilot)
    assert view.has_focus
    return view


async def test_the_footer_names_what_enter_does_to_the_selected_message() -> None:
    m = demo_world()
    m.put(m.make(ANNA, "lost in space", outgoing=True, status=MessageStatus.FAILED))
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, ANNA)
        view = await to_history(pilot)
        await pilot.press("end")  # the newest: the failed one
        await settle(pilot)
        assert view.selected_message is not None and view.selected_message.body == "lost in space"
        assert "⏎ Retry" in footer(pilot) and "Reply" not in footer(pilot)
        await pilot.press("up")  # Anna's
        await settle(pilot)
        assert "⏎ Reply" in footer(pilot) and "Retry" not in footer(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "Replying to" in pilot.app.screen.query_one("#reply-text").render_line(0).text

        await open_chat_by_keyboard(pilot, BANK)  # buttons nothing answered yet
        await to_history(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert "⏎ Choose" in footer(pilot) and "Reply" not in footer(pilot)
