"""A reply is read only when it reaches the screen: in the chat open on a wide screen it never counts as
unread (and the sender gets a read receipt); at 80 columns, where the list takes the chat's place, a reply
that comes meanwhile counts unread until the chat is shown again (ctrl+l). The real app from a fresh
start, by keys, with the demo world's peer answering."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_helpers import chat_id, settle, wait_for
from textual.pilot import Pilot

from tui_messenger.bootstrap import build_test_app
from tui_messenger.domain.models import ChatFilter, MessageStatus
from tui_messenger.tui.widgets.composer import Composer

pytestmark = pytest.mark.usefixtures("utc")


async def unread(pilot: Pilot[Any], chat: int) -> int:
    return (await pilot.app.messenger.summary(chat)).chat.unread_count  # type: ignore[attr-defined,no-any-return]


async def write_to_anna(pilot: Pilot[Any]) -> int:
    """Open Anna's chat as a user does (the palette), write to her, and let her answer arrive."""
    await pilot.press("ctrl+p")
    await pilot.press(*"anna", "enter")
    await settle(pilot)
    anna = await chat_id(pilot, "anna")
    await wait_for(pilot, lambda: isinstance(pilot.app.focused, Composer))
    await pilot.press(*"lunch?", "enter")
    await settle(pilot)
    return anna


async def answer(pilot: Pilot[Any], anna: int, before: int) -> None:
    await pilot.app.messenger.jump_ahead(10)  # type: ignore[attr-defined]
    messenger: Any = pilot.app.messenger
    for _ in range(100):
        page = await messenger.latest_page(anna)
        if len(page) > before and not page[-1].outgoing:
            return
        await pilot.pause(0.05)
    raise AssertionError("Anna did not answer")


async def test_a_reply_in_the_chat_on_screen_is_never_unread(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        anna = await write_to_anna(pilot)
        before = len(await pilot.app.messenger.latest_page(anna))  # type: ignore[attr-defined]
        await answer(pilot, anna, before)
        await settle(pilot)
        reply = (await pilot.app.messenger.latest_page(anna))[-1]  # type: ignore[attr-defined]
        assert reply.status is MessageStatus.READ and await unread(pilot, anna) == 0
        counts = await pilot.app.messenger.filter_counts()  # type: ignore[attr-defined]
        tab = pilot.app.screen.query_one("#filter-unread").label.plain
        assert tab == (f"Unread {counts[ChatFilter.UNREAD]}" if counts[ChatFilter.UNREAD] else "Unread")


async def test_at_80_columns_a_reply_behind_the_list_is_unread_until_the_chat_is_shown(
    tmp_path: Path,
) -> None:
    async with build_test_app(tmp_path).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        anna = await write_to_anna(pilot)
        before = len(await pilot.app.messenger.latest_page(anna))  # type: ignore[attr-defined]
        await pilot.press("escape")  # back to the list: the chat is no longer on screen
        await settle(pilot)
        assert not pilot.app.screen.panes.chat_shown
        await answer(pilot, anna, before)
        await settle(pilot)
        assert await unread(pilot, anna) == 1
        reply = (await pilot.app.messenger.latest_page(anna))[-1]  # type: ignore[attr-defined]
        assert reply.status is not MessageStatus.READ
        await pilot.press("ctrl+l")  # the chat again, full width
        await settle(pilot)
        assert pilot.app.screen.panes.chat_shown
        await wait_for(pilot, lambda: pilot.app.screen.conversation.summary.chat.unread_count == 0)
        assert await unread(pilot, anna) == 0


async def test_a_chat_marked_unread_stays_unread_while_it_stays_on_screen(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        anna = await write_to_anna(pilot)
        await pilot.press("escape")  # to the list (both panes stay shown)
        await settle(pilot)
        options = pilot.app.screen.query_one("#chat-options")
        assert pilot.app.focused is options
        options.highlighted = next(i for i, o in enumerate(options.options) if o.id == str(anna))
        await pilot.press("u")
        await wait_for(pilot, lambda: pilot.app.screen.conversation.summary.chat.unread_count == 1)
        await pilot.press("escape")
        await settle(pilot)
        assert await unread(pilot, anna) == 1
