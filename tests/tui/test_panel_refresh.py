"""The panel under the history (an interactive message's buttons) is replaced by workers that a newer one
cancels (`refresh_panels_later` is exclusive, so is opening a chat) and that may run at once. A cancellation
that arrived while the old panel was being removed cancelled the old panel's own message loop (Textual's
removal awaits it): the panel stayed on screen, dead, the app could no longer settle and closing it raised
CancelledError (test_template_buttons failed so under load)."""

from __future__ import annotations

import asyncio

from app_helpers import SIZE, make_app, open_chat_by_keyboard, settle
from fake_messenger import demo_world

from tui_messenger.tui.widgets.interactive_panel import InteractivePanel

BANK = 2


async def test_a_refresh_cancelled_while_the_old_panel_is_removed_leaves_one_live_panel() -> None:
    async with make_app(demo_world()).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, BANK)
        pane = pilot.app.screen.conversation  # type: ignore[attr-defined]
        slot = pane.query_one("#panel-slot")
        (old,) = slot.query(InteractivePanel)
        remove_children, removals = slot.remove_children, []

        def remove_then_refresh_again(*args: object) -> object:
            removals.append(remove_children(*args))
            if len(removals) == 1:  # a message arrives just as the panel is being removed: a newer refresh
                pane.refresh_panels_later()  # cancels this one at its next await
            return removals[-1]

        slot.remove_children = remove_then_refresh_again
        pane.refresh_panels_later()
        await asyncio.wait_for(settle(pilot), 10)  # a dead widget on screen: pause() waits 30 s, then fails
        assert len(removals) == 2 and not old.is_attached
        (panel,) = slot.query(InteractivePanel)  # the newer refresh put one back, live
        assert panel is not old and panel.is_running and panel.message.message_id == old.message.message_id
