"""An empty chat list says why and what to do (found in a real terminal: a new Matrix account opened on a
blank list, with nothing but the footer to say that `n` starts a chat)."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import settle, text, wait_for
from textual.app import App, ComposeResult

from tui_messenger.bootstrap import build_test_app
from tui_messenger.domain.models import ChatFilter
from tui_messenger.tui.widgets.chat_list import ChatList

pytestmark = pytest.mark.usefixtures("utc")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_filter_that_matches_nothing_says_so_literally(tmp_path: Path, size: tuple[int, int]) -> None:
    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        await settle(pilot)
        chats = pilot.app.screen.query_one(ChatList)
        assert chats.summaries and "No chat" not in text(pilot)  # the demo world's chats
        await pilot.press("shift+tab", *"[b]zz")  # typed into the filter box, markup included
        await wait_for(pilot, lambda: not chats.summaries)
        await settle(pilot)
        assert "No chat matches “[b]zz”." in text(pilot)
        await pilot.press("escape")  # clears the filter: the chats again, no hint
        await wait_for(pilot, lambda: bool(chats.summaries))
        await settle(pilot)
        assert "No chat matches" not in text(pilot)


class ListHost(App[None]):
    def compose(self) -> ComposeResult:
        yield ChatList()


async def test_a_new_account_is_told_how_to_start_and_an_empty_tab_is_named() -> None:
    app = ListHost()
    async with app.run_test(size=(48, 20)) as pilot:
        chats = app.query_one(ChatList)
        await pilot.pause()
        assert "No chats" not in text(pilot)  # not before the first rows came: no flash on a slow start
        chats.show([])
        await pilot.pause()
        assert "No chats yet. Press n to start one." in text(pilot)
        chats.select_filter(ChatFilter.BUSINESS)
        await pilot.pause()
        chats.show([])
        await pilot.pause()
        assert "No business chats." in text(pilot) and "No chats yet" not in text(pilot)
