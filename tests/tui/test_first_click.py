"""The first click in a chat opened by keys, from a fresh app: no message selected, the history not
focused. A click focuses the history (a restyle) and must still map onto the lines on screen: a bubble
selects its message, a chip toggles its reaction, a template button answers; fast clicks never crash."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from app_helpers import SIZE, chat_id, open_chat_by_keyboard, real_service, settle, view_text, wait_for
from mouse_helpers import terminal_click
from textual.pilot import Pilot

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.widgets.message_view import MessageView

pytestmark = pytest.mark.usefixtures("utc")


def bubble_line(view: MessageView, predicate: Any) -> tuple[int, int]:
    """(index, first line on screen) of the newest message matching `predicate`, in view."""
    index = max(i for i, m in enumerate(view.messages) if predicate(m))
    line = view._owners.index(index)
    row = line - int(view.scroll_y)
    assert 0 <= row < view.size.height, "the message is in view"
    return index, row


def find_in_line(view: MessageView, row: int, text: str) -> int:
    """The column of `text` on screen row `row` of the view."""
    column = view.render_line(row).text.find(text)
    assert column >= 0, (text, view.render_line(row).text)
    return column


async def open_fresh(pilot: Pilot[Any], account: str) -> MessageView:
    await settle(pilot)
    await open_chat_by_keyboard(pilot, await chat_id(pilot, account))
    view = pilot.app.screen.query_one(MessageView)
    assert not view.has_focus
    return view


async def test_first_click_on_a_bubble_selects_it(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        view = await open_fresh(pilot, "anna")
        index, row = bubble_line(view, lambda m: not m.outgoing and m.body)
        body = view.messages[index].body.split()[0]
        await terminal_click(pilot, view, (find_in_line(view, row, body), row))
        await settle(pilot)
        assert pilot.app.is_running
        assert view.selected == index
        assert view.has_focus


async def test_first_click_on_a_chip_toggles_it(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        service = await real_service(pilot)
        anna = await chat_id(pilot, "anna")
        target = (await service.latest_page(anna, limit=5))[-1]
        await service.react(target.message_id, "👍")
        view = await open_fresh(pilot, "anna")
        index = next(i for i, m in enumerate(view.messages) if m.message_id == target.message_id)
        lines = [n for n, o in enumerate(view._owners) if o == index]
        row = next(n for n in lines if "👍" in view._lines[n].text) - int(view.scroll_y)
        await terminal_click(pilot, view, (find_in_line(view, row, "👍") + 1, row))
        await settle(pilot)
        assert pilot.app.is_running
        await wait_for(pilot, lambda: not view.messages[index].reactions)  # the user's own, taken back


async def test_fast_clicks_and_double_click_on_every_line(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        view = await open_fresh(pilot, "megadeals")
        for row in range(view.size.height):
            await terminal_click(pilot, view, (10, row), times=2)
            await terminal_click(pilot, view, (30, row))
        await settle(pilot)
        assert pilot.app.is_running
        assert "MegaDeals" in view_text(pilot)


async def test_press_on_a_widget_just_removed(tmp_path: Path) -> None:
    """The feedback prompt goes (its "Useful" was clicked) and the next press lands on its text before
    the screen refreshed its map: nothing is under the mouse, no crash."""
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await open_fresh(pilot, "megadeals")
        text = pilot.app.screen.query_one("#feedback-text")
        region = text.region
        pilot.app.screen.query_one("#feedback-prompt").remove()
        for _ in range(3):
            await asyncio.sleep(0)  # removed, the screen not refreshed yet
        assert text.parent is None
        await terminal_click(pilot, pilot.app.screen, (region.x + 1, region.y), times=2)
        await settle(pilot)
        assert pilot.app.is_running
